import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test-support/fake-upstream.js';
import { BackendError } from '../types.js';
import { createOpenAIChatBackend } from './index.js';
import { readEmbeddings } from './embeddings.js';

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('openai-chat embeddings (POST /embeddings)', () => {
  it('sends the model and inputs, and returns vectors in input order even when the server reorders them', async () => {
    upstream = await startFakeUpstream((request, res) => {
      const inputs = (request.body as { input: string[] }).input;
      const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index] })).reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data, model: 'nomic-embed-text' }));
    });
    const backend = createOpenAIChatBackend('local', { type: 'openai-chat', baseURL: upstream.baseURL, apiKey: 'sk-test-key' });
    const vectors = await backend.embed!('nomic-embed-text', ['a', 'bbb']);
    expect(vectors).toEqual([
      [1, 0],
      [3, 1],
    ]);
    expect(upstream.requests[0].url).toBe('/v1/embeddings');
    expect(upstream.requests[0].body).toEqual({ model: 'nomic-embed-text', input: ['a', 'bbb'], encoding_format: 'float' });
    expect(upstream.requests[0].headers.authorization).toBe('Bearer sk-test-key');
  });

  it('splits large inputs into batches of 256', async () => {
    upstream = await startFakeUpstream((request, res) => {
      const inputs = (request.body as { input: string[] }).input;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: inputs.map((_text, index) => ({ index, embedding: [index] })) }));
    });
    const backend = createOpenAIChatBackend('local', { type: 'openai-chat', baseURL: upstream.baseURL });
    const vectors = await backend.embed!('m', Array.from({ length: 300 }, (_, i) => `t${i}`));
    expect(vectors).toHaveLength(300);
    expect(upstream.requests.map((request) => (request.body as { input: unknown[] }).input.length)).toEqual([256, 44]);
    expect(vectors[299]).toEqual([43]);
  });

  it('keeps the upstream error class (a 404 for a model without embeddings stays a 404)', async () => {
    upstream = await startFakeUpstream((_request, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model "llama3" does not support embeddings', type: 'invalid_request_error' } }));
    });
    const backend = createOpenAIChatBackend('local', { type: 'openai-chat', baseURL: upstream.baseURL });
    const error = await backend.embed!('llama3', ['x']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).status).toBe(404);
    expect((error as BackendError).message).toContain('does not support embeddings');
  });

  it('rejects answers with missing or malformed vectors', () => {
    expect(() => readEmbeddings({ data: [{ index: 0, embedding: [1] }] }, 2)).toThrow(/1 vectors for 2 inputs/);
    expect(() => readEmbeddings({ data: [{ index: 0, embedding: 'AAAA' }] }, 1)).toThrow(/malformed/);
    expect(() => readEmbeddings({ data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [2] }] }, 2)).toThrow(/misses some inputs/);
  });
});
