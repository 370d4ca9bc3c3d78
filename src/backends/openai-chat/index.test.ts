import { afterEach, describe, expect, it } from 'vitest';
import { fixturesIn, startFakeUpstream, writeSse, type FakeUpstream, type UpstreamHandler } from '../../test-support/fake-upstream.js';
import { collectEvents, modelRequest } from '../../test-support/model-request.js';
import type { Backend, BackendConfig, ModelEvent } from '../types.js';
import { createOpenAIChatBackend } from './index.js';

const fixture = fixturesIn(new URL('./__fixtures__/', import.meta.url));

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function serve(handler: UpstreamHandler, config: Partial<BackendConfig> = {}): Promise<Backend> {
  upstream = await startFakeUpstream(handler);
  return createOpenAIChatBackend('test', { type: 'openai-chat', baseURL: upstream.baseURL, ...config });
}

const serveFixture = (name: string, config?: Partial<BackendConfig>) => serve((_request, res) => writeSse(res, fixture(name)), config);

const joined = (events: ModelEvent[], type: 'text-delta' | 'reasoning-delta' | 'refusal-delta') =>
  events.flatMap((event) => (event.type === type ? [event.text] : [])).join('');

const argumentsOf = (events: ModelEvent[], index: number) =>
  events.flatMap((event) => (event.type === 'tool-call-delta' && event.index === index ? [event.argumentsDelta] : [])).join('');

