import { afterAll, describe, expect, it } from 'vitest';
import { fixturesIn, startFakeUpstream } from '../../test-support/fake-upstream.js';
import { collectEvents, modelRequest } from '../../test-support/model-request.js';
import { BackendError, type ModelEvent, type ModelRequest } from '../types.js';
import { createOpenAIResponsesBackend } from './index.js';

const fixture = fixturesIn(new URL('./__fixtures__/', import.meta.url));
const request = (overrides: Partial<ModelRequest> = {}) => modelRequest({ model: 'gpt-5.4', ...overrides });
const ENCRYPTED = 'gAAAAABpqZ1x3Kq0f5Tz9wYy2N0sV8cL7mXQ4rJ1eHk6uPzA0bC3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5z==';

const withTimeout = (promise: Promise<void> | undefined) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('socket still open')), 2000))]);

const server = await startFakeUpstream();
afterAll(() => server.close());

const backend = () => createOpenAIResponsesBackend('openai', { type: 'openai-responses', baseURL: server.baseURL, apiKey: 'sk-test' });

describe('openai-responses backend against recorded streams', () => {
  it('streams reasoning summary parts, encrypted reasoning and text, with full usage', async () => {
    server.reply({ sse: fixture('text-reasoning'), sliceBytes: 23 });
    const events = await collectEvents(backend(), request());
    expect(events).toEqual([
      { type: 'reasoning-delta', text: '**Reading the question**\n\n' },
      { type: 'reasoning-delta', text: 'The user asks for a greeting.' },
      { type: 'reasoning-delta', text: '\n\n' },
      { type: 'reasoning-delta', text: '**Answering**\n\nKeep it short.' },
      { type: 'reasoning-state', state: { encryptedContent: ENCRYPTED } },
      { type: 'text-delta', text: 'Hello!' },
      { type: 'text-delta', text: ' How can I help?' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 1200, outputTokens: 180, cachedInputTokens: 1024, reasoningTokens: 128 } },
    ]);
    const sent = server.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/responses');
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body).toEqual({
      model: 'gpt-5.4',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
    });
  });

  it('streams a function call with split arguments after encrypted reasoning', async () => {
    server.reply({ sse: fixture('function-call'), sliceBytes: 9 });
    const events = await collectEvents(backend(), request());
    expect(events).toEqual([
      { type: 'reasoning-state', state: { encryptedContent: ENCRYPTED.split('').reverse().join('') } },
      { type: 'tool-call-start', index: 0, callId: 'call_Q2mZ8xLkT4v9', name: 'get_weather', kind: 'function' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":"Par' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is, France","un' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'it":"celsius"}' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 310, outputTokens: 58, cachedInputTokens: 0, reasoningTokens: 32 } },
    ]);
  });

  it('streams a custom tool call as kind custom with its raw input', async () => {
    server.reply({ sse: fixture('custom-tool') });
    const events = await collectEvents(backend(), request());
    expect(events).toEqual([
      { type: 'text-delta', text: 'Creating the file.' },
      { type: 'tool-call-start', index: 0, callId: 'call_Vb7nR1sP0q', name: 'apply_patch', kind: 'custom' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '*** Begin Patch\n*** Add File: hel' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'lo.txt\n+Hello, world!\n*** End Patch' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 2100, outputTokens: 40, cachedInputTokens: 1920, reasoningTokens: 0 } },
    ]);
  });

  it('finishes with length when the response is incomplete by max_output_tokens', async () => {
    server.reply({ sse: fixture('incomplete') });
    const events = await collectEvents(backend(), request({ maxOutputTokens: 16 }));
    expect(events).toEqual([
      { type: 'text-delta', text: 'Once upon a time' },
      { type: 'finish', reason: 'length', usage: { inputTokens: 20, outputTokens: 16, cachedInputTokens: 0, reasoningTokens: 12 } },
    ]);
    expect((server.requests.at(-1)!.body as { max_output_tokens?: number }).max_output_tokens).toBe(16);
  });

  it('finishes with content_filter when the response is incomplete by content filter', async () => {
    const body = 'event: response.incomplete\ndata: {"type":"response.incomplete","sequence_number":1,"response":{"status":"incomplete","incomplete_details":{"reason":"content_filter"},"usage":null}}\n\n';
    server.reply({ body, headers: { 'content-type': 'text/event-stream' } });
    expect(await collectEvents(backend(), request())).toEqual([{ type: 'finish', reason: 'content_filter', usage: undefined }]);
  });

  it('turns response.failed into an error event', async () => {
    server.reply({ sse: fixture('failed') });
    const events = await collectEvents(backend(), request());
    expect(events).toHaveLength(1);
    const error = (events[0] as { error: BackendError }).error;
    expect(error).toBeInstanceOf(BackendError);
    expect(error.status).toBe(500);
    expect(error.code).toBe('server_error');
    expect(error.message).toMatch(/^The server had an error/);
  });

  it('turns an error event into an error event with its status', async () => {
    const body =
      'event: error\ndata: {"type":"error","sequence_number":2,"error":{"type":"invalid_request_error","code":"rate_limit_exceeded","message":"Rate limit reached for gpt-5.4","param":null}}\n\n' +
      'event: response.failed\ndata: {"type":"response.failed","sequence_number":3,"response":{"status":"failed","error":{"code":"rate_limit_exceeded","message":"Rate limit reached"}}}\n\n';
    server.reply({ body, headers: { 'content-type': 'text/event-stream' } });
    const events = await collectEvents(backend(), request());
    expect(events).toHaveLength(1);
    const error = (events[0] as { error: BackendError }).error;
    expect(error.status).toBe(429);
    expect(error.message).toBe('Rate limit reached for gpt-5.4');
  });

  it('keeps a 429 with its Retry-After', async () => {
    server.reply({
      status: 429,
      headers: { 'retry-after': '20' },
      body: JSON.stringify({ error: { message: 'Rate limit reached for gpt-5.4 on tokens per min (TPM).', type: 'tokens', param: null, code: 'rate_limit_exceeded' } }),
    });
    const events = await collectEvents(backend(), request());
    expect(events).toHaveLength(1);
    const error = (events[0] as { error: BackendError }).error;
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe('20');
    expect(error.code).toBe('rate_limit_exceeded');
  });

  it('closes the upstream socket when the request is aborted mid-stream', async () => {
    const body = 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel","logprobs":[]}\n\n';
    server.reply({ body, hold: true, headers: { 'content-type': 'text/event-stream' } });
    const controller = new AbortController();
    const seen: ModelEvent[] = [];
    let closed: Promise<void> | undefined;
    for await (const event of backend().stream(request({ signal: controller.signal }))) {
      seen.push(event);
      if (event.type === 'text-delta') {
        closed = server.requests.at(-1)!.closed;
        controller.abort();
      }
    }
    expect(seen[0]).toEqual({ type: 'text-delta', text: 'Hel' });
    expect(seen.at(-1)).toMatchObject({ type: 'error', error: { status: 499 } });
    await expect(withTimeout(closed)).resolves.toBeUndefined();
  });

  it('sends every message and tool kind in the Responses shape', async () => {
    server.reply({ sse: fixture('text-reasoning') });
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    await collectEvents(
      backend(),
      request({
        messages: [
          { role: 'system', content: 'You are Codex.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Fix this.' },
              { type: 'image', url: png, detail: 'high' },
              { type: 'image', url: 'https://example.com/shot.png' },
              { type: 'file', filename: 'main.ts', text: 'let x = 1' },
            ],
          },
          {
            role: 'assistant',
            content: 'Looking.',
            reasoning: 'summary text',
            reasoningState: { encryptedContent: ENCRYPTED },
            toolCalls: [
              { callId: 'call_a', name: 'exec_command', arguments: '{"cmd":"ls"}', kind: 'function' },
              { callId: 'call_b', name: 'apply_patch', arguments: '*** Begin Patch\n*** End Patch', kind: 'custom' },
            ],
          },
          { role: 'tool', callId: 'call_a', name: 'exec_command', kind: 'function', content: [{ type: 'text', text: 'main.ts\n' }] },
          { role: 'tool', callId: 'call_b', kind: 'custom', content: [{ type: 'text', text: 'Done!' }, { type: 'image', url: png }] },
          { role: 'assistant', content: 'Fixed.', reasoningState: { signature: 'anthropic-only' } },
          { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
        ],
        tools: [
          { kind: 'function', name: 'exec_command', description: 'Run a command.', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false },
          { kind: 'function', name: 'view_image', parameters: { type: 'object', properties: {} } },
          { kind: 'custom', name: 'apply_patch', description: 'Edit files.', grammar: { syntax: 'lark', definition: 'start: begin_patch hunk+ end_patch' } },
          { kind: 'custom', name: 'note' },
        ],
        toolChoice: { name: 'apply_patch' },
        parallelToolCalls: false,
        maxOutputTokens: 4000,
        temperature: 0.2,
        topP: 0.8,
        stop: ['ignored'],
        seed: 7,
        responseFormat: { type: 'json_schema', name: 'result', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
        reasoning: { effort: 'xhigh', summary: 'detailed' },
        promptCacheKey: 'thread-1',
        user: 'user-9',
      }),
    );
    expect(server.requests.at(-1)!.body).toEqual({
      model: 'gpt-5.4',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Fix this.' },
            { type: 'input_image', image_url: png, detail: 'high' },
            { type: 'input_image', image_url: 'https://example.com/shot.png', detail: 'auto' },
            { type: 'input_text', text: '<file name="main.ts">\nlet x = 1\n</file>' },
          ],
        },
        { type: 'reasoning', summary: [], encrypted_content: ENCRYPTED },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
        { type: 'function_call', call_id: 'call_a', name: 'exec_command', arguments: '{"cmd":"ls"}' },
        { type: 'custom_tool_call', call_id: 'call_b', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
        { type: 'function_call_output', call_id: 'call_a', output: 'main.ts\n' },
        { type: 'custom_tool_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: 'Done!' }, { type: 'input_image', image_url: png, detail: 'auto' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Fixed.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
      ],
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      tools: [
        { type: 'function', name: 'exec_command', description: 'Run a command.', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false },
        { type: 'function', name: 'view_image', parameters: { type: 'object', properties: {} } },
        { type: 'custom', name: 'apply_patch', description: 'Edit files.', format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch hunk+ end_patch' } },
        { type: 'custom', name: 'note', format: { type: 'text' } },
      ],
      tool_choice: { type: 'custom', name: 'apply_patch' },
      parallel_tool_calls: false,
      max_output_tokens: 4000,
      temperature: 0.2,
      top_p: 0.8,
      text: { format: { type: 'json_schema', name: 'result', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
      reasoning: { effort: 'xhigh', summary: 'detailed' },
      prompt_cache_key: 'thread-1',
      user: 'user-9',
    });
  });

  it('maps the other tool choices and the json_object format', async () => {
    const tools: ModelRequest['tools'] = [{ kind: 'function', name: 'f', parameters: { type: 'object' } }];
    for (const [toolChoice, expected] of [
      ['auto', 'auto'],
      ['none', 'none'],
      ['required', 'required'],
      [{ name: 'f' }, { type: 'function', name: 'f' }],
    ] as const) {
      server.reply({ sse: fixture('incomplete') });
      await collectEvents(backend(), request({ tools, toolChoice, responseFormat: { type: 'json_object' } }));
      const body = server.requests.at(-1)!.body as Record<string, unknown>;
      expect(body.tool_choice).toEqual(expected);
      expect(body.parallel_tool_calls).toBe(true);
      expect(body.text).toEqual({ format: { type: 'json_object' } });
    }
  });

  it('forwards a call sent whole in output_item.done', async () => {
    const item = { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '{"a":1}' };
    const body =
      `data: {"type":"response.output_item.done","output_index":0,"item":${JSON.stringify(item)}}\n\n` +
      'data: {"type":"response.completed","response":{"usage":{"input_tokens":5,"output_tokens":3}}}\n\ndata: [DONE]\n\n';
    server.reply({ body, headers: { 'content-type': 'text/event-stream' } });
    expect(await collectEvents(backend(), request())).toEqual([
      { type: 'tool-call-start', index: 0, callId: 'call_1', name: 'f', kind: 'function' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 5, outputTokens: 3, cachedInputTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  it('lists models with GET /models, leaving out non-text models', async () => {
    server.reply({
      body: JSON.stringify({
        object: 'list',
        data: [
          { id: 'gpt-5.4', object: 'model', created: 1772668800, owned_by: 'system' },
          { id: 'text-embedding-3-large', object: 'model', created: 1705953180, owned_by: 'system' },
          { id: 'gpt-5.4-mini', object: 'model', created: 1772668800, owned_by: 'system' },
          { id: 'whisper-1', object: 'model', created: 1677532384, owned_by: 'openai-internal' },
        ],
      }),
    });
    expect(await backend().listModels!()).toEqual([{ id: 'gpt-5.4' }, { id: 'gpt-5.4-mini' }]);
    const sent = server.requests.at(-1)!;
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe('/v1/models');
    expect(sent.headers.authorization).toBe('Bearer sk-test');
  });

  it('reads the key from OPENAI_API_KEY by default', async () => {
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-from-env';
    try {
      server.reply({ sse: fixture('incomplete') });
      await collectEvents(createOpenAIResponsesBackend('openai', { type: 'openai-responses', baseURL: server.baseURL }), request());
      expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer sk-from-env');
    } finally {
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
    }
  });
});
