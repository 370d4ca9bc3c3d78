import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/server.js';
import { postRaw, splitSse } from '../../test-support/sse.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('POST /v1/chat/completions', () => {
  it('answers non-stream with message, tool calls and usage', async () => {
    server = await startTestServer({ script: [{ reasoning: 'hmm', text: 'Calling.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_1' }] }] });
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const res = await postRaw(`${server.baseURL}/chat/completions`, { model: 'qwen3:8b', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'weather?' }], tools });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('qwen3:8b');
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(body.choices[0].message).toMatchObject({ role: 'assistant', content: 'Calling.', reasoning_content: 'hmm', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(server.backend.calls[0].messages[0]).toEqual({ role: 'system', content: 'sys' });
  });

  it('streams chunks, tool call deltas, usage and [DONE]', async () => {
    server = await startTestServer({ script: [{ text: 'Hello world', toolCalls: [{ name: 'f', arguments: { a: 1 } }] }] });
    const res = await postRaw(`${server.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true }, tools: [{ type: 'function', function: { name: 'f' } }] });
    const blocks = splitSse(res.text);
    expect(blocks.at(-1)!.dataLines).toEqual(['[DONE]']);
    const chunks = blocks.slice(0, -1).map((block) => JSON.parse(block.dataLines[0]));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Hello world');
    const args = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? []).map((call: any) => call.function.arguments).join('');
    expect(JSON.parse(args)).toEqual({ a: 1 });
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish.choices[0].finish_reason).toBe('tool_calls');
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('keeps an upstream 429 a 429 and reports mid-stream errors in the stream', async () => {
    server = await startTestServer({ script: [{ error: { status: 429, message: 'busy', retryAfter: '3' } }, { text: 'part', error: { status: 500, message: 'boom' } }] });
    const limited = await postRaw(`${server.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    const broken = await postRaw(`${server.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    expect(broken.status).toBe(200);
    const last = splitSse(broken.text).filter((block) => block.dataLines[0] !== '[DONE]').at(-1)!;
    expect(JSON.parse(last.dataLines[0]).error.message).toBe('boom');
  });

  it('rejects bad bodies with the param and no backend call', async () => {
    server = await startTestServer({ script: [{ text: 'x' }] });
    const cases: [unknown, string][] = [
      [{ model: 'm', messages: [] }, 'messages'],
      [{ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'm', messages: [{ role: 'tool', content: 'x', tool_call_id: 'call_9' }] }, 'messages[0].tool_call_id'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'function', function: { name: 'none_such' } } }, 'tool_choice.function.name'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 3 }, 'n'],
    ];
    for (const [body, param] of cases) {
      const res = await postRaw(`${server.baseURL}/chat/completions`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(res.text).error.param).toBe(param);
    }
    expect(server.backend.calls).toHaveLength(0);
  });

  it('keeps a silent stream alive with SSE comments that clients ignore', async () => {
    server = await startTestServer({ script: [{ text: 'slow', chunkSize: 2, delayMs: 400 }], config: { server: { keepAliveMs: 150 } } });
    const res = await postRaw(`${server.baseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    expect(res.text).toContain(': keepalive\n\n');
    const chunks = splitSse(res.text).filter((block) => block.dataLines.length && block.dataLines[0] !== '[DONE]');
    expect(chunks.map((block) => JSON.parse(block.dataLines[0]).choices[0]?.delta?.content ?? '').join('')).toBe('slow');
  });
});
