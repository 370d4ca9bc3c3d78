import { LruCache } from '../tool-search/lru-cache.js';
import type { McpToolInfo } from './connection.js';

/**
 * Tool lists of MCP servers, per server and credentials ({@link serverKey}), reused for `ttlMs`:
 * a request that names a server listed a moment ago does not ask it again.
 *
 * @example
 * const cache = new McpListCache(300_000);
 * cache.set(key, tools); cache.get(key) // tools
 */
export class McpListCache {
  readonly #entries = new LruCache<string, { tools: McpToolInfo[]; expires: number }>(256);
  constructor(readonly ttlMs: number) {}

  get(key: string, now = Date.now()): McpToolInfo[] | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.tools;
  }

  set(key: string, tools: McpToolInfo[], now = Date.now()): void {
    if (this.ttlMs > 0) this.#entries.set(key, { tools, expires: now + this.ttlMs });
  }
}
