import { Ajv } from 'ajv';
import { getLlama, resolveChatWrapper } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGrammar } from '../../engine/grammar/index.js';
import { forceThinkingBudget } from '../../engine/reasoning/budget-forcing.js';
import type { ModelEvent, ModelMessage, ModelRequest, ModelTool } from '../types.js';
import { COMPACT_TOOL_CALL_TEMPLATE, makeModelsDir, THINK_TAGS_TEMPLATE, THINKING_SWITCH_TEMPLATE, type ModelsDir } from './__fixtures__/models-dir.js';
import { toChatHistory } from './chat-history.js';
import { createLlamaCppBackend, type LlamaCppBackend } from './index.js';

let models: ModelsDir;
let backend: LlamaCppBackend;

beforeAll(() => {
  models = makeModelsDir({
    tiny: {},
    hello: { script: 'Hi there!' },
    alphabet: { script: 'abcdefghijklmnopqrstuvwxyz' },
    caller: { script: 'Hi<tool_call>{"name": "', chatTemplate: COMPACT_TOOL_CALL_TEMPLATE },
    thinker: { script: '<think>ok</think>Hi!', chatTemplate: THINK_TAGS_TEMPLATE },
    // Thinks "abcdefgh", then answers "Ok."; one template can turn thinking off, the other cannot.
    pondering: { script: '<think>abcdefgh</think>Ok.', chatTemplate: THINK_TAGS_TEMPLATE },
    switchable: { script: '<think>abcdefgh</think>Ok.', chatTemplate: THINKING_SWITCH_TEMPLATE },
    waiter: { script: '<think>Wait</think>Ok.', chatTemplate: THINK_TAGS_TEMPLATE },
  });
  // Tool documentation makes prompts ~950 tokens long: the context leaves room for the answer.
  backend = createLlamaCppBackend('local', { type: 'llama-cpp', modelsDir: models.dir, gpu: false, threads: 1, contextSize: 2048, parallelSequences: 2 });
});

afterAll(async () => {
  await backend?.close?.();
  models?.remove();
});

