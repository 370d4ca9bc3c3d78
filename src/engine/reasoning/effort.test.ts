import { describe, expect, it } from 'vitest';
import { EFFORT_LEVELS, isHighEffort, nearestEffort, resolveEffort, thinkingBudget } from './effort.js';

describe('nearestEffort', () => {
  it('keeps a level the model has, and any level when the model lists none', () => {
    expect(nearestEffort('medium', ['low', 'medium', 'high'])).toBe('medium');
    for (const level of EFFORT_LEVELS) expect(nearestEffort(level, undefined)).toBe(level);
    expect(nearestEffort('xhigh', [])).toBe('xhigh');
  });

  it.each([
    // gpt-5.4 has none, low, medium, high, xhigh
    ['minimal', ['none', 'low', 'medium', 'high', 'xhigh'], 'low'],
    ['max', ['none', 'low', 'medium', 'high', 'xhigh'], 'xhigh'],
    // gpt-5 has minimal … high
    ['none', ['minimal', 'low', 'medium', 'high'], 'minimal'],
    ['xhigh', ['minimal', 'low', 'medium', 'high'], 'high'],
    // Ollama: none, low, medium, high
    ['minimal', ['none', 'low', 'medium', 'high'], 'low'],
    // gpt-5-pro: high only
    ['none', ['high'], 'high'],
    // gaps: the closer level wins, a tie goes to the higher one
    ['medium', ['low', 'xhigh'], 'low'],
    ['medium', ['low', 'high'], 'high'],
    ['high', ['low', 'xhigh'], 'xhigh'],
    ['minimal', ['none', 'low'], 'low'],
  ] as const)('%s with %j → %s', (requested, supported, used) => {
    expect(nearestEffort(requested, supported)).toBe(used);
  });
});

describe('resolveEffort', () => {
  it('gives the used level, the requested one, a budget and a forcing policy', () => {
    expect(resolveEffort('xhigh', ['low', 'medium', 'high'])).toEqual({ effort: 'high', requested: 'xhigh', budgetTokens: 16_384, forcing: { capTokens: 16_384, maxExtensions: 0 } });
    expect(resolveEffort('xhigh', undefined)).toMatchObject({ effort: 'xhigh', budgetTokens: 32_768, forcing: { maxExtensions: 2 } });
    expect(resolveEffort('none', undefined)).toMatchObject({ budgetTokens: 0, forcing: { capTokens: 0, maxExtensions: 0 } });
  });

  it('never budgets more thought than the output limit', () => {
    expect(thinkingBudget('high', 1000)).toBe(1000);
    expect(resolveEffort('medium', undefined, 2000).budgetTokens).toBe(2000);
  });
});

describe('isHighEffort', () => {
  it('is true from high up', () => {
    expect(['high', 'xhigh', 'max'].every((level) => isHighEffort(level as never))).toBe(true);
    expect(['none', 'minimal', 'low', 'medium'].some((level) => isHighEffort(level as never))).toBe(false);
    expect(isHighEffort(null)).toBe(false);
  });
});
