/**
 * Needle in a haystack through Kestrel: a `previous_response_id` chain of 128k–1M tokens is
 * stored, ten facts ("needles") at ten depths; each question goes through the HTTP server to a
 * scripted backend with a 32k window, and the bench checks whether the fact is in the prompt the
 * backend actually received.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ModelRequest } from '../../src/backends/types.js';
import { createEnvelope } from '../../src/engine/envelope.js';
import { prepareResponse } from '../../src/engine/prepare.js';
import { TokenCounter } from '../../src/engine/context/token-counter.js';
import { newId, ID_PREFIX } from '../../src/protocol/ids.js';
import type { ResponseCreateParams, StoredItem } from '../../src/protocol/index.js';
import type { TestServer } from '../../src/test-support/server.js';
import { haystack, insert, needles, random, type Needle } from './haystack.js';
import { isSummaryCall, SMALL_MODEL } from './server.js';
import { percentile, round } from './stats.js';

export const DEPTHS = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];

export interface NeedleQuery {
  names: string[];
  depths: number[];
  found: number;
  /** Prompt tokens the backend received (o200k). */
  tokensSent: number;
  /** Time to assemble the request (prepare: load the chain, count, recall), ms. */
  assemblyMs: number;
  /** Whether the prompt fit the 32k window (prompt + reserved output). */
  fits: boolean;
}

export interface NeedleSizeResult {
  targetTokens: number;
  historyTokens: number;
  turns: number;
  single: NeedleQuery[];
  multi: NeedleQuery[];
  singleFraction: number;
  multiFraction: number;
  assemblyMs: { p50: number; max: number };
  tokensSent: { p50: number; max: number };
  /** Summary calls made while answering (the rolling summary catching up). */
  summaryCalls: number;
}

/** Stores a chain of user turns of ~`turnTokens` with the needles at their depths; returns its last id and size. */
async function storeChain(server: TestServer, targetTokens: number, hidden: Needle[], seed: number, turnTokens = 2_000) {
  const store = server.kestrel.engine.store;
  const rng = random(seed);
  const turns = Math.ceil(targetTokens / turnTokens);
  const byTurn = new Map(hidden.map((needle) => [Math.min(turns - 1, Math.floor(needle.depth * turns)), needle]));
  let previous: string | null = null;
  let tokens = 0;
  for (let turn = 0; turn < turns; turn++) {
    let text = haystack(rng, turnTokens * 4);
    const needle = byTurn.get(turn);
    if (needle) text = insert(text, needle.text, rng);
    tokens += countTokens(text) + 40;
    const id = newId(ID_PREFIX.response);
    const params = { model: SMALL_MODEL, input: text } as ResponseCreateParams;
    const response = createEnvelope(id, params, { model: SMALL_MODEL, previousResponseId: previous, conversationId: null });
    const input: StoredItem[] = [{ type: 'message', id: newId(ID_PREFIX.message), role: 'user', content: [{ type: 'input_text', text }] }];
    response.status = 'completed';
    response.completed_at = response.created_at;
    response.output = [{ type: 'message', id: newId(ID_PREFIX.message), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Noted.', annotations: [] }] }];
    await store.createResponse({ id, owner: '', response, request: params, previousResponseId: previous, conversationId: null, background: false }, input);
    previous = id;
  }
  return { last: previous!, turns, tokens };
}

function promptText(request: ModelRequest): string {
  return request.messages
    .map((message) => (message.role === 'system' || message.role === 'assistant' ? message.content : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')))
    .join('\n');
}

async function ask(server: TestServer, last: string, question: string, asked: Needle[]): Promise<NeedleQuery> {
  const params = { model: SMALL_MODEL, previous_response_id: last, input: question, truncation: 'auto' as const, store: false };
  const answer = await fetch(`${server.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  if (answer.status !== 200) throw new Error(`needle query failed: ${answer.status} ${await answer.text()}`);
  await answer.json();
  const calls = server.backend.calls;
  const sent = [...calls].reverse().find((call) => !isSummaryCall(call))!;
  summaryCallsSeen += calls.filter(isSummaryCall).length;
  calls.length = 0;
  const text = promptText(sent);
  const counter = TokenCounter.for({ backend: server.backend, backendModel: sent.model });
  const tokensSent = counter.messages(sent.messages) + counter.tools(sent.tools);
  // Assembly alone, in process (the summary is written by now, so no model call happens here).
  const started = performance.now();
  const prepared = await prepareResponse(ResponseCreateParamsOf(params), '', server.kestrel.engine);
  const assemblyMs = performance.now() - started;
  await prepared.hosted.close();
  return {
    names: asked.map((needle) => needle.name),
    depths: asked.map((needle) => needle.depth),
    found: asked.filter((needle) => text.includes(needle.answer)).length,
    tokensSent,
    assemblyMs: round(assemblyMs, 1),
    fits: tokensSent + 4_096 <= 32_768,
  };
}

let summaryCallsSeen = 0;

const ResponseCreateParamsOf = (params: Record<string, unknown>) => params as unknown as ResponseCreateParams;

/**
 * Runs the needle bench for one history size.
 *
 * @example await runNeedleSize(server, 131_072, 1)
 */
export async function runNeedleSize(server: TestServer, targetTokens: number, seed: number): Promise<NeedleSizeResult> {
  const rng = random(seed * 7919);
  const hidden = needles(DEPTHS, rng);
  const summaryBefore = summaryCallsSeen;
  const chain = await storeChain(server, targetTokens, hidden, seed);
  const single: NeedleQuery[] = [];
  for (const needle of hidden) single.push(await ask(server, chain.last, needle.question, [needle]));
  const groups = [
    [0, 4, 8],
    [1, 5, 9],
    [2, 6, 3],
    [7, 0, 5],
  ].map((indexes) => indexes.map((index) => hidden[index]));
  const multi: NeedleQuery[] = [];
  for (const group of groups) multi.push(await ask(server, chain.last, `What are the access codes for the ${group.map((needle) => needle.name).join(', ')} lockers?`, group));
  multi.push(await ask(server, chain.last, `List the access codes of all the lockers: ${hidden.map((needle) => needle.name).join(', ')}.`, hidden));
  const all = [...single, ...multi];
  return {
    targetTokens,
    historyTokens: chain.tokens,
    turns: chain.turns,
    single,
    multi,
    singleFraction: round(single.reduce((sum, query) => sum + query.found, 0) / single.length, 3),
    multiFraction: round(multi.reduce((sum, query) => sum + query.found, 0) / multi.reduce((sum, query) => sum + query.names.length, 0), 3),
    assemblyMs: { p50: percentile(all.map((query) => query.assemblyMs), 50), max: Math.max(...all.map((query) => query.assemblyMs)) },
    tokensSent: { p50: percentile(all.map((query) => query.tokensSent), 50), max: Math.max(...all.map((query) => query.tokensSent)) },
    summaryCalls: summaryCallsSeen - summaryBefore,
  };
}
