import { getJson, postJson, type UpstreamResponse } from '../shared/http.js';
import { SseParser } from '../shared/sse-reader.js';
import { BackendError, type Backend, type BackendConfig, type BackendModelInfo, type ModelEvent, type ModelRequest } from '../types.js';
import { readOptions } from './options.js';
import { dialectContinues, dialectEfforts, dialectFromListing, dialectFromURL, type ReasoningDialect } from './reasoning.js';
import { buildChatBody } from './request.js';
import { countTokensWithServer } from './tokenize.js';
import { embedWithServer } from './embeddings.js';
import { ChatSseDecoder, ChatStreamTranslator } from './stream.js';

export { buildChatBody } from './request.js';
export { ChatSseDecoder, ChatStreamTranslator, translateChatStream } from './stream.js';
export { detectOllama } from './detect-ollama.js';
export { reasoningFields, type ReasoningDialect } from './reasoning.js';

/**
 * A backend for any OpenAI-compatible Chat Completions server: Ollama, vLLM, SGLang, llama.cpp
 * server, LM Studio, OpenRouter, OpenAI. Config keys besides the common ones: `maxTokensField`,
 * `reasoningDialect` (`auto`, `openai`, `ollama`, `vllm`, `llama.cpp`, `none`), `reasoningEffortField`,
 * `reasoningContentField`, `forwardVerbosity`, `forwardPromptCacheKey`, `thinkTags` (default true) and `extraBody`.
 *
 * @example
 * const backend = createOpenAIChatBackend('ollama', { type: 'openai-chat', baseURL: 'http://127.0.0.1:11434/v1' });
 * for await (const event of backend.stream(request)) if (event.type === 'text-delta') process.stdout.write(event.text);
 */
export function createOpenAIChatBackend(name: string, config: BackendConfig): Backend {
  const options = readOptions(name, config);
  // `auto` starts from the URL and learns the server kind from `GET /models` (listed at startup).
  let detected: ReasoningDialect | undefined;
  const dialect = (): ReasoningDialect => (options.reasoningDialect === 'auto' ? (detected ?? dialectFromURL(options.baseURL)) : options.reasoningDialect);
  return {
    name,
    type: 'openai-chat',
    stream: (request) => streamChat(request),
    get continuesReasoning() {
      return dialectContinues(dialect());
    },
    reasoningEfforts: (model) => dialectEfforts(dialect(), model),
    countTokens: (_model, text, signal) => countTokensWithServer(options, text, signal),
    embed: (model, texts, signal) => embedWithServer(options, model, texts, signal),
    async listModels(signal?: AbortSignal): Promise<BackendModelInfo[]> {
      const listing = await getJson(`${options.baseURL}/models`, options.headers, signal);
      detected ??= dialectFromListing(listing);
      return readModelList(listing);
    },
  };

  async function* streamChat(request: ModelRequest): AsyncGenerator<ModelEvent> {
    if (request.signal.aborted) return;
    let response: UpstreamResponse;
    try {
      response = await postJson(`${options.baseURL}/chat/completions`, buildChatBody(request, options, dialect()), options.headers, request.signal, options.timeoutMs);
    } catch (error) {
      if (request.signal.aborted) return;
      yield { type: 'error', error: asBackendError(error) };
      return;
    }
    const body = response.body;
    const customTools = new Set(request.tools.filter((tool) => tool.kind === 'custom').map((tool) => tool.name));
    // A continued thought arrives without its opening `<think>`.
    const streamOptions = { customTools, thinkTags: options.thinkTags, thinkingOpen: request.continuation?.thinkingClosed === false };
    if (request.stream === false) {
      yield* completionEvents(body, new ChatStreamTranslator(streamOptions), request.signal);
      return;
    }
    let finished = false;
    try {
      // One network read usually holds many chunks: parse and translate them without an async step each.
      const parser = new SseParser();
      const decoder = new ChatSseDecoder(streamOptions);
      for await (const bytes of body) {
        for (const message of parser.push(bytes)) {
          for (const event of decoder.message(message)) {
            if (request.signal.aborted) return;
            if (event.type === 'finish') finished = true;
            yield event;
          }
          if (decoder.over) break;
        }
        if (decoder.over) break;
      }
      if (!decoder.over) for (const message of parser.end()) yield* decoder.message(message);
      for (const event of decoder.end()) {
        if (request.signal.aborted) return;
        if (event.type === 'finish') finished = true;
        yield event;
      }
    } catch (error) {
      if (request.signal.aborted) return;
      yield { type: 'error', error: asBackendError(error, 'The upstream stream broke') };
    } finally {
      // Stopping at [DONE] must not abort the request: what follows is dropped and the connection stays reusable.
      if (finished && !request.signal.aborted) body.release();
      else body.destroy();
    }
  }
}

/** Events of a non-streamed completion: its message read as one big delta. */
async function* completionEvents(body: UpstreamResponse['body'], translator: ChatStreamTranslator, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  let completion: { choices?: { index?: number; message?: Record<string, unknown>; finish_reason?: string | null }[]; usage?: unknown; error?: unknown };
  try {
    completion = (await body.json()) as typeof completion;
  } catch (error) {
    if (!signal.aborted) yield { type: 'error', error: asBackendError(error, 'The upstream answer is not JSON') };
    return;
  }
  const chunk = {
    ...completion,
    choices: (completion.choices ?? []).map((choice) => ({ index: choice.index ?? 0, delta: choice.message ?? {}, finish_reason: choice.finish_reason ?? null })),
  };
  yield* translator.push(chunk as Parameters<ChatStreamTranslator['push']>[0]);
  if (!translator.hasFailed) yield* translator.end(true);
}

function asBackendError(error: unknown, context?: string): BackendError {
  if (error instanceof BackendError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BackendError(502, context ? `${context}: ${message}` : message, { code: 'upstream_error' });
}

/** Reads `GET /models` (`{data:[{id,…}]}`), keeping the context length where a server reports it. */
export function readModelList(listing: unknown): BackendModelInfo[] {
  const data = listing && typeof listing === 'object' ? (listing as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) return [];
  const models: BackendModelInfo[] = [];
  for (const entry of data) {
    if (!entry || typeof entry !== 'object' || typeof (entry as { id?: unknown }).id !== 'string') continue;
    const model = entry as { id: string; max_model_len?: unknown; context_length?: unknown; top_provider?: { max_completion_tokens?: unknown } | null };
    const info: BackendModelInfo = { id: model.id };
    // vLLM reports `max_model_len`, OpenRouter `context_length`; Ollama and llama.cpp report no serving window here.
    const window = model.max_model_len ?? model.context_length;
    if (typeof window === 'number' && window > 0) info.contextWindow = window;
    const maxOutput = model.top_provider?.max_completion_tokens;
    if (typeof maxOutput === 'number' && maxOutput > 0) info.maxOutputTokens = maxOutput;
    models.push(info);
  }
  return models;
}
