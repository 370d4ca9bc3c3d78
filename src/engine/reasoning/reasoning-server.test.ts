import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScriptedTurn } from '../../backends/scripted/index.js';
import type { ModelMessage, ModelRequest } from '../../backends/types.js';
import type { ConfigFile } from '../../config/schema.js';
import { startTestServer, type TestServer } from '../../test-support/server.js';

/** Reasoning through the HTTP server with the real `openai` SDK and the scripted model. */

type Handler = (request: ModelRequest, index: number) => ScriptedTurn | Promise<ScriptedTurn>;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler: Handler, options: { config?: ConfigFile; apiKeys?: string[] } = {}): Promise<{ server: TestServer; client: OpenAI }> {
  server = await startTestServer({ script: (request, index) => handler(request, index), models: ['gpt-5.4'], config: options.config, apiKeys: options.apiKeys });
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: options.apiKeys?.[0] ?? 'test', maxRetries: 0 });
  return { server, client };
}

const textOf = (message: ModelMessage | undefined): string => {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
};
const lastUser = (request: ModelRequest) => textOf(request.messages.findLast((message) => message.role === 'user'));
const isPlan = (request: ModelRequest) => lastUser(request).includes('write a short plan');
const isJudge = (request: ModelRequest) => lastUser(request).includes('BEST: <the number');
const isSynthesis = (request: ModelRequest) => lastUser(request).includes('write the single best answer');

/** A promise with its resolver, to hold a scripted turn until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The answer text of a response from a stream event (the SDK adds `output_text` to non-stream results only). */
const outputText = (response: { output: { type: string; content?: unknown }[] }) =>
  response.output
    .flatMap((item) => (item.type === 'message' ? (item.content as { type: string; text?: string }[]) : []))
    .map((part) => part.text ?? '')
    .join('');

/** The text of every reasoning summary part, in order. */
const summaryParts = (events: ResponseStreamEvent[]) => events.flatMap((event) => (event.type === 'response.reasoning_summary_part.done' ? [event.part.text] : []));

describe('reasoning effort', () => {
  it('uses the nearest level the model has, tells the backend its budget, and echoes the level used', async () => {
    const { server, client } = await start(() => ({ text: 'ok' }), {
      config: { models: { small: { backend: 'scripted', model: 'small-q4', capabilities: { reasoningEfforts: ['none', 'low', 'medium'] } } } },
    });
    const response = await client.responses.create({ model: 'small', input: 'Hi', reasoning: { effort: 'minimal' } });
    expect(response.reasoning?.effort).toBe('low');
    expect(server.backend.calls[0].reasoning).toEqual({ effort: 'low', budgetTokens: 1024 });

    // xhigh maps down to medium: below `high`, so no Thinking plan either.
    const capped = await client.responses.create({ model: 'small', input: 'Hi', reasoning: { effort: 'xhigh' } });
    expect(capped.reasoning?.effort).toBe('medium');
    expect(server.backend.calls).toHaveLength(2);
    expect(server.backend.calls[1].reasoning).toMatchObject({ effort: 'medium', budgetTokens: 4096 });

    const plain = await client.responses.create({ model: 'small', input: 'Hi' });
    expect(plain.reasoning?.effort).toBeNull();
    expect(server.backend.calls[2].reasoning).toBeUndefined();

    // Chat Completions maps its reasoning_effort the same way.
    await client.chat.completions.create({ model: 'small', messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'high' });
    expect(server.backend.calls[3].reasoning).toEqual({ effort: 'medium', budgetTokens: 4096 });
  });

  it('config reasoning.planAtHighEffort false keeps plans to -thinking models', async () => {
    const { server, client } = await start((request) => (isPlan(request) ? { text: 'Plan.' } : { text: 'ok' }), { config: { reasoning: { planAtHighEffort: false } } });
    await client.responses.create({ model: 'gpt-5.4', input: 'Hi', reasoning: { effort: 'xhigh' } });
    expect(server.backend.calls).toHaveLength(1);
    await client.responses.create({ model: 'gpt-5.4-thinking', input: 'Hi' });
    expect(server.backend.calls.filter(isPlan)).toHaveLength(1);
  });
});

