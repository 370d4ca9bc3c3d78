import { describe, expect, it } from 'vitest';
import { compileGrammar, GrammarError, type GrammarCheck } from './index.js';

const lark = (definition: string) => compileGrammar({ syntax: 'lark', definition });

const failure = (check: GrammarCheck) => {
  if (check.ok) throw new Error('expected the check to fail');
  return check;
};

// Lark's JSON tutorial grammar.
const JSON_GRAMMAR = String.raw`
?start: value

?value: object
      | array
      | string
      | SIGNED_NUMBER      -> number
      | "true"             -> true
      | "false"            -> false
      | "null"             -> null

array  : "[" [value ("," value)*] "]"
object : "{" [pair ("," pair)*] "}"
pair   : string ":" value

string : ESCAPED_STRING

%import common.ESCAPED_STRING
%import common.SIGNED_NUMBER
%import common.WS
%ignore WS
`;

describe('a JSON grammar with %ignore WS and recursion', () => {
  const grammar = lark(JSON_GRAMMAR);

  it.each([
    '{}',
    '[]',
    '{"a": [1, 2.5, -3e4, +7, true, false, null, {"b": "x\\"y"}]}',
    '  \n{\n  "key" :\t"value" ,\n  "list": [ ]\n}\n  ',
    '"just a string"',
    '-0.5E-3',
    '[[[[[[[[[[1]]]]]]]]]]',
  ])('accepts %s', (input) => {
    expect(grammar.check(input)).toEqual({ ok: true });
  });

  it('accepts deep nesting', () => {
    expect(grammar.check('['.repeat(300) + '1' + ']'.repeat(300))).toEqual({ ok: true });
  });

  it('accepts a large document quickly enough to test', () => {
    const doc = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], ok: i % 2 === 0, score: i / 7 })), null, 2);
    expect(grammar.check(doc)).toEqual({ ok: true });
  });

  it('points at a missing value', () => {
    const result = failure(grammar.check('{"a": }'));
    expect({ line: result.line, column: result.column }).toEqual({ line: 1, column: 7 });
    expect(result.expected).toEqual(expect.arrayContaining(['"{"', '"["', '"true"', 'ESCAPED_STRING (a double-quoted string)', 'SIGNED_NUMBER (a number)']));
    expect(result.message).toContain('but found "}"');
  });

  it('points at a missing colon on a later line', () => {
    const result = failure(grammar.check('{\n  "a": 1,\n  "b" 2\n}'));
    expect({ line: result.line, column: result.column }).toEqual({ line: 3, column: 7 });
    expect(result.expected).toEqual(['":"']);
  });

  it('rejects a trailing comma', () => {
    const result = failure(grammar.check('[1, 2,]'));
    expect(result.column).toBe(7);
  });

  it('rejects an unterminated string', () => {
    const result = failure(grammar.check('{"a": "b}'));
    expect(result.column).toBe(7);
    expect(result.expected).toContain('ESCAPED_STRING (a double-quoted string)');
  });

  it('rejects a second value after a complete one', () => {
    const result = failure(grammar.check('{} {}'));
    expect(result.column).toBe(4);
    expect(result.expected).toEqual(['the end of the input']);
    expect(result.message).toBe('Line 1, column 4: the input should end here (it is complete) but found "{}"');
  });
});

