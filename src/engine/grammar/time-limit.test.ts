import { describe, expect, it } from 'vitest';
import { compileGrammar, GrammarError } from './index.js';
import { withinTimeLimit } from './time-limit.js';

describe('withinTimeLimit', () => {
  it('returns the value of a task that ends in time, and rethrows its errors', () => {
    expect(withinTimeLimit(() => 41 + 1, 1_000)).toEqual({ timedOut: false, value: 42 });
    expect(() => withinTimeLimit(() => JSON.parse('{'), 1_000)).toThrow(SyntaxError);
  });

  it('stops a regular expression that backtracks without end', () => {
    const catastrophic = /^(a+)+$/u;
    expect(withinTimeLimit(() => catastrophic.test(`${'a'.repeat(40)}b`), 100)).toEqual({ timedOut: true });
    expect(withinTimeLimit(() => catastrophic.test('aaa'), 100)).toEqual({ timedOut: false, value: true });
  });
});

describe('grammar checks under the time limit', () => {
  it('throws GrammarError for a check that does not end, and the grammar still checks short inputs', () => {
    // Regex grammars that may backtrack badly are already checked as a grammar; a Lark terminal is a JavaScript regex.
    const grammar = compileGrammar({ syntax: 'lark', definition: 'start: X\nX: /(a+)+b/' });
    expect(() => grammar.check('a'.repeat(40))).toThrow(GrammarError);
    expect(grammar.check('aaab')).toEqual({ ok: true });
    expect(grammar.check('aa').ok).toBe(false);
  });
});
