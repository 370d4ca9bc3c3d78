import { getJson, postJson, resolveApiKey, type UpstreamResponse } from '../shared/http.js';
import { openAIEfforts } from '../shared/openai-efforts.js';
import { readSse } from '../shared/sse-reader.js';
import { BackendError, type Backend, type BackendConfig, type BackendModelInfo, type ModelEvent, type ModelRequest } from '../types.js';
import { nativeComputer } from './computer.js';
import { toResponsesRequest } from './request.js';
import { responsesEvents } from './stream.js';

export { toResponsesRequest } from './request.js';
export { responsesEvents } from './stream.js';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

// Models in OpenAI's list that the Responses API cannot serve as text models.
const NOT_A_RESPONSES_MODEL = /(embedding|whisper|tts|dall-e|transcribe|realtime|moderation|^gpt-image|^sora|^davinci|^babbage|-audio)/;

/**
 * The OpenAI Responses API backend (`type: openai-responses`): a stateless passthrough that keeps
 * OpenAI's own reasoning (encrypted) across turns. Key: `apiKey`, else `apiKeyEnv` (default `OPENAI_API_KEY`).
 *
 * @example
 * const backend = createOpenAIResponsesBackend('openai', { type: 'openai-responses', apiKeyEnv: 'OPENAI_API_KEY' });
 * for await (const event of backend.stream(request)) console.log(event);
 */
export function createOpenAIResponsesBackend(name: string, config: BackendConfig): Backend {
  const baseURL = (config.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const headers = (): Record<string, string> => {
    const key = resolveApiKey({ apiKey: config.apiKey, apiKeyEnv: config.apiKeyEnv ?? 'OPENAI_API_KEY' });
    return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...config.headers };
  };

  return {
    name,
    type: 'openai-responses',
    reasoningEfforts: openAIEfforts,
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      let res: UpstreamResponse | undefined;
      try {
        res = await postJson(`${baseURL}/responses`, toResponsesRequest(request), { accept: 'text/event-stream', ...headers() }, request.signal, config.timeoutMs);
        yield* responsesEvents(readSse(res.body), { computerTool: nativeComputer(request)?.name });
      } catch (error) {
        yield { type: 'error', error: asBackendError(error, request.signal) };
      } finally {
        // Stopping early (client gone, error event) must release the upstream socket at once.
        if (res && !res.body.destroyed) res.body.destroy();
      }
    },
    async listModels(signal?: AbortSignal): Promise<BackendModelInfo[]> {
      const list = (await getJson(`${baseURL}/models`, headers(), signal, config.timeoutMs ?? 10_000)) as { data?: { id?: unknown }[] };
      return (list.data ?? []).flatMap((model) => (typeof model.id === 'string' && !NOT_A_RESPONSES_MODEL.test(model.id) ? [{ id: model.id }] : []));
    },
  };
}

function asBackendError(error: unknown, signal: AbortSignal): BackendError {
  if (error instanceof BackendError) return error;
  if (signal.aborted) return new BackendError(499, 'The request was aborted.', { code: 'aborted' });
  const reason = error instanceof Error ? error.message : String(error);
  return new BackendError(502, `The OpenAI stream broke: ${reason}`, { code: 'upstream_stream_error' });
}
