import { afterAll, describe, expect, it } from 'vitest';
import { fixturesIn, startFakeUpstream } from '../../test-support/fake-upstream.js';
import { collectEvents, modelRequest } from '../../test-support/model-request.js';
import { BackendError, type ModelEvent, type ModelRequest } from '../types.js';
import { createAnthropicBackend } from './index.js';

const fixture = fixturesIn(new URL('./__fixtures__/', import.meta.url));
const request = (overrides: Partial<ModelRequest> = {}) => modelRequest({ model: 'claude-sonnet-4-5', ...overrides });

const server = await startFakeUpstream();
afterAll(() => server.close());

const backend = () => createAnthropicBackend('anthropic', { type: 'anthropic', baseURL: server.origin, apiKey: 'sk-ant-test' });

describe('anthropic backend against recorded streams', () => {
  it('streams a text answer with cached input usage and sends the Anthropic headers', async () => {
    server.reply({ sse: fixture('text') });
    const events = await collectEvents(backend(), request());
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '! How can I help' },
      { type: 'text-delta', text: ' you today? 👋' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 2060, outputTokens: 15, cachedInputTokens: 2048 } },
    ]);
    const sent = server.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant-test');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true });
  });

  it('streams thinking with its signature, text and tool calls with split JSON', async () => {
    server.reply({ sse: fixture('thinking-tool-use'), sliceBytes: 11 });
    const events = await collectEvents(backend(), request({ tools: [{ kind: 'function', name: 'get_weather', parameters: { type: 'object' } }, { kind: 'function', name: 'get_time', parameters: {} }] }));
    expect(events).toEqual([
      { type: 'reasoning-delta', text: 'The user wants the weather in Paris.' },
      { type: 'reasoning-delta', text: ' I should call get_weather.' },
      {
        type: 'reasoning-state',
        state: { signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+yFpNQtwhHcNpPVqWhLVF8yVtg==', thinking: 'The user wants the weather in Paris. I should call get_weather.' },
      },
      { type: 'text-delta', text: 'Let me check the weather.' },
      { type: 'tool-call-start', index: 0, callId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', kind: 'function' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location": "Par' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is, France", "unit"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ': "celsius"}' },
      { type: 'tool-call-start', index: 1, callId: 'toolu_01Bx7aJq2hTz9pLk3mVw', name: 'get_time', kind: 'function' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 592, outputTokens: 89, cachedInputTokens: 0 } },
    ]);
    const args = events.flatMap((event) => (event.type === 'tool-call-delta' && event.index === 0 ? [event.argumentsDelta] : [])).join('');
    expect(JSON.parse(args)).toEqual({ location: 'Paris, France', unit: 'celsius' });
  });

  it('unwraps a custom tool call to its raw input and keeps redacted thinking', async () => {
    server.reply({ sse: fixture('custom-tool'), sliceBytes: 5 });
    const events = await collectEvents(backend(), request({ tools: [{ kind: 'custom', name: 'apply_patch', description: 'Edit files.' }] }));
    expect(events).toEqual([
      { type: 'reasoning-state', state: { redactedThinking: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pIEpzvXp' } },
      { type: 'tool-call-start', index: 0, callId: 'toolu_01Qz8bN3', name: 'apply_patch', kind: 'custom' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '*** Begin Patch\n*** Add File: hello.txt\n+Hello, world!\n*** End Patch' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 900, outputTokens: 41, cachedInputTokens: 0 } },
    ]);
  });

  it('maps max_tokens to a length finish', async () => {
    server.reply({ sse: fixture('max-tokens') });
    const events = await collectEvents(backend(), request());
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length', usage: { inputTokens: 8, outputTokens: 4, cachedInputTokens: 0 } });
  });

  it('turns an in-stream overloaded_error into an error event with status 529', async () => {
    server.reply({ sse: fixture('overloaded') });
    const events = await collectEvents(backend(), request());
    expect(events.slice(0, -1)).toEqual([{ type: 'text-delta', text: 'Sure' }]);
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    const error = (last as { error: BackendError }).error;
    expect(error).toBeInstanceOf(BackendError);
    expect(error.status).toBe(529);
    expect(error.type).toBe('overloaded_error');
    expect(error.message).toBe('Overloaded');
  });

  it('keeps a 429 with its Retry-After', async () => {
    server.reply({
      status: 429,
      headers: { 'retry-after': '17' },
      body: JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }),
    });
    const events = await collectEvents(backend(), request());
    expect(events).toHaveLength(1);
    const error = (events[0] as { error: BackendError }).error;
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe('17');
    expect(error.type).toBe('rate_limit_error');
    expect(error.message).toMatch(/rate limit/);
  });

  it('reports a stream cut before message_stop', async () => {
    server.reply({ body: 'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3}}}\n\n', headers: { 'content-type': 'text/event-stream' } });
    const events = await collectEvents(backend(), request());
    expect(events).toHaveLength(1);
    expect((events[0] as { error: BackendError }).error.status).toBe(502);
  });

  it('closes the upstream socket when the request is aborted mid-stream', async () => {
    const body = 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}\n\n';
    server.reply({ body, hold: true, headers: { 'content-type': 'text/event-stream' } });
    const controller = new AbortController();
    const seen: ModelEvent[] = [];
    const stream = backend().stream(request({ signal: controller.signal }));
    let closed: Promise<void> | undefined;
    for await (const event of stream) {
      seen.push(event);
      if (event.type === 'text-delta') {
        closed = server.requests.at(-1)!.closed;
        controller.abort();
      }
    }
    expect(seen[0]).toEqual({ type: 'text-delta', text: 'Hel' });
    expect(seen.at(-1)).toMatchObject({ type: 'error', error: { status: 499 } });
    await expect(Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('socket still open')), 2000))])).resolves.toBeUndefined();
  });

  it('closes the upstream socket when the consumer stops reading', async () => {
    server.reply({ body: 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"A"}}\n\n', hold: true, headers: { 'content-type': 'text/event-stream' } });
    for await (const event of backend().stream(request())) {
      expect(event).toEqual({ type: 'text-delta', text: 'A' });
      break;
    }
    const closed = server.requests.at(-1)!.closed;
    await expect(Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('socket still open')), 2000))])).resolves.toBeUndefined();
  });

  it('sends every message and tool kind in the Anthropic shape', async () => {
    server.reply({ sse: fixture('text') });
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    await collectEvents(
      backend(),
      request({
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'system', content: 'Use metric units.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare these.' },
              { type: 'image', url: `data:image/png;base64,${png}`, detail: 'high' },
              { type: 'image', url: 'https://example.com/cat.jpg' },
              { type: 'file', filename: 'notes.txt', text: 'line one' },
            ],
          },
          {
            role: 'assistant',
            content: 'Checking.',
            reasoning: 'Need weather and a patch.',
            reasoningState: { signature: 'sig-1', thinking: 'Need weather and a patch.' },
            toolCalls: [
              { callId: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', kind: 'function' },
              { callId: 'call_2', name: 'get_weather', arguments: '{not json', kind: 'function' },
              { callId: 'call.3', name: 'apply_patch', arguments: '*** Begin Patch\n*** End Patch', kind: 'custom' },
            ],
          },
          { role: 'tool', callId: 'call_1', name: 'get_weather', kind: 'function', content: [{ type: 'text', text: '18°C' }] },
          { role: 'tool', callId: 'call_2', name: 'get_weather', kind: 'function', content: [{ type: 'text', text: 'bad arguments' }, { type: 'image', url: `data:image/png;base64,${png}` }] },
          { role: 'tool', callId: 'call.3', kind: 'custom', content: [] },
          { role: 'user', content: [{ type: 'text', text: 'Thanks. And now?' }] },
          { role: 'assistant', content: 'Done.', reasoningState: { redactedThinking: 'opaque-data' } },
          { role: 'user', content: [{ type: 'text', text: 'Summarise.' }] },
        ],
        tools: [
          { kind: 'function', name: 'get_weather', description: 'Weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
          { kind: 'custom', name: 'apply_patch', description: 'Edit files.', grammar: { syntax: 'lark', definition: 'start: "*** Begin Patch" /.+/s' } },
        ],
        toolChoice: 'auto',
        parallelToolCalls: false,
        maxOutputTokens: 2000,
        temperature: 0.3,
        topP: 0.9,
        stop: ['END'],
        user: 'user-42',
        reasoning: { effort: 'medium' },
      }),
    );
    const pngSource = { type: 'base64', media_type: 'image/png', data: png };
    expect(server.requests.at(-1)!.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 6096,
      system: 'You are terse.\n\nUse metric units.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', source: pngSource },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: '<file name="notes.txt">\nline one\n</file>' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Need weather and a patch.', signature: 'sig-1' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
            { type: 'tool_use', id: 'call_3', name: 'apply_patch', input: { input: '*** Begin Patch\n*** End Patch' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: '18°C' }] },
            { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'bad arguments' }, { type: 'image', source: pngSource }] },
            { type: 'tool_result', tool_use_id: 'call_3' },
            { type: 'text', text: 'Thanks. And now?' },
          ],
        },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'opaque-data' }, { type: 'text', text: 'Done.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Summarise.' }] },
      ],
      tools: [
        { name: 'get_weather', description: 'Weather for a city.', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
        {
          name: 'apply_patch',
          description: 'Edit files.\n\nPut the raw input of this tool, as free-form text, in the `input` property.\n\nThe input must match this Lark grammar:\n```\nstart: "*** Begin Patch" /.+/s\n```',
          input_schema: { type: 'object', properties: { input: { type: 'string', description: 'The raw tool input.' } }, required: ['input'] },
        },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      thinking: { type: 'enabled', budget_tokens: 4096 },
      stream: true,
    });
  });

  it('lists models with GET /v1/models, following pages', async () => {
    server.reply(
      { body: JSON.stringify({ data: [{ type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5' }], has_more: true, first_id: 'claude-sonnet-4-5-20250929', last_id: 'claude-sonnet-4-5-20250929' }) },
      { body: JSON.stringify({ data: [{ type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5' }], has_more: false, first_id: 'claude-haiku-4-5-20251001', last_id: 'claude-haiku-4-5-20251001' }) },
    );
    const models = await backend().listModels!();
    expect(models).toEqual([{ id: 'claude-sonnet-4-5-20250929' }, { id: 'claude-haiku-4-5-20251001' }]);
    const [first, second] = server.requests.slice(-2);
    expect(first.method).toBe('GET');
    expect(first.url).toBe('/v1/models?limit=1000');
    expect(second.url).toBe('/v1/models?limit=1000&after_id=claude-sonnet-4-5-20250929');
    expect(first.headers['x-api-key']).toBe('sk-ant-test');
  });

  it('reads the key from ANTHROPIC_API_KEY by default', async () => {
    const previous = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-from-env';
    try {
      server.reply({ sse: fixture('text') });
      await collectEvents(createAnthropicBackend('anthropic', { type: 'anthropic', baseURL: server.origin }), request());
      expect(server.requests.at(-1)!.headers['x-api-key']).toBe('sk-ant-from-env');
    } finally {
      if (previous === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = previous;
    }
  });
});
