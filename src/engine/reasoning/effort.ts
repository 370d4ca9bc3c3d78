/**
 * Reasoning effort: the one table every backend mapping and budget-forcing policy reads.
 *
 * `reasoning.effort` has seven levels (`none` … `max`). A model may accept only some of them; the
 * engine then uses the nearest level it has ({@link nearestEffort}) and echoes that level in the
 * response. Backends get the level plus a thinking-token budget ({@link thinkingBudget}).
 */
import type { ReasoningEffort } from '../../backends/types.js';

/** Every level, from least to most thinking. */
export const EFFORT_LEVELS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

/**
 * Thinking-token budget per level: Anthropic `budget_tokens` (levels under 1024 turn thinking off
 * there), llama.cpp `thinking_budget_tokens`, and the cap of budget forcing for local models.
 */
export const THINKING_BUDGETS: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 4096,
  high: 16_384,
  xhigh: 32_768,
  max: 32_768,
};

/**
 * "Wait" extensions allowed per level when a local model ends its thought (s1 budget forcing).
 * s1 measured gains up to about six extensions; two keep the cost of xhigh bounded.
 */
export const THINKING_EXTENSIONS: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 0,
  low: 0,
  medium: 0,
  high: 0,
  xhigh: 2,
  max: 4,
};

/** Position of a level in {@link EFFORT_LEVELS}. */
export function effortRank(effort: ReasoningEffort): number {
  return EFFORT_LEVELS.indexOf(effort);
}

/**
 * The level of `supported` closest to `requested`; a tie goes to the higher level (whoever asked
 * for some thinking gets at least that much). With no list, the request stands.
 *
 * @example
 * nearestEffort('minimal', ['none', 'low', 'medium', 'high']) // 'low'
 * nearestEffort('xhigh', ['low', 'medium', 'high'])           // 'high'
 */
export function nearestEffort(requested: ReasoningEffort, supported: readonly ReasoningEffort[] | undefined): ReasoningEffort {
  if (!supported?.length || supported.includes(requested)) return requested;
  const want = effortRank(requested);
  let best = supported[0];
  for (const level of supported) {
    const distance = Math.abs(effortRank(level) - want);
    const bestDistance = Math.abs(effortRank(best) - want);
    if (distance < bestDistance || (distance === bestDistance && effortRank(level) > effortRank(best))) best = level;
  }
  return best;
}

/**
 * Thinking-token budget for a level, never above `maxOutputTokens` when one is set.
 *
 * @example thinkingBudget('medium') // 4096
 */
export function thinkingBudget(effort: ReasoningEffort, maxOutputTokens?: number): number {
  const budget = THINKING_BUDGETS[effort];
  return maxOutputTokens !== undefined ? Math.min(budget, maxOutputTokens) : budget;
}

/** What the engine sends a backend, and what the response echoes. */
export interface ResolvedReasoning {
  /** The level used (the nearest one the model has). */
  effort: ReasoningEffort;
  /** The level the client asked for. */
  requested: ReasoningEffort;
  budgetTokens: number;
  /** Budget forcing for backends that stream raw reasoning (cap and "Wait" extensions). */
  forcing: BudgetForcingPolicy;
}

/** How budget forcing treats one response (see `budget-forcing.ts`). */
export interface BudgetForcingPolicy {
  /** Stop the thought after this many tokens and make the model answer. */
  capTokens: number;
  /** When the model ends its thought, append "Wait" and let it go on, at most this many times. */
  maxExtensions: number;
}

/**
 * Resolves a requested level against the levels a model has (config `capabilities.reasoningEfforts`,
 * else what the backend reports, else all levels).
 *
 * @example
 * resolveEffort('xhigh', ['low', 'medium', 'high'])
 * // { effort: 'high', requested: 'xhigh', budgetTokens: 16384, forcing: { capTokens: 16384, maxExtensions: 0 } }
 */
export function resolveEffort(requested: ReasoningEffort, supported: readonly ReasoningEffort[] | undefined, maxOutputTokens?: number): ResolvedReasoning {
  const effort = nearestEffort(requested, supported);
  const budgetTokens = thinkingBudget(effort, maxOutputTokens);
  return { effort, requested, budgetTokens, forcing: { capTokens: budgetTokens, maxExtensions: THINKING_EXTENSIONS[effort] } };
}

/** True for levels at or above `high` (Thinking plans its work first at these levels). */
export function isHighEffort(effort: ReasoningEffort | null | undefined): boolean {
  return effort !== null && effort !== undefined && effortRank(effort) >= effortRank('high');
}
