/**
 * Reasoning: effort mapping, budget forcing for local models, Thinking plans, steering and Pro.
 * See docs/reasoning.md.
 */
export { EFFORT_LEVELS, THINKING_BUDGETS, THINKING_EXTENSIONS, effortRank, isHighEffort, nearestEffort, resolveEffort, thinkingBudget, type BudgetForcingPolicy, type ResolvedReasoning } from './effort.js';
export { forceThinkingBudget, type BudgetForcingOptions, type StartModelCall } from './budget-forcing.js';
