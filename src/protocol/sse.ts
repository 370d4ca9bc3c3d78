/**
 * One SSE frame: `event:` equal to the payload's `type`, a single-line `data:`, a blank line.
 * Written in one socket write by the caller so no parser sees a split event.
 *
 * @example sseFrame({ type: 'response.created', ... }) // 'event: response.created\ndata: {...}\n\n'
 */
export function sseFrame(event: { type: string }): string {
  // JSON.stringify never emits raw newlines, so the data line is always single.
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A data-only frame (Chat Completions chunks). */
export function sseData(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** The stream terminator both the SDKs and Open Responses expect. */
export const SSE_DONE = 'data: [DONE]\n\n';
