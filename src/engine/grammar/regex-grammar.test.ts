import { describe, expect, it } from 'vitest';
import { compileGrammar, GrammarError, type GrammarCheck } from './index.js';

const regex = (definition: string) => compileGrammar({ syntax: 'regex', definition });

const failure = (check: GrammarCheck) => {
  if (check.ok) throw new Error('expected the check to fail');
  return check;
};

describe('regex grammars', () => {
  it('matches the whole input only', () => {
    const grammar = regex('\\d{3}-\\d{4}');
    expect(grammar.check('555-1234')).toEqual({ ok: true });
    const tooLong = failure(grammar.check('555-12345'));
    expect(tooLong.column).toBe(9);
    expect(tooLong.expected).toEqual(['the end of the input']);
    const tooShort = failure(grammar.check('555-123'));
    expect(tooShort.column).toBe(8);
    expect(tooShort.message).toBe('Line 1, column 8: expected a digit (\\d) but the input ended');
    expect(failure(grammar.check('x555-1234')).column).toBe(1);
  });

  it("accepts OpenAI's documented date-time example with Python named groups", () => {
    const grammar = regex('^(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\\s+(?P<day>\\d{1,2})(?:st|nd|rd|th)?\\s+(?P<year>\\d{4})\\s+at\\s+(?P<hour>0?[1-9]|1[0-2])(?P<ampm>AM|PM)$');
    expect(grammar.check('August 7th 2025 at 10AM')).toEqual({ ok: true });
    expect(grammar.check('May 1 2026 at 9PM')).toEqual({ ok: true });
    const result = failure(grammar.check('Augst 7th 2025 at 10AM'));
    expect(result.column).toBe(1);
    expect(result.expected).toContain('"August"');
    expect(failure(grammar.check('August 7th 2025 at 13AM')).column).toBe(21);
  });

  it('translates \\A, \\Z and \\z', () => {
    expect(regex('\\Aab\\Z').check('ab')).toEqual({ ok: true });
    expect(regex('\\Aab\\z').check('ab')).toEqual({ ok: true });
    expect(regex('a\\Z').check('a\n').ok).toBe(false);
  });

  it('keeps $ strict at the end (Rust meaning), but multi-line ^ and $ work at lines', () => {
    expect(regex('a$').check('a\n').ok).toBe(false);
    expect(regex('(?m)^a$\\n^b$').check('a\nb')).toEqual({ ok: true });
  });

  it('supports inline flags, global and scoped', () => {
    expect(regex('(?i)hello world').check('HeLLo WORLD')).toEqual({ ok: true });
    expect(regex('(?i:abc)d').check('ABCd')).toEqual({ ok: true });
    expect(regex('(?i:abc)d').check('ABCD').ok).toBe(false);
    expect(regex('(?s)a.b').check('a\nb')).toEqual({ ok: true });
    expect(regex('a.b').check('a\nb').ok).toBe(false);
    expect(regex('a.b').check('a\rb')).toEqual({ ok: true });
    expect(regex('(?x) a b  # spaced out\n c').check('abc')).toEqual({ ok: true });
  });

  it('supports lookarounds and backreferences', () => {
    expect(regex('(?=\\w*\\d)\\w+').check('abc1')).toEqual({ ok: true });
    expect(regex('(?=\\w*\\d)\\w+').check('abc').ok).toBe(false);
    const quoted = regex('(?P<q>[\'"]).*(?P=q)');
    expect(quoted.check('"hi"')).toEqual({ ok: true });
    expect(quoted.check('\'hi"').ok).toBe(false);
    expect(regex('(\\w+) \\1').check('bye bye')).toEqual({ ok: true });
    expect(failure(regex('(\\w+) \\1').check('bye hi')).message).toContain('Line 1, column 1');
  });

  it('treats \\d and \\w as Unicode, as Rust and Python do', () => {
    expect(regex('\\w+').check('café')).toEqual({ ok: true });
    expect(regex('\\d+').check('٣٤')).toEqual({ ok: true });
    expect(regex('(?a)\\w+').check('café').ok).toBe(false);
  });

  it('reports the line and column on multi-line inputs', () => {
    const grammar = regex('(?:[a-z]+\\n)+');
    const result = failure(grammar.check('abc\ndef\ngh1\n'));
    expect({ line: result.line, column: result.column }).toEqual({ line: 3, column: 3 });
  });

  it('decides patterns that make backtracking explode in polynomial time', () => {
    const grammar = regex('(a+)+b');
    expect(grammar.check('a'.repeat(40) + 'b')).toEqual({ ok: true });
    const result = failure(grammar.check('a'.repeat(40) + 'c'));
    expect(result.column).toBe(41);
    expect(regex('(?:a|aa)*c').check('a'.repeat(60) + 'c')).toEqual({ ok: true });
  });

  it('checks a long input', () => {
    const grammar = regex('(?:[^\\n]*\\n)*');
    expect(grammar.check('some line of text\n'.repeat(5000))).toEqual({ ok: true });
  });

  it.each([
    ['an unclosed group', '(?P<x>a', /missing \), unterminated subpattern/],
    ['an unclosed class', '[a-z', /unterminated character set/],
    ['an atomic group', '(?>a)', /atomic groups/],
    ['a conditional', '(a)?(?(1)b|c)', /conditional groups/],
    ['a possessive quantifier', 'a*+', /possessive/],
    ['a named character', '\\N{DASH}', /named characters/],
    ['nothing to repeat', '*a', /nothing to repeat/],
    ['a reference to a missing group', '(a)\\2', /invalid group reference 2/],
    ['a bad range', '[z-a]', /bad character range/],
    ['an unbalanced parenthesis', 'a)', /unbalanced parenthesis/],
    ['the locale flag', '(?L)a', /not supported/],
  ])('rejects %s', (_case, definition, message) => {
    expect(() => regex(definition)).toThrow(GrammarError);
    expect(() => regex(definition)).toThrow(message);
  });
});
