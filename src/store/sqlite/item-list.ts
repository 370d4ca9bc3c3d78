import type Database from 'better-sqlite3';
import type { StoredItem } from '../../protocol/index.js';
import type { Page, PageQuery } from '../types.js';

/** Where one kind of ordered item list lives: the link table and the literal key of one list. */
export interface ItemListShape {
  table: 'response_items' | 'conversation_items';
  /** The column holding the owning row's `seq`. */
  ownerColumn: 'response_seq' | 'conversation_seq';
  /** Extra fixed key columns and their literal values, e.g. `{ kind: 0 }` for response inputs. */
  fixed?: Record<string, number>;
}

export interface ItemLink {
  position: number;
  itemId: string;
  itemSeq: number;
  json: string;
}

/** An empty page. */
export function emptyPage(): Page<StoredItem> {
  return { data: [], firstId: null, lastId: null, hasMore: false };
}

/**
 * Prepared statements over one kind of ordered item list (a response's inputs, its outputs,
 * a conversation's items): read in order, paginate by item id, append, relink, unlink.
 * Every method takes the owning row's `seq`; ownership is checked by the caller.
 *
 * @example
 * const inputs = new ItemList(db, { table: 'response_items', ownerColumn: 'response_seq', fixed: { kind: 0 } });
 * inputs.all(responseSeq); // ['{"type":"message",…}', …]
 */
export class ItemList {
  readonly #all: Database.Statement<[number], string>;
  readonly #links: Database.Statement<[number], ItemLink>;
  readonly #pageAsc: Database.Statement<[number, number, number], { id: string; json: string }>;
  readonly #pageDesc: Database.Statement<[number, number, number], { id: string; json: string }>;
  readonly #linksOf: Database.Statement<[number, string], ItemLink>;
  readonly #nextPosition: Database.Statement<[number], number>;
  readonly #itemSeqs: Database.Statement<[number], number>;
  readonly #insert: Database.Statement<[number, number, number]>;
  readonly #relink: Database.Statement<[number, number, number]>;
  readonly #unlink: Database.Statement<[number, number]>;

  constructor(db: Database.Database, shape: ItemListShape) {
    const fixedEntries = Object.entries(shape.fixed ?? {});
    const fixed = (prefix: string) => fixedEntries.map(([column, value]) => ` AND ${prefix}${column} = ${value}`).join('');
    const where = `l.${shape.ownerColumn} = ?${fixed('l.')}`;
    const from = `FROM ${shape.table} l JOIN items i ON i.seq = l.item_seq`;
    this.#all = db.prepare<[number], string>(`SELECT i.json ${from} WHERE ${where} ORDER BY l.position`).pluck();
    this.#links = db.prepare(`SELECT l.position AS position, i.item_id AS itemId, l.item_seq AS itemSeq, i.json AS json ${from} WHERE ${where} ORDER BY l.position`);
    this.#pageAsc = db.prepare(`SELECT i.item_id AS id, i.json AS json ${from} WHERE ${where} AND l.position > ? ORDER BY l.position LIMIT ?`);
    this.#pageDesc = db.prepare(`SELECT i.item_id AS id, i.json AS json ${from} WHERE ${where} AND l.position < ? ORDER BY l.position DESC LIMIT ?`);
    this.#linksOf = db.prepare(
      `SELECT l.position AS position, i.item_id AS itemId, l.item_seq AS itemSeq, i.json AS json ${from} WHERE ${where} AND i.item_id = ? ORDER BY l.position`,
    );
    this.#nextPosition = db.prepare<[number], number>(`SELECT coalesce(max(l.position), -1) + 1 FROM ${shape.table} l WHERE ${where}`).pluck();
    this.#itemSeqs = db.prepare<[number], number>(`SELECT DISTINCT l.item_seq FROM ${shape.table} l WHERE ${where}`).pluck();
    const columns = [shape.ownerColumn, ...fixedEntries.map(([column]) => column), 'position', 'item_seq'].join(', ');
    const values = ['?', ...fixedEntries.map(([, value]) => String(value)), '?', '?'].join(', ');
    this.#insert = db.prepare(`INSERT INTO ${shape.table} (${columns}) VALUES (${values})`);
    const keyWhere = `${shape.ownerColumn} = ?${fixed('')} AND position = ?`;
    this.#relink = db.prepare(`UPDATE ${shape.table} SET item_seq = ? WHERE ${keyWhere}`);
    this.#unlink = db.prepare(`DELETE FROM ${shape.table} WHERE ${keyWhere}`);
  }

  /** The JSON of every item in the list, in order. */
  all(ownerSeq: number): string[] {
    return this.#all.all(ownerSeq);
  }

  /** Every link with its item JSON, in order. */
  links(ownerSeq: number): ItemLink[] {
    return this.#links.all(ownerSeq);
  }

  /** The links whose item has this id (ids may repeat: replayed items), in order. */
  linksOf(ownerSeq: number, itemId: string): ItemLink[] {
    return this.#linksOf.all(ownerSeq, itemId);
  }

  /** The position after the last link (0 for an empty list). */
  nextPosition(ownerSeq: number): number {
    return this.#nextPosition.get(ownerSeq) ?? 0;
  }

  /** The distinct `items.seq` this list references (to collect orphans after a delete). */
  itemSeqs(ownerSeq: number): number[] {
    return this.#itemSeqs.all(ownerSeq);
  }

  insert(ownerSeq: number, position: number, itemSeq: number): void {
    this.#insert.run(ownerSeq, position, itemSeq);
  }

  relink(ownerSeq: number, position: number, itemSeq: number): void {
    this.#relink.run(itemSeq, ownerSeq, position);
  }

  unlink(ownerSeq: number, position: number): void {
    this.#unlink.run(ownerSeq, position);
  }

  /**
   * One page of the list. `after` is an item id of the list (exclusive); an id that is not in
   * the list gives an empty page. When an id occurs more than once, the occurrence furthest in
   * the reading direction is used, so paging always moves forward.
   */
  page(ownerSeq: number, query: PageQuery): Page<StoredItem> {
    const ascending = query.order !== 'desc';
    let from = ascending ? -1 : Number.MAX_SAFE_INTEGER;
    if (query.after !== undefined) {
      const links = this.#linksOf.all(ownerSeq, query.after);
      if (links.length === 0) return emptyPage();
      from = ascending ? links[links.length - 1].position : links[0].position;
    }
    const limit = Math.max(1, Math.floor(query.limit));
    const rows = (ascending ? this.#pageAsc : this.#pageDesc).all(ownerSeq, from, limit + 1);
    const hasMore = rows.length > limit;
    if (hasMore) rows.pop();
    return {
      data: rows.map((row) => JSON.parse(row.json) as StoredItem),
      firstId: rows.length ? rows[0].id : null,
      lastId: rows.length ? rows[rows.length - 1].id : null,
      hasMore,
    };
  }
}
