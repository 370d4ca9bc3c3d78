/** One server-sent event as read from an upstream. */
export interface SseMessage {
  event: string | null;
  data: string;
}

/**
 * A push parser for server-sent events (any chunking, `\n` or `\r\n` line ends, multi-line
 * `data:` joined with `\n`, comments ignored). Synchronous, so a backend can turn one network read
 * into many events without an async step per event.
 *
 * @example
 * const parser = new SseParser();
 * for await (const chunk of body) for (const message of parser.push(chunk)) handle(message);
 * for (const message of parser.end()) handle(message);
 */
export class SseParser {
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #event: string | null = null;
  #data: string[] = [];

  /** Messages completed by this chunk. */
  push(chunk: Uint8Array | string): SseMessage[] {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    const out: SseMessage[] = [];
    let start = 0;
    let newline: number;
    while ((newline = this.#buffer.indexOf('\n', start)) !== -1) {
      let line = this.#buffer.slice(start, newline);
      start = newline + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.#line(line, out);
    }
    this.#buffer = this.#buffer.slice(start);
    return out;
  }

  /** Whatever the stream left unterminated. */
  end(): SseMessage[] {
    const out: SseMessage[] = [];
    const rest = (this.#buffer + this.#decoder.decode()).trim();
    this.#buffer = '';
    if (rest.startsWith('data:')) this.#data.push(rest.slice(5).trimStart());
    if (this.#data.length) out.push({ event: this.#event, data: this.#data.join('\n') });
    this.#data = [];
    return out;
  }

  #line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.#data.length) out.push({ event: this.#event, data: this.#data.join('\n') });
      this.#event = null;
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
  }
}

/**
 * Parses a byte stream of server-sent events.
 *
 * @example for await (const msg of readSse(body)) if (msg.data !== '[DONE]') handle(JSON.parse(msg.data));
 */
export async function* readSse(body: AsyncIterable<Uint8Array | string>): AsyncIterable<SseMessage> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}
