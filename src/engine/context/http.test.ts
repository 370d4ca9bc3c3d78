import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { BadRequestError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelMessage, ModelRequest } from '../../backends/types.js';
import type { ConfigFile } from '../../config/schema.js';
import { startTestServer, type TestServer } from '../../test-support/server.js';
import { TokenCounter } from './token-counter.js';

const isSummaryCall = (request: ModelRequest) => request.messages[0]?.role === 'system' && request.messages[0].content.startsWith('You compact a conversation');
const textOf = (message: ModelMessage) =>
  message.role === 'system' || message.role === 'assistant' ? message.content : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
const promptText = (request: ModelRequest) => request.messages.map(textOf).join('\n');

/** The scripted model: summary calls get a recognisable summary, other calls a short answer. */
function script(request: ModelRequest) {
  if (isSummaryCall(request)) return { text: `SUMMARY-${request.messages[1] ? textOf(request.messages[1]).length : 0}: the user talked about herons and boats.` };
  return { text: 'ok' };
}

const config: ConfigFile = {
  models: {
    'small': { backend: 'scripted', model: 'small-model', contextWindow: 4_096, maxOutputTokens: 512 },
    'small-recall': { backend: 'scripted', model: 'small-model', contextWindow: 4_096, maxOutputTokens: 512, context: { overflow: 'recall' } },
    'small-truncate': { backend: 'scripted', model: 'small-model', contextWindow: 4_096, maxOutputTokens: 512, context: { auto: 'truncate' } },
    'capped': { backend: 'scripted', model: 'small-model', context: { maxItemTokens: 300, maxInputTokens: 500 } },
  },
};

const TOPICS = ['gardening', 'sailing', 'astronomy', 'baking', 'chess', 'cycling', 'pottery', 'birdwatching'];
const filler = (turn: number) =>
  Array.from({ length: 10 }, (_, i) => `Sentence ${i} of turn ${turn} is about ${TOPICS[(turn + i) % TOPICS.length]} and nothing in particular.`).join(' ');

