import type Database from 'better-sqlite3';
import type { ConversationObject, OutputItem, ResponseObject, ResponseStreamEvent, StoredItem } from '../../protocol/index.js';
import type { Owner, Page, PageQuery, ResponseRecord, Store } from '../types.js';
import { emptyPage, ItemList, type ItemLink } from './item-list.js';
import { ItemRows } from './item-rows.js';
import { WriteBatcher } from './write-batcher.js';

interface ResponseRow {
  seq: number;
  id: string;
  owner: string;
  previous_response_id: string | null;
  conversation_id: string | null;
  background: number;
  envelope: string;
  request: string | null;
}

interface ConversationRow {
  id: string;
  created_at: number;
  metadata: string;
}

const RESPONSE_COLUMNS = 'seq, id, owner, previous_response_id, conversation_id, background, envelope, request';

const parseItem = (json: string): StoredItem => JSON.parse(json) as StoredItem;

/** The envelope as stored: `output` lives in `response_items` and is reassembled on read. */
function envelopeJson(response: ResponseObject): string {
  return JSON.stringify(response.output.length ? { ...response, output: [] } : response);
}

/**
 * A chain's history: walks `previous_response_id` to the root (one unique-index lookup per step),
 * then reads each response's inputs then outputs, oldest response first. CROSS JOIN pins the
 * chain as the outer loop: left to itself the planner may scan every link in the database.
 */
export const CHAIN_HISTORY_SQL = `
  WITH RECURSIVE chain(seq, previous_id, depth) AS (
    SELECT seq, previous_response_id, 0 FROM responses WHERE seq = ?
    UNION ALL
    SELECT r.seq, r.previous_response_id, chain.depth + 1
      FROM chain JOIN responses r ON r.id = chain.previous_id
     WHERE r.owner = ? AND chain.depth < 1000000
  )
  SELECT i.json FROM chain
    CROSS JOIN response_items l ON l.response_seq = chain.seq
    CROSS JOIN items i ON i.seq = l.item_seq
   ORDER BY chain.depth DESC, l.kind, l.position`;

