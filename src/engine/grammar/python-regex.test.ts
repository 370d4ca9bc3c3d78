import { describe, expect, it } from 'vitest';
import { GrammarError } from './grammar-error.js';
import { parseRegex, regexToJs, regexWidth, type RegexDialect } from './python-regex.js';

/** Whether the translated pattern matches all of `input`. */
const fullMatch = (pattern: string, input: string, flags = '', dialect: RegexDialect = 'python'): boolean =>
  new RegExp(`^(?:${regexToJs(parseRegex(pattern, { flags, dialect }))})$`, 'u').test(input);

describe('Python regex to JavaScript', () => {
  it('keeps the Python meaning of .', () => {
    expect(fullMatch('a.c', 'a\rc')).toBe(true);
    expect(fullMatch('a.c', 'a\u2028c')).toBe(true);
    expect(fullMatch('a.c', 'a\nc')).toBe(false);
    expect(fullMatch('a.c', 'a\nc', 's')).toBe(true);
  });

  it('translates anchors', () => {
    expect(fullMatch('\\Aab', 'ab')).toBe(true);
    expect(regexToJs(parseRegex('\\Aa\\Z', { dialect: 'python' }))).toBe('(?<![\\s\\S])a(?![\\s\\S])');
    // Python's $ also matches before a final line feed.
    expect(fullMatch('a$\\n', 'a\n')).toBe(true);
    expect(fullMatch('a$\\n', 'a\n', '', 'rust')).toBe(false);
    expect(fullMatch('^a$\\n^b$', 'a\nb', 'm')).toBe(true);
  });

  it('applies case-insensitivity without JavaScript flags', () => {
    expect(fullMatch('[a-c]+x', 'AbCX', 'i')).toBe(true);
    expect(fullMatch('[^a]', 'A', 'i')).toBe(false);
    expect(fullMatch('(?i)straße', 'STRASSE')).toBe(false);
    expect(fullMatch('(?i)ÿ', 'Ÿ')).toBe(true);
    expect(fullMatch('a(?i:b)c', 'aBc')).toBe(true);
    expect(fullMatch('a(?i:b)c', 'aBC')).toBe(false);
    expect(fullMatch('(?i)a(?-i:b)', 'Ab')).toBe(true);
    expect(fullMatch('(?i)a(?-i:b)', 'AB')).toBe(false);
  });

  it('reads escapes, octal, \\x, \\u and \\U', () => {
    expect(fullMatch('\\x41\\u00e9\\U0001F600\\101\\0', 'Aé😀A\0')).toBe(true);
    expect(fullMatch('\\t\\n\\r\\f\\v\\a', '\t\n\r\f\v\x07')).toBe(true);
    expect(fullMatch('\\.\\*\\/\\-', '.*/-')).toBe(true);
    expect(fullMatch('[\\b]', '\b')).toBe(true);
  });

  it('reads classes the Python way', () => {
    expect(fullMatch('[]a]+', ']a]')).toBe(true);
    expect(fullMatch('[a-]+', 'a-')).toBe(true);
    expect(fullMatch('[^\\W\\d]+', 'abc')).toBe(true);
    expect(fullMatch('[^\\W\\d]+', 'ab1')).toBe(false);
    expect(fullMatch('[\\W\\d]+', '!1 ')).toBe(true);
    expect(fullMatch('[😀-😂]', '😁')).toBe(true);
    expect(fullMatch('[[]', '[')).toBe(true);
  });

  it('reads quantifiers, including {,n} and lazy ones', () => {
    expect(fullMatch('a{,2}', 'aa')).toBe(true);
    expect(fullMatch('a{,2}', 'aaa')).toBe(false);
    expect(fullMatch('a{2,}', 'aaaa')).toBe(true);
    expect(fullMatch('a{2}?', 'aa')).toBe(true);
    expect(fullMatch('a{x', 'a{x')).toBe(true);
    expect(fullMatch('😀+', '😀😀')).toBe(true);
    expect(fullMatch('(?=a)?b', 'b')).toBe(true);
  });

  it('reads groups, named groups, backreferences and comments', () => {
    expect(fullMatch('(?P<q>["\']).*?(?P=q)', '"x"')).toBe(true);
    expect(fullMatch('(?P<q>["\']).*?(?P=q)', '"x\'')).toBe(false);
    expect(fullMatch('(?<w>\\w)\\1', 'aa')).toBe(true);
    expect(fullMatch('a(?#a comment)b', 'ab')).toBe(true);
    expect(fullMatch('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10', 'abcdefghijj')).toBe(true);
  });

  it('supports verbose mode', () => {
    expect(fullMatch('a b # comment\n c [ ]', 'abc ', 'x')).toBe(true);
  });

  it('measures widths', () => {
    const width = (pattern: string) => regexWidth(parseRegex(pattern, { dialect: 'python' }));
    expect(width('abc')).toEqual({ min: 3, max: 3 });
    expect(width('a|bcd')).toEqual({ min: 1, max: 3 });
    expect(width('a+')).toEqual({ min: 1, max: Infinity });
    expect(width('(?=x)a?')).toEqual({ min: 0, max: 1 });
  });

  it.each([
    ['(?>a)', /atomic groups/],
    ['a++', /possessive/],
    ['a**', /multiple repeat/],
    ['(?P<a>x)(?P<a>y)', /redefinition of group name/],
    ['\\q', /bad escape \\q/],
    ['[\\q]', /bad escape \\q/],
    ['\\', /bad escape \(end of pattern\)/],
    ['(?z)', /unknown inline flag/],
    ['(?P=missing)', /invalid group reference missing/],
    ['a{3,2}', /min repeat greater than max repeat/],
    ['^*', /nothing to repeat/],
    ['\\xZZ', /incomplete escape/],
  ])('rejects %s', (pattern, message) => {
    expect(() => parseRegex(pattern, { dialect: 'python' })).toThrow(GrammarError);
    expect(() => parseRegex(pattern, { dialect: 'python' })).toThrow(message);
  });
});