describe('context through the HTTP server (openai SDK)', () => {
  let server: TestServer;
  let client: OpenAI;
  const calls = () => server.backend.calls;
  const lastCall = () => calls()[calls().length - 1];

  beforeAll(async () => {
    server = await startTestServer({ script, config, models: ['gpt-5.4'] });
    client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A stored chain of `turns` long user turns (with `needle` at `needleTurn`); returns the last response id. */
  async function chain(model: string, turns: number, needle?: { turn: number; text: string }): Promise<string> {
    let previous: string | undefined;
    for (let turn = 0; turn < turns; turn++) {
      const input = needle?.turn === turn ? `${filler(turn)} ${needle.text}` : filler(turn);
      const response = await client.responses.create({ model, input, previous_response_id: previous, truncation: 'auto' });
      previous = response.id;
    }
    return previous!;
  }

  it('input_tokens returns the count Kestrel uses for the prompt it sends, tools included', async () => {
    const request = {
      model: 'gpt-5.4',
      instructions: 'Answer in French.',
      input: [{ role: 'user' as const, content: 'Quel temps fait-il à Paris ? <|endoftext|> is plain text.' }],
      tools: [{ type: 'function' as const, name: 'weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
    };
    const counted = await client.responses.inputTokens.count(request);
    expect(counted.object).toBe('response.input_tokens');
    await client.responses.create(request);
    const sent = lastCall();
    const counter = TokenCounter.for({ backend: server.backend, backendModel: 'gpt-5.4' });
    expect(counted.input_tokens).toBe(counter.messages(sent.messages) + counter.tools(sent.tools));
  });

  it('refuses an overflow with 400 context_length_exceeded by default, before any model call', async () => {
    const before = calls().length;
    const error = await client.responses.create({ model: 'small', input: filler(1).repeat(30) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('context_length_exceeded');
    expect((error as BadRequestError).param).toBe('input');
    expect(calls().length).toBe(before);
    // input_tokens still counts it.
    const counted = await client.responses.inputTokens.count({ model: 'small', input: filler(1).repeat(30) });
    expect(counted.input_tokens).toBeGreaterThan(4_096);
  });

  it('truncation auto: recalls the evicted turn the question is about, with a rolling summary, and reports the split in usage', async () => {
    const last = await chain('small', 24, { turn: 3, text: 'The dinghy is moored at pontoon Kingfisher-7.' });
    const response = await client.responses.create({ model: 'small', input: 'Where is the dinghy moored?', previous_response_id: last, truncation: 'auto' });
    const sent = lastCall();
    expect(isSummaryCall(sent)).toBe(false);
    expect(promptText(sent)).toContain('Kingfisher-7');
    expect(promptText(sent)).toContain('SUMMARY-');
    expect(promptText(sent)).not.toContain('Sentence 0 of turn 2 is');
    const details = (response.usage?.input_tokens_details as unknown as { context: Record<string, unknown> }).context;
    expect(details).toMatchObject({ strategy: 'recall', tokenizer: 'estimate', window: 4_096, retrieval: 'bm25' });
    const counter = TokenCounter.for({ backend: server.backend, backendModel: 'small-model' });
    expect(counter.messages(sent.messages)).toBeLessThanOrEqual(details.available as number);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
  });

  it('the model config can ask for recall on overflow, and auto can mean plain truncation', async () => {
    const last = await chain('small-recall', 30);
    await client.responses.create({ model: 'small-recall', input: 'And then?', previous_response_id: last });
    expect(promptText(lastCall())).toContain('Context from earlier in this conversation');
    const truncated = await client.responses.create({ model: 'small-truncate', input: 'And then?', previous_response_id: last, truncation: 'auto' });
    expect(promptText(lastCall())).not.toContain('Context from earlier in this conversation');
    expect((truncated.usage?.input_tokens_details as unknown as { context: { strategy: string } }).context.strategy).toBe('truncate');
  });

  it('context_management compacts mid-stream past the threshold and continues on the reduced context', async () => {
    const first = await client.responses.create({
      model: 'gpt-5.4',
      input: [
        { role: 'user', content: `Remember the heron. ${filler(1)} ${filler(2)}` },
        { role: 'assistant', content: 'I will remember the grey heron by the weir.' },
        { role: 'user', content: 'Thanks.' },
      ],
    });
    const before = calls().length;
    const stream = await client.responses.create({
      model: 'gpt-5.4',
      previous_response_id: first.id,
      input: 'Now tell me about boats.',
      context_management: [{ type: 'compaction', compact_threshold: 200 }],
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const added = events.filter((event) => event.type === 'response.output_item.added').map((event) => (event as { item: { type: string } }).item.type);
    const done = events.filter((event) => event.type === 'response.output_item.done').map((event) => (event as { item: { type: string } }).item.type);
    expect(added).toEqual(['compaction', 'message']);
    expect(done).toEqual(['compaction', 'message']);
    const [summaryCall, answerCall] = calls().slice(before);
    expect(isSummaryCall(summaryCall)).toBe(true);
    expect(promptText(summaryCall)).toContain('I will remember the grey heron');
    // Reduced: the summary, then the latest user messages kept verbatim; the assistant's turn only in the summary.
    expect(promptText(answerCall)).toContain('SUMMARY-');
    expect(promptText(answerCall)).not.toContain('grey heron by the weir');
    expect(textOf(answerCall.messages[answerCall.messages.length - 1])).toBe('Now tell me about boats.');
    const completed = events[events.length - 1] as { type: string; response: OpenAI.Responses.Response };
    expect(completed.type).toBe('response.completed');
    expect(completed.response.output.map((item) => item.type)).toEqual(['compaction', 'message']);

    // The next turn starts from the compaction: the same reduced context, then what followed it.
    await client.responses.create({ model: 'gpt-5.4', previous_response_id: completed.response.id, input: 'Go on.' });
    const next = lastCall();
    expect(next.messages.slice(0, answerCall.messages.length)).toEqual(answerCall.messages);
    expect(next.messages.slice(answerCall.messages.length).map(textOf)).toEqual(['ok', 'Go on.']);
  });

  it('a compaction_trigger input item yields exactly one compaction output item, and must come last', async () => {
    const before = calls().length;
    const response = await client.responses.create({
      model: 'gpt-5.4',
      store: false,
      input: [
        { role: 'user', content: 'Plan a trip to see herons.' },
        { role: 'assistant', content: 'Go to the estuary at dawn.' },
        { type: 'compaction_trigger' } as unknown as OpenAI.Responses.ResponseInputItem,
      ],
    });
    expect(response.status).toBe('completed');
    expect(response.output.map((item) => item.type)).toEqual(['compaction']);
    expect(calls().slice(before).map(isSummaryCall)).toEqual([true]);

    // Sent back (stateless), it stands for the history; the answer call sees its summary.
    const item = response.output[0] as unknown as OpenAI.Responses.ResponseInputItem;
    await client.responses.create({ model: 'gpt-5.4', store: false, input: [{ role: 'user', content: 'Plan a trip to see herons.' }, item, { role: 'user', content: 'When should I go?' }] });
    expect(promptText(lastCall())).toContain('SUMMARY-');
    expect(promptText(lastCall())).not.toContain('Go to the estuary at dawn.');

    const error = await client.responses
      .create({ model: 'gpt-5.4', input: [{ type: 'compaction_trigger' } as unknown as OpenAI.Responses.ResponseInputItem, { role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).param).toBe('input[0]');
  });

  it('refuses an altered compaction item in input with a 400 naming it, before any model call', async () => {
    const compacted = await client.responses.compact({ model: 'gpt-5.4', input: 'Remember the heron.' });
    const item = compacted.output[1] as unknown as { type: 'compaction'; encrypted_content: string };
    const blob = item.encrypted_content;
    const altered = { ...item, encrypted_content: blob.slice(0, 30) + (blob[30] === 'x' ? 'y' : 'x') + blob.slice(31) };
    const before = calls().length;
    const error = await client.responses
      .create({ model: 'gpt-5.4', input: [altered as unknown as OpenAI.Responses.ResponseInputItem, { role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).param).toBe('input[0].encrypted_content');
    expect(calls().length).toBe(before);
  });

  it('refuses oversized items and inputs over the configured cap with 400 and param', async () => {
    const item = await client.responses.create({ model: 'capped', input: [{ role: 'user', content: 'short' }, { role: 'user', content: filler(1).repeat(3) }] }).catch((caught: unknown) => caught);
    expect(item).toMatchObject({ status: 400, param: 'input[1]', code: 'item_too_large' });
    const total = await client.responses
      .create({ model: 'capped', input: [1, 2, 3, 4].map((turn) => ({ role: 'user' as const, content: filler(turn).slice(0, 900) })) })
      .catch((caught: unknown) => caught);
    expect(total).toMatchObject({ status: 400, param: 'input', code: 'input_too_large' });
  });

  it('a chain read from memory still loses a deleted response', async () => {
    const first = await client.responses.create({ model: 'gpt-5.4', input: 'The password is tern.' });
    const second = await client.responses.create({ model: 'gpt-5.4', input: 'Noted?', previous_response_id: first.id });
    await client.responses.create({ model: 'gpt-5.4', input: 'Again?', previous_response_id: second.id, store: false });
    expect(promptText(lastCall())).toContain('The password is tern.');
    await client.responses.delete(first.id);
    await client.responses.create({ model: 'gpt-5.4', input: 'And now?', previous_response_id: second.id, store: false });
    expect(promptText(lastCall())).not.toContain('The password is tern.');
  });

  it('accepts its compaction items after a restart; a server with another key refuses them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kestrel-context-'));
    let restarted = await startTestServer({ script, dataDir });
    try {
      const first = new OpenAI({ baseURL: restarted.baseURL, apiKey: 'test', maxRetries: 0 });
      const compacted = await first.responses.compact({ model: 'gpt-5.4', input: 'Remember the heron.' });
      const item = compacted.output[1] as unknown as OpenAI.Responses.ResponseInputItem;
      await restarted.close();
      restarted = await startTestServer({ script, dataDir });
      const again = new OpenAI({ baseURL: restarted.baseURL, apiKey: 'test', maxRetries: 0 });
      const response = await again.responses.create({ model: 'gpt-5.4', input: [item, { role: 'user', content: 'What do I remember?' }] });
      expect(response.status).toBe('completed');
      expect(promptText(restarted.backend.calls[restarted.backend.calls.length - 1])).toContain('SUMMARY-');
      const error = await client.responses.create({ model: 'gpt-5.4', input: [item] }).catch((caught: unknown) => caught);
      expect((error as BadRequestError).status).toBe(400);
      expect((error as BadRequestError).message).toContain('another key');
    } finally {
      await restarted.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
