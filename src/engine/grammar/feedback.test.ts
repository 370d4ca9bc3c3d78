import { describe, expect, it } from 'vitest';
import { grammarFailure, lineAndColumn } from './feedback.js';
import { compileGrammar, describeGrammarForPrompt, formatGrammarFeedback } from './index.js';

describe('lineAndColumn', () => {
  it('counts lines from 1 and columns in characters', () => {
    expect(lineAndColumn('ab\ncd', 0)).toMatchObject({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toMatchObject({ line: 2, column: 2 });
    expect(lineAndColumn('😀x\n', 2)).toMatchObject({ line: 1, column: 2 });
    expect(lineAndColumn('a\n', 2)).toMatchObject({ line: 2, column: 1 });
  });
});

describe('grammarFailure', () => {
  it('words what was found', () => {
    expect(grammarFailure('+a\nb', 3, ['"+"']).message).toBe('Line 2, column 1: expected "+" but found "b"');
    expect(grammarFailure('+a\n', 2, ['"b"', '"c"']).message).toBe('Line 1, column 3: expected one of "b", "c" but found a line break');
    expect(grammarFailure('x', 1, ['"y"']).message).toBe('Line 1, column 2: expected "y" but the input ended');
    expect(grammarFailure(`x${'y'.repeat(100)}`, 0, ['"z"']).message).toBe(`Line 1, column 1: expected "z" but found "x${'y'.repeat(39)}"…`);
  });

  it('shortens long lists of expectations', () => {
    const expected = Array.from({ length: 20 }, (_, i) => `"k${i}"`);
    expect(grammarFailure('?', 0, expected).message).toContain('"k11" (or 8 more)');
  });
});

describe('formatGrammarFeedback', () => {
  const grammar = compileGrammar({ syntax: 'lark', definition: 'start: line+\nline: "+" /[a-z]*/ "\\n"' });

  it('shows the line before, the failing line and a caret', () => {
    const input = '+abc\n+de\n+f9\n';
    const text = formatGrammarFeedback(grammar.check(input), input);
    expect(text).toContain('Line 3, column 3: expected "\\n" but found "9".');
    expect(text).toContain('2 | +de\n3 | +f9\n  |   ^');
    expect(text).toMatch(/Send the complete corrected input again/);
  });

  it('marks the end of the input', () => {
    const input = '+abc';
    const text = formatGrammarFeedback(grammar.check(input), input);
    expect(text).toContain('1 | +abc   <- the input ends here\n  |     ^');
  });

  it('clips very long lines around the failing column', () => {
    const input = `+${'a'.repeat(500)}1${'a'.repeat(500)}\n`;
    const text = formatGrammarFeedback(grammar.check(input), input);
    const [line, caret] = text.split('\n').filter((row) => row.startsWith('1 |') || row.startsWith('  |'));
    expect(line.length).toBeLessThan(200);
    expect(line[caret.indexOf('^')]).toBe('1');
  });
});

describe('describeGrammarForPrompt', () => {
  it('quotes a Lark grammar verbatim', () => {
    const definition = 'start: "add " NUMBER " " NUMBER\n%import common.NUMBER';
    const text = describeGrammarForPrompt({ syntax: 'lark', definition });
    expect(text).toContain(`\`\`\`lark\n${definition}\n\`\`\``);
    expect(text).toMatch(/no JSON around it/);
  });

  it('quotes a regex verbatim and says it must match in full', () => {
    const text = describeGrammarForPrompt({ syntax: 'regex', definition: '\\d+' });
    expect(text).toContain('```regex\n\\d+\n```');
    expect(text).toMatch(/in full/);
  });

  it('uses a longer fence when the grammar holds backticks', () => {
    const text = describeGrammarForPrompt({ syntax: 'lark', definition: 'start: "```"' });
    expect(text).toContain('````lark\nstart: "```"\n````');
  });
});
