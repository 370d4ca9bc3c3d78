/** Persistence: the Store contract and its embedded SQLite implementation. */
export type { Owner, Page, PageQuery, ResponseRecord, Store } from './types.js';
export { createSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';
