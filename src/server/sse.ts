import type { ServerResponse } from 'node:http';
import { SSE_DONE, sseFrame } from '../protocol/sse.js';

/**
 * A server-sent-events response: whole events per socket write, a keepalive only after silence,
 * `data: [DONE]` at the end, and a callback when the client goes away early.
 */
export class SseStream {
  readonly #res: ServerResponse;
  #lastWrite = Date.now();
  #timer: NodeJS.Timeout | null = null;
  #open = false;
  #ended = false;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** Whether the client disconnected before the stream ended. */
  get aborted(): boolean {
    return !this.#ended && (this.#res.destroyed || this.#res.writableEnded);
  }

  /** Calls `onClose` once if the connection closes before {@link end}. */
  onDisconnect(onClose: () => void): void {
    this.#res.on('close', () => {
      if (!this.#ended) onClose();
    });
  }

  /** Next sequence number when this stream numbers its own events (see {@link open}). */
  #sequence: number | null = null;

  /**
   * Writes the headers. `keepalive` gives the keepalive sent after `keepAliveMs` of silence: an
   * event, or raw SSE text such as a comment line. With `renumber`, every event written (keepalives included) gets the next
   * `sequence_number`, so numbers stay strictly increasing whatever the timer adds.
   */
  open(headers: Record<string, string>, keepAliveMs: number, keepalive?: () => { type: string } | string, renumber = false): void {
    this.#open = true;
    this.#headersPending = true;
    if (renumber) this.#sequence = 0;
    this.#res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    });
    // The headers leave with the first events when those follow in this tick (one write, not two).
    this.#schedule();
    if (keepalive) {
      this.#timer = setInterval(() => {
        if (Date.now() - this.#lastWrite < keepAliveMs) return;
        const beat = keepalive();
        if (typeof beat === 'string') this.writeRaw(beat);
        else this.writeEvents([beat]);
      }, Math.max(50, Math.floor(keepAliveMs / 4)));
      this.#timer.unref();
    }
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Writes complete events in one write. */
  writeEvents(events: { type: string }[]): void {
    if (this.#ended || this.#res.destroyed || events.length === 0) return;
    let text = '';
    for (const event of events) {
      if (this.#sequence !== null) (event as { sequence_number?: number }).sequence_number = this.#sequence++;
      text += sseFrame(event);
    }
    this.#write(text);
  }

  #pending = '';
  #flushScheduled = false;
  #headersPending = false;
  readonly #flush = () => {
    this.#flushScheduled = false;
    const text = this.#pending;
    this.#pending = '';
    if (this.#ended || this.#res.destroyed) return;
    if (text) this.#res.write(text);
    else if (this.#headersPending) this.#res.flushHeaders();
    this.#headersPending = false;
  };

  #schedule(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    process.nextTick(this.#flush);
  }

  /**
   * Queues text; everything written before the event loop goes back to I/O leaves as one chunk in
   * one syscall, with the headers when they have not left yet (an upstream read usually carries
   * many events, each one a whole frame).
   */
  #write(text: string): void {
    this.#lastWrite = Date.now();
    this.#pending += text;
    this.#schedule();
  }

  writeRaw(text: string): void {
    if (this.#ended || this.#res.destroyed || !text) return;
    this.#write(text);
  }

  /** Ends with `data: [DONE]` (unless the client is gone). */
  end(done = true): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#ended) return;
    this.#ended = true;
    const text = this.#pending + (done ? SSE_DONE : '');
    this.#pending = '';
    if (!this.#res.destroyed) this.#res.end(text || undefined);
  }
}
