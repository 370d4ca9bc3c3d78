import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createScriptedBackend } from '../../backends/scripted/index.js';
import type { ModelMessage } from '../../backends/types.js';
import { SealedBox } from '../../crypto/sealed-box.js';
import type { ApiError } from '../../protocol/errors.js';
import type { InputItem } from '../../protocol/index.js';
import { toModelMessages, type LocatedItem } from '../model-messages.js';
import { reasoningOpener } from '../prepare.js';
import { assembleContext, type ContextRequest } from './assemble.js';
import { compactionItem } from './compaction.js';
import { resolveContextOptions } from './options.js';
import { RollingSummaries } from './rolling-summary.js';
import { TokenCache } from './token-cache.js';
import { TokenCounter } from './token-counter.js';

const box = new SealedBox(randomBytes(32));
const backend = createScriptedBackend({ script: [{ text: 'ok' }] });
const conversion = { openReasoning: reasoningOpener(box), backendToolName: (name: string) => name, vision: true };

const TOPICS = ['gardening', 'sailing', 'astronomy', 'baking', 'chess', 'cycling', 'pottery', 'birdwatching', 'climbing', 'photography'];
const filler = (turn: number) =>
  `Turn ${turn} about ${TOPICS[turn % TOPICS.length]}: ` +
  Array.from({ length: 12 }, (_, i) => `This is sentence ${i} of a long message about ${TOPICS[(turn + i) % TOPICS.length]} with some ordinary detail.`).join(' ');

/** A conversation of `turns` user/assistant pairs (~250 tokens each), with `needle` said by the user at `needleTurn`. */
function conversation(turns: number, needle?: { turn: number; text: string }): InputItem[] {
  const items: InputItem[] = [];
  for (let turn = 0; turn < turns; turn++) {
    const text = needle?.turn === turn ? `${filler(turn)} ${needle.text}` : filler(turn);
    items.push({ type: 'message', role: 'user', content: text }, { type: 'message', role: 'assistant', content: `Noted, turn ${turn}.` });
  }
  return items;
}

const history = (items: InputItem[]): LocatedItem[] => items.map((item) => ({ item, param: null }));

function request(items: LocatedItem[], overrides: Partial<ContextRequest> = {}): ContextRequest {
  return {
    instructions: 'You are a helpful assistant.',
    items,
    tools: [],
    conversion,
    counter: new TokenCounter({ backend, backendModel: 'gpt-5.4' }, new TokenCache()),
    box,
    contextWindow: 8_192,
    reservedOutput: 1_024,
    strategy: 'recall',
    options: resolveContextOptions(),
    scope: 'test/gpt-5.4',
    summaries: new RollingSummaries(),
    ...overrides,
  };
}

const text = (messages: ModelMessage[]) => JSON.stringify(messages);
const ask = (question: string): LocatedItem => ({ item: { type: 'message', role: 'user', content: question }, param: 'input[0]' });

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a rejection');
}