/** Every statement the store runs, prepared once. */
function prepareStatements(db: Database.Database) {
  return {
    insertResponse: db.prepare<[string, string, string | null, string | null, number, string, string, string | null]>(
      `INSERT INTO responses (id, owner, previous_response_id, conversation_id, background, status, envelope, request)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateEnvelope: db.prepare<[string, string, string], { seq: number; owner: string; lastOutput: number | null }>(
      `UPDATE responses SET status = ?, envelope = ? WHERE id = ?
       RETURNING seq, owner, (SELECT max(position) FROM response_items WHERE response_seq = responses.seq AND kind = 1) AS lastOutput`,
    ),
    response: db.prepare<[string, string], ResponseRow>(`SELECT ${RESPONSE_COLUMNS} FROM responses WHERE id = ? AND owner = ?`),
    responseSeq: db.prepare<[string, string], number>('SELECT seq FROM responses WHERE id = ? AND owner = ?').pluck(),
    unfinished: db.prepare<[], ResponseRow>(
      `SELECT ${RESPONSE_COLUMNS} FROM responses WHERE background = 1 AND status IN ('queued', 'in_progress') ORDER BY seq`,
    ),
    deleteResponse: db.prepare<[number]>('DELETE FROM responses WHERE seq = ?'),
    responseItemSeqs: db.prepare<[number], number>('SELECT DISTINCT item_seq FROM response_items WHERE response_seq = ?').pluck(),
    chain: db.prepare<[number, string], string>(CHAIN_HISTORY_SQL).pluck(),
    insertEvent: db.prepare<[string, number, string]>(
      // REPLACE keeps a retried append idempotent instead of failing a background run.
      'INSERT OR REPLACE INTO response_events (response_id, sequence_number, json) VALUES (?, ?, ?)',
    ),
    events: db
      .prepare<[string, number], string>('SELECT json FROM response_events WHERE response_id = ? AND sequence_number > ? ORDER BY sequence_number')
      .pluck(),
    deleteEvents: db.prepare<[string]>('DELETE FROM response_events WHERE response_id = ?'),
    insertConversation: db.prepare<[string, string, number, string]>('INSERT INTO conversations (id, owner, created_at, metadata) VALUES (?, ?, ?, ?)'),
    conversation: db.prepare<[string, string], ConversationRow>('SELECT id, created_at, metadata FROM conversations WHERE id = ? AND owner = ?'),
    conversationSeq: db.prepare<[string, string], number>('SELECT seq FROM conversations WHERE id = ? AND owner = ?').pluck(),
    updateConversation: db.prepare<[string, string, string], ConversationRow>(
      'UPDATE conversations SET metadata = ? WHERE id = ? AND owner = ? RETURNING id, created_at, metadata',
    ),
    deleteConversation: db.prepare<[number]>('DELETE FROM conversations WHERE seq = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** The store's multi-row writes, each one transaction. */
interface Transactions {
  createResponse(record: ResponseRecord, inputItems: StoredItem[]): void;
  updateResponse(id: string, response: ResponseObject, outputItems: StoredItem[]): void;
  deleteResponse(id: string, owner: Owner): boolean;
  appendInputItems(id: string, owner: Owner, items: StoredItem[]): boolean;
  appendEvents(responseId: string, events: ResponseStreamEvent[]): void;
  createConversation(conversation: ConversationObject, owner: Owner, items: StoredItem[]): void;
  updateConversation(id: string, owner: Owner, metadata: Record<string, string>): ConversationRow | undefined;
  deleteConversation(id: string, owner: Owner): boolean;
  addConversationItems(id: string, owner: Owner, items: StoredItem[]): boolean;
  deleteConversationItem(conversationId: string, itemId: string, owner: Owner): boolean;
}

/**
 * The SQLite {@link Store}. Synchronous better-sqlite3 underneath: every statement is prepared
 * once; each write is atomic, and writes issued together share one commit ({@link WriteBatcher}).
 * Reads see every write already issued: a read first commits whatever is queued. `database` is exposed for diagnostics and tests.
 *
 * @example
 * const store = new SqliteStore(openDatabase(':memory:'));
 * await store.getResponse('resp_missing', ''); // null
 */
export class SqliteStore implements Store {
  readonly database: Database.Database;
  readonly readsSeeQueuedWrites = true;
  readonly #items: ItemRows;
  readonly #inputs: ItemList;
  readonly #outputs: ItemList;
  readonly #conversationItems: ItemList;
  readonly #stmt: Statements;
  readonly #tx: Transactions;
  readonly #writes: WriteBatcher;

  constructor(db: Database.Database) {
    this.database = db;
    this.#items = new ItemRows(db);
    this.#inputs = new ItemList(db, { table: 'response_items', ownerColumn: 'response_seq', fixed: { kind: 0 } });
    this.#outputs = new ItemList(db, { table: 'response_items', ownerColumn: 'response_seq', fixed: { kind: 1 } });
    this.#conversationItems = new ItemList(db, { table: 'conversation_items', ownerColumn: 'conversation_seq' });
    this.#stmt = prepareStatements(db);
    this.#writes = new WriteBatcher(db);
    this.#tx = {
      createResponse: db.transaction((record: ResponseRecord, inputItems: StoredItem[]) => {
        const { response, owner } = record;
        // The request repeats the whole input of stateless clients: kept only where it is needed.
        const request = record.background ? JSON.stringify(record.request ?? null) : null;
        const info = this.#stmt.insertResponse.run(
          record.id,
          owner,
          record.previousResponseId,
          record.conversationId,
          record.background ? 1 : 0,
          response.status,
          envelopeJson(response),
          request,
        );
        const seq = Number(info.lastInsertRowid);
        this.#linkItems(this.#inputs, seq, 0, owner, inputItems);
        if (response.output.length) this.#upsertOutputs(seq, owner, response.output as StoredItem[], false);
      }),
      updateResponse: db.transaction((id: string, response: ResponseObject, outputItems: StoredItem[]) => {
        const row = this.#stmt.updateEnvelope.get(response.status, envelopeJson(response), id);
        // Nothing to do for a response deleted while it ran.
        if (row && outputItems.length) this.#upsertOutputs(row.seq, row.owner, outputItems, row.lastOutput !== null);
      }),
      deleteResponse: db.transaction((id: string, owner: Owner): boolean => {
        const seq = this.#stmt.responseSeq.get(id, owner);
        if (seq === undefined) return false;
        const itemSeqs = this.#stmt.responseItemSeqs.all(seq);
        this.#stmt.deleteResponse.run(seq);
        this.#stmt.deleteEvents.run(id);
        this.#items.deleteOrphans(itemSeqs);
        return true;
      }),
      appendInputItems: db.transaction((id: string, owner: Owner, items: StoredItem[]): boolean => {
        const seq = this.#stmt.responseSeq.get(id, owner);
        if (seq === undefined) return false;
        this.#linkItems(this.#inputs, seq, this.#inputs.nextPosition(seq), owner, items);
        return true;
      }),
      appendEvents: db.transaction((responseId: string, events: ResponseStreamEvent[]) => {
        for (const event of events) this.#stmt.insertEvent.run(responseId, event.sequence_number, JSON.stringify(event));
      }),
      createConversation: db.transaction((conversation: ConversationObject, owner: Owner, items: StoredItem[]) => {
        const info = this.#stmt.insertConversation.run(conversation.id, owner, conversation.created_at, JSON.stringify(conversation.metadata ?? {}));
        this.#linkItems(this.#conversationItems, Number(info.lastInsertRowid), 0, owner, items);
      }),
      updateConversation: db.transaction((id: string, owner: Owner, metadata: Record<string, string>) => {
        return this.#stmt.updateConversation.get(JSON.stringify(metadata), id, owner);
      }),
      deleteConversation: db.transaction((id: string, owner: Owner): boolean => {
        const seq = this.#stmt.conversationSeq.get(id, owner);
        if (seq === undefined) return false;
        const itemSeqs = this.#conversationItems.itemSeqs(seq);
        this.#stmt.deleteConversation.run(seq);
        this.#items.deleteOrphans(itemSeqs);
        return true;
      }),
      addConversationItems: db.transaction((id: string, owner: Owner, items: StoredItem[]): boolean => {
        const seq = this.#stmt.conversationSeq.get(id, owner);
        if (seq === undefined) return false;
        this.#linkItems(this.#conversationItems, seq, this.#conversationItems.nextPosition(seq), owner, items);
        return true;
      }),
      deleteConversationItem: db.transaction((conversationId: string, itemId: string, owner: Owner): boolean => {
        const seq = this.#stmt.conversationSeq.get(conversationId, owner);
        if (seq === undefined) return false;
        const links = this.#conversationItems.linksOf(seq, itemId);
        for (const link of links) this.#conversationItems.unlink(seq, link.position);
        this.#items.deleteOrphans(links.map((link) => link.itemSeq));
        return links.length > 0;
      }),
    };
  }

  /** Interns `items` and links them into `list` from position `start`, in order. */
  #linkItems(list: ItemList, seq: number, start: number, owner: Owner, items: readonly StoredItem[]): void {
    for (let index = 0; index < items.length; index++) list.insert(seq, start + index, this.#items.intern(owner, items[index]));
  }

  /** Appends output items not linked yet; rewrites the ones already linked (by item id). */
  #upsertOutputs(seq: number, owner: Owner, outputItems: readonly StoredItem[], hasOutputs = true): void {
    const existing = hasOutputs ? this.#outputs.links(seq) : [];
    const byId = new Map<string, ItemLink>();
    for (const link of existing) byId.set(link.itemId, link);
    let next = existing.length ? existing[existing.length - 1].position + 1 : 0;
    for (const item of outputItems) {
      const json = JSON.stringify(item);
      const link = byId.get(item.id);
      if (!link) {
        const itemSeq = this.#items.insert(owner, item, json);
        this.#outputs.insert(seq, next, itemSeq);
        byId.set(item.id, { position: next, itemId: item.id, itemSeq, json });
        next++;
      } else if (link.json !== json) {
        // A row shared with another response or a conversation is copied, not changed under it.
        if (this.#items.references(link.itemSeq) > 1) {
          link.itemSeq = this.#items.insert(owner, item, json);
          this.#outputs.relink(seq, link.position, link.itemSeq);
        } else {
          this.#items.update(link.itemSeq, json);
        }
        link.json = json;
      }
    }
  }

  #toRecord(row: ResponseRow): ResponseRecord {
    const response = JSON.parse(row.envelope) as ResponseObject;
    response.output = this.#outputs.all(row.seq).map(parseItem) as OutputItem[];
    return {
      id: row.id,
      owner: row.owner,
      response,
      request: row.request === null ? null : (JSON.parse(row.request) as unknown),
      previousResponseId: row.previous_response_id,
      conversationId: row.conversation_id,
      background: row.background === 1,
    };
  }

  async createResponse(record: ResponseRecord, inputItems: StoredItem[]): Promise<void> {
    return this.#writes.enqueue(() => this.#tx.createResponse(record, inputItems));
  }

  async updateResponse(id: string, response: ResponseObject, outputItems: StoredItem[]): Promise<void> {
    return this.#writes.enqueue(() => this.#tx.updateResponse(id, response, outputItems));
  }

  async getResponse(id: string, owner: Owner): Promise<ResponseRecord | null> {
    this.#writes.flush();
    const row = this.#stmt.response.get(id, owner);
    return row ? this.#toRecord(row) : null;
  }

  async deleteResponse(id: string, owner: Owner): Promise<boolean> {
    return this.#writes.enqueue(() => this.#tx.deleteResponse(id, owner));
  }

  async appendInputItems(responseId: string, owner: Owner, items: StoredItem[]): Promise<boolean> {
    return this.#writes.enqueue(() => this.#tx.appendInputItems(responseId, owner, items));
  }

  async listInputItems(responseId: string, owner: Owner, query: PageQuery): Promise<Page<StoredItem>> {
    this.#writes.flush();
    const seq = this.#stmt.responseSeq.get(responseId, owner);
    return seq === undefined ? emptyPage() : this.#inputs.page(seq, query);
  }

  async loadChainHistory(responseId: string, owner: Owner): Promise<StoredItem[] | null> {
    this.#writes.flush();
    const seq = this.#stmt.responseSeq.get(responseId, owner);
    if (seq === undefined) return null;
    return this.#stmt.chain.all(seq, owner).map(parseItem);
  }

  async listUnfinishedBackground(): Promise<ResponseRecord[]> {
    this.#writes.flush();
    return this.#stmt.unfinished.all().map((row) => this.#toRecord(row));
  }

  async appendEvents(responseId: string, events: ResponseStreamEvent[]): Promise<void> {
    if (events.length) return this.#writes.enqueue(() => this.#tx.appendEvents(responseId, events));
  }

  async listEvents(responseId: string, after: number): Promise<ResponseStreamEvent[]> {
    this.#writes.flush();
    return this.#stmt.events.all(responseId, after).map((json) => JSON.parse(json) as ResponseStreamEvent);
  }

  async createConversation(conversation: ConversationObject, owner: Owner, items: StoredItem[]): Promise<void> {
    return this.#writes.enqueue(() => this.#tx.createConversation(conversation, owner, items));
  }

  async getConversation(id: string, owner: Owner): Promise<ConversationObject | null> {
    this.#writes.flush();
    const row = this.#stmt.conversation.get(id, owner);
    return row ? toConversation(row) : null;
  }

  async updateConversation(id: string, owner: Owner, metadata: Record<string, string>): Promise<ConversationObject | null> {
    const row = await this.#writes.enqueue(() => this.#tx.updateConversation(id, owner, metadata));
    return row ? toConversation(row) : null;
  }

  async deleteConversation(id: string, owner: Owner): Promise<boolean> {
    return this.#writes.enqueue(() => this.#tx.deleteConversation(id, owner));
  }

  async addConversationItems(id: string, owner: Owner, items: StoredItem[]): Promise<boolean> {
    return this.#writes.enqueue(() => this.#tx.addConversationItems(id, owner, items));
  }

  async listConversationItems(id: string, owner: Owner, query: PageQuery): Promise<Page<StoredItem> | null> {
    this.#writes.flush();
    const seq = this.#stmt.conversationSeq.get(id, owner);
    return seq === undefined ? null : this.#conversationItems.page(seq, query);
  }

  async loadConversationItems(id: string, owner: Owner): Promise<StoredItem[] | null> {
    this.#writes.flush();
    const seq = this.#stmt.conversationSeq.get(id, owner);
    return seq === undefined ? null : this.#conversationItems.all(seq).map(parseItem);
  }

  async getConversationItem(conversationId: string, itemId: string, owner: Owner): Promise<StoredItem | null> {
    this.#writes.flush();
    const seq = this.#stmt.conversationSeq.get(conversationId, owner);
    if (seq === undefined) return null;
    const links = this.#conversationItems.linksOf(seq, itemId);
    return links.length ? parseItem(links[links.length - 1].json) : null;
  }

  async deleteConversationItem(conversationId: string, itemId: string, owner: Owner): Promise<boolean> {
    return this.#writes.enqueue(() => this.#tx.deleteConversationItem(conversationId, itemId, owner));
  }

  async getItem(id: string, owner: Owner): Promise<StoredItem | null> {
    this.#writes.flush();
    return this.#items.latest(owner, id);
  }

  async close(): Promise<void> {
    if (!this.database.open) return;
    this.#writes.flush();
    this.database.close();
  }
}

function toConversation(row: ConversationRow): ConversationObject {
  return { id: row.id, object: 'conversation', created_at: row.created_at, metadata: JSON.parse(row.metadata) as Record<string, string> };
}
