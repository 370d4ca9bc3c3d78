/**
 * Profiles request assembly at the last turn of a long stored chain (a development aid):
 *   node --import tsx bench/context/profile-assembly.ts [turns] [turnTokens]
 * Prints the time per prepare() and the top self-time functions.
 */
import { Session } from 'node:inspector/promises';
import { summarizeProfile } from '../gateway/profile-summary.js';
import { createEnvelope } from '../../src/engine/envelope.js';
import { prepareResponse } from '../../src/engine/prepare.js';
import { newId, ID_PREFIX } from '../../src/protocol/ids.js';
import type { ResponseCreateParams, StoredItem } from '../../src/protocol/index.js';
import { haystack, random } from './haystack.js';
import { SMALL_MODEL, startBenchServer } from './server.js';
import { percentile } from './stats.js';

const turns = Number(process.argv[2] ?? 1000);
const turnTokens = Number(process.argv[3] ?? 1000);
const server = await startBenchServer();
const store = server.kestrel.engine.store;
const rng = random(9);
let previous: string | null = null;
for (let turn = 0; turn < turns; turn++) {
  const text = haystack(rng, turnTokens * 4);
  const id = newId(ID_PREFIX.response);
  const params = { model: SMALL_MODEL, input: text } as ResponseCreateParams;
  const response = createEnvelope(id, params, { model: SMALL_MODEL, previousResponseId: previous, conversationId: null });
  const input: StoredItem[] = [{ type: 'message', id: newId(ID_PREFIX.message), role: 'user', content: [{ type: 'input_text', text }] }];
  response.status = 'completed';
  response.output = [{ type: 'message', id: newId(ID_PREFIX.message), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Noted, and here is a short answer to it.', annotations: [] }] }];
  await store.createResponse({ id, owner: '', response, request: params, previousResponseId: previous, conversationId: null, background: false }, input);
  previous = id;
}
const params = { model: SMALL_MODEL, previous_response_id: previous, input: 'What did the survey team measure?', truncation: 'auto' } as ResponseCreateParams;
const warm = await fetch(`${server.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...params, store: false }) });
await warm.json();
const httpMode = process.argv.includes('--http');
let tip = previous!;
const time = async () => {
  const started = performance.now();
  if (httpMode) {
    // A whole turn through HTTP that extends the chain.
    const response = await fetch(`${server.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...params, previous_response_id: tip, input: haystack(rng, turnTokens * 4) }) });
    tip = ((await response.json()) as { id: string }).id;
    server.backend.calls.length = 0;
  } else {
    const prepared = await prepareResponse(params, '', server.kestrel.engine);
    await prepared.hosted.close();
  }
  return performance.now() - started;
};
for (let i = 0; i < 5; i++) await time();
const times: number[] = [];
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
for (let i = 0; i < 20; i++) times.push(await time());
const { profile } = await session.post('Profiler.stop');
console.log(`${httpMode ? 'HTTP turn' : 'prepare'} p50 ${percentile(times, 50).toFixed(1)} ms over 20 runs`);
const summary = summarizeProfile(JSON.stringify(profile), 25);
for (const entry of summary.topSelf) console.log(`${entry.selfMs.toFixed(0).padStart(6)} ms ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}  ${entry.where}`);
// And the stages one by one.
const t0 = performance.now();
const history = await store.loadChainHistory(previous!, '');
console.log(`loadChainHistory: ${(performance.now() - t0).toFixed(1)} ms for ${history!.length} items`);
await server.close();