describe('openai-chat stream translation (recorded server formats)', () => {
  it('Ollama: reasoning field, one whole tool call, usage in the last chunk', async () => {
    const backend = await serveFixture('ollama-tool-call');
    const events = await collectEvents(backend, modelRequest({ tools: [{ kind: 'function', name: 'get_weather', parameters: { type: 'object' } }] }));
    expect(events).toEqual([
      { type: 'reasoning-delta', text: 'The user' },
      { type: 'reasoning-delta', text: ' wants the weather' },
      { type: 'reasoning-delta', text: ' in Paris.' },
      { type: 'tool-call-start', index: 0, callId: 'call_hk81qg8b', name: 'get_weather', kind: 'function' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris","unit":"celsius"}' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 187, outputTokens: 42 } },
    ]);
    expect(upstream!.requests[0].url).toBe('/v1/chat/completions');
  });

  it('Ollama without think mode: <think> split across chunks becomes reasoning', async () => {
    const backend = await serveFixture('ollama-think-tags');
    const events = await collectEvents(backend, modelRequest());
    expect(joined(events, 'reasoning-delta')).toBe('Two plus two is four.');
    expect(joined(events, 'text-delta')).toBe('2 + 2 = **4**');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', usage: { inputTokens: 9, outputTokens: 23 } });
    const kinds = events.map((event) => event.type);
    expect(kinds.lastIndexOf('reasoning-delta')).toBeLessThan(kinds.indexOf('text-delta'));
  });

  it('leaves <think> in the text when thinkTags is false', async () => {
    const backend = await serveFixture('ollama-think-tags', { thinkTags: false });
    const events = await collectEvents(backend, modelRequest());
    expect(joined(events, 'reasoning-delta')).toBe('');
    expect(joined(events, 'text-delta')).toBe('<think>\nTwo plus two is four.\n</think>\n\n2 + 2 = **4**');
  });

  it('vLLM: role chunk, reasoning_content, two parallel calls split over many chunks, usage after finish', async () => {
    const backend = await serveFixture('vllm-parallel-tools');
    const events = await collectEvents(backend, modelRequest({ tools: [{ kind: 'function', name: 'get_weather', parameters: { type: 'object' } }] }));
    expect(joined(events, 'reasoning-delta')).toBe('I need the weather for two cities.');
    expect(joined(events, 'text-delta')).toBe('Let me check both.');
    expect(events.filter((event) => event.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, callId: 'chatcmpl-tool-5b0e9f2c4a8d4e61', name: 'get_weather', kind: 'function' },
      { type: 'tool-call-start', index: 1, callId: 'chatcmpl-tool-c71a3d9e0b2f4a18', name: 'get_weather', kind: 'function' },
    ]);
    expect(events.filter((event) => event.type === 'tool-call-delta' && event.index === 0)).toHaveLength(4);
    expect(JSON.parse(argumentsOf(events, 0))).toEqual({ city: 'Paris' });
    expect(JSON.parse(argumentsOf(events, 1))).toEqual({ city: 'Tokyo' });
    expect(events.at(-1)).toEqual({
      type: 'finish',
      reason: 'tool_calls',
      usage: { inputTokens: 412, outputTokens: 91, cachedInputTokens: 384, reasoningTokens: 17 },
    });
    expect(events.filter((event) => event.type === 'finish')).toHaveLength(1);
  });

  it('interleaved calls (two in one chunk, arguments out of order) keep their own arguments', async () => {
    const backend = await serveFixture('interleaved-tools');
    const events = await collectEvents(backend, modelRequest({ tools: [{ kind: 'function', name: 'search', parameters: { type: 'object' } }] }));
    expect(joined(events, 'reasoning-delta')).toBe('Two lookups at once.');
    expect(events.filter((event) => event.type === 'tool-call-start').map((event) => event.type === 'tool-call-start' && event.callId)).toEqual(['tool_0_search', 'tool_1_search']);
    expect(argumentsOf(events, 0)).toBe('{"q":"falcon"}');
    expect(argumentsOf(events, 1)).toBe('{"q":"kestrel bird"}');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls', usage: { inputTokens: 120, outputTokens: 30, cachedInputTokens: 0, reasoningTokens: 12 } });
  });

  it('llama.cpp: calls sent whole, an empty argument object kept', async () => {
    const backend = await serveFixture('llamacpp-whole-calls');
    const events = await collectEvents(backend, modelRequest({ tools: [{ kind: 'function', name: 'read_file', parameters: {} }, { kind: 'function', name: 'list_dir', parameters: {} }] }));
    expect(events).toEqual([
      { type: 'tool-call-start', index: 0, callId: 'Y8rjZpVxk1oGq2jS3cBnT4dA', name: 'read_file', kind: 'function' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"path":"README.md"}' },
      { type: 'tool-call-start', index: 1, callId: 'mQ5wE7rT9yU1iO3pA5sD7fG9', name: 'list_dir', kind: 'function' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 230, outputTokens: 38 } },
    ]);
  });

  it('llama.cpp: finish_reason length with usage and timings', async () => {
    const backend = await serveFixture('llamacpp-length');
    const events = await collectEvents(backend, modelRequest({ maxOutputTokens: 16 }));
    expect(joined(events, 'reasoning-delta')).toBe('Okay, a haiku.');
    expect(joined(events, 'text-delta')).toBe('Autumn moonlight, a worm');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length', usage: { inputTokens: 21, outputTokens: 16, cachedInputTokens: 12 } });
  });

  it('llama.cpp: an error object mid-stream becomes an error event and nothing follows', async () => {
    const backend = await serveFixture('llamacpp-error');
    const events = await collectEvents(backend, modelRequest());
    expect(joined(events, 'text-delta')).toBe('Checking');
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(last.error.status).toBe(500);
    expect(last.error.type).toBe('server_error');
    expect(last.error.message).toMatch(/^Failed to parse tool call arguments as JSON/);
    expect(events.filter((event) => event.type === 'finish')).toHaveLength(0);
  });

  it('custom tools: the raw input is recovered from the `input` string as it streams', async () => {
    const backend = await serveFixture('vllm-custom-tool');
    const events = await collectEvents(backend, modelRequest({ tools: [{ kind: 'custom', name: 'apply_patch', description: 'Edit files.' }] }));
    const raw = fixture('vllm-custom-tool')
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .flatMap((line) => (JSON.parse(line.slice(6)) as { choices: { delta: { tool_calls?: { function: { arguments?: string } }[] } }[] }).choices)
      .flatMap((choice) => choice.delta.tool_calls ?? [])
      .map((call) => call.function.arguments ?? '')
      .join('');
    const expected = (JSON.parse(raw) as { input: string }).input;
    expect(expected).toBe('*** Begin Patch\n*** Update File: app.py\n-print("hi")\n+print("hé 😀")\n\t*** End Patch');
    expect(events[0]).toEqual({ type: 'tool-call-start', index: 0, callId: 'chatcmpl-tool-0f4d', name: 'apply_patch', kind: 'custom' });
    const deltas = events.flatMap((event) => (event.type === 'tool-call-delta' ? [event.argumentsDelta] : []));
    expect(deltas.join('')).toBe(expected);
    expect(deltas.length).toBeGreaterThan(1);
    // No delta ends in half a surrogate pair.
    for (const delta of deltas) expect(delta).toBe(Buffer.from(delta, 'utf8').toString('utf8'));
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool_calls', usage: { inputTokens: 950, outputTokens: 51 } });
  });

  it('generates a call id when the upstream omits it', async () => {
    const body = [
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'now', arguments: '{}' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ].map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('');
    const backend = await serve((_request, res) => writeSse(res, body));
    const events = await collectEvents(backend, modelRequest({ tools: [{ kind: 'function', name: 'now', parameters: {} }] }));
    expect(events[0]).toMatchObject({ type: 'tool-call-start', index: 0, name: 'now' });
    expect(events[0].type === 'tool-call-start' && events[0].callId).toMatch(/^call_[0-9a-f]{48}$/);
    // A server that says `stop` after a tool call still asked for the call.
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('maps refusal, function_call and content_filter', async () => {
    const body = [
      { choices: [{ index: 0, delta: { refusal: "I can't help with that." }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'content_filter' }] },
    ].map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n';
    const backend = await serve((_request, res) => writeSse(res, body));
    expect(await collectEvents(backend, modelRequest())).toEqual([
      { type: 'refusal-delta', text: "I can't help with that." },
      { type: 'finish', reason: 'content_filter' },
    ]);
  });

  it('a stream that ends without finish_reason is an error (502)', async () => {
    const truncated = fixture('vllm-parallel-tools').split('\n\n').slice(0, 4).join('\n\n') + '\n\n';
    const backend = await serve((_request, res) => writeSse(res, truncated));
    const events = await collectEvents(backend, modelRequest());
    expect(joined(events, 'text-delta')).toBe('Let me check both.');
    const last = events.at(-1);
    expect(last?.type === 'error' && [last.error.status, last.error.message]).toEqual([502, 'The upstream stream ended early (no finish_reason).']);
  });
});

describe('openai-chat upstream failures', () => {
  it('HTTP 429 keeps its status, message, code and Retry-After', async () => {
    const backend = await serve((_request, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }));
    });
    const events = await collectEvents(backend, modelRequest());
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event.type).toBe('error');
    if (event.type !== 'error') return;
    expect([event.error.status, event.error.message, event.error.code, event.error.retryAfter]).toEqual([429, 'Rate limit reached for requests', 'rate_limit_exceeded', '7']);
  });

  it('HTTP 500 becomes an error event with the upstream message', async () => {
    const backend = await serve((_request, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'llama runner process has terminated: exit status 2' }));
    });
    const events = await collectEvents(backend, modelRequest());
    expect(events).toHaveLength(1);
    expect(events[0].type === 'error' && [events[0].error.status, events[0].error.message]).toEqual([500, 'llama runner process has terminated: exit status 2']);
  });

  it('connection refused is a 502 error event', async () => {
    upstream = await startFakeUpstream(() => {});
    const baseURL = upstream.baseURL;
    await upstream.close();
    upstream = undefined;
    const backend = createOpenAIChatBackend('gone', { type: 'openai-chat', baseURL });
    const events = await collectEvents(backend, modelRequest());
    expect(events).toHaveLength(1);
    expect(events[0].type === 'error' && [events[0].error.status, events[0].error.code]).toEqual([502, 'upstream_unreachable']);
  });

  it('abort mid-stream stops quietly and closes the upstream socket', async () => {
    let socketClosed!: () => void;
    const closed = new Promise<void>((resolve) => (socketClosed = resolve));
    const backend = await serve((_request, res, req) => {
      req.socket.on('close', () => socketClosed());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Once upon' }, finish_reason: null }] })}\n\n`);
      // The upstream keeps generating slowly; it never finishes on its own.
      const timer = setInterval(() => res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: ' a time' }, finish_reason: null }] })}\n\n`), 50);
      res.on('close', () => clearInterval(timer));
    });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of backend.stream(modelRequest({ signal: controller.signal }))) {
      events.push(event);
      if (events.length === 2) controller.abort();
    }
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta']);
    await expect(Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 2_000))])).resolves.toBe('closed');
  });

  it('a consumer that stops early releases the socket too', async () => {
    let socketClosed!: () => void;
    const closed = new Promise<void>((resolve) => (socketClosed = resolve));
    const backend = await serve((_request, res, req) => {
      req.socket.on('close', () => socketClosed());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] })}\n\n`);
    });
    for await (const event of backend.stream(modelRequest())) {
      expect(event.type).toBe('text-delta');
      break;
    }
    await expect(Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 2_000))])).resolves.toBe('closed');
  });

  it('after [DONE] the connection is reused for the next call', async () => {
    const backend = await serveFixture('ollama-tool-call');
    await collectEvents(backend, modelRequest());
    // undici hands the socket back to its pool a moment after the body closes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await collectEvents(backend, modelRequest());
    expect(upstream!.requests.map((recorded) => recorded.connection)).toEqual([1, 1]);
  });
});

