import type { ResponseStreamEvent } from '../protocol/index.js';
import { isTerminalEvent } from '../protocol/events.js';

type Listener = (events: ResponseStreamEvent[] | null) => void;

interface Live {
  abort: (reason?: 'shutdown') => void;
  listeners: Set<Listener>;
  /** Highest sequence number emitted so far. */
  lastSequence: number;
}

/**
 * Background responses running in this process: their abort handles and live stream listeners.
 * Events are also stored, so a reader can replay from any sequence number and then follow live.
 */
export class BackgroundRuns {
  readonly #runs = new Map<string, Live>();

  register(id: string, abort: (reason?: 'shutdown') => void): void {
    this.#runs.set(id, { abort, listeners: new Set(), lastSequence: -1 });
  }

  has(id: string): boolean {
    return this.#runs.has(id);
  }

  /** Delivers a batch to live listeners. */
  publish(id: string, events: ResponseStreamEvent[]): void {
    const live = this.#runs.get(id);
    if (!live || events.length === 0) return;
    live.lastSequence = events[events.length - 1].sequence_number;
    for (const listener of live.listeners) listener(events);
  }

  /** Ends the run: listeners get `null` (end of stream). */
  finish(id: string): void {
    const live = this.#runs.get(id);
    if (!live) return;
    this.#runs.delete(id);
    for (const listener of live.listeners) listener(null);
  }

  abort(id: string): boolean {
    const live = this.#runs.get(id);
    if (!live) return false;
    live.abort();
    return true;
  }

  /** Aborts every run (server shutdown). */
  abortAll(): void {
    for (const live of this.#runs.values()) live.abort('shutdown');
  }

  /**
   * Follows a run: first `replay()` (stored events after `after`), then live events, without gaps
   * or duplicates. Ends after the terminal event, or at once when the run is not live.
   */
  async *follow(id: string, after: number, replay: (after: number) => Promise<ResponseStreamEvent[]>, signal: AbortSignal): AsyncGenerator<ResponseStreamEvent> {
    const queue: (ResponseStreamEvent[] | null)[] = [];
    let wake: (() => void) | null = null;
    const listener: Listener = (events) => {
      queue.push(events);
      wake?.();
    };
    const live = this.#runs.get(id);
    live?.listeners.add(listener);
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let last = after;
      for (const event of await replay(after)) {
        if (event.sequence_number <= last) continue;
        last = event.sequence_number;
        yield event;
        if (isTerminalEvent(event)) return;
      }
      if (!live || !this.#runs.has(id)) {
        // Finished between the lookup and the replay: the store has everything.
        for (const event of await replay(last)) {
          yield event;
          if (isTerminalEvent(event)) return;
        }
        return;
      }
      while (!signal.aborted) {
        const batch = queue.shift();
        if (batch === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (batch === null) return;
        for (const event of batch) {
          if (event.sequence_number <= last) continue;
          last = event.sequence_number;
          yield event;
          if (isTerminalEvent(event)) return;
        }
      }
    } finally {
      live?.listeners.delete(listener);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
