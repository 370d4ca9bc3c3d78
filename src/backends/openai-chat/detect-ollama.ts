import { getJson, postJson } from '../shared/http.js';

/** What a running Ollama server offers. */
export interface DetectedOllama {
  /** The OpenAI-compatible base URL (`http://127.0.0.1:11434/v1`), ready for an `openai-chat` backend. */
  baseURL: string;
  models: { id: string; contextWindow?: number }[];
}

/** Models whose details are looked up at most; the rest are listed without a context window. */
const MAX_SHOWN = 64;

/**
 * Probes an Ollama server (`GET /api/tags`) and returns its models, or null when nothing answers
 * within `timeoutMs`. Context windows come from `POST /api/show` within one more `timeoutMs`:
 * `num_ctx` when the Modelfile sets it, else the model's trained context length.
 *
 * @example
 * const ollama = await detectOllama();
 * if (ollama) createOpenAIChatBackend('ollama', { type: 'openai-chat', baseURL: ollama.baseURL });
 */
export async function detectOllama(baseURL = 'http://127.0.0.1:11434', timeoutMs = 400): Promise<DetectedOllama | null> {
  const host = baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
  let tags: unknown;
  try {
    tags = await getJson(`${host}/api/tags`, {}, AbortSignal.timeout(timeoutMs), timeoutMs);
  } catch {
    return null;
  }
  const list = tags && typeof tags === 'object' ? (tags as { models?: unknown }).models : undefined;
  if (!Array.isArray(list)) return null;
  const names = list
    .map((entry) => (entry && typeof entry === 'object' ? ((entry as { model?: unknown; name?: unknown }).model ?? (entry as { name?: unknown }).name) : undefined))
    .filter((name): name is string => typeof name === 'string' && name.length > 0);
  const signal = AbortSignal.timeout(timeoutMs);
  const models = await Promise.all(
    names.map(async (id, position) => {
      const contextWindow = position < MAX_SHOWN ? await contextWindowOf(host, id, signal, timeoutMs) : undefined;
      return contextWindow ? { id, contextWindow } : { id };
    }),
  );
  return { baseURL: `${host}/v1`, models };
}

async function contextWindowOf(host: string, model: string, signal: AbortSignal, timeoutMs: number): Promise<number | undefined> {
  try {
    const res = await postJson(`${host}/api/show`, { model }, {}, signal, timeoutMs);
    const show = (await res.body.json()) as { parameters?: unknown; model_info?: Record<string, unknown> | null };
    const numCtx = typeof show.parameters === 'string' ? /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show.parameters)?.[1] : undefined;
    if (numCtx) return Number(numCtx);
    for (const [key, value] of Object.entries(show.model_info ?? {})) {
      if (key.endsWith('.context_length') && typeof value === 'number' && value > 0) return value;
    }
  } catch {
    // A model without details is still usable.
  }
  return undefined;
}
