import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Screenshot } from '../types.js';
import { TRAJECTORY_FILE, type BatchRecord, type EndRecord, type SessionRecord, type TrajectoryRecord } from './trajectory.js';

/**
 * Writes a trajectory folder: `trajectory.jsonl` (one JSON record per line: the session, each batch, the end) and
 * `screenshots/NNNN.png|jpg`. Screenshots given here must already be safe to log (secret fields masked).
 * Appends are serialised, so records stay in order even when callers do not await.
 *
 * @example
 * const recorder = await TrajectoryRecorder.create('runs/1', { environment: 'browser', display: { width: 1024, height: 768 } });
 * await recorder.batch({ actions, url }, screenshot);
 * await recorder.end('done');
 */
export class TrajectoryRecorder {
  private index = 0;
  private queue: Promise<void> = Promise.resolve();

  private constructor(readonly dir: string) {}

  static async create(dir: string, session: Omit<SessionRecord, 'type' | 'version' | 'createdAt'>): Promise<TrajectoryRecorder> {
    await mkdir(join(dir, 'screenshots'), { recursive: true });
    const recorder = new TrajectoryRecorder(dir);
    const record: SessionRecord = { type: 'session', version: 1, ...session, createdAt: new Date().toISOString() };
    await writeFile(join(dir, TRAJECTORY_FILE), `${JSON.stringify(record)}\n`);
    return recorder;
  }

  /** Appends one batch with its screenshot; resolves once both are on disk. */
  batch(record: Omit<BatchRecord, 'type' | 'index' | 'at' | 'screenshot'>, screenshot?: Screenshot): Promise<void> {
    const index = ++this.index;
    return this.enqueue(async () => {
      let file: string | undefined;
      if (screenshot) {
        file = `screenshots/${String(index).padStart(4, '0')}.${screenshot.mimeType === 'image/jpeg' ? 'jpg' : 'png'}`;
        await writeFile(join(this.dir, file), screenshot.data);
      }
      const full: BatchRecord = { type: 'batch', index, at: new Date().toISOString(), ...record, ...(file ? { screenshot: file } : {}) };
      await appendFile(join(this.dir, TRAJECTORY_FILE), `${JSON.stringify(full)}\n`);
    });
  }

  end(reason?: string): Promise<void> {
    const record: EndRecord = { type: 'end', at: new Date().toISOString(), ...(reason ? { reason } : {}) };
    return this.enqueue(() => appendFile(join(this.dir, TRAJECTORY_FILE), `${JSON.stringify(record)}\n`));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Reads a trajectory folder's records.
 *
 * @example const records = await readTrajectory('runs/1');
 */
export async function readTrajectory(dir: string): Promise<TrajectoryRecord[]> {
  const text = await readFile(join(dir, TRAJECTORY_FILE), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      try {
        return JSON.parse(line) as TrajectoryRecord;
      } catch {
        throw new Error(`${join(dir, TRAJECTORY_FILE)} line ${index + 1} is not JSON`);
      }
    });
}
