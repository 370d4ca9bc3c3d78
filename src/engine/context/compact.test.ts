import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../backends/types.js';
import { startTestServer, type TestServer } from '../../test-support/server.js';

const isSummaryCall = (request: ModelRequest) => request.messages[0]?.role === 'system' && request.messages[0].content.startsWith('You compact a conversation');
const userText = (request: ModelRequest) => {
  const last = request.messages[request.messages.length - 1];
  return last.role === 'user' ? last.content.map((part) => (part.type === 'text' ? part.text : '')).join('') : '';
};

/** The scripted model: summary calls answer with a summary quoting how much they saw. */
function summarizer(label: string) {
  return (request: ModelRequest) => {
    if (!isSummaryCall(request)) return { text: 'ok' };
    const text = userText(request);
    const earlier = /<earlier_summary>\n([\s\S]*?)\n<\/earlier_summary>/.exec(text)?.[1] ?? '';
    return { text: `${label} summary of ${text.length} chars; before: ${earlier}` };
  };
}

const TOPICS = 'Herons stand very still in shallow water while they hunt small fish and frogs. ';

describe('POST /v1/responses/compact', () => {
  let server: TestServer;
  let client: OpenAI;

  beforeAll(async () => {
    server = await startTestServer({
      script: summarizer('first'),
      config: { backends: {}, models: { 'small-window': { backend: 'scripted', model: 'local-model', contextWindow: 4_096, maxOutputTokens: 512 } } },
    });
    client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('returns every user message and exactly one opaque compaction item', async () => {
    const compacted = await client.responses.compact({
      model: 'gpt-5.4',
      input: [
        { role: 'user', content: 'Tell me about herons.' },
        { role: 'assistant', content: 'Herons are wading birds.' },
        { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"q":"heron"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'Ardeidae' },
        { role: 'user', content: 'And egrets?' },
      ],
    });
    expect(compacted.object).toBe('response.compaction');
    expect(compacted.output.map((item) => item.type)).toEqual(['message', 'message', 'compaction']);
    expect(compacted.output.slice(0, 2).map((item) => (item as { role: string }).role)).toEqual(['user', 'user']);
    const compaction = compacted.output[2] as { id: string; encrypted_content: string };
    expect(compaction.id).toMatch(/^cmp_/);
    expect(compaction.encrypted_content).not.toContain('summary');
    expect(compacted.usage.total_tokens).toBeGreaterThan(0);
    const call = server.backend.calls[server.backend.calls.length - 1];
    expect(isSummaryCall(call)).toBe(true);
    expect(userText(call)).toContain('Assistant called lookup: {"q":"heron"}');
    expect(userText(call)).toContain('Tool result: Ardeidae');
  });

  it('folds a history larger than the window in pieces, and a previous compaction into the new one', async () => {
    const before = server.backend.calls.length;
    const long = Array.from({ length: 30 }, (_, index) => ({ role: 'user' as const, content: `${index}: ${TOPICS.repeat(12)}` }));
    const first = await client.responses.compact({ model: 'small-window', input: long });
    const calls = server.backend.calls.slice(before);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((call) => call.model === 'local-model' && call.maxOutputTokens === 512)).toBe(true);
    const compaction = first.output[first.output.length - 1];
    const second = await client.responses.compact({ model: 'small-window', input: [compaction as OpenAI.Responses.ResponseInputItem, { role: 'user', content: 'Now about egrets.' }] });
    const last = server.backend.calls[server.backend.calls.length - 1];
    expect(userText(last)).toMatch(/<earlier_summary>\nfirst summary of \d+ chars/);
    expect(second.output.map((item) => item.type)).toEqual(['message', 'compaction']);
  });

  it('compacts a previous_response_id chain', async () => {
    const response = await client.responses.create({ model: 'gpt-5.4', input: 'Remember: the boat is called Osprey.' });
    const compacted = await client.responses.compact({ model: 'gpt-5.4', previous_response_id: response.id, input: 'What is the boat called?' });
    expect(compacted.output.map((item) => item.type)).toEqual(['message', 'message', 'compaction']);
    expect(userText(server.backend.calls[server.backend.calls.length - 1])).toContain('the boat is called Osprey');
  });

  it('refuses an altered compaction item with a 400 naming it, before calling the model', async () => {
    const compacted = await client.responses.compact({ model: 'gpt-5.4', input: 'hello' });
    const item = compacted.output[1] as { type: 'compaction'; encrypted_content: string };
    const blob = item.encrypted_content;
    const altered = { ...item, encrypted_content: blob.slice(0, 20) + (blob[20] === 'x' ? 'y' : 'x') + blob.slice(21) };
    const before = server.backend.calls.length;
    const error = await client.responses.compact({ model: 'gpt-5.4', input: [{ role: 'user', content: 'hi' }, altered] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('input[1].encrypted_content');
    expect((error as BadRequestError).code).toBe('invalid_encrypted_content');
    expect(server.backend.calls.length).toBe(before);
  });

  it('opens its compaction items after a restart, and refuses them on a server with another key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kestrel-compact-'));
    let first = await startTestServer({ script: summarizer('first'), dataDir });
    try {
      const compacted = await new OpenAI({ baseURL: first.baseURL, apiKey: 'test', maxRetries: 0 }).responses.compact({ model: 'gpt-5.4', input: 'Remember the heron.' });
      const item = compacted.output[1] as OpenAI.Responses.ResponseInputItem;
      await first.close();
      first = await startTestServer({ script: summarizer('second'), dataDir });
      await new OpenAI({ baseURL: first.baseURL, apiKey: 'test', maxRetries: 0 }).responses.compact({ model: 'gpt-5.4', input: [item, { role: 'user', content: 'More.' }] });
      expect(userText(first.backend.calls[0])).toMatch(/<earlier_summary>\nfirst summary/);

      const error = await client.responses.compact({ model: 'gpt-5.4', input: [item] }).catch((caught: unknown) => caught);
      expect((error as BadRequestError).status).toBe(400);
      expect((error as BadRequestError).message).toContain('another key');
    } finally {
      await first.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers 404 for an unknown previous response and 400 without input', async () => {
    await expect(client.responses.compact({ model: 'gpt-5.4', previous_response_id: 'resp_missing' })).rejects.toMatchObject({ status: 404, param: 'previous_response_id' });
    await expect(client.responses.compact({ model: 'gpt-5.4' })).rejects.toMatchObject({ status: 400, param: 'input' });
  });
});