const user = (text: string): ModelMessage => ({ role: 'user', content: [{ type: 'text', text }] });

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'tiny',
    messages: [user('Hello there')],
    tools: [],
    toolChoice: 'auto',
    parallelToolCalls: true,
    responseFormat: { type: 'text' },
    signal: new AbortController().signal,
    maxOutputTokens: 64,
    seed: 1,
    ...overrides,
  };
}

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const text = (events: ModelEvent[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
const finish = (events: ModelEvent[]) => events.find((event): event is Extract<ModelEvent, { type: 'finish' }> => event.type === 'finish');
const failure = (events: ModelEvent[]) => events.find((event): event is Extract<ModelEvent, { type: 'error' }> => event.type === 'error')?.error;

/** Tool calls of a turn, with their arguments joined. */
function toolCalls(events: ModelEvent[]): { name: string; kind: string; arguments: string }[] {
  const calls = new Map<number, { name: string; kind: string; arguments: string }>();
  for (const event of events) {
    if (event.type === 'tool-call-start') calls.set(event.index, { name: event.name, kind: event.kind, arguments: '' });
    if (event.type === 'tool-call-delta') calls.get(event.index)!.arguments += event.argumentsDelta;
  }
  return [...calls.values()];
}

describe('models and the chat template', () => {
  it('lists the GGUF files of the models folder with their serving context', async () => {
    expect(await backend.listModels!()).toEqual([
      { id: 'alphabet', contextWindow: 2048 },
      { id: 'caller', contextWindow: 2048 },
      { id: 'hello', contextWindow: 2048 },
      { id: 'pondering', contextWindow: 2048 },
      { id: 'switchable', contextWindow: 2048 },
      { id: 'thinker', contextWindow: 2048 },
      { id: 'tiny', contextWindow: 2048 },
      { id: 'waiter', contextWindow: 2048 },
    ]);
  });

  it("renders the conversation with the GGUF's own chat template", async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    const model = await llama.loadModel({ modelPath: models.path('tiny') });
    try {
      const wrapper = resolveChatWrapper(model);
      expect(wrapper.wrapperName).toBe('JinjaTemplate');
      const messages: ModelMessage[] = [user('Hello there')];
      const rendered = wrapper.generateContextState({ chatHistory: toChatHistory(messages) }).contextText.toString();
      // The template's own default system line: nothing but this GGUF's template says it.
      expect(rendered).toBe('<|im_start|>system\nYou are Tiny, a test model.<|im_end|>\n<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n');
      const events = await collect(backend.stream(request({ messages, maxOutputTokens: 1 })));
      expect(finish(events)?.usage?.inputTokens).toBe(model.tokenize(rendered, true).length);
    } finally {
      await model.dispose();
    }
  });
});

describe('generation', () => {
  it('streams text as it is generated, then finishes', async () => {
    const events = await collect(backend.stream(request({ model: 'hello' })));
    expect(events.filter((event) => event.type === 'text-delta').length).toBeGreaterThan(2);
    expect(text(events)).toBe('Hi there!');
    expect(finish(events)).toEqual({ type: 'finish', reason: 'stop', usage: { inputTokens: expect.any(Number), cachedInputTokens: expect.any(Number), outputTokens: 5 } });
  });

  it('stops at max_output_tokens with finish reason length, and at stop sequences', async () => {
    const long = await collect(backend.stream(request({ model: 'alphabet', maxOutputTokens: 5 })));
    expect(text(long)).toBe('abcde');
    expect(finish(long)?.reason).toBe('length');
    const stopped = await collect(backend.stream(request({ model: 'alphabet', stop: ['fg'] })));
    expect(text(stopped)).toBe('abcde');
    expect(finish(stopped)?.reason).toBe('stop');
  });

  it('stops generating when the request is cancelled, and frees the sequence', async () => {
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of backend.stream(request({ model: 'alphabet', signal: controller.signal }))) {
      events.push(event);
      if (events.length === 3) controller.abort();
    }
    expect(text(events)).toBe('abc');
    expect(finish(events)).toBeUndefined();
    expect(backend.loadedModels().find((model) => model.name === 'alphabet')?.busySequences).toBe(0);
    expect(text(await collect(backend.stream(request({ model: 'alphabet' }))))).toBe('abcdefghijklmnopqrstuvwxyz');
    const aborted = new AbortController();
    aborted.abort();
    expect(await collect(backend.stream(request({ model: 'alphabet', signal: aborted.signal })))).toEqual([]);
  });

  it('samples reproducibly with a seed, and differently with another', async () => {
    const run = async (seed: number) => text(await collect(backend.stream(request({ temperature: 1, seed, maxOutputTokens: 24 }))));
    const first = await run(7);
    expect(first.length).toBeGreaterThan(0);
    expect(await run(7)).toBe(first);
    expect(await run(8)).not.toBe(first);
  });

  it('runs parallel requests on the sequences of one loaded model', async () => {
    const streams = [0, 1].map(() => backend.stream(request({ model: 'alphabet' }))[Symbol.asyncIterator]());
    const firsts = await Promise.all(streams.map((stream) => stream.next()));
    expect(firsts.map((result) => (result.value as ModelEvent).type)).toEqual(['text-delta', 'text-delta']);
    expect(backend.loadedModels().find((model) => model.name === 'alphabet')?.busySequences).toBe(2);
    // A third request waits for a free sequence and then runs.
    const third = collect(backend.stream(request({ model: 'alphabet' })));
    const rests = await Promise.all(
      streams.map(async (stream, index) => {
        let all = (firsts[index].value as Extract<ModelEvent, { type: 'text-delta' }>).text;
        for (let next = await stream.next(); !next.done; next = await stream.next()) if (next.value.type === 'text-delta') all += next.value.text;
        return all;
      }),
    );
    expect(rests).toEqual(['abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz']);
    expect(text(await third)).toBe('abcdefghijklmnopqrstuvwxyz');
  });

  it('streams what the model writes between <think> and </think> as reasoning', async () => {
    const reasoning = (events: ModelEvent[]) => events.flatMap((event) => (event.type === 'reasoning-delta' ? [event.text] : [])).join('');
    const marked = await collect(backend.stream(request({ model: 'thinker' })));
    expect([reasoning(marked), text(marked)]).toEqual(['ok', 'Hi!']);
    // The thought goes back to the template as a thought segment of the earlier turn.
    const next = await collect(backend.stream(request({ model: 'thinker', messages: [user('Hi'), { role: 'assistant', content: 'Hi!', reasoning: 'ok' }, user('Again')] })));
    expect(text(next)).toBe('Hi!');
  });

  it('reuses the evaluated prefix of a conversation', async () => {
    const messages = [user('What is up?')];
    const first = await collect(backend.stream(request({ model: 'hello', messages })));
    const second = await collect(backend.stream(request({ model: 'hello', messages: [...messages, { role: 'assistant', content: text(first) }, user('And then?')] })));
    expect(finish(second)?.usage?.cachedInputTokens).toBeGreaterThan(finish(first)!.usage!.inputTokens - 2);
  });

  it('refuses images, and conversations longer than the context, as bad requests', async () => {
    const image = await collect(backend.stream(request({ messages: [{ role: 'user', content: [{ type: 'image', url: 'data:image/png;base64,AAAA' }] }] })));
    expect(failure(image)).toMatchObject({ status: 400, code: 'unsupported_image' });
    const long = await collect(backend.stream(request({ messages: [user('word '.repeat(5000))] })));
    expect(failure(long)).toMatchObject({ status: 400, code: 'context_length_exceeded' });
  });

  it('answers 404 for a model that is not there', async () => {
    const events = await collect(backend.stream(request({ model: 'nope' })));
    expect(failure(events)).toMatchObject({ status: 404, code: 'model_not_found' });
    expect(failure(events)?.message).toContain('kestrel pull');
  });
});