describe('repetition', () => {
  it('handles ~ n and ~ n..m on rules', () => {
    const grammar = lark('start: "a"~3 "b"~2..4 ("c" "d")~0..2');
    for (const ok of ['aaabb', 'aaabbbb', 'aaabbcd', 'aaabbbcdcd']) expect(grammar.check(ok), ok).toEqual({ ok: true });
    expect(failure(grammar.check('aabb')).column).toBe(3);
    expect(failure(grammar.check('aaab')).column).toBe(5);
    expect(failure(grammar.check('aaabbbbb')).column).toBe(8);
    expect(failure(grammar.check('aaabbcdcdcd')).column).toBe(10);
  });

  it('handles ~ inside terminals', () => {
    const grammar = lark('start: CODE ("-" CODE)*\nCODE: HEXDIGIT~4 /[xy]/~1..2\n%import common.HEXDIGIT');
    expect(grammar.check('beefx-0a9Fxy')).toEqual({ ok: true });
    expect(grammar.check('beex').ok).toBe(false);
    expect(grammar.check('beefxyx').ok).toBe(false);
  });

  it('handles ?, *, + and [ ]', () => {
    const grammar = lark('start: "a"? "b"* "c"+ ["d"]');
    for (const ok of ['c', 'abbbccc', 'bcd', 'acd']) expect(grammar.check(ok), ok).toEqual({ ok: true });
    for (const bad of ['', 'ab', 'cdd', 'aac']) expect(grammar.check(bad).ok, bad).toBe(false);
  });

  it('handles long repetitions without recursion limits', () => {
    const grammar = lark('start: item+\nitem: "x" | "y"');
    expect(grammar.check('xy'.repeat(20_000))).toEqual({ ok: true });
  });
});

describe('literals', () => {
  it('matches case-insensitive strings', () => {
    const grammar = lark('start: "select"i " " NAME " " FROM " " NAME\nFROM: "from"i\nNAME: /[a-z_]+/');
    expect(grammar.check('SELECT name FROM users')).toEqual({ ok: true });
    expect(grammar.check('SeLeCt name fRoM users')).toEqual({ ok: true });
    expect(grammar.check('select NAME from users').ok).toBe(false);
    expect(failure(grammar.check('selekt a from b')).expected).toEqual(['"select"i']);
  });

  it('matches case-insensitive Unicode strings and regexes', () => {
    const grammar = lark('start: "école"i " " /[a-zé]+/i');
    expect(grammar.check('ÉCOLE ÉtÉ')).toEqual({ ok: true });
  });

  it('reads escapes in strings', () => {
    const grammar = lark(String.raw`start: "tab\there" "\n" "quote\"" "back\\slash" "\x41\u00e9"`);
    expect(grammar.check('tab\there\nquote"back\\slashAé')).toEqual({ ok: true });
  });

  it('matches character ranges', () => {
    const grammar = lark('start: ("a".."f" | "0".."9")+');
    expect(grammar.check('c0ffee')).toEqual({ ok: true });
    expect(grammar.check('coffee').ok).toBe(false);
  });

  it('keeps Python meanings in regexes: . stops only at \\n, $ may sit before a final \\n', () => {
    const grammar = lark('start: /.+/ "\\n" LINE\nLINE: /[a-z]+$/\n');
    expect(grammar.check('a\rb\nxyz')).toEqual({ ok: true });
  });

  it('supports verbose regexes over several lines', () => {
    const grammar = lark('start: DATE\nDATE: /\\d{4}  # year\n  - \\d{2}  # month\n/x');
    expect(grammar.check('2026-03')).toEqual({ ok: true });
    expect(grammar.check('2026-3').ok).toBe(false);
  });
});

describe('terminal priorities and the dynamic lexer', () => {
  it('reads priorities (they do not change which inputs match)', () => {
    const grammar = lark('start: (IF | NAME) (" " (IF | NAME))*\nIF.2: "if"\nNAME.-1: /[a-z]+/\nstart2.3: "x"');
    for (const ok of ['if', 'ifx', 'abc if x']) expect(grammar.check(ok), ok).toEqual({ ok: true });
    expect(grammar.check('IF').ok).toBe(false);
  });

  it('tries shorter matches of a regex terminal when the longest one leads nowhere', () => {
    expect(lark('start: WORD "s"\nWORD: /\\w+/').check('cats')).toEqual({ ok: true });
    expect(lark('start: /a+/ "ab"').check('aaaab')).toEqual({ ok: true });
    expect(lark('start: NUMBER "." "x"\n%import common.NUMBER').check('12.x')).toEqual({ ok: true });
  });

  it('uses regex alternation order within a terminal, longest alternatives first', () => {
    expect(lark('start: OP\nOP: "=" | "=="').check('==')).toEqual({ ok: true });
  });

  it('handles terminals that can match nothing', () => {
    const grammar = lark('start: "[" /[a-z]*/ "]" /\\s*/');
    expect(grammar.check('[]')).toEqual({ ok: true });
    expect(grammar.check('[abc]  ')).toEqual({ ok: true });
    expect(failure(grammar.check('[ab1]')).column).toBe(4);
  });
});