describe('assembleContext', () => {
  it('sends everything when it fits, without tokenising what obviously fits', async () => {
    const items = [...history(conversation(3)), ask('Hi')];
    const quick = await assembleContext(request(items));
    expect(quick.details).toBeNull();
    expect(quick.inputTokens).toBeNull();
    expect(quick.messages[0]).toEqual({ role: 'system', content: 'You are a helpful assistant.' });
    expect(quick.messages).toHaveLength(1 + 6 + 1);
    const exact = await assembleContext(request(items, { exact: true }));
    expect(exact.messages).toEqual(quick.messages);
    expect(exact.details!.strategy).toBe('full');
    const counter = new TokenCounter({ backend, backendModel: 'gpt-5.4' });
    expect(exact.inputTokens).toBe(counter.messages(exact.messages));
  });

  it('assembles the same conversation a single conversion gives, replaying hosted items once', async () => {
    const blob = box.seal({ text: 'I should call the tool.' });
    const items: InputItem[] = [
      { type: 'message', role: 'developer', content: 'Rules.' },
      { type: 'message', role: 'user', content: 'Go.' },
      { type: 'reasoning', summary: [], encrypted_content: blob },
      { type: 'function_call', call_id: 'a', name: 'run', arguments: '{}' },
      { type: 'function_call', call_id: 'b', name: 'run', arguments: '{"x":1}' },
      { type: 'function_call_output', call_id: 'a', output: 'A' },
      { type: 'function_call_output', call_id: 'b', output: 'B' },
      { type: 'message', role: 'assistant', content: 'Both ran.' },
      { type: 'function_call', call_id: 'c', name: 'run', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c', output: 'C' },
      { type: 'message', role: 'developer', content: 'Late rule.' },
      { type: 'tool_search_output', call_id: null, tools: [] } as InputItem,
      { type: 'message', role: 'assistant', content: 'More.' },
      { type: 'message', role: 'assistant', content: 'Still more.' },
    ];
    const replayed: string[] = [];
    const hostedConversion = {
      ...conversion,
      replayHosted: (item: InputItem, _param: string | null, target: { push(message: ModelMessage): void }) => {
        replayed.push(item.type);
        target.push({ role: 'user', content: [{ type: 'text', text: 'search results' }] });
        return true;
      },
    };
    const located = history(items);
    const context = await assembleContext(request(located, { conversion: hostedConversion as ContextRequest['conversion'] }));
    expect(replayed).toEqual(['tool_search_output']);
    replayed.length = 0;
    expect(context.messages).toEqual(toModelMessages('You are a helpful assistant.', located, hostedConversion as ContextRequest['conversion']));
  });

  it('refuses an overflow with context_length_exceeded when truncation is disabled', async () => {
    const error = await rejection(assembleContext(request([...history(conversation(40)), ask('Hi')], { strategy: 'error' })));
    expect(error.status).toBe(400);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.param).toBe('input');
  });

  it('truncates the oldest items, keeping instructions and never splitting a call from its output', async () => {
    const items = conversation(30);
    items.push(
      { type: 'message', role: 'user', content: 'Run the tool.' },
      { type: 'function_call', call_id: 'call_1', name: 'run', arguments: JSON.stringify({ text: filler(99).repeat(8) }) },
      { type: 'function_call_output', call_id: 'call_1', output: 'done' },
    );
    const context = await assembleContext(request([...history(items), ask('And now?')], { strategy: 'truncate', contextWindow: 4_096 }));
    expect(context.details!.strategy).toBe('truncate');
    expect(context.messages[0].role).toBe('system');
    expect(context.inputTokens).toBeLessThanOrEqual(context.details!.available!);
    const roles = context.messages.map((message) => message.role);
    const toolIndex = roles.indexOf('tool');
    expect(toolIndex).toBeGreaterThan(0);
    expect(context.messages[toolIndex - 1]).toMatchObject({ role: 'assistant', toolCalls: [{ callId: 'call_1' }] });
    expect(text(context.messages)).not.toContain('Turn 0 about');
  });

  it('refuses when even the latest turn does not fit', async () => {
    const error = await rejection(assembleContext(request([ask(filler(1).repeat(60))], { strategy: 'truncate', contextWindow: 2_048 })));
    expect(error.code).toBe('context_length_exceeded');
  });

  it('recalls the evicted passage relevant to the current turn and reports the budget split', async () => {
    const needle = 'The combination of the blue garden shed padlock is 4-7-1-9.';
    const items = [...history(conversation(120, { turn: 17, text: needle })), ask('What is the combination of the garden shed padlock?')];
    const context = await assembleContext(request(items, { contextWindow: 8_192 }));
    expect(context.details!.strategy).toBe('recall');
    expect(context.details!.evicted_items).toBeGreaterThan(100);
    expect(text(context.messages)).toContain('4-7-1-9');
    expect(context.details!.retrieval).toBe('bm25');
    expect(context.details!.recalled_chunks).toBeGreaterThan(0);
    expect(context.inputTokens).toBeLessThanOrEqual(context.details!.available!);
    const { budget, sent } = context.details!;
    expect(sent.recall).toBeLessThanOrEqual(budget!.recall + budget!.summary);
    // Recent turns get their budget, and what recall and the summary leave unused.
    expect(sent.recent).toBeGreaterThanOrEqual(budget!.recent - 300);
    expect(sent.instructions + sent.tools + sent.summary + sent.recall + sent.recent).toBeLessThanOrEqual(context.details!.available!);
    expect(sent.total).toBe(context.inputTokens);
    // The note comes right after the system message; the latest question ends the prompt.
    expect(context.messages[1].role).toBe('user');
    expect(text([context.messages[1]])).toContain('Passages of the earlier conversation');
    expect(text([context.messages[context.messages.length - 1]])).toContain('garden shed padlock?');
  });

  it('writes a rolling summary of evicted history, incrementally', async () => {
    const summaries = new RollingSummaries();
    const written: string[][] = [];
    const writeSummary = async (previous: string | null, pieces: string[]) => {
      written.push(pieces);
      return `summary #${written.length} (after ${previous ?? 'nothing'})`;
    };
    const first = await assembleContext(request([...history(conversation(60)), ask('Next?')], { summaries, writeSummary }));
    // ~9k evicted tokens are two window-sized pieces, folded one after the other.
    expect(first.details!.summary_calls).toBe(2);
    expect(text(first.messages)).toContain('summary #2 (after summary #1 (after nothing))');
    expect(written[0][0]).toContain('Turn 0 about');
    expect(written[1][0]).not.toContain('Turn 0 about');
    // One more turn evicts little: the summary is reused, the rest stays reachable by recall.
    const second = await assembleContext(request([...history(conversation(61)), ask('Next?')], { summaries, writeSummary }));
    expect(second.details!.summary_calls).toBe(0);
    expect(text(second.messages)).toContain('summary #2');
    // Many more turns: the summary is extended from where it was, with the newly evicted turns only.
    const third = await assembleContext(request([...history(conversation(80)), ask('Next?')], { summaries, writeSummary }));
    expect(third.details!.summary_calls).toBe(1);
    expect(text(third.messages)).toContain('summary #3 (after summary #2');
    expect(written[2][0]).not.toContain('Turn 30 about');
    expect(written[2][0]).toContain('Turn 50 about');
  });

  it('shows a compaction item as the summary and drops what it replaced', async () => {
    const compaction = compactionItem(box, { summary: 'Earlier: the user chose the name Kestrel.', model: 'gpt-5.4', coveredItems: 6, coveredTokens: 700, retained: ['Which name?'] });
    const items: LocatedItem[] = [...history(conversation(3)), { item: compaction, param: 'input[0]' }, ask('What name did I choose?')];
    const context = await assembleContext(request(items, { exact: true }));
    expect(context.compaction?.summary).toBe('Earlier: the user chose the name Kestrel.');
    expect(context.details!.compacted_items).toBe(6);
    expect(text(context.messages)).toContain('the user chose the name Kestrel');
    expect(text(context.messages)).not.toContain('Noted, turn 0');
    expect(text(context.messages)).not.toContain('Turn 0 about');
    expect(context.messages.slice(-2).map((message) => text([message]))).toEqual([expect.stringContaining('Which name?'), expect.stringContaining('What name did I choose?')]);
  });

  it('refuses oversized input items and inputs over the hard cap, naming the param', async () => {
    const options = resolveContextOptions({ maxItemTokens: 200, maxInputTokens: 300 });
    const big = await rejection(assembleContext(request([ask('hello'), { item: { type: 'message', role: 'user', content: filler(2) }, param: 'input[1]' }], { options })));
    expect(big).toMatchObject({ status: 400, param: 'input[1]', code: 'item_too_large' });
    const many = await rejection(assembleContext(request([1, 2, 3].map((index) => ({ item: { type: 'message', role: 'user', content: filler(index).slice(0, 500) }, param: `input[${index}]` })), { options })));
    expect(many).toMatchObject({ status: 400, param: 'input', code: 'input_too_large' });
    // History from the store is not "input": it is not capped.
    const stored = await assembleContext(request([...history(conversation(2)), ask('ok')], { options, contextWindow: undefined, exact: true }));
    expect(stored.details!.strategy).toBe('full');
  });

  it('fuses embeddings with BM25 when an embedder is configured, and survives its failure', async () => {
    const needle = 'My cat is called Biscuit.';
    const items = [...history(conversation(80, { turn: 5, text: needle })), ask("What is my pet's name?")];
    // A toy embedder: 'pet' and 'cat' share a dimension; BM25 alone cannot link them.
    const embedder = async (texts: string[]) => texts.map((value) => [/\b(cat|pet)\b/i.test(value) ? 1 : 0, 0.01]);
    const withEmbeddings = await assembleContext(request(items, { embedder }));
    expect(withEmbeddings.details!.retrieval).toBe('bm25+embeddings');
    expect(text(withEmbeddings.messages)).toContain('Biscuit');
    const logs: string[] = [];
    const failing = await assembleContext(request(items, { embedder: async () => Promise.reject(new Error('embedding server down')), log: (line) => logs.push(line) }));
    expect(failing.details!.retrieval).toBe('bm25');
    expect(logs[0]).toContain('embedding server down');
  });
});
