import { Agent, type Dispatcher } from 'undici';
import { BackendError } from '../types.js';
import { UpstreamBody } from './upstream-body.js';

// One keep-alive agent for all upstream calls: connection reuse matters more than anything for latency.
const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 256, pipelining: 1 });

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

class AbortError extends Error {
  override name = 'AbortError';
}

/**
 * Sends one request through the shared agent and resolves once the response headers arrive; the
 * body then flows into an {@link UpstreamBody}. `signal` aborts the request at any point.
 */
function dispatch(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body: string | null, signal: AbortSignal | undefined, timeoutMs: number): Promise<UpstreamResponse> {
  const { origin, pathname, search } = new URL(url);
  return new Promise<UpstreamResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError('The request was aborted.'));
      return;
    }
    const upstreamBody = new UpstreamBody();
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    const onAbort = () => {
      const error = new AbortError('The request was aborted.');
      if (controller) controller.abort(error);
      else fail(error);
    };
    const fail = (error: Error) => {
      signal?.removeEventListener('abort', onAbort);
      if (settled) upstreamBody.fail(error);
      else {
        settled = true;
        reject(error);
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    agent.dispatch(
      { origin, path: pathname + search, method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
      {
        onRequestStart(started) {
          controller = started;
          upstreamBody.attach(started);
          if (signal?.aborted) started.abort(new AbortError('The request was aborted.'));
        },
        onResponseStart(_controller, status, responseHeaders) {
          if (status < 200 || settled) return; // 1xx informational
          settled = true;
          resolve({ status, headers: responseHeaders as UpstreamResponse['headers'], body: upstreamBody });
        },
        onResponseData(_controller, chunk) {
          upstreamBody.push(chunk);
        },
        onResponseEnd() {
          signal?.removeEventListener('abort', onAbort);
          upstreamBody.end();
        },
        onResponseError(_controller, error) {
          fail(signal?.aborted ? new AbortError('The request was aborted.') : error);
        },
      },
    );
  });
}

/**
 * POSTs JSON to an upstream and returns the raw response once headers arrive.
 * Non-2xx answers become a {@link BackendError} that keeps the status, the upstream message and Retry-After.
 *
 * @example const res = await postJson('http://127.0.0.1:11434/v1/chat/completions', body, headers, signal);
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  signal: AbortSignal,
  timeoutMs = 600_000,
): Promise<UpstreamResponse> {
  let res: UpstreamResponse;
  try {
    res = await dispatch(url, 'POST', { 'content-type': 'application/json', ...headers }, JSON.stringify(body), signal, timeoutMs);
  } catch (error) {
    throw connectionError(url, error);
  }
  if (res.status >= 400) throw await errorFromResponse(res);
  return res;
}

/** GETs JSON from an upstream (model lists, health probes). */
export async function getJson(url: string, headers: Record<string, string>, signal?: AbortSignal, timeoutMs = 5_000): Promise<unknown> {
  let res: UpstreamResponse;
  try {
    res = await dispatch(url, 'GET', headers, null, signal, timeoutMs);
  } catch (error) {
    throw connectionError(url, error);
  }
  if (res.status >= 400) throw await errorFromResponse(res);
  return res.body.json();
}

function connectionError(url: string, error: unknown): BackendError {
  if (error instanceof Error && error.name === 'AbortError') return new BackendError(499, 'The request was aborted.', { code: 'aborted' });
  const reason = error instanceof Error ? error.message : String(error);
  return new BackendError(502, `Could not reach the model backend at ${new URL(url).origin}: ${reason}`, { code: 'upstream_unreachable' });
}

/** Builds a BackendError from an upstream error response, reading its OpenAI/Anthropic/Ollama error body. */
export async function errorFromResponse(res: UpstreamResponse): Promise<BackendError> {
  const text = await res.body.text().catch(() => '');
  let message = text.slice(0, 2000) || `Upstream answered HTTP ${res.status}.`;
  let code: string | null = null;
  let type: string | null = null;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const err = parsed.error;
    if (err && typeof err === 'object') {
      const e = err as { message?: unknown; code?: unknown; type?: unknown };
      if (typeof e.message === 'string') message = e.message;
      if (typeof e.code === 'string') code = e.code;
      if (typeof e.type === 'string') type = e.type;
    } else if (typeof err === 'string') message = err;
    else if (typeof parsed.message === 'string') message = parsed.message;
    else if (typeof parsed.detail === 'string') message = parsed.detail;
  } catch {
    // not JSON: keep the text
  }
  const retry = res.headers['retry-after'];
  return new BackendError(res.status, message, { code, type, retryAfter: Array.isArray(retry) ? retry[0] : retry ?? null });
}

/** The API key for a backend: `apiKey`, else the `apiKeyEnv` variable, else undefined. */
export function resolveApiKey(config: { apiKey?: string; apiKeyEnv?: string }): string | undefined {
  if (config.apiKey) return config.apiKey;
  if (config.apiKeyEnv) return process.env[config.apiKeyEnv] || undefined;
  return undefined;
}
