/**
 * Context management: exact token counts per model, fitting a conversation into a model's window
 * (refuse, truncate, or summary + recall of evicted history), and compaction items.
 */
export { assembleContext, contextLengthExceeded, type AssembledContext, type ContextDetails, type ContextRequest, type ContextStrategy } from './assemble.js';
export { compactConversation, writeCompaction, type CompactedResponse, type WrittenCompaction } from './compact.js';
export { compactionItem, openCompaction, resolveCompactions, type CompactionItem, type CompactionState } from './compaction.js';
export { estimateTokens } from './estimate.js';
export { imageTokens } from './image-tokens.js';
export { DEFAULT_CONTEXT_OPTIONS, resolveContextOptions, type ContextOptions } from './options.js';
export type { Embedder } from './recall.js';
export { RollingSummaries, type SummaryWriter } from './rolling-summary.js';
export { writeSummary } from './summarize.js';
export { isOpenAIFamily, TokenCounter, textsOf, type TokenizerKind } from './token-counter.js';
export { TokenCache } from './token-cache.js';
