import { postJson } from '../shared/http.js';
import { BackendError } from '../types.js';
import type { OpenAIChatOptions } from './options.js';

/** How long one tokenisation may take. */
const TOKENIZE_TIMEOUT_MS = 30_000;

/**
 * The llama.cpp server's tokenizer endpoint for a backend base URL: `/tokenize` at the server
 * root, beside (not under) `/v1`.
 *
 * @example tokenizeURL('http://127.0.0.1:8080/v1') // 'http://127.0.0.1:8080/tokenize'
 */
export function tokenizeURL(baseURL: string): string {
  return `${baseURL.replace(/\/v1$/, '')}/tokenize`;
}

/**
 * Counts the tokens of `text` with the upstream's own tokenizer (llama.cpp server:
 * `POST /tokenize {content, add_special: false}` → `{tokens: [...]}`). Servers without the
 * endpoint (Ollama, vLLM's differently shaped one, OpenAI) answer 4xx, which the caller takes as
 * "no tokenizer here".
 *
 * @example await countTokensWithServer(options, 'Hello world') // 2
 */
export async function countTokensWithServer(options: Pick<OpenAIChatOptions, 'baseURL' | 'headers'>, text: string, signal?: AbortSignal): Promise<number> {
  const timeout = AbortSignal.timeout(TOKENIZE_TIMEOUT_MS);
  const response = await postJson(tokenizeURL(options.baseURL), { content: text, add_special: false, with_pieces: false }, options.headers, signal ? AbortSignal.any([signal, timeout]) : timeout, TOKENIZE_TIMEOUT_MS);
  const body = (await response.body.json()) as { tokens?: unknown };
  if (!Array.isArray(body.tokens)) throw new BackendError(502, 'The upstream /tokenize answer has no `tokens` list.', { code: 'upstream_bad_response' });
  return body.tokens.length;
}
