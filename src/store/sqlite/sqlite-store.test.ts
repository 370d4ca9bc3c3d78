import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredItem } from '../../protocol/index.js';
import { runStoreConformance, testEnvelope, testRecord } from '../conformance.js';
import type { Store } from '../types.js';
import { applyMigrations, createSqliteStore, MIGRATIONS, SqliteStore } from './index.js';
import { CHAIN_HISTORY_SQL } from './sqlite-store.js';

const dirs = new Map<Store, string>();

function fileStore(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-sqlite-'));
  const store = createSqliteStore({ path: join(dir, 'nested', 'kestrel.db') });
  dirs.set(store, dir);
  return store;
}

function removeDir(store: Store): void {
  const dir = dirs.get(store);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dirs.delete(store);
}

const count = (store: SqliteStore, table: string): number => store.database.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const countItemRows = (store: Store) => count(store as SqliteStore, 'items');

runStoreConformance('sqlite file', fileStore, removeDir, { countItemRows });
runStoreConformance('sqlite :memory:', () => createSqliteStore({ path: ':memory:' }), undefined, { countItemRows });

const message = (id: string, role: 'user' | 'assistant', text: string): StoredItem =>
  role === 'user'
    ? { type: 'message', id, role, content: [{ type: 'input_text', text }] }
    : { type: 'message', id, role, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };

/** One finished turn: a user question in, an assistant answer out. */
async function turn(store: Store, index: number, previous: string | null, input?: StoredItem[]): Promise<string> {
  const id = `resp_${index}`;
  await store.createResponse(testRecord(id, { previousResponseId: previous }), input ?? [message(`msg_q${index}`, 'user', `question ${index} `.repeat(10))]);
  await store.updateResponse(id, testEnvelope(id, { status: 'completed', previous_response_id: previous }), [message(`msg_a${index}`, 'assistant', `answer ${index} `.repeat(20))]);
  return id;
}

