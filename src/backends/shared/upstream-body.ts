import type { Dispatcher } from 'undici';

/** Above this many queued bytes the socket is paused until the reader catches up. */
const HIGH_WATER = 1 << 20;
/** After `release()`, at most this much of the rest is read (and dropped) to keep the connection. */
const DRAIN_LIMIT = 65_536;
const DRAIN_TIMEOUT_MS = 2_000;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * An upstream response body fed straight from undici's dispatch callbacks: chunks are queued as
 * they arrive and handed to one reader, with no Node stream in between (the Readable machinery of
 * `undici.request` cost more CPU per proxied request than the translation itself). Backpressure
 * pauses the socket above 1 MiB queued.
 *
 * @example
 * for await (const chunk of body) parser.push(chunk);
 * body.release(); // done early: drop the rest, keep the keep-alive connection when it ends soon
 */
export class UpstreamBody implements AsyncIterable<Buffer> {
  #chunks: Buffer[] = [];
  #head = 0;
  #queuedBytes = 0;
  #ended = false;
  #error: Error | null = null;
  #controller: Dispatcher.DispatchController | null = null;
  #wake: (() => void) | null = null;
  #released = false;
  #droppedBytes = 0;
  #drainTimer: NodeJS.Timeout | null = null;

  /** True once the body was destroyed or failed. */
  get destroyed(): boolean {
    return this.#error !== null;
  }

  /** @internal the handler's side */
  attach(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
  }

  /** @internal */
  push(chunk: Buffer): void {
    if (this.#released) {
      this.#droppedBytes += chunk.length;
      if (this.#droppedBytes > DRAIN_LIMIT) this.destroy();
      return;
    }
    this.#chunks.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > HIGH_WATER) this.#controller?.pause();
    this.#notify();
  }

  /** @internal */
  end(): void {
    this.#ended = true;
    if (this.#drainTimer) clearTimeout(this.#drainTimer);
    this.#notify();
  }

  /** @internal */
  fail(error: Error): void {
    if (this.#ended || this.#error) return;
    this.#error = error;
    if (this.#drainTimer) clearTimeout(this.#drainTimer);
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    if (wake) {
      this.#wake = null;
      wake();
    }
  }

  #take(): Buffer {
    const chunk = this.#chunks[this.#head];
    this.#chunks[this.#head++] = undefined as unknown as Buffer;
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    }
    this.#queuedBytes -= chunk.length;
    if (this.#queuedBytes <= HIGH_WATER / 2 && this.#controller?.paused) this.#controller.resume();
    return chunk;
  }

  async #next(): Promise<IteratorResult<Buffer>> {
    for (;;) {
      if (this.#head < this.#chunks.length) return { done: false, value: this.#take() };
      if (this.#error) throw this.#error;
      if (this.#ended || this.#released) return DONE;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return { next: () => this.#next(), return: async () => DONE };
  }

  /** The whole body as text. */
  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of this) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  }

  /** The whole body parsed as JSON. */
  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  /**
   * Stops reading: what is still to come is dropped, and the connection stays in the keep-alive
   * pool if the rest is short and arrives within 2 s; otherwise the request is aborted.
   */
  release(): void {
    if (this.#released || this.#error) return;
    this.#released = true;
    this.#chunks = [];
    this.#head = 0;
    this.#queuedBytes = 0;
    if (this.#ended) return;
    this.#controller?.resume();
    this.#drainTimer = setTimeout(() => this.destroy(), DRAIN_TIMEOUT_MS);
    this.#drainTimer.unref();
  }

  /** Aborts the request (if it is still running) and fails any pending read. */
  destroy(error: Error = new Error('The upstream body was destroyed.')): void {
    if (this.#error) return;
    const running = !this.#ended;
    this.fail(error);
    if (running) this.#controller?.abort(error);
  }
}