describe('grammar structure', () => {
  it('reads comments, rule modifiers, aliases, continuation lines and \\ line joins', () => {
    const grammar = lark(`
// A comment line
?start: greeting   # a hash comment
      | farewell -> bye
!greeting: "hello" _SEP name
farewell: "bye" \\
    _SEP name
_SEP: " "
?name: /[A-Z][a-z]+/
`);
    expect(grammar.check('hello World')).toEqual({ ok: true });
    expect(grammar.check('bye Ann')).toEqual({ ok: true });
    expect(grammar.check('hi Ann').ok).toBe(false);
  });

  it('allows an empty alternative', () => {
    const grammar = lark('start: item*\nitem: "x" maybe\nmaybe:\n     | "?"');
    expect(grammar.check('')).toEqual({ ok: true });
    expect(grammar.check('xx?x')).toEqual({ ok: true });
    expect(grammar.check('?').ok).toBe(false);
  });

  it('handles left and right recursion and nullable rules', () => {
    const grammar = lark('start: expr\nexpr: expr "+" term | term\nterm: factor "*" term | factor\nfactor: INT | "(" expr ")" | sign factor\nsign: "-" | empty\nempty:\n%import common.INT');
    expect(grammar.check('1+2*(3+-4)*5')).toEqual({ ok: true });
    expect(grammar.check('1+(2*3').ok).toBe(false);
  });

  it('handles an ambiguous grammar', () => {
    const grammar = lark('start: s\ns: s s | "a" | ');
    expect(grammar.check('a'.repeat(80))).toEqual({ ok: true });
    expect(failure(grammar.check('a'.repeat(40) + 'b')).column).toBe(41);
  });

  it('imports common terminals, singly, as a list and renamed', () => {
    const grammar = lark(`
start: CNAME "=" value (";" CNAME "=" value)* NEWLINE?
value: SIGNED_NUMBER | ESCAPED_STRING | WORD | HEX
HEX: "0x" HEXDIGIT+
%import common (CNAME, SIGNED_NUMBER, ESCAPED_STRING, NEWLINE)
%import common.WORD
%import common.HEXDIGIT
%import common.WS_INLINE -> SPACE
%ignore SPACE
`);
    expect(grammar.check('a_1 = -2.5e3 ; b="x y";c=word; d = 0xBEEF\r\n')).toEqual({ ok: true });
    expect(grammar.check('1a = 2').ok).toBe(false);
  });

  it.each([
    ['DIGIT', '7', '77'],
    ['INT', '0042', '4.2'],
    ['SIGNED_INT', '-42', '--4'],
    ['DECIMAL', '.5', '5'],
    ['NUMBER', '1.5e-3', '1e'],
    ['SIGNED_NUMBER', '+1.', '+'],
    ['LETTER', 'Q', '1'],
    ['WORD', 'Hello', 'Hello1'],
    ['CNAME', '_x9', '9x'],
    ['ESCAPED_STRING', '"a \\" b\\\\"', '"a'],
    ['HEXDIGIT', 'f', 'g'],
    ['WS', ' \t\r\n', 'x'],
    ['WS_INLINE', ' \t', '\n'],
    ['LF', '\n', '\r\n'],
    ['CR', '\r', '\n'],
    ['NEWLINE', '\r\n\n', ' '],
  ])('common.%s matches %j and not %j', (name, good, bad) => {
    const grammar = lark(`start: ${name}\n%import common.${name}`);
    expect(grammar.check(good)).toEqual({ ok: true });
    expect(grammar.check(bad).ok).toBe(false);
  });

  it('treats %declare\'d terminals as never matching', () => {
    const grammar = lark('start: "a" INDENT?\n%declare INDENT');
    expect(grammar.check('a')).toEqual({ ok: true });
    expect(grammar.check('a ').ok).toBe(false);
  });

  it('ignores literal patterns and skips ignored text between tokens only', () => {
    const grammar = lark('start: "a" "b"\n%ignore " "\n%ignore /#[^\\n]*\\n/');
    expect(grammar.check(' a  # note\n b ')).toEqual({ ok: true });
    expect(lark('start: WORD\nWORD: /[a-z]+/\n%ignore " "').check('ab cd').ok).toBe(false);
  });

  it('compiles the same definition once', () => {
    expect(lark('start: "x"')).toBe(lark('start: "x"'));
  });
});

