/**
 * A long `previous_response_id` chain built through the HTTP server (1,000 turns, ~1M tokens):
 * storage after each quarter (it must grow linearly: items stored once, no per-turn copies),
 * request assembly time at the last turn, and the heap while serving it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { prepareResponse } from '../../src/engine/prepare.js';
import type { ResponseCreateParams } from '../../src/protocol/index.js';
import type { TestServer } from '../../src/test-support/server.js';
import { haystack, random } from './haystack.js';
import { isSummaryCall, LARGE_MODEL, SMALL_MODEL } from './server.js';
import { heapAfterGc, percentile, round } from './stats.js';

export interface StoragePoint {
  turn: number;
  /** Tokens of history so far (o200k, user turns and answers). */
  historyTokens: number;
  /** Database size (pages in use × page size, WAL checkpointed), bytes. */
  databaseBytes: number;
  itemRows: number;
  /** JSON of all stored items, bytes. */
  itemBytes: number;
  /** Mean wall time of one turn over the last segment (HTTP, assembly, store), ms. */
  turnMs: number;
  heapMiB: number;
}

export interface ChainResult {
  turns: number;
  historyTokens: number;
  storage: StoragePoint[];
  /** Storage per turn in each segment, bytes (constant when growth is linear). */
  bytesPerTurn: number[];
  /** Rows per turn (2 = one input and one output item: no copies). */
  rowsPerTurn: number;
  /** prepare() at the last turn, ms, per model and input (a short question, or a turn as long as the others). */
  assembly: { model: string; window: number; input: 'question' | 'turn'; p50: number; p95: number; strategy: string; tokensSent: number; details: unknown }[];
  /** Heap after gc before and after 50 more requests at the last turn. */
  heap: { beforeMiB: number; afterMiB: number };
  summaryCalls: number;
}

function storage(server: TestServer): Pick<StoragePoint, 'databaseBytes' | 'itemRows' | 'itemBytes'> {
  const db = new Database(join(server.dataDir, 'kestrel.db'));
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    const items = db.prepare('SELECT COUNT(*) AS rows, SUM(LENGTH(json)) AS bytes FROM items').get() as { rows: number; bytes: number };
    return { databaseBytes: (pages - free) * size, itemRows: items.rows, itemBytes: items.bytes };
  } finally {
    db.close();
  }
}

async function post(server: TestServer, body: Record<string, unknown>): Promise<{ id: string; usage: { input_tokens_details: Record<string, unknown> } }> {
  const response = await fetch(`${server.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`chain turn failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; usage: { input_tokens_details: Record<string, unknown> } };
}

/**
 * Builds the chain turn by turn through HTTP and measures it.
 *
 * @example await runChain(server, { turns: 1000, turnTokens: 900 })
 */
export async function runChain(server: TestServer, options: { turns: number; turnTokens: number; log: (line: string) => void }): Promise<ChainResult> {
  const rng = random(4242);
  const points: StoragePoint[] = [];
  const checkpoints = new Set([1, 2, 3, 4].map((quarter) => Math.round((options.turns * quarter) / 4)));
  let previous: string | undefined;
  let tokens = 0;
  let segmentStart = performance.now();
  let segmentTurns = 0;
  let summaryCalls = 0;
  // The scripted backend records every request; they are counted and dropped as the chain grows.
  const drain = () => {
    summaryCalls += server.backend.calls.filter(isSummaryCall).length;
    server.backend.calls.length = 0;
  };
  for (let turn = 1; turn <= options.turns; turn++) {
    const text = haystack(rng, options.turnTokens * 4);
    tokens += countTokens(text) + 45;
    const response = await post(server, { model: SMALL_MODEL, input: text, previous_response_id: previous, truncation: 'auto' });
    previous = response.id;
    drain();
    segmentTurns++;
    if (checkpoints.has(turn)) {
      const turnMs = (performance.now() - segmentStart) / segmentTurns;
      points.push({ turn, historyTokens: tokens, ...storage(server), turnMs: round(turnMs, 1), heapMiB: await heapAfterGc() });
      options.log(`chain: turn ${turn}, ${tokens} tokens, ${round(turnMs, 1)} ms/turn`);
      segmentStart = performance.now();
      segmentTurns = 0;
    }
  }

  const assembly: ChainResult['assembly'] = [];
  const nextTurn = haystack(rng, options.turnTokens * 4);
  for (const [model, window, input] of [
    [SMALL_MODEL, 32_768, 'question'],
    [SMALL_MODEL, 32_768, 'turn'],
    [LARGE_MODEL, 1_050_000, 'question'],
    [LARGE_MODEL, 1_050_000, 'turn'],
  ] as const) {
    const params = { model, previous_response_id: previous, input: input === 'question' ? 'What should we decide first?' : nextTurn, truncation: 'auto' } as ResponseCreateParams;
    // Warm up: writes the rolling summary, fills the count and passage caches.
    const warm = await post(server, { ...params, store: false });
    drain();
    const times: number[] = [];
    for (let round = 0; round < 30; round++) {
      const started = performance.now();
      const prepared = await prepareResponse(params, '', server.kestrel.engine);
      times.push(performance.now() - started);
      await prepared.hosted.close();
    }
    const details = (warm.usage.input_tokens_details.context ?? {}) as { strategy?: string; sent?: { total?: number } };
    assembly.push({ model, window, input, p50: round(percentile(times, 50), 1), p95: round(percentile(times, 95), 1), strategy: details.strategy ?? 'full', tokensSent: details.sent?.total ?? 0, details });
  }

  const beforeMiB = await heapAfterGc();
  for (let request = 0; request < 50; request++) {
    await post(server, { model: SMALL_MODEL, previous_response_id: previous, input: `Question ${request}: what did the survey team measure?`, truncation: 'auto', store: false });
    drain();
  }
  const afterMiB = await heapAfterGc();

  const bytesPerTurn = points.map((point, index) => {
    const before = index === 0 ? { turn: 0, databaseBytes: 0 } : points[index - 1];
    return Math.round((point.databaseBytes - before.databaseBytes) / (point.turn - before.turn));
  });
  const last = points[points.length - 1];
  return {
    turns: options.turns,
    historyTokens: tokens,
    storage: points,
    bytesPerTurn,
    rowsPerTurn: round(last.itemRows / options.turns, 3),
    assembly,
    heap: { beforeMiB, afterMiB },
    summaryCalls,
  };
}
