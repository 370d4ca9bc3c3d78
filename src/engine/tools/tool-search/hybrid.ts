import type { DenseIndex, Embedder } from './dense-index.js';
import { fuseRankings } from './rrf.js';
import type { SearchHit, SearchOptions, ToolSearchIndex } from './search-index.js';

/** How deep each ranking goes before fusion. */
const DEPTH = 50;

/**
 * Lexical search fused with dense retrieval by reciprocal rank. Without a dense index (no
 * embedding backend configured) it is the lexical search alone.
 *
 * @example const hits = await hybridSearch(index, dense, embedder, 'wire money to a supplier', { limit: 5 });
 */
export async function hybridSearch(
  index: ToolSearchIndex,
  dense: DenseIndex | null,
  embed: Embedder | null,
  query: string,
  options: SearchOptions & { signal?: AbortSignal } = {},
): Promise<SearchHit[]> {
  const limit = options.limit ?? 5;
  if (!dense || !embed) return index.search(query, options).hits;
  const lexical = index.search(query, { ...options, limit: DEPTH });
  const [vector] = await embed([query], options.signal);
  const denseHits = dense
    .search(vector ?? [], DEPTH + (options.exclude?.size ?? 0))
    .map(({ doc }) => index.tools[doc].path)
    .filter((path) => !options.exclude?.has(path));
  const byPath = new Map(lexical.hits.map((hit) => [hit.path, hit]));
  return fuseRankings([lexical.hits.map((hit) => hit.path), denseHits])
    .slice(0, limit)
    .map((path, rank) => {
      const found = byPath.get(path);
      if (found) return found;
      const tool = index.get(path)!;
      const hit: SearchHit = { path, name: tool.name, score: 1 / (rank + 1), coverage: index.coverageOf(path, lexical.units) };
      if (tool.namespace) hit.namespace = tool.namespace;
      return hit;
    });
}
