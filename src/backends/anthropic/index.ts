import { getJson, postJson, resolveApiKey, type UpstreamResponse } from '../shared/http.js';
import { readSse } from '../shared/sse-reader.js';
import { BackendError, type Backend, type BackendConfig, type BackendModelInfo, type ModelEvent, type ModelRequest } from '../types.js';
import { anthropicComputer } from './computer.js';
import { toAnthropicRequest } from './request.js';
import { anthropicEvents } from './stream.js';

export { toAnthropicRequest, THINKING_BUDGETS } from './request.js';
export { anthropicEvents } from './stream.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The Anthropic Messages API backend (`type: anthropic`).
 * Key: `apiKey`, else the `apiKeyEnv` variable (default `ANTHROPIC_API_KEY`). Config
 * `maxOutputTokens` sets `max_tokens` when a request sets none (default 8192).
 *
 * @example
 * const backend = createAnthropicBackend('anthropic', { type: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' });
 * for await (const event of backend.stream(request)) console.log(event);
 */
export function createAnthropicBackend(name: string, config: BackendConfig): Backend {
  const baseURL = (config.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v1$/, '');
  const defaultMaxTokens = typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined;
  const headers = (): Record<string, string> => {
    const key = resolveApiKey({ apiKey: config.apiKey, apiKeyEnv: config.apiKeyEnv ?? 'ANTHROPIC_API_KEY' });
    return { 'anthropic-version': ANTHROPIC_VERSION, ...(key ? { 'x-api-key': key } : {}), ...config.headers };
  };

  return {
    name,
    type: 'anthropic',
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const customTools = new Set(request.tools.filter((tool) => tool.kind === 'custom').map((tool) => tool.name));
      let res: UpstreamResponse | undefined;
      try {
        const body = toAnthropicRequest(request, { defaultMaxTokens });
        const computer = anthropicComputer(request);
        const sent = headers();
        // The computer tool is a beta: add its flag to any the config already sends.
        if (computer) sent['anthropic-beta'] = [sent['anthropic-beta'], computer.beta].filter(Boolean).join(',');
        res = await postJson(`${baseURL}/v1/messages`, body, { accept: 'text/event-stream', ...sent }, request.signal, config.timeoutMs);
        yield* anthropicEvents(readSse(res.body), customTools, { computer: computer !== undefined });
      } catch (error) {
        yield { type: 'error', error: asBackendError(error, request.signal) };
      } finally {
        // Stopping early (client gone, error event) must release the upstream socket at once.
        if (res && !res.body.destroyed) res.body.destroy();
      }
    },
    async listModels(signal?: AbortSignal): Promise<BackendModelInfo[]> {
      const models: BackendModelInfo[] = [];
      let after: string | undefined;
      for (let page = 0; page < 20; page++) {
        const query = new URLSearchParams({ limit: '1000', ...(after ? { after_id: after } : {}) });
        const list = (await getJson(`${baseURL}/v1/models?${query}`, headers(), signal, config.timeoutMs ?? 10_000)) as {
          data?: { id?: unknown }[];
          has_more?: boolean;
          last_id?: string | null;
        };
        for (const model of list.data ?? []) if (typeof model.id === 'string') models.push({ id: model.id });
        if (!list.has_more || !list.last_id) break;
        after = list.last_id;
      }
      return models;
    },
  };
}

function asBackendError(error: unknown, signal: AbortSignal): BackendError {
  if (error instanceof BackendError) return error;
  if (signal.aborted) return new BackendError(499, 'The request was aborted.', { code: 'aborted' });
  const reason = error instanceof Error ? error.message : String(error);
  return new BackendError(502, `The Anthropic stream broke: ${reason}`, { code: 'upstream_stream_error' });
}
