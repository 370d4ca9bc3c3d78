import { resolveApiKey } from '../shared/http.js';
import type { BackendConfig } from '../types.js';
import { REASONING_DIALECTS, type ReasoningDialect } from './reasoning.js';

/** The settings of one `openai-chat` backend, read from its config entry. */
export interface OpenAIChatOptions {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:11434/v1`. */
  baseURL: string;
  /** Headers sent on every upstream call (Authorization, then `config.headers`). */
  headers: Record<string, string>;
  timeoutMs: number;
  /** Which body field carries the output limit. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Body field for `reasoning.effort` in the `openai` dialect, or false to omit it. */
  reasoningEffortField: string | false;
  /** How the server is told the reasoning effort; `auto` guesses from the URL, then from `GET /models`. */
  reasoningDialect: ReasoningDialect | 'auto';
  /** Assistant-message field that carries earlier reasoning, or false to omit it. */
  reasoningContentField: string | false;
  forwardVerbosity: boolean;
  forwardPromptCacheKey: boolean;
  /** Split `<think>…</think>` at the start of the content into reasoning. */
  thinkTags: boolean;
  /** Fields merged into every request body last (e.g. `chat_template_kwargs`, Ollama `think`). */
  extraBody: Record<string, unknown>;
}

const OPENAI_DEFAULT = 'https://api.openai.com/v1';

/**
 * Reads and checks the backend-specific keys of a config entry.
 *
 * @example readOptions({ type: 'openai-chat', baseURL: 'http://127.0.0.1:8000/v1', thinkTags: false })
 */
export function readOptions(name: string, config: BackendConfig): OpenAIChatOptions {
  const baseURL = (config.baseURL ?? OPENAI_DEFAULT).replace(/\/+$/, '');
  // OpenAI itself rejects `max_tokens` for reasoning models and unknown message fields; other servers want the opposite.
  const isOpenAI = /^https:\/\/api\.openai\.com(\/|$)/.test(baseURL);
  const apiKey = resolveApiKey(config);
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  for (const [key, value] of Object.entries(config.headers ?? {})) {
    if (key.toLowerCase() === 'authorization') delete headers.authorization;
    headers[key] = value;
  }
  const maxTokensField = oneOf(name, config, 'maxTokensField', ['max_tokens', 'max_completion_tokens'] as const, isOpenAI ? 'max_completion_tokens' : 'max_tokens');
  return {
    baseURL,
    headers,
    timeoutMs: config.timeoutMs ?? 600_000,
    maxTokensField,
    reasoningEffortField: fieldOrFalse(name, config, 'reasoningEffortField', 'reasoning_effort', true),
    reasoningDialect: oneOf(name, config, 'reasoningDialect', ['auto', ...REASONING_DIALECTS] as const, 'auto'),
    reasoningContentField: fieldOrFalse(name, config, 'reasoningContentField', 'reasoning_content', !isOpenAI),
    forwardVerbosity: flag(name, config, 'forwardVerbosity', isOpenAI),
    forwardPromptCacheKey: flag(name, config, 'forwardPromptCacheKey', false),
    thinkTags: flag(name, config, 'thinkTags', true),
    extraBody: record(name, config, 'extraBody'),
  };
}

function invalid(name: string, key: string, expected: string): Error {
  return new Error(`Backend "${name}": \`${key}\` needs to be ${expected}.`);
}

function flag(name: string, config: BackendConfig, key: string, fallback: boolean): boolean {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, key, 'true or false');
  return value;
}

/** `false` omits the field, `true` or absent keeps the default name (when on by default), a string renames it. */
function fieldOrFalse(name: string, config: BackendConfig, key: string, defaultName: string, onByDefault: boolean): string | false {
  const value = config[key];
  if (value === undefined) return onByDefault ? defaultName : false;
  if (value === true) return defaultName;
  if (value === false) return false;
  if (typeof value !== 'string' || !value) throw invalid(name, key, 'false or a field name');
  return value;
}

function oneOf<T extends string>(name: string, config: BackendConfig, key: string, values: readonly T[], fallback: T): T {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw invalid(name, key, `one of ${values.join(', ')}`);
  return value as T;
}

function record(name: string, config: BackendConfig, key: string): Record<string, unknown> {
  const value = config[key];
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(name, key, 'an object');
  return value as Record<string, unknown>;
}