describe('budget forcing (backends that continue a turn)', () => {
  /** The scripted model, marked as able to continue a partial turn (as vLLM and llama.cpp servers are). */
  async function startContinuing(handler: Handler) {
    const { createScriptedBackend } = await import('../../backends/scripted/index.js');
    const local = Object.assign(createScriptedBackend({ name: 'local', script: (request, index) => handler(request, index) }), { continuesReasoning: true });
    server = await startTestServer({ script: () => ({ text: 'unused' }), backends: [local], config: { models: { qwen: { backend: 'local', model: 'qwen3-8b' } } } });
    return { local, client: new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 }) };
  }

  it('caps the thought at the effort budget and makes the model answer (low: 1024 tokens ≈ 4096 characters)', async () => {
    const { local, client } = await startContinuing((request) => (request.continuation ? { text: 'Answer after the cap.' } : { reasoning: 'x'.repeat(6000), text: 'never reached' }));
    const response = await client.responses.create({ model: 'qwen', input: 'Think a lot.', reasoning: { effort: 'low' } });
    expect(response.output_text).toBe('Answer after the cap.');
    const reasoning = response.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.content?.[0].text.length).toBe(4096);
    expect(local.calls).toHaveLength(2);
    expect(local.calls[1].continuation).toEqual({ reasoning: 'x'.repeat(4096), thinkingClosed: true });
    expect(local.calls[0].signal.aborted).toBe(true);
  });

  it('xhigh: a thought that ends early is extended with "Wait", twice at most', async () => {
    let thoughts = 0;
    const { local, client } = await startContinuing((request) =>
      isPlan(request) ? { text: 'Plan.' } : { reasoning: `thought ${++thoughts}.`, text: request.continuation?.reasoning.split('Wait').length === 3 ? 'Final answer.' : 'early' },
    );
    const response = await client.responses.create({ model: 'qwen', input: 'Hard problem.', reasoning: { effort: 'xhigh' } });
    expect(response.output_text).toBe('Final answer.');
    const reasoning = response.output.find((item) => item.type === 'reasoning' && Boolean(item.content?.length));
    expect(reasoning?.type === 'reasoning' && reasoning.content?.[0].text).toBe('thought 1.\nWaitthought 2.\nWaitthought 3.');
    // Thinking's plan call, then three calls of the forced thought.
    expect(local.calls.filter((call) => !isPlan(call)).map((call) => call.continuation?.thinkingClosed ?? null)).toEqual([null, false, false]);
  });
});

describe('reasoning items', () => {
  it('summary requested: the reasoning streams as reasoning_summary_* events; else as reasoning_text', async () => {
    const { client } = await start(() => ({ reasoning: 'Six times seven.', text: '42' }));
    const summarized = await collect(await client.responses.create({ model: 'gpt-5.4', input: '6×7?', reasoning: { summary: 'auto' }, stream: true }));
    const types = summarized.map((event) => event.type);
    expect(types).toContain('response.reasoning_summary_part.added');
    expect(types).toContain('response.reasoning_summary_text.delta');
    expect(types).not.toContain('response.reasoning_text.delta');
    expect(summaryParts(summarized)).toEqual(['Six times seven.']);

    const raw = await collect(await client.responses.create({ model: 'gpt-5.4', input: '6×7?', stream: true }));
    const rawTypes = raw.map((event) => event.type);
    expect(rawTypes).toContain('response.reasoning_text.delta');
    expect(rawTypes).not.toContain('response.reasoning_summary_part.added');
    const done = raw.find((event) => event.type === 'response.output_item.done' && event.item.type === 'reasoning');
    expect(done).toMatchObject({ item: { type: 'reasoning', content: [{ type: 'reasoning_text', text: 'Six times seven.' }] } });
  });

  it('encrypted_content round-trips: stateless clients send it back and the model gets its reasoning and state again', async () => {
    let turn = 0;
    const { server, client } = await start(() => (turn++ === 0 ? { reasoning: 'Secret thought.', text: 'First.' } : { text: 'Second.' }));
    const first = await client.responses.create({ model: 'gpt-5.4', input: 'One', store: false, include: ['reasoning.encrypted_content'] });
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.encrypted_content).toBeTruthy();
    await client.responses.create({ model: 'gpt-5.4', store: false, input: [{ role: 'user', content: 'One' }, ...(first.output as never[]), { role: 'user', content: 'Two' }] });
    const replayed = server.backend.calls[1].messages.find((message) => message.role === 'assistant');
    expect(replayed).toMatchObject({ role: 'assistant', content: 'First.', reasoning: 'Secret thought.' });
  });
});