describe('openai-chat request', () => {
  it('sends the translated body with auth and configured headers', async () => {
    const backend = await serveFixture('llamacpp-length', { apiKey: 'sk-test-123', headers: { 'x-team': 'kestrel' } });
    await collectEvents(
      backend,
      modelRequest({
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these?' },
              { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
              { type: 'image', url: 'https://example.com/cat.jpg', detail: 'original' },
              { type: 'file', filename: 'notes.txt', text: 'buy milk' },
            ],
          },
          {
            role: 'assistant',
            content: '',
            reasoning: 'Look at the file first.',
            toolCalls: [
              { callId: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}', kind: 'function' },
              { callId: 'call_2', name: 'apply_patch', arguments: '*** Begin Patch\n*** End Patch', kind: 'custom' },
            ],
          },
          { role: 'tool', callId: 'call_1', kind: 'function', content: [{ type: 'text', text: 'hello' }, { type: 'image', url: 'data:image/png;base64,AAAA' }] },
          { role: 'tool', callId: 'call_2', kind: 'custom', content: [{ type: 'text', text: 'Done.' }] },
          { role: 'assistant', content: 'All done.' },
          { role: 'user', content: [{ type: 'text', text: 'Thanks' }, { type: 'file', filename: 'b.md', text: '# B' }] },
        ],
        tools: [
          { kind: 'function', name: 'read_file', description: 'Reads a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }, strict: true },
          { kind: 'custom', name: 'apply_patch', description: 'Edit files.', grammar: { syntax: 'lark', definition: 'start: "*** Begin Patch" LF' } },
          { kind: 'custom', name: 'shell' },
        ],
        toolChoice: { name: 'read_file' },
        parallelToolCalls: false,
        maxOutputTokens: 256,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.3,
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
        reasoning: { effort: 'high', summary: 'auto' },
        verbosity: 'low',
        promptCacheKey: 'cache-1',
        user: 'user-42',
      }),
    );
    const [recorded] = upstream!.requests;
    expect(recorded.headers.authorization).toBe('Bearer sk-test-123');
    expect(recorded.headers['x-team']).toBe('kestrel');
    expect(recorded.body).toEqual({
      model: 'test-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
            { type: 'text', text: '[file: notes.txt]\nbuy milk' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'Look at the file first.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } },
            { id: 'call_2', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'hello\n[1 image returned; shown in the next user message]' },
        { role: 'tool', tool_call_id: 'call_2', content: 'Done.' },
        { role: 'user', content: [{ type: 'text', text: 'Images returned by the tool calls above:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        { role: 'assistant', content: 'All done.' },
        { role: 'user', content: 'Thanks\n[file: b.md]\n# B' },
      ],
      tools: [
        { type: 'function', function: { name: 'read_file', description: 'Reads a file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }, strict: true } },
        {
          type: 'function',
          function: {
            name: 'apply_patch',
            description: 'Edit files.\n\nPass the raw input as the `input` string. The input must match this Lark grammar:\n```\nstart: "*** Begin Patch" LF\n```',
            parameters: { type: 'object', properties: { input: { type: 'string', description: 'Text matching the lark grammar in the tool description.' } }, required: ['input'] },
          },
        },
        {
          type: 'function',
          function: {
            name: 'shell',
            description: 'Pass the raw input as the `input` string. The input is free-form text.',
            parameters: { type: 'object', properties: { input: { type: 'string', description: 'The raw input.' } }, required: ['input'] },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'read_file' } },
      parallel_tool_calls: false,
      max_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'high',
      user: 'user-42',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('a minimal request sends no tool fields and no optional knobs', async () => {
    const backend = await serveFixture('llamacpp-length');
    await collectEvents(backend, modelRequest());
    expect(upstream!.requests[0].body).toEqual({
      model: 'test-model',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(upstream!.requests[0].headers.authorization).toBeUndefined();
  });

  it('honours maxTokensField, reasoningEffortField, reasoningContentField, forwardVerbosity, forwardPromptCacheKey and extraBody', async () => {
    const backend = await serveFixture('llamacpp-length', {
      maxTokensField: 'max_completion_tokens',
      reasoningEffortField: false,
      reasoningContentField: 'reasoning',
      forwardVerbosity: true,
      forwardPromptCacheKey: true,
      extraBody: { chat_template_kwargs: { enable_thinking: false } },
    });
    await collectEvents(
      backend,
      modelRequest({
        messages: [{ role: 'assistant', content: 'Hi', reasoning: 'greet' }],
        maxOutputTokens: 100,
        reasoning: { effort: 'low' },
        verbosity: 'high',
        promptCacheKey: 'k1',
        responseFormat: { type: 'json_object' },
      }),
    );
    expect(upstream!.requests[0].body).toEqual({
      model: 'test-model',
      messages: [{ role: 'assistant', content: 'Hi', reasoning: 'greet' }],
      max_completion_tokens: 100,
      verbosity: 'high',
      prompt_cache_key: 'k1',
      response_format: { type: 'json_object' },
      chat_template_kwargs: { enable_thinking: false },
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('rejects a bad option at creation', () => {
    expect(() => createOpenAIChatBackend('bad', { type: 'openai-chat', maxTokensField: 'tokens' })).toThrow(/maxTokensField/);
    expect(() => createOpenAIChatBackend('bad', { type: 'openai-chat', thinkTags: 'yes' })).toThrow(/thinkTags/);
  });
});

describe('openai-chat listModels', () => {
  it('lists ids from GET /models, with the context window where the server gives one', async () => {
    const backend = await serve((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [
        { id: 'Qwen/Qwen3-32B', object: 'model', owned_by: 'vllm', max_model_len: 40960 },
        { id: 'llama3.2:latest', object: 'model', created: 1737000000, owned_by: 'library' },
        { id: 'openai/gpt-5.4', context_length: 1050000, top_provider: { max_completion_tokens: 128000 } },
      ] }));
    }, { apiKey: 'sk-list' });
    expect(await backend.listModels!()).toEqual([
      { id: 'Qwen/Qwen3-32B', contextWindow: 40960 },
      { id: 'llama3.2:latest' },
      { id: 'openai/gpt-5.4', contextWindow: 1050000, maxOutputTokens: 128000 },
    ]);
    expect(upstream!.requests[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
    expect(upstream!.requests[0].headers.authorization).toBe('Bearer sk-list');
  });
});

describe('openai-chat without streaming (non-stream clients)', () => {
  it('asks for one JSON completion and yields the same events', async () => {
    const backend = await serve((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: 'Checking.',
                reasoning_content: 'The user wants weather.',
                tool_calls: [
                  { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
                  { id: 'call_b', type: 'function', function: { name: 'patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch\\n"}' } },
                ],
              },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 7 } },
        }),
      );
    });
    const tools = [
      { kind: 'function' as const, name: 'weather', parameters: { type: 'object' } },
      { kind: 'custom' as const, name: 'patch' },
    ];
    const events = await collectEvents(backend, modelRequest({ stream: false, tools }));
    const sent = upstream!.requests[0].body as Record<string, unknown>;
    expect(sent.stream).toBe(false);
    expect(sent.stream_options).toBeUndefined();
    expect(joined(events, 'reasoning-delta')).toBe('The user wants weather.');
    expect(joined(events, 'text-delta')).toBe('Checking.');
    const starts = events.filter((event) => event.type === 'tool-call-start');
    expect(starts).toMatchObject([
      { callId: 'call_a', name: 'weather', kind: 'function' },
      { callId: 'call_b', name: 'patch', kind: 'custom' },
    ]);
    const customInput = events.flatMap((event) => (event.type === 'tool-call-delta' && event.index === (starts[1] as { index: number }).index ? [event.argumentsDelta] : [])).join('');
    expect(customInput).toBe('*** Begin Patch\n*** End Patch\n');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls', usage: { inputTokens: 12, outputTokens: 30, cachedInputTokens: 4, reasoningTokens: 7 } });
  });

  it('a body that is not JSON is a 502 error event', async () => {
    const backend = await serve((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops</html>');
    });
    const events = await collectEvents(backend, modelRequest({ stream: false }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { status: 502 } });
  });
});
