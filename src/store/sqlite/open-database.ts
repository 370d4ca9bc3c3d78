import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from './migrations.js';

export interface OpenDatabaseOptions {
  /** How long a write waits for another connection's lock before failing (default 5 s). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a SQLite database tuned for a server: WAL journal,
 * `synchronous = NORMAL` (durable at checkpoints, never corrupt), foreign keys on, a busy
 * timeout, and the schema migrated to the latest version.
 *
 * @example
 * const db = openDatabase('/var/lib/kestrel/kestrel.db');
 * db.pragma('journal_mode', { simple: true }); // 'wal'
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5_000 });
  try {
    // An in-memory database reports 'memory' here: WAL only exists for files.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
