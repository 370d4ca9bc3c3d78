import { openDatabase } from './open-database.js';
import { SqliteStore } from './sqlite-store.js';

export { SqliteStore } from './sqlite-store.js';
export { applyMigrations, MIGRATIONS, type Migration } from './migrations.js';

export interface SqliteStoreOptions {
  /** A file path (its folder is created if needed) or `':memory:'`. */
  path: string;
  /** How long a write waits for another connection's lock (default 5 s). */
  busyTimeoutMs?: number;
}

/**
 * The default, embedded `Store`: one SQLite file in WAL mode, schema migrated on open.
 *
 * @example
 * const store = createSqliteStore({ path: join(dataDir, 'kestrel.db') });
 * await store.getResponse('resp_123', ''); // null
 * await store.close();
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(openDatabase(options.path, { busyTimeoutMs: options.busyTimeoutMs }));
}
