import { END_OF_INPUT } from './earley.js';

/** A failed check: where the input stopped matching and what the grammar allowed there. */
export interface GrammarFailure {
  ok: false;
  /** One line, e.g. `Line 4, column 1: expected one of "+", "*** End Patch" but found "world"`. */
  message: string;
  /** UTF-16 offset into the input. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in characters (code points). */
  column: number;
  /** What could have come at that point, as named in the grammar (`"*** End Patch"`, `LF (…)`, `the end of the input`). */
  expected: string[];
}

export type GrammarCheck = { ok: true } | GrammarFailure;

/** Grammar definition as sent in a custom tool's `format`. */
export interface GrammarFormat {
  syntax: 'lark' | 'regex';
  definition: string;
}

const MAX_EXPECTED_SHOWN = 12;
const FOUND_LENGTH = 40;
const LINE_SHOWN = 160;

/**
 * The 1-based line and column of an offset (columns count code points).
 *
 * @example lineAndColumn('ab\ncd', 4) // { line: 2, column: 2 }
 */
export function lineAndColumn(input: string, offset: number): { line: number; column: number; lineStart: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = input.indexOf('\n'); at !== -1 && at < offset; at = input.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: [...input.slice(lineStart, offset)].length + 1, lineStart };
}

function listExpected(expected: string[]): string {
  if (!expected.length) return 'nothing more';
  const shown = expected.slice(0, MAX_EXPECTED_SHOWN);
  const more = expected.length - shown.length;
  const text = shown.length === 1 ? shown[0] : `one of ${shown.join(', ')}`;
  return more > 0 ? `${text} (or ${more} more)` : text;
}

function foundAt(input: string, offset: number): string {
  if (offset >= input.length) return 'the input ended';
  if (input[offset] === '\n') return 'found a line break';
  const end = input.indexOf('\n', offset);
  const rest = input.slice(offset, end === -1 ? undefined : end);
  const shown = [...rest].slice(0, FOUND_LENGTH).join('');
  return `found ${JSON.stringify(shown)}${shown.length < rest.length ? '…' : ''}`;
}

/**
 * Builds the failure record for an input that stopped matching at `offset`.
 *
 * @example grammarFailure('+a\nb', 3, ['"+"']).message // 'Line 2, column 1: expected "+" but found "b"'
 */
export function grammarFailure(input: string, offset: number, expected: string[]): GrammarFailure {
  const { line, column } = lineAndColumn(input, offset);
  const found = foundAt(input, offset);
  const onlyEnd = expected.length === 1 && expected[0] === END_OF_INPUT;
  const message = onlyEnd
    ? `Line ${line}, column ${column}: the input should end here (it is complete) but ${found}`
    : `Line ${line}, column ${column}: expected ${listExpected(expected)} but ${found}`;
  return { ok: false, message, offset, line, column, expected };
}

function clip(text: string, column: number): { text: string; caret: number } {
  const chars = [...text];
  if (chars.length <= LINE_SHOWN) return { text, caret: column };
  const from = Math.max(0, Math.min(column - 1 - LINE_SHOWN / 2, chars.length - LINE_SHOWN));
  const clipped = chars.slice(from, from + LINE_SHOWN).join('');
  return { text: `${from > 0 ? '…' : ''}${clipped}${from + LINE_SHOWN < chars.length ? '…' : ''}`, caret: column - from + (from > 0 ? 1 : 0) };
}

/**
 * The message that tells a model why its tool input was refused and how to retry: the line and
 * column, the offending line with a caret under the spot, and what was expected there.
 *
 * @example formatGrammarFeedback(check, input) // 'The input does not match the tool's grammar. Line 4, column 1: …'
 */
export function formatGrammarFeedback(check: GrammarCheck, input: string): string {
  if (check.ok) return 'The input matches the grammar.';
  const lines = input.split('\n');
  const index = check.line - 1;
  const width = String(check.line).length;
  const gutter = (number: number | null): string => `${number === null ? ' '.repeat(width) : String(number).padStart(width)} | `;
  const excerpt: string[] = [];
  if (index > 0) excerpt.push(gutter(index) + clip(lines[index - 1], 1).text);
  const failing = clip(lines[index] ?? '', check.column);
  excerpt.push(gutter(check.line) + failing.text + (check.offset >= input.length ? '   <- the input ends here' : ''));
  excerpt.push(gutter(null) + ' '.repeat(Math.max(0, failing.caret - 1)) + '^');
  return [
    "The input does not match the tool's grammar, so the tool was not run.",
    check.message + '.',
    '',
    excerpt.join('\n'),
    '',
    'Send the complete corrected input again (the whole input, not only the changed part), as plain text that follows the grammar exactly.',
  ].join('\n');
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(longest + 1);
}

/**
 * Instructions for a model that cannot be constrained to a grammar while it generates: what the
 * tool's input must look like, with the grammar definition quoted verbatim.
 *
 * @example describeGrammarForPrompt({ syntax: 'regex', definition: '\\d+' })
 */
export function describeGrammarForPrompt(format: GrammarFormat): string {
  const marks = fence(format.definition);
  if (format.syntax === 'regex') {
    return [
      'The input of this tool is plain text that this regular expression must match in full, from its first character to its last:',
      `${marks}regex`,
      format.definition,
      marks,
      'Send only that text: no JSON around it, no code fences, no explanation.',
    ].join('\n');
  }
  return [
    'The input of this tool is plain text that must follow this Lark grammar, starting from the rule `start`.',
    'In it, "…" is literal text, /…/ is a regular expression, ( ) groups, [ ] or ? makes optional, * repeats zero or more times, + one or more, | separates alternatives, NAME refers to a terminal, lower-case names to rules; %import common.X brings standard terminals (LF is a line feed, WS whitespace) and %ignore marks what may appear between tokens.',
    `${marks}lark`,
    format.definition,
    marks,
    'Send only that text, exactly as the grammar spells it (mind every space and line feed): no JSON around it, no code fences, no explanation.',
  ].join('\n');
}
