/** One server-sent event as read from an upstream. */
export interface SseMessage {
  event: string | null;
  data: string;
}

/**
 * Parses a byte stream of server-sent events (any chunking, `\n` or `\r\n` line ends,
 * multi-line `data:` joined with `\n`, comments ignored).
 *
 * @example for await (const msg of readSse(body)) if (msg.data !== '[DONE]') handle(JSON.parse(msg.data));
 */
export async function* readSse(body: AsyncIterable<Uint8Array | string>): AsyncIterable<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | null = null;
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      let line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (data.length) yield { event, data: data.join('\n') };
        event = null;
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim().startsWith('data:')) data.push(buffer.trim().slice(5).trimStart());
  if (data.length) yield { event, data: data.join('\n') };
}
