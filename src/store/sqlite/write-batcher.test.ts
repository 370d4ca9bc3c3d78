import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.js';

describe('WriteBatcher', () => {
  let db: Database.Database;
  afterEach(() => {
    if (db?.open) db.close();
  });

  function setup() {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const ids = () => db.prepare('SELECT id FROM t ORDER BY rowid').pluck().all();
    // Like the store's writes: a transaction function, so it becomes a savepoint in a batch.
    const write = db.transaction((...values: string[]) => {
      for (const value of values) insert.run(value);
      return values.length;
    });
    return { batcher: new WriteBatcher(db), write, ids };
  }

  it('runs writes issued together in one transaction, in order, and resolves each with its result', async () => {
    const { batcher, write, ids } = setup();
    const seen: boolean[] = [];
    const results = await Promise.all([
      batcher.enqueue(() => write('a')),
      batcher.enqueue(() => (seen.push(db.inTransaction), write('b', 'c'))),
      batcher.enqueue(() => (seen.push(db.prepare('SELECT count(*) FROM t').pluck().get() === 3), write('d'))),
    ]);
    expect(results).toEqual([1, 2, 1]);
    expect(seen).toEqual([true, true]);
    expect(ids()).toEqual(['a', 'b', 'c', 'd']);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls back and rejects only the write that failed', async () => {
    const { batcher, write, ids } = setup();
    const outcomes = await Promise.allSettled([
      batcher.enqueue(() => write('a')),
      batcher.enqueue(() => write('b', 'a')),
      batcher.enqueue(() => write('c')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(ids()).toEqual(['a', 'c']);
  });

  it('rejects a lone failing write and keeps working', async () => {
    const { batcher, write, ids } = setup();
    await batcher.enqueue(() => write('a'));
    await expect(batcher.enqueue(() => write('a'))).rejects.toThrow(/UNIQUE/);
    await batcher.enqueue(() => write('b'));
    expect(ids()).toEqual(['a', 'b']);
  });

  it('commits queued writes at once on flush', () => {
    const { batcher, write, ids } = setup();
    void batcher.enqueue(() => write('a'));
    void batcher.enqueue(() => write('b'));
    expect(batcher.pending).toBe(true);
    expect(ids()).toEqual([]);
    batcher.flush();
    expect(batcher.pending).toBe(false);
    expect(ids()).toEqual(['a', 'b']);
  });

  it('rejects every write of a batch whose commit fails', async () => {
    const { batcher, write } = setup();
    const outcomes = Promise.allSettled([batcher.enqueue(() => write('a')), batcher.enqueue(() => write('b'))]);
    // Closing the connection under the batch makes the whole transaction fail.
    db.close();
    const settled = await outcomes;
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});