describe('reasoning', () => {
  const reasoning = (events: ModelEvent[]) => events.flatMap((event) => (event.type === 'reasoning-delta' ? [event.text] : [])).join('');
  const thought = (events: ModelEvent[]) => [reasoning(events), text(events)];

  it("effort none turns thinking off through the template's enable_thinking; other levels think", async () => {
    const thinking = await collect(backend.stream(request({ model: 'switchable', reasoning: { effort: 'medium', budgetTokens: 4096 } })));
    expect(thought(thinking)).toEqual(['abcdefgh', 'Ok.']);
    expect(finish(thinking)?.usage?.reasoningTokens).toBe(9);
    // The template starts the turn with an empty thought ("<think></think>", two tokens), so the model answers at once.
    const off = await collect(backend.stream(request({ model: 'switchable', reasoning: { effort: 'none', budgetTokens: 0 } })));
    expect(thought(off)).toEqual(['', 'Ok.']);
    expect(finish(off)?.usage?.inputTokens).toBe(finish(thinking)!.usage!.inputTokens + 2);
  });

  it('reports the levels of a loaded model: all but none when its thinking cannot be turned off', async () => {
    expect(backend.reasoningEfforts!('pondering')).toBeUndefined();
    await collect(backend.stream(request({ model: 'pondering' })));
    expect(backend.reasoningEfforts!('pondering')).toEqual(['minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
    await collect(backend.stream(request({ model: 'switchable', maxOutputTokens: 1 })));
    expect(backend.reasoningEfforts!('switchable')).toBeUndefined();
    expect(backend.reasoningEfforts!('nope')).toBeUndefined();
    expect(backend.continuesReasoning).toBe(true);
  });

  it('caps the thought at reasoning.budgetTokens: the thought is closed there and the model answers', async () => {
    const capped = await collect(backend.stream(request({ model: 'pondering', reasoning: { effort: 'low', budgetTokens: 3 } })));
    expect(thought(capped)).toEqual(['abc', 'Ok.']);
    expect(capped.filter((event) => event.type === 'reasoning-delta').at(-1)).toMatchObject({ budgetReached: true });
    // <think>, a b c, the inserted </think>, O k .
    expect(finish(capped)?.usage).toMatchObject({ outputTokens: 8, reasoningTokens: 3 });
    // A model that cannot turn thinking off still thinks no token at a budget of 0.
    const none = await collect(backend.stream(request({ model: 'pondering', reasoning: { effort: 'none', budgetTokens: 0 } })));
    expect(thought(none)).toEqual(['', 'Ok.']);
    const free = await collect(backend.stream(request({ model: 'pondering' })));
    expect(thought(free)).toEqual(['abcdefgh', 'Ok.']);
    expect(free.some((event) => event.type === 'reasoning-delta' && event.budgetReached)).toBe(false);
  });

  it('continues a partial thought, or answers after a closed one (budget forcing)', async () => {
    const on = await collect(backend.stream(request({ model: 'pondering', continuation: { reasoning: 'abc', thinkingClosed: false } })));
    expect(thought(on)).toEqual(['defgh', 'Ok.']);
    const closed = await collect(backend.stream(request({ model: 'pondering', continuation: { reasoning: 'abc', thinkingClosed: true } })));
    expect(thought(closed)).toEqual(['', 'Ok.']);
    // The continued thought counts against the budget.
    const budgeted = await collect(backend.stream(request({ model: 'pondering', reasoning: { effort: 'low', budgetTokens: 5 }, continuation: { reasoning: 'abc', thinkingClosed: false } })));
    expect(thought(budgeted)).toEqual(['de', 'Ok.']);
  });

  it("the engine's budget forcing extends the thought with \"Wait\" (xhigh: twice)", async () => {
    const signal = new AbortController().signal;
    const events = await collect(
      forceThinkingBudget((continuation, callSignal) => backend.stream(request({ model: 'waiter', reasoning: { effort: 'xhigh', budgetTokens: 64 }, continuation, signal: callSignal })), {
        policy: { capTokens: 64, maxExtensions: 2 },
        signal,
      }),
    );
    expect(thought(events)).toEqual(['Wait\nWait\nWait', 'Ok.']);
    expect(finish(events)?.reason).toBe('stop');
  });
});

describe('tool calls under grammars (random weights)', () => {
  const weather: ModelTool = {
    kind: 'function',
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', enum: ['Paris', 'Oslo', 'Lima'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
        units: { type: 'object', properties: { metric: { type: 'boolean' } }, required: ['metric'] },
        note: { type: 'string', maxLength: 12 },
      },
      required: ['city', 'days', 'units'],
      additionalProperties: false,
    },
  };
  const search: ModelTool = { kind: 'function', name: 'search', parameters: { type: 'object', properties: { query: { type: 'string', maxLength: 10 }, limit: { type: 'integer', minimum: 1, maximum: 50 } }, required: ['query'] } };
  const calc: ModelTool = { kind: 'custom', name: 'calc', description: 'Arithmetic', grammar: { syntax: 'lark', definition: 'start: OP " " NUM " " NUM\nOP: "add" | "sub" | "mul"\nNUM: DIGIT~1..4\n%import common.DIGIT' } };
  const ajv = new Ajv({ strict: false });

  it.each([1, 2, 3, 4, 5, 6])('tool_choice required (seed %i): the call parses and matches its schema', async (seed) => {
    const events = await collect(backend.stream(request({ tools: [weather, search], toolChoice: 'required', temperature: 1, seed, maxOutputTokens: 200 })));
    const calls = toolCalls(events);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) {
      const schema = (call.name === 'get_weather' ? weather : search) as Extract<ModelTool, { kind: 'function' }>;
      const validate = ajv.compile(schema.parameters);
      expect(validate(JSON.parse(call.arguments)), call.arguments).toBe(true);
    }
    expect(finish(events)?.reason).toBe('tool_calls');
  });

  it('a named tool_choice calls that tool', async () => {
    for (const seed of [1, 2, 3]) {
      const calls = toolCalls(await collect(backend.stream(request({ tools: [weather, search], toolChoice: { name: 'search' }, temperature: 1, seed, maxOutputTokens: 200 }))));
      expect(calls[0].name).toBe('search');
    }
  });

  it("a custom tool's input follows its Lark grammar", async () => {
    const grammar = compileGrammar({ syntax: 'lark', definition: calc.kind === 'custom' ? calc.grammar!.definition : '' });
    for (const seed of [1, 2, 3, 4]) {
      const calls = toolCalls(await collect(backend.stream(request({ tools: [calc], toolChoice: 'required', temperature: 1, seed, maxOutputTokens: 200, parallelToolCalls: false }))));
      expect(calls).toHaveLength(1);
      expect(calls[0].kind).toBe('custom');
      expect(grammar.check(calls[0].arguments), calls[0].arguments).toEqual({ ok: true });
    }
  });

  it('with tool_choice auto, switches to the grammars when the model writes the tool-call prefix', async () => {
    const events = await collect(backend.stream(request({ model: 'caller', tools: [weather], temperature: 0.7, maxOutputTokens: 200 })));
    expect(text(events)).toBe('Hi');
    const calls = toolCalls(events);
    expect(calls.map((call) => call.name)).toEqual(['get_weather']);
    expect(ajv.compile((weather as Extract<ModelTool, { kind: 'function' }>).parameters)(JSON.parse(calls[0].arguments))).toBe(true);
    expect(finish(events)?.reason).toBe('tool_calls');
  });

  it('with tool_choice none, the same model only writes text', async () => {
    const events = await collect(backend.stream(request({ model: 'caller', tools: [weather], toolChoice: 'none' })));
    expect(toolCalls(events)).toEqual([]);
    expect(text(events)).toBe('Hi<tool_call>{"name": "');
  });

  it('continues a conversation after tool results', async () => {
    const messages: ModelMessage[] = [
      user('Weather in Paris?'),
      { role: 'assistant', content: '', toolCalls: [{ callId: 'call_1', name: 'get_weather', arguments: '{"city":"Paris","days":1,"units":{"metric":true}}', kind: 'function' }] },
      { role: 'tool', callId: 'call_1', kind: 'function', content: [{ type: 'text', text: '{"temperature": 21}' }] },
    ];
    const events = await collect(backend.stream(request({ model: 'hello', messages, tools: [weather] })));
    expect(text(events)).toBe('Hi there!');
  });

  it('text.format json_schema: the answer is JSON valid for the schema', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string', maxLength: 10 }, confidence: { type: 'number', minimum: 0, maximum: 1 }, tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 3 } }, required: ['answer', 'confidence', 'tags'], additionalProperties: false };
    const validate = ajv.compile(schema);
    for (const seed of [1, 2, 3, 4]) {
      const events = await collect(backend.stream(request({ responseFormat: { type: 'json_schema', name: 'reply', schema, strict: true }, temperature: 1, seed, maxOutputTokens: 200 })));
      expect(validate(JSON.parse(text(events))), text(events)).toBe(true);
      expect(finish(events)?.reason).toBe('stop');
    }
    const object = await collect(backend.stream(request({ responseFormat: { type: 'json_object' }, temperature: 1, seed: 9, maxOutputTokens: 300 })));
    if (finish(object)?.reason === 'stop') expect(JSON.parse(text(object))).toBeTypeOf('object');
    else expect(text(object).startsWith('{')).toBe(true);
  });
});

