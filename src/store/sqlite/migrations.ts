import type Database from 'better-sqlite3';

/** One schema step. Versions start at 1 and never change once released: add a new step instead. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, as an ordered list of steps.
 *
 * Items are stored once (`items`) and linked by position from responses (`response_items`,
 * `kind` 0 = input, 1 = output) and conversations (`conversation_items`). Item ids are not
 * unique: stateless clients replay the same items, so `items` is keyed by an integer and
 * indexed by `(owner, item_id)`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE responses (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        previous_response_id TEXT,
        conversation_id TEXT,
        background INTEGER NOT NULL,
        status TEXT NOT NULL,
        envelope TEXT NOT NULL,
        -- The create params, kept for background responses only (to resume them after a restart).
        request TEXT
      );
      CREATE INDEX responses_unfinished ON responses (seq)
        WHERE background = 1 AND status IN ('queued', 'in_progress');

      CREATE TABLE items (
        seq INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL,
        owner TEXT NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX items_owner_item ON items (owner, item_id);

      CREATE TABLE response_items (
        response_seq INTEGER NOT NULL REFERENCES responses (seq) ON DELETE CASCADE,
        kind INTEGER NOT NULL,
        position INTEGER NOT NULL,
        item_seq INTEGER NOT NULL REFERENCES items (seq),
        PRIMARY KEY (response_seq, kind, position)
      ) WITHOUT ROWID;
      CREATE INDEX response_items_item ON response_items (item_seq);

      CREATE TABLE conversations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        metadata TEXT NOT NULL
      );

      CREATE TABLE conversation_items (
        conversation_seq INTEGER NOT NULL REFERENCES conversations (seq) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_seq INTEGER NOT NULL REFERENCES items (seq),
        PRIMARY KEY (conversation_seq, position)
      ) WITHOUT ROWID;
      CREATE INDEX conversation_items_item ON conversation_items (item_seq);

      CREATE TABLE response_events (
        response_id TEXT NOT NULL,
        sequence_number INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (response_id, sequence_number)
      ) WITHOUT ROWID;
    `,
  },
];

/**
 * Brings the database schema up to date: applies every step newer than `PRAGMA user_version`,
 * each in its own transaction, and records it in `schema_migrations`. Safe to call on every open.
 * Returns the versions applied now (empty when already current).
 *
 * @example
 * const db = new Database('kestrel.db');
 * applyMigrations(db); // [1] the first time, [] afterwards
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.reduce((max, step) => Math.max(max, step.version), 0);
  const current = () => db.pragma('user_version', { simple: true }) as number;
  if (current() > latest) {
    throw new Error(`The database schema (version ${current()}) is newer than this Kestrel (version ${latest}); upgrade Kestrel.`);
  }
  const applied: number[] = [];
  for (const step of [...migrations].sort((a, b) => a.version - b.version)) {
    if (step.version <= current()) continue;
    // IMMEDIATE takes the write lock first, so two processes opening one file cannot both apply a step.
    db.transaction(() => {
      if (step.version <= current()) return;
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(step.version, step.name, Date.now());
      db.pragma(`user_version = ${step.version}`);
      applied.push(step.version);
    }).immediate();
  }
  return applied;
}
