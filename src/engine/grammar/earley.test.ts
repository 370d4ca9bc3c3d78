import { describe, expect, it } from 'vitest';
import { EarleyRecogniser, terminalSymbol, type Cfg } from './earley.js';

const t = terminalSymbol;

describe('EarleyRecogniser', () => {
  it('handles nullable rules whatever order they complete in', () => {
    // S → A A "x" | B "y";  A → ε;  B → A A
    const cfg: Cfg = {
      terminals: [{ name: '"x"', source: 'x', literal: 'x' }, { name: '"y"', source: 'y', literal: 'y' }],
      nonterminals: ['S', 'A', 'B'],
      productions: [
        { lhs: 0, rhs: [1, 1, t(0)] },
        { lhs: 0, rhs: [2, t(1)] },
        { lhs: 1, rhs: [] },
        { lhs: 2, rhs: [1, 1] },
      ],
      start: 0,
      ignore: [],
    };
    const recogniser = new EarleyRecogniser(cfg);
    expect(recogniser.recognise('x')).toEqual({ ok: true });
    expect(recogniser.recognise('y')).toEqual({ ok: true });
    expect(recogniser.recognise('')).toEqual({ ok: false, offset: 0, expected: ['"x"', '"y"'] });
  });

  it('treats zero-width terminal matches like empty rules', () => {
    // S → A "b";  A → /(?=b)/
    const cfg: Cfg = {
      terminals: [{ name: 'lookahead', source: '(?=b)' }, { name: '"b"', source: 'b', literal: 'b' }],
      nonterminals: ['S', 'A'],
      productions: [{ lhs: 0, rhs: [1, t(1)] }, { lhs: 1, rhs: [t(0)] }],
      start: 0,
      ignore: [],
    };
    expect(new EarleyRecogniser(cfg).recognise('b')).toEqual({ ok: true });
    expect(new EarleyRecogniser(cfg).recognise('c')).toEqual({ ok: false, offset: 0, expected: ['lookahead'] });
  });

  it('never matches a declared terminal', () => {
    const cfg: Cfg = {
      terminals: [{ name: 'X', source: null }],
      nonterminals: ['S'],
      productions: [{ lhs: 0, rhs: [t(0)] }],
      start: 0,
      ignore: [],
    };
    expect(new EarleyRecogniser(cfg).recognise('')).toEqual({ ok: false, offset: 0, expected: ['X'] });
  });

  it('skips ignored text between tokens, at the start and at the end', () => {
    const cfg: Cfg = {
      terminals: [{ name: '"a"', source: 'a', literal: 'a' }, { name: 'WS', source: '\\s+' }],
      nonterminals: ['S'],
      productions: [{ lhs: 0, rhs: [t(0), t(0)] }],
      start: 0,
      ignore: [1],
    };
    const recogniser = new EarleyRecogniser(cfg);
    expect(recogniser.recognise(' a \n a ')).toEqual({ ok: true });
    expect(recogniser.recognise('a a b')).toEqual({ ok: false, offset: 4, expected: ['the end of the input'] });
  });

  it('finds shorter matches only where the longest fails', () => {
    // S → WORD "s" with WORD = /[a-z]+/: the longest match eats the "s".
    const cfg: Cfg = {
      terminals: [{ name: 'WORD', source: '[a-z]+' }, { name: '"s"', source: 's', literal: 's' }],
      nonterminals: ['S'],
      productions: [{ lhs: 0, rhs: [t(0), t(1)] }],
      start: 0,
      ignore: [],
    };
    const recogniser = new EarleyRecogniser(cfg);
    expect(recogniser.recognise('cats')).toEqual({ ok: true });
    expect(recogniser.recognise('sss')).toEqual({ ok: true });
    expect(recogniser.recognise('cat')).toEqual({ ok: false, offset: 3, expected: ['"s"'] });
  });
});