describe('Thinking', () => {
  it('a -thinking model streams a short plan as a reasoning summary part first, then works at high effort following it', async () => {
    const { server, client } = await start((request) => (isPlan(request) ? { text: '1. Compute 17 × 3.\n2. Answer.' } : { text: '51' }));
    const events = await collect(await client.responses.create({ model: 'gpt-5.4-thinking', instructions: 'Be brief.', input: 'What is 17 × 3?', stream: true }));
    const completed = events.at(-1);
    expect(completed?.type).toBe('response.completed');
    if (completed?.type !== 'response.completed') return;
    expect(completed.response.model).toBe('gpt-5.4-thinking');
    expect(completed.response.reasoning?.effort).toBe('high');
    expect(completed.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(outputText(completed.response)).toBe('51');
    expect(summaryParts(events)).toEqual(['1. Compute 17 × 3.\n2. Answer.']);
    // The plan streams before the answer.
    const types = events.map((event) => event.type);
    expect(types.indexOf('response.reasoning_summary_text.delta')).toBeLessThan(types.indexOf('response.output_text.delta'));

    const [planCall, mainCall] = server.backend.calls;
    expect(planCall.model).toBe('gpt-5.4');
    expect(planCall.tools).toEqual([]);
    expect(mainCall.reasoning).toMatchObject({ effort: 'high' });
    expect(mainCall.messages[0]).toEqual({ role: 'system', content: 'Be brief.\n\nYour plan for this reply (follow it unless the user\'s later messages change course):\n1. Compute 17 × 3.\n2. Answer.' });
    expect(lastUser(mainCall)).toBe('What is 17 × 3?');
  });

  it('effort high plans too; a turn that continues with tool output does not plan again', async () => {
    const { server, client } = await start((request) => (isPlan(request) ? { text: 'Plan: call the tool.' } : request.messages.at(-1)?.role === 'tool' ? { text: 'Sunny.' } : { toolCalls: [{ name: 'weather', arguments: { city: 'Oslo' }, callId: 'call_w1' }] }));
    const tools = [{ type: 'function' as const, name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
    const first = await client.responses.create({ model: 'gpt-5.4', input: 'Weather in Oslo?', tools, reasoning: { effort: 'high' } });
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    const second = await client.responses.create({ model: 'gpt-5.4', previous_response_id: first.id, tools, reasoning: { effort: 'high' }, input: [{ type: 'function_call_output', call_id: 'call_w1', output: '{"sky":"clear"}' }] });
    expect(second.output_text).toBe('Sunny.');
    expect(server.backend.calls.filter(isPlan)).toHaveLength(1);
    expect(server.backend.calls).toHaveLength(3);
  });
});

describe('steering: POST /v1/responses/{id}/input', () => {
  const steer = (id: string, body: unknown, key = 'test') =>
    fetch(`${server!.baseURL}/responses/${id}/input`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

  it('a message sent while the Thinking plan streams reaches the model before its next step, and is listed in input_items', async () => {
    const planGate = gate();
    const { server, client } = await start(async (request) => {
      if (isPlan(request)) {
        await planGate.promise;
        return { text: 'Plan: list three fruits.' };
      }
      return { text: 'Kiwi, mango, papaya.' };
    });
    const stream = await client.responses.create({ model: 'gpt-5.4-thinking', input: 'Name three fruits.', stream: true });
    const events: ResponseStreamEvent[] = [];
    let steered = false;
    for await (const event of stream) {
      events.push(event);
      if (!steered && event.type === 'response.reasoning_summary_part.added') {
        steered = true;
        const res = await steer(events[0].type === 'response.created' ? events[0].response.id : '', { role: 'user', content: 'Only tropical ones, please.' });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { object: string; data: { type: string; role: string; id: string }[] };
        expect(body.object).toBe('list');
        expect(body.data).toMatchObject([{ type: 'message', role: 'user' }]);
        planGate.open();
      }
    }
    const completed = events.at(-1);
    expect(completed?.type).toBe('response.completed');
    const mainCall = server.backend.calls[1];
    expect(mainCall.messages.filter((message) => message.role === 'user').map(textOf)).toEqual(['Name three fruits.', 'Only tropical ones, please.']);
    const id = completed?.type === 'response.completed' ? completed.response.id : '';
    const items = await client.responses.inputItems.list(id, { order: 'asc' });
    expect(items.data.map((item) => (item.type === 'message' ? item.content.map((part) => ('text' in part ? part.text : '')).join('') : item.type))).toEqual(['Name three fruits.', 'Only tropical ones, please.']);
  });

  it('input that comes during the last step gets a step of its own; after the end it is refused', async () => {
    const stepGate = gate();
    const { server, client } = await start(async (request, index) => {
      if (index === 0) {
        await stepGate.promise;
        return { text: 'A long essay on apples.' };
      }
      return { text: `Short: apples are fruit. (${lastUser(request)})` };
    });
    const stream = await client.responses.create({ model: 'gpt-5.4', input: 'Tell me about apples.', stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'response.in_progress') {
        expect((await steer(event.response.id, { input: 'Keep it short.' })).status).toBe(200);
        stepGate.open();
      }
    }
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error(`ended with ${completed?.type}`);
    expect(server.backend.calls).toHaveLength(2);
    expect(server.backend.calls[1].messages.map((message) => `${message.role}: ${textOf(message)}`)).toEqual(['user: Tell me about apples.', 'assistant: A long essay on apples.', 'user: Keep it short.']);
    const messages = completed.response.output.filter((item) => item.type === 'message');
    expect(messages.map((item) => item.type === 'message' && item.phase)).toEqual(['commentary', 'final_answer']);
    expect(outputText(completed.response)).toContain('Short: apples are fruit. (Keep it short.)');

    const late = await steer(completed.response.id, { input: 'Too late?' });
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'response_not_running', param: 'response_id' } });
  });

  it('background responses take steering input too, stored at once; another key gets a 404; bad input is a 400', async () => {
    const stepGate = gate();
    const { server, client } = await start(
      async (request, index) => {
        if (index === 0) await stepGate.promise;
        return { text: `Answer to: ${lastUser(request)}` };
      },
      { apiKeys: ['key-owner-1234', 'key-other-5678'] },
    );
    const queued = await client.responses.create({ model: 'gpt-5.4', input: 'First question', background: true });
    expect((await steer(queued.id, { input: 'Hello' }, 'key-other-5678')).status).toBe(404);
    expect((await steer('resp_unknown', { input: 'Hello' }, 'key-owner-1234')).status).toBe(404);
    const wrongRole = await steer(queued.id, { role: 'assistant', content: 'I am the model' }, 'key-owner-1234');
    expect(wrongRole.status).toBe(400);
    expect(await wrongRole.json()).toMatchObject({ error: { param: 'input[0].role' } });
    expect((await steer(queued.id, { input: [{ role: 'user', content: 'Second question' }] }, 'key-owner-1234')).status).toBe(200);
    const listed = await client.responses.inputItems.list(queued.id);
    expect(listed.data).toHaveLength(2);
    stepGate.open();
    let done = await client.responses.retrieve(queued.id);
    for (let tries = 0; done.status !== 'completed' && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      done = await client.responses.retrieve(queued.id);
    }
    expect(done.status).toBe('completed');
    expect(done.output_text).toContain('Answer to: Second question');
    expect(server.backend.calls).toHaveLength(2);
  });
});

describe('Pro', () => {
  /** Sample answers by call order; judge and synthesis calls answered apart. */
  function proScript(samples: ScriptedTurn[], others: { judge?: string; synthesis?: string } = {}): Handler {
    let next = 0;
    return (request) => {
      if (isJudge(request)) return { text: others.judge ?? 'BEST: 1' };
      if (isSynthesis(request)) return { text: others.synthesis ?? 'Synthesis.' };
      return samples[next++ % samples.length];
    };
  }

  it('a -pro model runs 4 samples at once, votes over normalised answers, streams progress, and reports every sample in usage', async () => {
    const { server, client } = await start(
      proScript([
        { text: 'The answer is 1,000.', usage: { inputTokens: 10, outputTokens: 5 } },
        { text: 'Answer: 999', usage: { inputTokens: 10, outputTokens: 4 } },
        { text: '**1000**', usage: { inputTokens: 10, outputTokens: 3 } },
        { text: 'so 1000.0', usage: { inputTokens: 10, outputTokens: 6 } },
      ]),
    );
    const events = await collect(await client.responses.create({ model: 'gpt-5.4-pro', input: 'What is 999 + 1?', stream: true }));
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error(`ended with ${completed?.type}`);
    expect(completed.response.model).toBe('gpt-5.4-pro');
    expect(outputText(completed.response)).toBe('The answer is 1,000.');
    expect(server.backend.calls).toHaveLength(4);
    expect(server.backend.calls.every((call) => call.model === 'gpt-5.4' && call.stream === false)).toBe(true);
    const progress = summaryParts(events);
    expect(progress[0]).toBe('Working on 4 candidate answers in parallel.');
    expect(progress).toContain('4 of 4 candidates done.');
    expect(progress.at(-1)).toBe('Chose the answer 3 of 4 candidates agree on.');
    const usage = completed.response.usage as typeof completed.response.usage & { pro_details: unknown };
    expect(usage).toMatchObject({ input_tokens: 40, output_tokens: 18, total_tokens: 58 });
    expect(usage.pro_details).toEqual({
      samples: [
        { input_tokens: 10, output_tokens: 5, reasoning_tokens: 0 },
        { input_tokens: 10, output_tokens: 4, reasoning_tokens: 0 },
        { input_tokens: 10, output_tokens: 3, reasoning_tokens: 0 },
        { input_tokens: 10, output_tokens: 6, reasoning_tokens: 0 },
      ],
      selection: { method: 'vote', input_tokens: 0, output_tokens: 0 },
    });
  });

  it('stops the remaining samples once the vote is decided', async () => {
    const { server, client } = await start(proScript([{ text: '42' }, { text: '42' }, { text: '42' }, { text: '41', delayMs: 60_000 }]));
    const response = await client.responses.create({ model: 'gpt-5.4-pro', input: '6 × 7?' });
    expect(response.output_text).toBe('42');
    expect(server.backend.calls).toHaveLength(4);
    expect(server.backend.calls[3].signal.aborted).toBe(true);
  });

  it('reasoning.mode "pro" works on any model; samples calling client tools give one coherent call chosen by the judge', async () => {
    const { server, client } = await start(
      proScript(
        [
          { toolCalls: [{ name: 'search', arguments: { q: 'oslo weather' }, callId: 'call_a' }] },
          { toolCalls: [{ name: 'search', arguments: { q: 'weather in Oslo today' }, callId: 'call_b' }] },
        ],
        { judge: 'BEST: 2' },
      ),
      { config: { reasoning: { pro: { samples: 2 } } } },
    );
    const tools = [{ type: 'function' as const, name: 'search', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false }];
    const response = await client.responses.create({ model: 'gpt-5.4', input: 'Weather in Oslo?', tools, reasoning: { mode: 'pro' } as never });
    const calls = response.output.filter((item) => item.type === 'function_call');
    expect(calls).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'call_b', name: 'search', arguments: '{"q":"weather in Oslo today"}' })]);
    const judge = server.backend.calls.find(isJudge)!;
    expect(judge.tools).toEqual([]);
    expect(lastUser(judge)).toContain('[calls the tool `search` with: {"q":"oslo weather"}]');
    expect((response.usage as unknown as { pro_details: { selection: { method: string } } }).pro_details.selection.method).toBe('judge');
  });

  it('long-form candidates are merged by a synthesis pass that streams as the answer', async () => {
    const { server, client } = await start(
      proScript([{ text: 'Rome grew through trade, roads and a strong army over many centuries.' }, { text: 'Rome expanded by conquest, alliances and citizenship offered to allies.' }], {
        synthesis: 'Rome grew by conquest, alliances, trade and roads.',
      }),
      { config: { reasoning: { pro: { samples: 2 } } } },
    );
    const response = await client.responses.create({ model: 'gpt-5.4-pro', input: 'How did Rome grow?' });
    expect(response.output_text).toBe('Rome grew by conquest, alliances, trade and roads.');
    const synthesis = server.backend.calls.find(isSynthesis)!;
    expect(lastUser(synthesis)).toContain('Rome grew through trade');
    expect(lastUser(synthesis)).toContain('Rome expanded by conquest');
    const progress = response.output[0];
    expect(progress.type === 'reasoning' && progress.summary.at(-1)?.text).toBe('Writing the final answer from the best of 2 candidates.');
    expect((response.usage as unknown as { pro_details: { selection: { method: string } } }).pro_details.selection.method).toBe('synthesis');
  });

  it('a configured verifier (test command) picks the candidate whose code passes, against the majority', async () => {
    const check = "import { add } from './solution.mjs';\nprocess.exit(add(2, 3) === 5 ? 0 : 1);\n";
    const { client } = await start(
      proScript([
        { text: '```js\nexport const add = (a, b) => a - b;\n```' },
        { text: '```js\nexport const add = (a, b) => a + b;\n```' },
        { text: '```js\nexport const add = (a, b) => a - b;\n```' },
      ]),
      { config: { reasoning: { pro: { samples: 3, verifiers: { 'node-add': { command: [process.execPath, 'check.mjs'], candidateFile: 'solution.mjs', files: { 'check.mjs': check } } } } } } },
    );
    const response = await client.responses.create({ model: 'gpt-5.4-pro', input: 'Write add(a, b) in JS.', reasoning: { verifier: 'node-add' } as never });
    expect(response.output_text).toContain('a + b');
    expect((response.usage as unknown as { pro_details: { selection: { method: string } } }).pro_details.selection.method).toBe('verifier');

    const unknown = client.responses.create({ model: 'gpt-5.4-pro', input: 'x', reasoning: { verifier: 'nope' } as never });
    await expect(unknown).rejects.toBeInstanceOf(BadRequestError);
    await expect(unknown).rejects.toMatchObject({ param: 'reasoning.verifier', code: 'unknown_verifier' });
  });

  it('cancelling a background Pro response stops every sample', async () => {
    const { server, client } = await start(() => ({ text: 'slow', delayMs: 60_000 }));
    const queued = await client.responses.create({ model: 'gpt-5.4-pro', input: 'Think hard.', background: true });
    for (let tries = 0; server.backend.calls.length < 4 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.backend.calls).toHaveLength(4);
    const cancelled = await client.responses.cancel(queued.id);
    expect(cancelled.status).toBe('cancelled');
    expect(server.backend.calls.every((call) => call.signal.aborted)).toBe(true);
  });

  it('a client disconnect stops every sample', async () => {
    const { server, client } = await start(() => ({ text: 'slow', delayMs: 60_000 }));
    const controller = new AbortController();
    const stream = await client.responses.create({ model: 'gpt-5.4-pro', input: 'Think hard.', stream: true }, { signal: controller.signal });
    const reading = (async () => {
      for await (const _event of stream) if (server.backend.calls.length === 4) controller.abort();
    })();
    await reading.catch(() => {});
    for (let tries = 0; !server.backend.calls.every((call) => call.signal.aborted) && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.backend.calls).toHaveLength(4);
    expect(server.backend.calls.every((call) => call.signal.aborted)).toBe(true);
  });

  it('an unknown response is a 404 for steering', async () => {
    await start(() => ({ text: 'x' }));
    const client = new OpenAI({ baseURL: server!.baseURL, apiKey: 'test', maxRetries: 0 });
    await expect(client.post('/responses/resp_nope/input', { body: { input: 'hi' } })).rejects.toBeInstanceOf(NotFoundError);
  });
});