describe('invalid grammar definitions', () => {
  it.each([
    ['an unclosed group', 'start: ("a"', /Line 1, column 12: expected "\)"/],
    ['no start rule', 'begin: "a"', /no start rule/],
    ['an undefined rule', 'start: foo', /Line 1, column 8: rule foo is used but not defined/],
    ['an undefined terminal', 'start: FOO', /terminal FOO is used but not defined/],
    ['a duplicate rule', 'start: "a"\nstart: "b"', /Line 2, column 1: start is defined more than once/],
    ['a recursive terminal', 'start: A\nA: "a" A?', /terminal A refers to itself/],
    ['a terminal containing a rule', 'start: A\nA: "a" b\nb: "b"', /terminal A refers to rule b/],
    ['an invalid regex', 'start: /(a/', /Line 1, column 8: Invalid regular expression \/\(a\/: missing \), unterminated subpattern/],
    ['an atomic group', 'start: /(?>a)/', /atomic groups/],
    ['a possessive quantifier', 'start: /a++/', /possessive/],
    ['a template', '_sep{x, sep}: x (sep x)*\nstart: "a"', /templates/],
    ['a template use', 'start: _sep{"a", ","}', /templates/],
    ['an import from another library', 'start: X\n%import mylib.X', /only Lark's common library/],
    ['an unknown common terminal', 'start: X\n%import common.X', /the common library has no terminal X/],
    ['an empty string', 'start: ""', /empty string literals/],
    ['an unterminated regex', 'start: /abc', /unterminated regular expression/],
    ['a bad range', 'start: "ab".."c"', /one character on each side/],
    ['a reversed repeat range', 'start: "a"~3..1', /bad range 3\.\.1/],
    ['%override', 'start: "a"\n%override start: "b"', /%override is not supported/],
    ['a string over two lines', 'start: "a\nb"', /line break/],
    ['a regex over two lines without x', 'start: /a\nb/', /only span lines with the x/],
    ['a stray character', 'start: "a" ;', /unexpected character ";"/],
    ['a missing colon', 'start "a"', /expected ":" after start/],
    ['an empty terminal', 'start: A\nA:', /terminal A cannot be empty/],
    ['two operators', 'start: "a"**', /expected an operator, another item or the end of the line but found "\*"/],
    ['a bad escape in a regex', 'start: /\\q/', /bad escape \\q/],
    ['an unknown directive', '%frobnicate x\nstart: "a"', /unknown directive %frobnicate/],
    ['a modifier on a terminal', '?A: "a"\nstart: A', /modifiers \? and ! apply to rules/],
  ])('rejects %s', (_case, definition, message) => {
    expect(() => lark(definition)).toThrow(GrammarError);
    expect(() => lark(definition)).toThrow(message);
  });
});
