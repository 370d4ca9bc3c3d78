import { createHash } from 'node:crypto';
import { LruCache } from './lru-cache.js';
import type { SearchableTool } from './searchable-tool.js';
import { ToolSearchIndex } from './search-index.js';

/** Distinct tool sets whose index is kept (a 10,000-tool index takes a few tens of MB). */
const CAPACITY = 16;
const cache = new LruCache<string, ToolSearchIndex>(CAPACITY);

/**
 * A content hash of a tool set: same tools (same paths, texts and schemas, in the same order) →
 * same hash, whichever request they came in.
 *
 * @example toolSetHash([{ path: 'a', name: 'a' }]) // 'f1c9…'
 */
export function toolSetHash(tools: readonly SearchableTool[]): string {
  const hash = createHash('sha256');
  for (const tool of tools) {
    hash.update(JSON.stringify([tool.path, tool.name, tool.namespace ?? '', tool.namespaceDescription ?? '', tool.description ?? '', tool.parameters ?? null]));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/**
 * The search index of a tool set, built on first use and then served from an LRU cache keyed by
 * the set's content hash, so a request with 10,000 tools does not index them again.
 *
 * @example const index = getToolSearchIndex(tools); index.search('send an email');
 */
export function getToolSearchIndex(tools: readonly SearchableTool[]): ToolSearchIndex {
  const key = toolSetHash(tools);
  let index = cache.get(key);
  if (!index) {
    index = new ToolSearchIndex(tools);
    cache.set(key, index);
  }
  return index;
}
