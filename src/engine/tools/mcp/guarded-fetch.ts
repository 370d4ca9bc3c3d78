import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { checkServerUrl, guardedLookup } from './address-guard.js';

/** The fetch signature the MCP SDK's HTTP transport accepts. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

const publicOnly = new Agent({ connect: { lookup: guardedLookup }, keepAliveTimeout: 30_000 });
const anyNetwork = new Agent({ keepAliveTimeout: 30_000 });

/**
 * The fetch Kestrel's MCP client uses: every request URL is checked (public addresses only unless
 * allowed), sockets re-check the address they connect to (no DNS rebinding), and redirects are not
 * followed, so a public server cannot bounce a request into the private network.
 *
 * @example const fetch = guardedFetch({ allowPrivateNetworks: false, timeoutMs: 60_000 });
 */
export function guardedFetch(options: { allowPrivateNetworks: boolean; timeoutMs: number }): FetchLike {
  return async (url, init) => {
    await checkServerUrl(String(url), options);
    const signal = init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs);
    const response = await undiciFetch(String(url), {
      ...(init as UndiciRequestInit),
      signal,
      redirect: 'manual',
      dispatcher: options.allowPrivateNetworks ? anyNetwork : publicOnly,
    });
    return response as unknown as Response;
  };
}
