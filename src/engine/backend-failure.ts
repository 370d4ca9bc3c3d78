import { BackendError } from '../backends/types.js';

/** How a failed model call is reported to a client: HTTP status, OpenAI error code, message, headers. */
export interface BackendFailure {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

/**
 * Maps an upstream failure to what the client sees, keeping its class: a 429 stays a 429 with its
 * Retry-After, a 5xx stays a 5xx. Upstream 401/403 become 502: they are Kestrel's configuration
 * problem, not the client's key. Anthropic's 529 (overloaded) becomes 503.
 *
 * @example backendFailure(new BackendError(429, 'slow down', { retryAfter: '2' })) // { status: 429, code: 'rate_limit_exceeded', … }
 */
export function backendFailure(error: unknown): BackendFailure {
  if (!(error instanceof BackendError)) {
    return { status: 500, code: 'server_error', message: error instanceof Error ? error.message : String(error), headers: {} };
  }
  const credentials = error.status === 401 || error.status === 403;
  const status = credentials ? 502 : error.status === 529 ? 503 : error.status;
  return {
    status,
    code: error.code ?? (status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'upstream_error'),
    message: credentials ? `The model backend rejected Kestrel's credentials: ${error.message}` : error.message,
    headers: error.retryAfter ? { 'retry-after': error.retryAfter } : {},
  };
}