describe('SQLite store specifics', () => {
  const open: SqliteStore[] = [];
  const track = (store: SqliteStore) => (open.push(store), store);
  afterEach(async () => {
    for (const store of open.splice(0)) {
      await store.close();
      removeDir(store);
    }
  });

  it('opens a file in WAL mode with synchronous NORMAL, foreign keys and a busy timeout', () => {
    const { database } = track(fileStore());
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('synchronous', { simple: true })).toBe(1);
    expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(database.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('records migrations and reapplies nothing on reopen, keeping the data', async () => {
    const store = fileStore();
    const path = store.database.name;
    const latest = MIGRATIONS.at(-1)!.version;
    expect(store.database.pragma('user_version', { simple: true })).toBe(latest);
    expect(store.database.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((step) => step.version));
    const first = await turn(store, 1, null);
    await store.createConversation({ id: 'conv_1', object: 'conversation', created_at: 1, metadata: { a: 'b' } }, '', [message('msg_c', 'user', 'hi')]);
    await store.close();

    const reopened = track(createSqliteStore({ path }));
    dirs.set(reopened, dirs.get(store)!);
    dirs.delete(store);
    expect(applyMigrations(reopened.database)).toEqual([]);
    expect(reopened.database.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    expect((await reopened.getResponse(first, ''))?.response.output).toEqual([message('msg_a1', 'assistant', 'answer 1 '.repeat(20))]);
    expect(await reopened.loadConversationItems('conv_1', '')).toEqual([message('msg_c', 'user', 'hi')]);
  });

  it('applies a new migration step on an existing database, once', () => {
    const db = new Database(':memory:');
    expect(applyMigrations(db)).toEqual(MIGRATIONS.map((step) => step.version));
    db.prepare("INSERT INTO conversations (id, owner, created_at, metadata) VALUES ('conv_1', '', 1, '{}')").run();
    const next = MIGRATIONS.at(-1)!.version + 1;
    const extended = [...MIGRATIONS, { version: next, name: 'add a column', sql: 'ALTER TABLE conversations ADD COLUMN title TEXT' }];
    expect(applyMigrations(db, extended)).toEqual([next]);
    expect(applyMigrations(db, extended)).toEqual([]);
    expect(db.prepare('SELECT id, title FROM conversations').get()).toEqual({ id: 'conv_1', title: null });
    expect(() => applyMigrations(db)).toThrow(/newer than this Kestrel/);
    db.close();
  });

  it('rolls back a failing migration step entirely', () => {
    const db = new Database(':memory:');
    applyMigrations(db);
    const version = MIGRATIONS.at(-1)!.version;
    const broken = [...MIGRATIONS, { version: version + 1, name: 'broken', sql: 'CREATE TABLE extra (x INTEGER); SELECT * FROM no_such_table;' }];
    expect(() => applyMigrations(db, broken)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get()).toBe(0);
    db.close();
  });

  it('grows linearly over a 1,000-turn chain: each turn stores only its own items', async () => {
    const store = track(fileStore());
    const pages = () => store.database.pragma('page_count', { simple: true }) as number;
    const base = pages();
    let previous: string | null = null;
    let atHalf = 0;
    for (let index = 1; index <= 1000; index++) {
      previous = await turn(store, index, previous);
      if (index === 500) atHalf = pages();
    }
    expect(count(store, 'responses')).toBe(1000);
    expect(count(store, 'items')).toBe(2000);
    expect(count(store, 'response_items')).toBe(2000);
    // The second 500 turns take about as many pages as the first 500 (quadratic would be ~3×).
    expect((pages() - atHalf) / (atHalf - base)).toBeLessThan(1.3);
    const history = await store.loadChainHistory(previous!, '');
    expect(history).toHaveLength(2000);
    expect(history?.[1998]).toEqual(message('msg_q1000', 'user', 'question 1000 '.repeat(10)));
  });

  it('walks a chain by index lookups only, whatever else the database holds', () => {
    const { database } = track(fileStore());
    const plan = database.prepare(`EXPLAIN QUERY PLAN ${CHAIN_HISTORY_SQL}`).all(1, '') as { detail: string }[];
    const scans = plan.map((step) => step.detail).filter((detail) => detail.startsWith('SCAN'));
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.every((detail) => detail === 'SCAN chain')).toBe(true);
  });

  it('stores the identical items a stateless client replays only once', async () => {
    const store = track(fileStore());
    const history: StoredItem[] = [];
    for (let index = 1; index <= 20; index++) {
      const question = message(`msg_q${index}`, 'user', `question ${index}`);
      await turn(store, index, null, [...history, question]);
      history.push(question, message(`msg_a${index}`, 'assistant', `answer ${index} `.repeat(20)));
    }
    expect(count(store, 'items')).toBe(40);
    expect((await store.listInputItems('resp_20', '', { limit: 100, order: 'asc' })).data).toEqual(history.slice(0, 39));
    expect(await store.deleteResponse('resp_20', '')).toBe(true);
    expect(count(store, 'items')).toBe(38);
    expect((await store.listInputItems('resp_19', '', { limit: 100, order: 'asc' })).data).toEqual(history.slice(0, 37));
  });

  it('leaves no orphan rows after deleting everything', async () => {
    const store = track(fileStore());
    let previous: string | null = null;
    for (let index = 1; index <= 5; index++) previous = await turn(store, index, previous);
    await store.createConversation({ id: 'conv_1', object: 'conversation', created_at: 1, metadata: {} }, '', [message('msg_q1', 'user', 'question 1 '.repeat(10))]);
    await store.appendEvents('resp_5', [{ type: 'keepalive', sequence_number: 0 }]);
    for (let index = 1; index <= 5; index++) expect(await store.deleteResponse(`resp_${index}`, '')).toBe(true);
    expect(count(store, 'items')).toBe(1);
    expect(await store.deleteConversation('conv_1', '')).toBe(true);
    for (const table of ['responses', 'items', 'response_items', 'conversations', 'conversation_items', 'response_events']) {
      expect(count(store, table)).toBe(0);
    }
  });

  it('commits concurrent writes together, and a failing one alone rolls back', async () => {
    const store = track(fileStore());
    const outcomes = await Promise.allSettled([
      turn(store, 1, null),
      store.createResponse(testRecord('resp_1'), [message('msg_dup', 'user', 'a duplicate response id')]),
      turn(store, 2, null),
      store.appendEvents('resp_2', [{ type: 'keepalive', sequence_number: 0 }]),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(count(store, 'responses')).toBe(2);
    expect(count(store, 'items')).toBe(4);
    expect(await store.getItem('msg_dup', '')).toBeNull();
    expect(await store.listEvents('resp_2', -1)).toHaveLength(1);
  });

  it('commits pending writes when closed', async () => {
    const store = fileStore();
    const path = store.database.name;
    const pending = store.createResponse(testRecord('resp_1'), []);
    await store.close();
    await pending;
    const reopened = track(createSqliteStore({ path }));
    dirs.set(reopened, dirs.get(store)!);
    dirs.delete(store);
    expect(await reopened.getResponse('resp_1', '')).not.toBeNull();
  });

  it('lets a second connection read what the first wrote (WAL)', async () => {
    const store = track(fileStore());
    await turn(store, 1, null);
    const reader = new Database(store.database.name, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM items').pluck().get()).toBe(2);
    reader.close();
  });
});