describe('tokenization and embeddings', () => {
  it("counts tokens exactly with the model's own tokenizer", async () => {
    // The fixture's BPE merges "h e" then "l l": three tokens, where o200k would count one.
    expect(await backend.countTokens!('tiny', 'hello')).toBe(3);
    expect(await backend.countTokens!('tiny', ' the')).toBe(1);
    expect(await backend.countTokens!('tiny', 'xyz')).toBe(3);
  });

  it('embeds texts as vectors of the model width', async () => {
    const [a, b, again] = await backend.embed!('tiny', ['hello world', 'a different text', 'hello world']);
    expect(a).toHaveLength(64);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(again).toEqual(a);
    expect(b).not.toEqual(a);
  });
});

describe('the model pool', () => {
  it('unloads idle models', async () => {
    const quick = createLlamaCppBackend('quick', { type: 'llama-cpp', modelsDir: models.dir, gpu: false, threads: 1, contextSize: 512, parallelSequences: 1, idleUnloadMs: 20 });
    try {
      await collect(quick.stream(request({ model: 'hello' })));
      expect(quick.loadedModels().map((model) => model.name)).toEqual(['hello']);
      await expect.poll(() => quick.loadedModels().length, { timeout: 5_000 }).toBe(0);
    } finally {
      await quick.close?.();
    }
  });

  it('keeps loaded models under the memory cap, unloading idle ones to make room', async () => {
    const probe = createLlamaCppBackend('probe', { type: 'llama-cpp', modelsDir: models.dir, gpu: false, threads: 1, contextSize: 512, parallelSequences: 1 });
    await collect(probe.stream(request({ model: 'hello' })));
    const bytes = probe.loadedModels()[0].bytes;
    await probe.close?.();
    const capped = createLlamaCppBackend('capped', { type: 'llama-cpp', modelsDir: models.dir, gpu: false, threads: 1, contextSize: 512, parallelSequences: 1, memoryCapBytes: Math.floor(bytes * 1.5) });
    try {
      expect(text(await collect(capped.stream(request({ model: 'hello' }))))).toBe('Hi there!');
      expect(text(await collect(capped.stream(request({ model: 'alphabet' }))))).toBe('abcdefghijklmnopqrstuvwxyz');
      expect(capped.loadedModels().map((model) => model.name)).toEqual(['alphabet']);
    } finally {
      await capped.close?.();
    }
    const tight = createLlamaCppBackend('tight', { type: 'llama-cpp', modelsDir: models.dir, gpu: false, threads: 1, contextSize: 512, parallelSequences: 1, memoryCapBytes: Math.floor(bytes / 2) });
    try {
      const events = await collect(tight.stream(request({ model: 'hello' })));
      expect(failure(events)).toMatchObject({ status: 500, code: 'model_too_large' });
      expect(failure(events)?.message).toMatch(/more than the llama-cpp backend's memory cap/);
    } finally {
      await tight.close?.();
    }
  });
});
