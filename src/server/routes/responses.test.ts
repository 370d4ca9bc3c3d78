import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../backends/types.js';
import { startTestServer, type TestServer } from '../../test-support/server.js';
import { postRaw, responseEvents, splitSse } from '../../test-support/sse.js';
import type { ScriptedTurn } from '../../backends/scripted/index.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: ScriptedTurn[] | ((request: ModelRequest, index: number) => ScriptedTurn), extra: Partial<Parameters<typeof startTestServer>[0]> = {}) {
  server = await startTestServer({ script, ...extra });
  return server;
}

async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: { authorization: 'Bearer test', ...headers } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const OR_REQUIRED = ['id', 'object', 'created_at', 'completed_at', 'status', 'incomplete_details', 'model', 'previous_response_id', 'instructions', 'output', 'error', 'tools', 'tool_choice', 'truncation', 'parallel_tool_calls', 'text', 'top_p', 'presence_penalty', 'frequency_penalty', 'top_logprobs', 'temperature', 'reasoning', 'user', 'usage', 'max_output_tokens', 'max_tool_calls', 'store', 'background', 'service_tier', 'metadata', 'safety_identifier', 'prompt_cache_key'];

describe('POST /v1/responses', () => {
  it('answers a non-stream request with the full envelope', async () => {
    const s = await start([{ text: 'Hello there!' }]);
    const res = await postRaw(`${s.baseURL}/responses`, { model: 'gpt-5.4', input: 'Hi', metadata: { a: 'b' } });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    for (const key of OR_REQUIRED) expect(body, key).toHaveProperty(key);
    expect(body.id).toMatch(/^resp_/);
    expect(body.status).toBe('completed');
    expect(body.model).toBe('gpt-5.4');
    expect(body.metadata).toEqual({ a: 'b' });
    expect(body.output).toHaveLength(1);
    expect(body.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello there!', annotations: [] }] });
    expect(body.output[0].id).toMatch(/^msg_/);
    expect(body.usage.total_tokens).toBe(body.usage.input_tokens + body.usage.output_tokens);
    expect(s.backend.calls[0].messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('streams in the reference order with strict SSE framing', async () => {
    const s = await start([{ reasoning: 'Let me think about it.', text: 'The answer is 42.', toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }, { name: 'lookup', arguments: { q: 'y' } }] }]);
    const tools = [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }];
    const res = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'Q', stream: true, tools });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const blocks = splitSse(res.text);
    expect(blocks[blocks.length - 1].dataLines).toEqual(['[DONE]']);
    for (const block of blocks.slice(0, -1)) {
      expect(block.dataLines).toHaveLength(1);
      expect(JSON.parse(block.dataLines[0]).type).toBe(block.event);
    }
    const events = responseEvents(res.text);
    events.forEach((event, index) => expect(event.sequence_number).toBe(index));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types[types.length - 1]).toBe('response.completed');
    const expectedOrder = [
      'response.output_item.added', // reasoning
      'response.content_part.added',
      'response.reasoning_text.delta',
      'response.reasoning_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added', // message
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added', // call 1
      'response.function_call_arguments.delta',
      'response.output_item.added', // call 2
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
    ];
    const dedup = types.slice(2, -1).filter((type, index, all) => !(type.endsWith('.delta') && all[index - 1] === type));
    expect(dedup).toEqual(expectedOrder);
    const completed = events[events.length - 1].response as Record<string, any>;
    expect(completed.output.map((item: { type: string }) => item.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
    expect(completed.output[1].phase).toBe('commentary');
    expect(JSON.parse(completed.output[3].arguments)).toEqual({ q: 'y' });
  });

  it('carries history over previous_response_id, but not instructions', async () => {
    const s = await start([{ text: 'First answer' }, { text: 'Second answer' }]);
    const first = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'one', instructions: 'Be terse.' })).text);
    const second = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'two', previous_response_id: first.id })).text);
    expect(second.previous_response_id).toBe(first.id);
    expect(s.backend.calls[0].messages[0]).toEqual({ role: 'system', content: 'Be terse.' });
    expect(s.backend.calls[1].messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'one' }] },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
    ]);
  });

  it('persists nothing with store: false', async () => {
    const s = await start([{ text: 'x' }]);
    const body = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'hi', store: false })).text);
    expect(body.store).toBe(false);
    expect((await getJson(`${s.baseURL}/responses/${body.id}`)).status).toBe(404);
    const follow = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'again', previous_response_id: body.id });
    expect(follow.status).toBe(404);
    expect(JSON.parse(follow.text).error.param).toBe('previous_response_id');
  });

  it('retrieves, lists input items with cursors, and deletes', async () => {
    const s = await start([{ text: 'ok' }]);
    const input = [1, 2, 3, 4, 5].map((n) => ({ role: 'user', content: `m${n}` }));
    const body = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input })).text);
    const got = await getJson(`${s.baseURL}/responses/${body.id}`);
    expect(got.body.output[0].content[0].text).toBe('ok');
    const page1 = await getJson(`${s.baseURL}/responses/${body.id}/input_items?limit=2&order=asc`);
    expect(page1.body.data.map((item: any) => item.content[0].text)).toEqual(['m1', 'm2']);
    expect(page1.body.has_more).toBe(true);
    const page2 = await getJson(`${s.baseURL}/responses/${body.id}/input_items?limit=10&order=asc&after=${page1.body.last_id}`);
    expect(page2.body.data.map((item: any) => item.content[0].text)).toEqual(['m3', 'm4', 'm5']);
    expect(page2.body.has_more).toBe(false);
    const desc = await getJson(`${s.baseURL}/responses/${body.id}/input_items`);
    expect(desc.body.data[0].content[0].text).toBe('m5');
    const del = await fetch(`${s.baseURL}/responses/${body.id}`, { method: 'DELETE' });
    expect(await del.json()).toEqual({ id: body.id, object: 'response.deleted', deleted: true });
    expect((await getJson(`${s.baseURL}/responses/${body.id}`)).status).toBe(404);
  });

  it('ends incomplete at max_output_tokens', async () => {
    const s = await start([{ text: 'x'.repeat(400) }]);
    const body = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'long', max_output_tokens: 16 })).text);
    expect(body.status).toBe('incomplete');
    expect(body.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(body.output[0].status).toBe('incomplete');
    const streamed = responseEvents((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'long', max_output_tokens: 16, stream: true })).text);
    expect(streamed[streamed.length - 1].type).toBe('response.incomplete');
  });

  it('round-trips encrypted reasoning and refuses altered blobs', async () => {
    const s = await start([{ reasoning: 'secret chain of thought', text: 'done' }, { text: 'again' }]);
    const body = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q', store: false, include: ['reasoning.encrypted_content'] })).text);
    const reasoning = body.output[0];
    expect(reasoning.type).toBe('reasoning');
    expect(reasoning.encrypted_content).toMatch(/^ksl1\./);
    expect(reasoning.encrypted_content).not.toContain('secret');
    const replay = [{ role: 'user', content: 'q' }, reasoning, { ...body.output[1], phase: 'final_answer' }, { role: 'user', content: 'next' }];
    const ok = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: replay, store: false });
    expect(ok.status).toBe(200);
    expect(s.backend.calls[1].messages[1]).toMatchObject({ role: 'assistant', content: 'done', reasoning: 'secret chain of thought' });
    const tampered = { ...reasoning, encrypted_content: reasoning.encrypted_content.slice(0, -4) + 'AAAA' };
    const bad = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: [tampered, { role: 'user', content: 'x' }] });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error).toMatchObject({ param: 'input[0].encrypted_content', code: 'invalid_encrypted_content' });
    const without = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q' })).text);
    expect(without.output.find((item: any) => item.type === 'reasoning')?.encrypted_content).toBeUndefined();
  });

  it('preserves the phase of assistant messages it stores', async () => {
    const s = await start([{ text: 'ok' }]);
    const input = [{ type: 'message', role: 'assistant', phase: 'commentary', content: [{ type: 'output_text', text: 'working', annotations: [] }] }, { role: 'user', content: 'go on' }];
    const body = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input })).text);
    expect(body.output[0].phase).toBe('final_answer');
    const items = await getJson(`${s.baseURL}/responses/${body.id}/input_items?order=asc`);
    expect(items.body.data[0].phase).toBe('commentary');
  });

  it('checks custom tool input against its Lark grammar and has the model repair it', async () => {
    const grammar = 'start: "add " NUMBER " " NUMBER\n%import common.NUMBER';
    const s = await start([
      { toolCalls: [{ name: 'calc', kind: 'custom', arguments: 'add one two' }] },
      { toolCalls: [{ name: 'calc', kind: 'custom', arguments: 'add 1 2' }] },
    ]);
    const tools = [{ type: 'custom', name: 'calc', description: 'adds', format: { type: 'grammar', syntax: 'lark', definition: grammar } }];
    const res = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'add one and two', tools, stream: true });
    const events = responseEvents(res.text);
    const done = events[events.length - 1].response as Record<string, any>;
    expect(done.status).toBe('completed');
    expect(done.output).toHaveLength(1);
    expect(done.output[0]).toMatchObject({ type: 'custom_tool_call', name: 'calc', input: 'add 1 2' });
    expect(events.map((event) => event.type)).toContain('response.custom_tool_call_input.done');
    expect(s.backend.calls).toHaveLength(2);
    const feedback = s.backend.calls[1].messages.at(-1) as { role: string; content: { text: string }[] };
    expect(feedback.role).toBe('tool');
    expect(feedback.content[0].text).toMatch(/grammar|expected/i);
  });

  it('stops a grammar check that backtracks without end: the response fails as a 400 and the server keeps answering', async () => {
    // Nested quantifiers in a terminal: a backtracking engine needs ~2^40 steps to reject this input.
    const s = await start([{ toolCalls: [{ name: 'g', kind: 'custom', arguments: 'a'.repeat(40) }] }]);
    const tools = [{ type: 'custom', name: 'g', format: { type: 'grammar', syntax: 'lark', definition: 'start: X\nX: /(a+)+b/' } }];
    const pending = postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'x', tools });
    const health = await fetch(`${s.baseURL.replace(/\/v1$/, '')}/health`);
    expect(health.status).toBe(200);
    const res = await pending;
    expect(res.status).toBe(400);
    const error = JSON.parse(res.text).error;
    expect(error.code).toBe('grammar_check_timeout');
    expect(error.message).toMatch(/tool 'g'.*took longer than 2 s/);
  });

  it('gives error then response.failed when the backend fails mid-stream', async () => {
    const s = await start([{ text: 'partial answer', error: { status: 500, message: 'GPU fell over' } }]);
    const res = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q', stream: true });
    expect(res.status).toBe(200);
    const events = responseEvents(res.text);
    const types = events.map((event) => event.type);
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(events.at(-2)).toMatchObject({ message: 'GPU fell over' });
    expect(splitSse(res.text).at(-1)?.dataLines).toEqual(['[DONE]']);
    const failed = events.at(-1)!.response as Record<string, any>;
    expect(failed.status).toBe('failed');
    expect(failed.error.message).toBe('GPU fell over');
    const stored = await getJson(`${s.baseURL}/responses/${failed.id}`);
    expect(stored.body.status).toBe('failed');
  });

  it('keeps an upstream 429 a 429 with Retry-After, streamed or not', async () => {
    const s = await start([{ error: { status: 429, message: 'Slow down', retryAfter: '7' } }]);
    for (const stream of [false, true]) {
      const res = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q', stream });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(JSON.parse(res.text).error).toMatchObject({ message: 'Slow down', type: 'rate_limit_error' });
    }
  });

  it('aborts the model call when a streaming client disconnects and records it', async () => {
    let aborted = false;
    const s = await start((request) => {
      request.signal.addEventListener('abort', () => (aborted = true));
      return { text: 'x'.repeat(2000), chunkSize: 5, delayMs: 20 };
    });
    const controller = new AbortController();
    const res = await fetch(`${s.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'q', stream: true }), signal: controller.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('output_text.delta')) text += new TextDecoder().decode((await reader.read()).value);
    const id = /"id":"(resp_[0-9a-f]+)"/.exec(text)![1];
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(aborted).toBe(true);
    const stored = await getJson(`${s.baseURL}/responses/${id}`);
    expect(stored.body.status).toBe('cancelled');
  });

  it('sends keepalive events only after silence', async () => {
    const s = await start([{ text: 'slow', chunkSize: 4, delayMs: 400 }], { config: { server: { keepAliveMs: 150 } } });
    const res = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q', stream: true });
    const events = responseEvents(res.text);
    const keepalives = events.filter((event) => event.type === 'keepalive');
    expect(keepalives.length).toBeGreaterThan(0);
    expect(events[0].type).toBe('response.created');
    // Keepalives take their place in the numbering: strictly increasing throughout.
    events.forEach((event, index) => expect(event.sequence_number).toBe(index));
    const fast = responseEvents((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q', stream: true })).text);
    expect(fast.filter((event) => event.type === 'keepalive').length).toBeLessThanOrEqual(keepalives.length + 1);
  });

  it('runs background responses: queued, in_progress, completed; resumable stream; cancel', async () => {
    const s = await start([{ text: 'background answer', chunkSize: 4, delayMs: 10 }]);
    const queued = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q', background: true })).text);
    expect(queued.status).toBe('queued');
    expect(queued.background).toBe(true);
    const full = await fetch(`${s.baseURL}/responses/${queued.id}?stream=true`);
    const events = responseEvents(await full.text());
    expect(events.map((event) => event.type).slice(0, 3)).toEqual(['response.created', 'response.queued', 'response.in_progress']);
    expect(events.at(-1)!.type).toBe('response.completed');
    events.forEach((event, index) => expect(event.sequence_number).toBe(index));
    const resumed = responseEvents(await (await fetch(`${s.baseURL}/responses/${queued.id}?stream=true&starting_after=5`)).text());
    expect(resumed[0].sequence_number).toBe(6);
    expect(resumed.at(-1)!.type).toBe('response.completed');
    const done = await getJson(`${s.baseURL}/responses/${queued.id}`);
    expect(done.body.status).toBe('completed');
    expect(done.body.output[0].content[0].text).toBe('background answer');

    const slow = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q', background: true })).text);
    const cancelled = JSON.parse((await postRaw(`${s.baseURL}/responses/${slow.id}/cancel`, {})).text);
    expect(cancelled.status).toBe('cancelled');
    const notBackground = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'q' })).text);
    expect((await postRaw(`${s.baseURL}/responses/${notBackground.id}/cancel`, {})).status).toBe(400);
  });

  it('counts input tokens', async () => {
    const s = await start([{ text: 'x' }]);
    const res = JSON.parse((await postRaw(`${s.baseURL}/responses/input_tokens`, { model: 'm', input: 'Hello world', instructions: 'Be brief.' })).text);
    expect(res.object).toBe('response.input_tokens');
    expect(res.input_tokens).toBeGreaterThan(5);
    expect(res.input_tokens).toBeLessThan(30);
    expect(s.backend.calls).toHaveLength(0);
  });
});

describe('bad input', () => {
  it('names the param and never calls the backend', async () => {
    const s = await start([{ text: 'x' }]);
    const cases: [unknown, number, string | null][] = [
      [{ input: 'x' }, 400, 'model'],
      [{ model: 'm', input: 5 }, 400, 'input'],
      [{ model: 'm', input: [{ type: 'bogus' }] }, 400, 'input[0].type'],
      [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, 400, 'input[0].content[0].text'],
      [{ model: 'm', input: 'x', temperature: 3 }, 400, 'temperature'],
      [{ model: 'm', input: 'x', truncation: 'sometimes' }, 400, 'truncation'],
      [{ model: 'm', input: 'x', metadata: { k: 'v'.repeat(513) } }, 400, 'metadata.k'],
      [{ model: 'm', input: 'x', previous_response_id: 'resp_nope' }, 404, 'previous_response_id'],
      [{ model: 'm', input: [{ type: 'function_call_output', call_id: 'call_zzz', output: 'r' }] }, 400, 'input[0].call_id'],
      [{ model: 'm', input: 'x', tool_choice: { type: 'function', name: 'nope' } }, 400, 'tool_choice.name'],
      [{ model: 'm', input: 'x', tools: [{ type: 'custom', name: 'g', format: { type: 'grammar', syntax: 'lark', definition: 'start: (' } }] }, 400, 'tools[0].format.definition'],
      [{ model: 'm', input: 'x', background: true, store: false }, 400, 'background'],
      ['not json', 400, null],
    ];
    for (const [body, status, param] of cases) {
      const res = await postRaw(`${s.baseURL}/responses`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const error = JSON.parse(res.text).error;
      expect(error.param, JSON.stringify(body)).toBe(param);
      expect(typeof error.message).toBe('string');
      expect(typeof error.type).toBe('string');
    }
    expect(s.backend.calls).toHaveLength(0);
  });

  it('refuses oversize bodies with 413', async () => {
    const s = await start([{ text: 'x' }], { config: { server: { bodyLimit: 10_000 } } });
    const res = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe('request_too_large');
  });

  it('answers unknown routes with an OpenAI 404', async () => {
    const s = await start([{ text: 'x' }]);
    const res = await getJson(`${s.baseURL}/nope`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('/v1/nope');
  });
});

describe('auth', () => {
  it('requires a key and isolates owners', async () => {
    const s = await start([{ text: 'x' }], { apiKeys: ['key-alice-123', 'key-bob-4567'] });
    expect((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'x' }, { authorization: '' })).status).toBe(401);
    expect((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'x' }, { authorization: 'Bearer wrong-key' })).status).toBe(401);
    const alice = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'x' }, { authorization: 'Bearer key-alice-123' })).text);
    expect((await getJson(`${s.baseURL}/responses/${alice.id}`, { authorization: 'Bearer key-alice-123' })).status).toBe(200);
    expect((await getJson(`${s.baseURL}/responses/${alice.id}`, { authorization: 'Bearer key-bob-4567' })).status).toBe(404);
    const follow = await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'x', previous_response_id: alice.id }, { authorization: 'Bearer key-bob-4567' });
    expect(follow.status).toBe(404);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
  });

  it('another key can neither delete nor stop a running background response', async () => {
    const s = await start([{ text: 'x'.repeat(200), chunkSize: 10, delayMs: 10 }], { apiKeys: ['key-alice-123', 'key-bob-4567'] });
    const alice = { authorization: 'Bearer key-alice-123' };
    const queued = JSON.parse((await postRaw(`${s.baseURL}/responses`, { model: 'm', input: 'x', background: true }, alice)).text);
    const byBob = await fetch(`${s.baseURL}/responses/${queued.id}`, { method: 'DELETE', headers: { authorization: 'Bearer key-bob-4567' } });
    expect(byBob.status).toBe(404);
    const events = await (await fetch(`${s.baseURL}/responses/${queued.id}?stream=true`, { headers: alice })).text();
    expect(events).toContain('response.completed');
    const byAlice = await fetch(`${s.baseURL}/responses/${queued.id}`, { method: 'DELETE', headers: alice });
    expect(await byAlice.json()).toEqual({ id: queued.id, object: 'response.deleted', deleted: true });
  });
});
