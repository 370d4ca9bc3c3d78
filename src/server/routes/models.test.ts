import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKestrel, type Kestrel } from '../index.js';
import { startTestServer, type TestServer } from '../../test-support/server.js';
import { postRaw } from '../../test-support/sse.js';
import { createScriptedBackend } from '../../backends/scripted/index.js';

let server: TestServer | undefined;
let bare: Kestrel | undefined;
afterEach(async () => {
  await server?.close();
  await bare?.close();
  server = bare = undefined;
});

describe('models', () => {
  it('lists OpenAI data and the Codex catalog, with config aliases', async () => {
    const aliased = createScriptedBackend({ name: 'ollama', script: [{ text: 'from alias' }], models: ['qwen3:8b'] });
    server = await startTestServer({
      script: [{ text: 'x' }],
      models: ['scripted-model'],
      backends: [aliased],
      config: { models: { 'gpt-5.4': { backend: 'ollama', model: 'qwen3:8b', contextWindow: 32768, maxOutputTokens: 4096, capabilities: { reasoningEfforts: ['low', 'medium', 'high'] } } } },
    });
    const res = await fetch(`${server.baseURL}/models`);
    const body = (await res.json()) as Record<string, any>;
    expect(body.object).toBe('list');
    const ids = body.data.map((model: { id: string }) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-5.4', 'scripted-model', 'qwen3:8b']));
    const codex = body.models.find((model: { slug: string }) => model.slug === 'gpt-5.4');
    expect(codex).toMatchObject({ context_window: 32768, default_reasoning_level: 'medium', supported_reasoning_levels: [{ effort: 'low' }, { effort: 'medium' }, { effort: 'high' }] });
    const answer = JSON.parse((await postRaw(`${server.baseURL}/responses`, { model: 'gpt-5.4', input: 'x' })).text);
    expect(answer.model).toBe('gpt-5.4');
    expect(aliased.calls[0].model).toBe('qwen3:8b');
    const tooMany = await postRaw(`${server.baseURL}/responses`, { model: 'gpt-5.4', input: 'x', max_output_tokens: 5000 });
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text).error.param).toBe('max_output_tokens');
    const prefixed = await postRaw(`${server.baseURL}/chat/completions`, { model: 'ollama/qwen3:8b', messages: [{ role: 'user', content: 'x' }] });
    expect(prefixed.status).toBe(200);
    expect(aliased.calls[1].model).toBe('qwen3:8b');
  });

  it('starts with no backend and says how to connect one in every 404', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kestrel-bare-'));
    try {
      bare = await startKestrel({ port: 0, dataDir, env: {}, detectOllama: false, log: () => {} });
      expect(bare.banner.join('\n')).toMatch(/--upstream/);
      const res = await postRaw(`${bare.url}/v1/responses`, { model: 'gpt-5.4', input: 'x' });
      expect(res.status).toBe(404);
      const error = JSON.parse(res.text).error;
      expect(error).toMatchObject({ param: 'model', code: 'model_not_found' });
      expect(error.message).toMatch(/kestrel serve --upstream/);
      const chat = await postRaw(`${bare.url}/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'x' }] });
      expect(chat.status).toBe(404);
      const health = (await (await fetch(`${bare.url}/health`)).json()) as { status: string };
      expect(health.status).toBe('ok');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('logs one line per request when asked, streams included', async () => {
    const lines: string[] = [];
    server = await startTestServer({ script: [{ text: 'hi' }], config: { server: { logRequests: true } }, log: (line) => lines.push(line) });
    await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'x' });
    await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'x', stream: true });
    await fetch(`${server.baseURL}/models`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT.* POST \/v1\/responses 200 \d+\.\dms$/);
    expect(lines[2]).toMatch(/GET \/v1\/models 200/);
  });
});
