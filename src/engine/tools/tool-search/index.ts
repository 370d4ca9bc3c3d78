/**
 * Tool search: finds the few tools a request needs among thousands. Lexical BM25F with a
 * multilingual thesaurus, stemming and typo correction; fused with dense embeddings when an
 * embedding backend is configured.
 */
export { createToolSearchKind } from './kind.js';
export { registerDeferredSource, deferredSources, type DeferredSource } from './deferred-sources.js';
export { ToolSearchIndex, FIELD_WEIGHTS, type SearchHit, type SearchOptions } from './search-index.js';
export { getToolSearchIndex, toolSetHash } from './index-cache.js';
export { resolvePaths, type ResolvedPaths } from './paths.js';
export { DenseIndex, toolEmbeddingText, type Embedder } from './dense-index.js';
export { hybridSearch } from './hybrid.js';
export { fuseRankings } from './rrf.js';
export { parameterTexts, type SearchableTool } from './searchable-tool.js';
export { defaultThesaurus, Thesaurus } from './thesaurus.js';
export { LruCache } from './lru-cache.js';
export { toolSearchFunction, TOOL_SEARCH_FUNCTION, type DeferredSummary } from './model-function.js';
