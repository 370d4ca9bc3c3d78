/**
 * The terminals of Lark's `common` library, for `%import common.NAME`. The definitions mirror
 * `lark/grammars/common.lark` (Lark is MIT-licensed) so imported terminals match what Lark matches.
 */
export const LARK_COMMON_GRAMMAR = String.raw`
DIGIT: "0".."9"
HEXDIGIT: "a".."f"|"A".."F"|DIGIT

INT: DIGIT+
SIGNED_INT: ["+"|"-"] INT
DECIMAL: INT "." INT? | "." INT

_EXP: ("e"|"E") SIGNED_INT
FLOAT: INT _EXP | DECIMAL _EXP?
SIGNED_FLOAT: ["+"|"-"] FLOAT

NUMBER: FLOAT | INT
SIGNED_NUMBER: ["+"|"-"] NUMBER

_STRING_INNER: /.*?/
_STRING_ESC_INNER: _STRING_INNER /(?<!\\)(\\\\)*?/
ESCAPED_STRING : "\"" _STRING_ESC_INNER "\""

LCASE_LETTER: "a".."z"
UCASE_LETTER: "A".."Z"
LETTER: UCASE_LETTER | LCASE_LETTER
WORD: LETTER+
CNAME: ("_"|LETTER) ("_"|LETTER|DIGIT)*

WS_INLINE: (" "|/\t/)+
WS: /[ \t\f\r\n]/+
CR : /\r/
LF : /\n/
NEWLINE: (CR? LF)+

SH_COMMENT: /#[^\n]*/
CPP_COMMENT: /\/\/[^\n]*/
C_COMMENT: "/*" /(.|\n)*?/ "*/"
SQL_COMMENT: /--[^\n]*/
`;

/** Plain-words explanations of common terminals, for messages to a model. */
export const LARK_COMMON_DESCRIPTIONS: Record<string, string> = {
  DIGIT: 'a digit 0-9',
  HEXDIGIT: 'a hexadecimal digit',
  INT: 'an unsigned integer',
  SIGNED_INT: 'an integer',
  DECIMAL: 'a decimal number',
  FLOAT: 'a floating-point number',
  SIGNED_FLOAT: 'a floating-point number',
  NUMBER: 'a number',
  SIGNED_NUMBER: 'a number',
  ESCAPED_STRING: 'a double-quoted string',
  LCASE_LETTER: 'a lower-case letter',
  UCASE_LETTER: 'an upper-case letter',
  LETTER: 'a letter',
  WORD: 'a word of letters',
  CNAME: 'an identifier',
  WS_INLINE: 'spaces or tabs',
  WS: 'whitespace',
  CR: 'a carriage return "\\r"',
  LF: 'a line feed "\\n"',
  NEWLINE: 'a line break',
  SH_COMMENT: 'a # comment',
  CPP_COMMENT: 'a // comment',
  C_COMMENT: 'a /* */ comment',
  SQL_COMMENT: 'a -- comment',
};
