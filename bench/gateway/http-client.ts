/** One timed request through undici: total time, time to the first body byte and to the first answer token. */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { FIRST_TOKEN } from './mock-payloads.js';
import type { Scenario } from './scenarios.js';

export interface Timing {
  ok: boolean;
  status: number;
  /** from sending the request to the end of the body, ms */
  totalMs: number;
  /** to the first byte of the body, ms */
  ttfbMs: number;
  /** to the chunk that completed the first answer token (streams only; NaN otherwise), ms */
  firstTokenMs: number;
  /** why the request failed, when it did */
  error?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends `scenario` to `dispatcher` (an undici Pool for one origin) and times it; never throws.
 *
 * @example
 * const pool = new Pool('http://127.0.0.1:8080', { connections: 1 });
 * const timing = await timedRequest(pool, SCENARIOS[0], { 'content-type': 'application/json' });
 */
export async function timedRequest(dispatcher: Dispatcher, scenario: Scenario, headers: Record<string, string>): Promise<Timing> {
  const start = performance.now();
  let ttfbMs = Number.NaN;
  let firstTokenMs = Number.NaN;
  try {
    const { statusCode, body } = await dispatcher.request({
      method: 'POST',
      path: scenario.path,
      headers,
      body: scenario.body,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    const chunks: Buffer[] = [];
    // Only the last few bytes of the previous chunk are kept to find a token split across two chunks.
    let tail = '';
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (chunks.length === 0) ttfbMs = performance.now() - start;
      chunks.push(chunk);
      if (scenario.stream && Number.isNaN(firstTokenMs)) {
        const text = tail + chunk.toString('latin1');
        if (text.includes(FIRST_TOKEN)) firstTokenMs = performance.now() - start;
        else tail = text.slice(-FIRST_TOKEN.length);
      }
    }
    const totalMs = performance.now() - start;
    const text = Buffer.concat(chunks).toString('utf8');
    if (statusCode !== 200) return { ok: false, status: statusCode, totalMs, ttfbMs, firstTokenMs, error: `HTTP ${statusCode}: ${text.slice(0, 200)}` };
    if (!text.includes(scenario.completeMarker)) {
      return { ok: false, status: statusCode, totalMs, ttfbMs, firstTokenMs, error: `incomplete body (no "${scenario.completeMarker}"): ${text.slice(0, 200)}` };
    }
    return { ok: true, status: statusCode, totalMs, ttfbMs, firstTokenMs };
  } catch (error) {
    const err = error as Error & { code?: string };
    return { ok: false, status: 0, totalMs: performance.now() - start, ttfbMs, firstTokenMs, error: `${err.code ?? err.name}: ${err.message}` };
  }
}
