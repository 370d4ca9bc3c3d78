import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKestrel, type Kestrel } from '../../server/index.js';
import { makeModelsDir, THINK_TAGS_TEMPLATE, THINKING_SWITCH_TEMPLATE, type ModelsDir } from './__fixtures__/models-dir.js';

/** The local engine behind the HTTP API: real requests, real GGUF files (made here), bad files among them. */

let models: ModelsDir;
let kestrel: Kestrel;
let dataDir: string;
let client: OpenAI;

beforeAll(async () => {
  models = makeModelsDir({
    tiny: {},
    hello: { script: 'Hi there!' },
    pondering: { script: '<think>abcdefgh</think>Ok.', chatTemplate: THINK_TAGS_TEMPLATE },
    switchable: { script: '<think>abcdefgh</think>Ok.', chatTemplate: THINKING_SWITCH_TEMPLATE },
    waiter: { script: '<think>Wait</think>Ok.', chatTemplate: THINK_TAGS_TEMPLATE },
  });
  const whole = readFileSync(models.path('tiny'));
  writeFileSync(join(models.dir, 'not-gguf.gguf'), 'This is a text file that somebody named .gguf\n'.repeat(40));
  writeFileSync(join(models.dir, 'truncated.gguf'), whole.subarray(0, Math.floor(whole.length * 0.7)));
  writeFileSync(join(models.dir, 'cut-header.gguf'), whole.subarray(0, 3000));
  dataDir = mkdtempSync(join(tmpdir(), 'kestrel-llama-'));
  kestrel = await startKestrel({
    config: {
      backends: {
        local: { type: 'llama-cpp', modelsDir: models.dir, gpu: false, threads: 1, contextSize: 2048, parallelSequences: 2, files: { missing: join(models.dir, 'gone', 'missing.gguf') } },
        cramped: { type: 'llama-cpp', files: { big: models.path('tiny') }, memoryCapBytes: 1_000_000, gpu: false, threads: 1 },
      },
      models: { 'my-assistant': { backend: 'local', model: 'hello' } },
      // The scripted models would write the same text as a plan: plans are tested elsewhere.
      reasoning: { planAtHighEffort: false },
    },
    port: 0,
    dataDir,
    detectOllama: false,
    env: {},
    log: () => {},
  });
  client = new OpenAI({ baseURL: `${kestrel.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

afterAll(async () => {
  await kestrel?.close();
  models?.remove();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function post(body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`${kestrel.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a stream
  }
  return { status: response.status, json, text };
}

describe('local models over the Responses API', () => {
  it('lists every local model, its configured alias, and the bad files too (so requests for them get a clear answer)', async () => {
    const ids = (await client.models.list()).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['tiny', 'hello', 'my-assistant', 'not-gguf', 'truncated', 'cut-header', 'missing', 'big']));
  });

  it('answers with the local model, under its file name and under an alias', async () => {
    const response = await client.responses.create({ model: 'hello', input: 'Say hi' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hi there!');
    expect(response.usage?.output_tokens).toBe(5);
    expect((await client.responses.create({ model: 'my-assistant', input: 'Say hi' })).output_text).toBe('Hi there!');
  });

  it('streams the answer as Responses events', async () => {
    const stream = await client.responses.create({ model: 'hello', input: 'Say hi', stream: true });
    const deltas: string[] = [];
    let completed = false;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') deltas.push(event.delta);
      if (event.type === 'response.completed') completed = true;
    }
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('Hi there!');
    expect(completed).toBe(true);
  });

  it('calls a function with arguments valid for its schema (random weights, grammar-constrained)', async () => {
    const parameters = { type: 'object', properties: { city: { type: 'string', enum: ['Paris', 'Oslo'] }, days: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['city', 'days'], additionalProperties: false };
    const validate = new Ajv().compile(parameters);
    for (let round = 0; round < 3; round++) {
      const response = await client.responses.create({
        model: 'tiny',
        input: 'Weather?',
        tools: [{ type: 'function', name: 'get_weather', parameters, strict: true }],
        tool_choice: 'required',
        temperature: 1,
        max_output_tokens: 200,
      });
      const call = response.output.find((item) => item.type === 'function_call');
      expect(call, JSON.stringify(response.output)).toBeDefined();
      expect(validate(JSON.parse((call as { arguments: string }).arguments))).toBe(true);
    }
  });

  it('answers text.format json_schema with JSON valid for the schema', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' }, count: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['ok', 'count'], additionalProperties: false };
    const response = await client.responses.create({ model: 'tiny', input: 'Report', temperature: 1, max_output_tokens: 100, text: { format: { type: 'json_schema', name: 'report', schema, strict: true } } });
    expect(new Ajv().compile(schema)(JSON.parse(response.output_text))).toBe(true);
  });
});

describe('reasoning over the Responses API', () => {
  const reasoningText = (response: OpenAI.Responses.Response) =>
    response.output.flatMap((item) => (item.type === 'reasoning' ? (item.content ?? []).map((part) => part.text) : [])).join('');

  it('xhigh: the thought is extended with "Wait" twice (s1 budget forcing), then the model answers', async () => {
    const response = await client.responses.create({ model: 'waiter', input: 'Think hard', reasoning: { effort: 'xhigh' } });
    expect(reasoningText(response)).toBe('Wait\nWait\nWait');
    expect(response.output_text).toBe('Ok.');
    expect(response.reasoning?.effort).toBe('xhigh');
  });

  it("none turns thinking off through the template's switch; a model without one gets the nearest level", async () => {
    const off = await client.responses.create({ model: 'switchable', input: 'Quick', reasoning: { effort: 'none' } });
    expect(off.output.map((item) => item.type)).toEqual(['message']);
    expect(off.output_text).toBe('Ok.');
    expect(off.reasoning?.effort).toBe('none');
    const low = await client.responses.create({ model: 'switchable', input: 'Quick', reasoning: { effort: 'low' } });
    expect([reasoningText(low), low.output_text]).toEqual(['abcdefgh', 'Ok.']);
    expect(low.usage?.output_tokens_details?.reasoning_tokens).toBe(9);
    // Its levels are known once the model is loaded.
    await client.responses.create({ model: 'pondering', input: 'Load' });
    const nearest = await client.responses.create({ model: 'pondering', input: 'Quick', reasoning: { effort: 'none' } });
    expect(nearest.reasoning?.effort).toBe('minimal');
    expect([reasoningText(nearest), nearest.output_text]).toEqual(['abcdefgh', 'Ok.']);
  });
});

describe('bad model files', () => {
  const cases: [string, number, RegExp][] = [
    ['not-gguf', 500, /not-gguf\.gguf is not a GGUF file: it starts with \\?"This/],
    ['truncated', 500, /truncated\.gguf is truncated: it has .* of the .* its tensors need/],
    ['cut-header', 500, /cut-header\.gguf (is truncated|cannot be read as GGUF)/],
    ['missing', 404, /missing\.gguf does not exist/],
    ['big', 500, /needs about .* of memory .*more than the llama-cpp backend's memory cap of 976\.6 KiB/],
  ];

  it.each(cases)('%s: a clear error with status %i, stream or not, and the server stays up', async (model, status, message) => {
    const plain = await post({ model, input: 'Hi' });
    expect(plain.status).toBe(status);
    expect((plain.json.error as { message: string }).message).toMatch(message);
    const streamed = await post({ model, input: 'Hi', stream: true });
    expect(streamed.status).toBe(status);
    expect(streamed.text).toMatch(message);
    const healthy = await post({ model: 'hello', input: 'Hi' });
    expect(healthy.status).toBe(200);
  });
});

describe('auto-detection', () => {
  it('a data dir with GGUF files in models/ gets a local backend with nothing configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-llama-auto-'));
    mkdirSync(join(dir, 'models'));
    copyFileSync(models.path('hello'), join(dir, 'models', 'hello-q8.gguf'));
    const auto = await startKestrel({ port: 0, dataDir: dir, detectOllama: false, env: {}, log: () => {} });
    try {
      expect(auto.banner.join('\n')).toMatch(/backend local: llama-cpp, 1 GGUF model\(s\) in .*models/);
      const local = new OpenAI({ baseURL: `${auto.url}/v1`, apiKey: 'unused', maxRetries: 0 });
      expect((await local.models.list()).data.map((model) => model.id)).toEqual(['hello-q8']);
      expect((await local.responses.create({ model: 'hello-q8', input: 'Hi' })).output_text).toBe('Hi there!');
    } finally {
      await auto.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
