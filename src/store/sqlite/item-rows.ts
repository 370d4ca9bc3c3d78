import type Database from 'better-sqlite3';
import type { StoredItem } from '../../protocol/index.js';
import type { Owner } from '../types.js';

/**
 * The `items` table: each item's JSON stored once, keyed by an integer `seq`.
 * Item ids repeat (stateless clients replay items), so interning reuses the owner's latest row
 * with that id only when its JSON is identical, and otherwise adds a new row.
 *
 * @example
 * const rows = new ItemRows(db);
 * const seq = rows.intern('', { type: 'message', id: 'msg_1', role: 'user', content: 'hi' });
 * rows.intern('', { type: 'message', id: 'msg_1', role: 'user', content: 'hi' }) === seq; // true
 */
export class ItemRows {
  readonly #latest: Database.Statement<[string, string], { seq: number; json: string }>;
  readonly #insert: Database.Statement<[string, string, string]>;
  readonly #update: Database.Statement<[string, number]>;
  readonly #references: Database.Statement<[number, number], number>;
  readonly #deleteIfOrphan: Database.Statement<[number, number, number]>;

  constructor(db: Database.Database) {
    this.#latest = db.prepare('SELECT seq, json FROM items WHERE owner = ? AND item_id = ? ORDER BY seq DESC LIMIT 1');
    this.#insert = db.prepare('INSERT INTO items (item_id, owner, json) VALUES (?, ?, ?)');
    this.#update = db.prepare('UPDATE items SET json = ? WHERE seq = ?');
    this.#references = db
      .prepare<[number, number], number>(
        'SELECT (SELECT count(*) FROM response_items WHERE item_seq = ?) + (SELECT count(*) FROM conversation_items WHERE item_seq = ?)',
      )
      .pluck();
    this.#deleteIfOrphan = db.prepare(
      `DELETE FROM items WHERE seq = ?
         AND NOT EXISTS (SELECT 1 FROM response_items WHERE item_seq = ?)
         AND NOT EXISTS (SELECT 1 FROM conversation_items WHERE item_seq = ?)`,
    );
  }

  /** The owner's most recent item with this id, or null. */
  latest(owner: Owner, itemId: string): StoredItem | null {
    const row = this.#latest.get(owner, itemId);
    return row ? (JSON.parse(row.json) as StoredItem) : null;
  }

  /** The `seq` of a row holding exactly this item: the latest one with its id if identical, else a new one. */
  intern(owner: Owner, item: StoredItem, json = JSON.stringify(item)): number {
    const latest = this.#latest.get(owner, item.id);
    if (latest && latest.json === json) return latest.seq;
    return this.insert(owner, item, json);
  }

  /** Adds a new row, even if an identical one exists. */
  insert(owner: Owner, item: StoredItem, json = JSON.stringify(item)): number {
    return Number(this.#insert.run(item.id, owner, json).lastInsertRowid);
  }

  /** Rewrites a row in place. */
  update(seq: number, json: string): void {
    this.#update.run(json, seq);
  }

  /** How many links (responses and conversations) point at a row. */
  references(seq: number): number {
    return this.#references.get(seq, seq) ?? 0;
  }

  /** Deletes the rows among `seqs` that nothing links to any more. */
  deleteOrphans(seqs: Iterable<number>): void {
    for (const seq of seqs) this.#deleteIfOrphan.run(seq, seq, seq);
  }
}

