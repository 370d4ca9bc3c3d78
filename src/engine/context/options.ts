/** How Kestrel fits a conversation into a model's window (config `context`, per model `models.<name>.context`). */
export interface ContextOptions {
  /**
   * What a request with `truncation: "disabled"` (the default) gets when its prompt does not fit:
   * `error` (400 `context_length_exceeded`, so clients such as Codex compact), or the same
   * assembly as `truncation: "auto"` (`recall` or `truncate`).
   */
  overflow: 'error' | 'recall' | 'truncate';
  /**
   * What `truncation: "auto"` does: `recall` builds each call from instructions, a rolling
   * summary, the most recent turns and the evicted passages most relevant to the current turn;
   * `truncate` only drops the oldest items.
   */
  auto: 'recall' | 'truncate';
  /** Shares of the prompt budget for the rolling summary and the recalled passages; the recent turns get the rest. */
  budget: { summary: number; recall: number };
  /** Size of the passages evicted history is cut into for recall, in tokens. */
  chunkTokens: number;
  /** Model calls one request may spend bringing the rolling summary up to date. */
  maxSummaryCalls: number;
  /** Hard cap on the tokens of one request's own input (instructions and input items). */
  maxInputTokens: number;
  /** Hard cap on the tokens of one input item. */
  maxItemTokens: number;
  /** Embeddings for recall (beside BM25): a configured backend and its embedding model. */
  embeddings?: { backend: string; model: string };
}

export const DEFAULT_CONTEXT_OPTIONS: ContextOptions = {
  overflow: 'error',
  auto: 'recall',
  budget: { summary: 0.15, recall: 0.3 },
  chunkTokens: 200,
  maxSummaryCalls: 2,
  maxInputTokens: 1_050_000,
  maxItemTokens: 1_050_000,
};

/**
 * Merges config layers over the defaults (later layers win, `budget` merged field by field).
 *
 * @example resolveContextOptions({ overflow: 'recall' }, { budget: { recall: 0.4 } })
 */
export function resolveContextOptions(...layers: (Partial<Omit<ContextOptions, 'budget'>> & { budget?: Partial<ContextOptions['budget']> } | undefined)[]): ContextOptions {
  let options: ContextOptions = { ...DEFAULT_CONTEXT_OPTIONS, budget: { ...DEFAULT_CONTEXT_OPTIONS.budget } };
  for (const layer of layers) {
    if (!layer) continue;
    const { budget, ...rest } = layer;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    options = { ...options, ...defined, budget: { ...options.budget, ...Object.fromEntries(Object.entries(budget ?? {}).filter(([, value]) => value !== undefined)) } };
  }
  return options;
}
