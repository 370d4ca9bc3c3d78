/** One raw SSE block as a client receives it. */
export interface RawSseEvent {
  event: string | null;
  dataLines: string[];
}

/**
 * Splits a complete SSE body into blocks, keeping each block's `data:` lines separately so tests
 * can check the framing rules (one `data:` line per event, `event:` equal to the type).
 */
export function splitSse(body: string): RawSseEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | null = null;
      const dataLines: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) dataLines.push(line.slice(6));
      }
      return { event, dataLines };
    });
}

/** POSTs JSON and returns status, headers and the whole body text. */
export async function postRaw(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Parsed SSE events of a Responses stream (the `[DONE]` terminator excluded). */
export function responseEvents(body: string): { type: string; sequence_number: number; [key: string]: unknown }[] {
  return splitSse(body)
    .filter((block) => block.dataLines[0] !== '[DONE]')
    .map((block) => JSON.parse(block.dataLines[0]) as { type: string; sequence_number: number });
}
