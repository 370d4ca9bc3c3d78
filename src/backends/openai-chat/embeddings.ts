import { postJson } from '../shared/http.js';
import { BackendError } from '../types.js';
import type { OpenAIChatOptions } from './options.js';

/** Inputs per upstream request (OpenAI accepts 2048; local servers prefer smaller batches). */
const BATCH = 256;

/**
 * Embeds `texts` with an OpenAI-compatible `POST {baseURL}/embeddings` (OpenAI, Ollama, vLLM,
 * llama.cpp server, LM Studio), in batches, returning one vector per text in input order.
 *
 * @example await embedWithServer(options, 'nomic-embed-text', ['send an email']) // [[0.01, -0.2, …]]
 */
export async function embedWithServer(options: Pick<OpenAIChatOptions, 'baseURL' | 'headers' | 'timeoutMs'>, model: string, texts: string[], signal?: AbortSignal): Promise<number[][]> {
  const vectors: number[][] = [];
  const abort = signal ?? new AbortController().signal;
  for (let start = 0; start < texts.length; start += BATCH) {
    const batch = texts.slice(start, start + BATCH);
    const response = await postJson(`${options.baseURL}/embeddings`, { model, input: batch, encoding_format: 'float' }, options.headers, abort, options.timeoutMs);
    vectors.push(...readEmbeddings(await response.body.json(), batch.length));
  }
  return vectors;
}

/** Reads `{data: [{index, embedding}]}` into vectors in input order, checking that each input got one. */
export function readEmbeddings(body: unknown, expected: number): number[][] {
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data) || data.length !== expected) {
    throw new BackendError(502, `The upstream embeddings answer has ${Array.isArray(data) ? data.length : 'no'} vectors for ${expected} inputs.`, { code: 'upstream_bad_response' });
  }
  const vectors = new Array<number[]>(expected);
  data.forEach((entry: { index?: unknown; embedding?: unknown }, position) => {
    const index = typeof entry?.index === 'number' ? entry.index : position;
    if (!Array.isArray(entry?.embedding) || index < 0 || index >= expected || !entry.embedding.every((value) => typeof value === 'number')) {
      throw new BackendError(502, 'The upstream embeddings answer has a malformed vector (base64 encodings are not read; Kestrel asks for floats).', { code: 'upstream_bad_response' });
    }
    vectors[index] = entry.embedding as number[];
  });
  // A sparse array: `some` would skip the holes.
  for (let index = 0; index < expected; index++) {
    if (!vectors[index]) throw new BackendError(502, 'The upstream embeddings answer misses some inputs.', { code: 'upstream_bad_response' });
  }
  return vectors;
}
