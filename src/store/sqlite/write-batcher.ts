import type Database from 'better-sqlite3';

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes issued in the same turn of the event loop run together in one SQLite
 * transaction, flushed on `setImmediate`. A commit (WAL frames, locks) costs far more than the
 * statements in it, so concurrent requests share that cost. Each write keeps its own atomicity:
 * pass a `db.transaction(...)` function, which becomes a savepoint inside the batch, so a failing
 * write is rolled back alone and rejects alone. Writes run in the order they were issued.
 *
 * @example
 * const batcher = new WriteBatcher(db);
 * const insert = db.transaction((id: string) => db.prepare('INSERT INTO t VALUES (?)').run(id));
 * await Promise.all([batcher.enqueue(() => insert('a')), batcher.enqueue(() => insert('b'))]); // one commit
 */
export class WriteBatcher {
  #queue: PendingWrite[] = [];
  #scheduled = false;
  readonly #runBatch: (batch: PendingWrite[], outcomes: Outcome[]) => void;

  constructor(db: Database.Database) {
    this.#runBatch = db.transaction((batch: PendingWrite[], outcomes: Outcome[]) => {
      for (const write of batch) {
        try {
          outcomes.push({ ok: true, value: write.run() });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
  }

  /** Runs `write` in the next batch; resolves with its result once the batch is committed. */
  enqueue<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued write now (also called before closing). */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    if (batch.length === 1) {
      // Alone: the write's own transaction is the commit, no savepoint needed.
      const [write] = batch;
      try {
        write.resolve(write.run());
      } catch (error) {
        write.reject(error);
      }
      return;
    }
    const outcomes: Outcome[] = [];
    try {
      this.#runBatch(batch, outcomes);
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }

  /** True while writes wait for a flush. */
  get pending(): boolean {
    return this.#queue.length > 0;
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
