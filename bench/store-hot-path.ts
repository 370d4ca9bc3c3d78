/**
 * Measures the store's cost on the request hot path: one `createResponse` + `updateResponse`
 * pair for a small response, plus reads, on a WAL file in a temp folder. Not a test: figures vary.
 *
 * @example
 * node --import tsx bench/store-hot-path.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResponseObject, StoredItem } from '../src/protocol/index.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';

function envelope(id: string, status: ResponseObject['status'], previous: string | null): ResponseObject {
  return {
    id, object: 'response', created_at: 1_772_700_000, completed_at: status === 'completed' ? 1_772_700_001 : null, status, background: false,
    error: null, incomplete_details: null, instructions: 'You are a helpful assistant.', max_output_tokens: null, max_tool_calls: null,
    model: 'qwen3-8b', output: [], parallel_tool_calls: true, previous_response_id: previous, conversation: null, prompt_cache_key: null,
    prompt_cache_retention: null, reasoning: { effort: 'medium', summary: null }, safety_identifier: null, service_tier: 'default', store: true,
    temperature: 1, text: { format: { type: 'text' }, verbosity: 'medium' }, tool_choice: 'auto', tools: [], top_logprobs: 0, top_p: 1,
    presence_penalty: 0, frequency_penalty: 0, truncation: 'disabled',
    usage: status === 'completed' ? { input_tokens: 20, input_tokens_details: { cached_tokens: 0 }, output_tokens: 12, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 32 } : null,
    user: null, metadata: {},
  };
}

const question = (i: number): StoredItem => ({ type: 'message', id: `msg_q${i}_${'0'.repeat(40)}`, role: 'user', content: [{ type: 'input_text', text: `What is ${i} plus ${i}?` }] });
const answer = (i: number): StoredItem => ({
  type: 'message', id: `msg_a${i}_${'0'.repeat(40)}`, role: 'assistant', status: 'completed',
  content: [{ type: 'output_text', text: `${i} plus ${i} is ${2 * i}.`, annotations: [] }],
});

function microseconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** CPU µs per call of `work`, run `n` times with `concurrency` calls in flight. */
async function cpuPerCall(n: number, concurrency: number, work: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let done = 0; done < n; done += concurrency) await Promise.all(Array.from({ length: concurrency }, work));
  return microseconds(start) / n;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-measure-'));
  const store = createSqliteStore({ path: join(dir, 'kestrel.db') });
  try {
    let next = 0;
    const pair = async (previous: string | null = null) => {
      const i = next++;
      const id = `resp_${i}_${'0'.repeat(40)}`;
      await store.createResponse(
        { id, owner: 'key_1', response: envelope(id, 'in_progress', previous), request: { model: 'qwen3-8b', input: `What is ${i} plus ${i}?` }, previousResponseId: previous, conversationId: null, background: false },
        [question(i)],
      );
      await store.updateResponse(id, envelope(id, 'completed', previous), [answer(i)]);
      return id;
    };
    // Calibration: the cheapest possible write on this machine, one 1 KB row committed alone.
    store.database.exec('CREATE TABLE calibration (id INTEGER PRIMARY KEY, body TEXT)');
    const insert = store.database.prepare('INSERT INTO calibration (body) VALUES (?)');
    const body = 'x'.repeat(1_000);
    const bare = await cpuPerCall(10_000, 1, async () => insert.run(body));
    console.log(`baseline, one 1 KB INSERT committed alone (WAL): ${bare.toFixed(1)} µs CPU`);

    await cpuPerCall(4_000, 1, () => pair()); // warm-up
    for (const concurrency of [1, 16, 64]) {
      const runs: number[] = [];
      for (let run = 0; run < 5; run++) runs.push(await cpuPerCall(8_000, concurrency, () => pair()));
      console.log(
        `createResponse + updateResponse, 1 input + 1 output item, ${concurrency} in flight: ` +
          `${median(runs).toFixed(1)} µs CPU per pair (median of 5; min ${Math.min(...runs).toFixed(1)})`,
      );
    }

    const last = `resp_${next - 1}_${'0'.repeat(40)}`;
    console.log(`getResponse: ${(await cpuPerCall(20_000, 1, () => store.getResponse(last, 'key_1'))).toFixed(1)} µs CPU per call`);

    let previous: string | null = null;
    for (let i = 0; i < 1_000; i++) previous = await pair(previous);
    const tip = previous!;
    const length = (await store.loadChainHistory(tip, 'key_1'))!.length;
    const chain = await cpuPerCall(50, 1, () => store.loadChainHistory(tip, 'key_1'));
    console.log(`loadChainHistory, 1,000-turn chain (${length} items): ${(chain / 1_000).toFixed(2)} ms CPU per call`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
