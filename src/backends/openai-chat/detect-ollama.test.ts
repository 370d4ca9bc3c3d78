import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test-support/fake-upstream.js';
import { detectOllama } from './detect-ollama.js';

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('detectOllama', () => {
  it('lists the models with their context windows and returns the /v1 base URL', async () => {
    upstream = await startFakeUpstream((request, res) => {
      res.setHeader('content-type', 'application/json');
      if (request.url === '/api/tags') {
        res.end(JSON.stringify({ models: [
          { name: 'qwen3:8b', model: 'qwen3:8b', modified_at: '2025-08-01T10:00:00Z', size: 5225388164, digest: 'abc', details: { format: 'gguf', family: 'qwen3', parameter_size: '8.2B', quantization_level: 'Q4_K_M' } },
          { name: 'llama3.2:latest', model: 'llama3.2:latest', modified_at: '2025-08-01T10:00:00Z', size: 2019393189, digest: 'def', details: { format: 'gguf', family: 'llama' } },
          { name: 'broken:latest', model: 'broken:latest' },
        ] }));
        return;
      }
      const model = (request.body as { model: string }).model;
      if (model === 'qwen3:8b') res.end(JSON.stringify({ parameters: 'num_ctx                        16384\nstop                           "<|im_end|>"', model_info: { 'general.architecture': 'qwen3', 'qwen3.context_length': 40960 } }));
      else if (model === 'llama3.2:latest') res.end(JSON.stringify({ parameters: 'stop "<|eot_id|>"', model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 } }));
      else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: "model 'broken:latest' not found" }));
      }
    });
    expect(await detectOllama(upstream.origin)).toEqual({
      baseURL: `${upstream.origin}/v1`,
      models: [{ id: 'qwen3:8b', contextWindow: 16384 }, { id: 'llama3.2:latest', contextWindow: 131072 }, { id: 'broken:latest' }],
    });
  });

  it('returns null when nothing listens', async () => {
    upstream = await startFakeUpstream(() => {});
    const origin = upstream.origin;
    await upstream.close();
    upstream = undefined;
    expect(await detectOllama(origin)).toBeNull();
  });

  it('returns null within the timeout when the port accepts but never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    try {
      expect(await detectOllama(`http://127.0.0.1:${port}`, 150)).toBeNull();
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      silent.close();
    }
  });

  it('returns null for a server that is not Ollama', async () => {
    upstream = await startFakeUpstream((_request, res) => {
      res.statusCode = 404;
      res.end('Not Found');
    });
    expect(await detectOllama(upstream.origin)).toBeNull();
  });
});
