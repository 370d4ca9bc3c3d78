import { describe, expect, it } from 'vitest';
import { answerKey, extractAnswer, normaliseAnswer } from './answer.js';

describe('extractAnswer', () => {
  it.each([
    ['17 × 3 = 51, so the answer is **51**.', '**51**'],
    ['Work: 2+2.\n\nFinal answer: 4', '4'],
    ['**Answer:** (B)', '(B)'],
    ['We get $\\boxed{\\frac12}$ hmm, no: $\\boxed{0.5}$', '0.5'],
    ['The answer is 12. Then we check: the answer is 13.', '13'],
    ['Paris', 'Paris'],
    ['  yes  ', 'yes'],
  ])('%j → %j', (text, answer) => {
    expect(extractAnswer(text)).toBe(answer);
  });

  it('finds no closed-form answer in prose or code', () => {
    expect(extractAnswer('Here is a plan for the migration: first we move the tables, then the indexes.')).toBeNull();
    expect(extractAnswer('```python\nprint(1)\n```')).toBeNull();
    expect(extractAnswer('')).toBeNull();
  });
});

describe('normaliseAnswer', () => {
  it.each([
    // numbers
    ['1,000', '1000'],
    ['1000.0', '1000'],
    ['**1,000.50** apples', '1000.5'],
    ['$12', '12'],
    ['−7', '-7'],
    ['3/4', '0.75'],
    ['0.75', '0.75'],
    ['50%', '50%'],
    ['x = 5', '5'],
    ['so 1000.0', '1000'],
    ['Thus, yes', 'yes'],
    ['12 cm', '12'],
    ['1e3', '1000'],
    // yes / no
    ['Yes.', 'yes'],
    ['TRUE', 'yes'],
    ['No', 'no'],
    ['incorrect', 'no'],
    // choices
    ['(B)', 'choice:b'],
    ['b)', 'choice:b'],
    ['Option C', 'choice:c'],
    ['D.', 'choice:d'],
    ['(A) Paris', 'choice:a'],
    // short strings
    ['The Eiffel Tower.', 'eiffel tower'],
    ['"Paris"', 'paris'],
    ['`H2O`', 'h2o'],
    ['Mount  Everest', 'mount everest'],
    ['St. Petersburg', 'st. petersburg'],
    ['Sochi', 'sochi'],
  ])('%j → %j', (answer, key) => {
    expect(normaliseAnswer(answer)).toBe(key);
  });

  it('keeps different answers apart', () => {
    expect(normaliseAnswer('12')).not.toBe(normaliseAnswer('21'));
    expect(normaliseAnswer('0.5')).not.toBe(normaliseAnswer('50%'));
    expect(normaliseAnswer('(A)')).not.toBe(normaliseAnswer('(B)'));
    expect(normaliseAnswer('yes')).not.toBe(normaliseAnswer('no'));
    expect(normaliseAnswer('2024-01-01')).toBe('2024-01-01');
  });
});

describe('answerKey', () => {
  it('makes equal answers written differently one key', () => {
    const keys = ['The answer is 1,000.', 'Final answer: 1000', '**1000**', '\\boxed{1000.0}'].map(answerKey);
    expect(new Set(keys)).toEqual(new Set(['1000']));
  });

  it('is null for long-form answers', () => {
    expect(answerKey('Dear team, thanks for the meeting today. Here are my notes on the plan.')).toBeNull();
  });
});
