import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../test-support/fake-upstream.js';
import { countTokensWithServer, tokenizeURL } from './tokenize.js';

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('llama.cpp /tokenize', () => {
  it('finds the endpoint at the server root, beside /v1', () => {
    expect(tokenizeURL('http://127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080/tokenize');
    expect(tokenizeURL('http://gpu-box:9000')).toBe('http://gpu-box:9000/tokenize');
  });

  it('counts the tokens of the answer, sending the text without special tokens', async () => {
    // The answer llama.cpp server gives with with_pieces=false.
    upstream = await startFakeUpstream((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ tokens: [9906, 1917, 0, 358] }));
    });
    const count = await countTokensWithServer({ baseURL: upstream.baseURL, headers: { authorization: 'Bearer k' } }, 'Hello world! I');
    expect(count).toBe(4);
    const request = upstream.requests[0];
    expect(request.url).toBe('/tokenize');
    expect(request.body).toEqual({ content: 'Hello world! I', add_special: false, with_pieces: false });
    expect(request.headers.authorization).toBe('Bearer k');
  });

  it('keeps the HTTP class of a server without the endpoint (Ollama answers 404)', async () => {
    upstream = await startFakeUpstream((_request, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    });
    await expect(countTokensWithServer({ baseURL: upstream.baseURL, headers: {} }, 'x')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses an answer without a token list', async () => {
    upstream = await startFakeUpstream((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ count: 3 }));
    });
    await expect(countTokensWithServer({ baseURL: upstream.baseURL, headers: {} }, 'x')).rejects.toMatchObject({ status: 502, code: 'upstream_bad_response' });
  });
});
