import { GrammarError } from './grammar-error.js';

/**
 * Reads the text of a Lark grammar into definitions (no meaning attached yet; see lark-compile.ts).
 * Follows Lark's own grammar of grammars (`load_grammar.py`): one definition a line, alternatives
 * continued on lines that start with `|`, `//` and `#` comments, `\` line continuations.
 */

export interface SourcePosition {
  line: number;
  column: number;
}

export type LarkExpr = SourcePosition & (
  | { kind: 'seq'; items: LarkExpr[] }
  | { kind: 'alt'; options: LarkExpr[] }
  | { kind: 'string'; value: string; ignoreCase: boolean; raw: string }
  | { kind: 'regexp'; pattern: string; flags: string; raw: string }
  | { kind: 'range'; from: string; to: string; raw: string }
  | { kind: 'ref'; name: string; terminal: boolean }
  | { kind: 'repeat'; body: LarkExpr; min: number; max: number }
);

export type LarkStatement = SourcePosition & (
  | { kind: 'rule'; name: string; priority: number; expr: LarkExpr }
  | { kind: 'terminal'; name: string; priority: number; expr: LarkExpr }
  | { kind: 'ignore'; expr: LarkExpr }
  | { kind: 'import'; module: string[]; names: { name: string; as: string }[] }
  | { kind: 'declare'; names: string[] }
);

type TokenKind =
  | 'RULE' | 'TERMINAL' | 'STRING' | 'REGEXP' | 'NUMBER' | 'DIRECTIVE'
  | ':' | '|' | '(' | ')' | '[' | ']' | '{' | '}' | ',' | '?' | '*' | '+' | '!' | '~' | '.' | '..' | '->'
  | 'NL' | 'EOF';

interface Token extends SourcePosition {
  kind: TokenKind;
  text: string;
}

const MAX_REPEAT = 100_000;

function positionError(position: SourcePosition, problem: string): GrammarError {
  return new GrammarError(`Line ${position.line}, column ${position.column}: ${problem}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  const here = (): SourcePosition => ({ line, column: at - lineStart + 1 });
  const push = (kind: TokenKind, length: number, position = here()): void => {
    tokens.push({ kind, text: text.slice(at, at + length), ...position });
    at += length;
  };
  while (at < text.length) {
    const c = text[at];
    const rest = text.slice(at, at + 200);
    if (c === ' ' || c === '\t' || c === '\f' || c === '\r') { at++; continue; }
    if (c === '\\' && /^\\[ \t]*\r?\n/.test(rest)) {
      at = text.indexOf('\n', at) + 1;
      line++;
      lineStart = at;
      continue;
    }
    if (c === '\n') {
      // Newlines inside brackets are forgiven (Lark itself would refuse them).
      if (depth === 0 && tokens.length && tokens[tokens.length - 1].kind !== 'NL') tokens.push({ kind: 'NL', text: '\n', ...here() });
      at++;
      line++;
      lineStart = at;
      continue;
    }
    if (rest.startsWith('//') || c === '#') {
      while (at < text.length && text[at] !== '\n') at++;
      continue;
    }
    if (c === '"') {
      const position = here();
      let end = at + 1;
      while (end < text.length && text[end] !== '"') {
        if (text[end] === '\n') throw positionError(position, 'a string literal cannot contain a line break (close it with ")');
        end += text[end] === '\\' ? 2 : 1;
      }
      if (end >= text.length) throw positionError(position, 'unterminated string literal');
      end++;
      if (text[end] === 'i' && !/[A-Za-z0-9_]/.test(text[end + 1] ?? '')) end++;
      push('STRING', end - at, position);
      continue;
    }
    if (c === '/') {
      const position = here();
      let end = at + 1;
      while (end < text.length && text[end] !== '/') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) throw positionError(position, 'unterminated regular expression literal');
      end++;
      while (/[imslux]/.test(text[end] ?? '')) end++;
      const raw = text.slice(at, end);
      if (raw.includes('\n') && !/x[a-z]*$/.test(raw.slice(raw.lastIndexOf('/')))) {
        throw positionError(position, 'a regular expression can only span lines with the x (verbose) flag');
      }
      for (const char of raw) if (char === '\n') { line++; }
      if (raw.includes('\n')) lineStart = at + raw.lastIndexOf('\n') + 1;
      push('REGEXP', end - at, position);
      continue;
    }
    let match: RegExpExecArray | null;
    if ((match = /^%[a-z]+/.exec(rest))) { push('DIRECTIVE', match[0].length); continue; }
    if ((match = /^_?[a-z][_a-z0-9]*/.exec(rest))) { push('RULE', match[0].length); continue; }
    if ((match = /^_?[A-Z][_A-Z0-9]*/.exec(rest))) { push('TERMINAL', match[0].length); continue; }
    if ((match = /^[+-]?\d+/.exec(rest)) && (/\d/.test(c) || ['.', '..', '~'].includes(tokens[tokens.length - 1]?.kind ?? ''))) {
      push('NUMBER', match[0].length);
      continue;
    }
    if (rest.startsWith('->')) { push('->', 2); continue; }
    if (rest.startsWith('..')) { push('..', 2); continue; }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    if (':|()[]{},?*+!~.'.includes(c)) { push(c as TokenKind, 1); continue; }
    throw positionError(here(), `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'EOF', text: '', ...here() });
  // A line that starts with `|` continues the definition above it.
  return tokens.filter((token, index) => !(token.kind === 'NL' && tokens[index + 1]?.kind === '|'));
}

/** Decodes a Lark string literal body the way Lark does (Python escapes; unknown ones kept as written). */
function decodeString(body: string, position: SourcePosition): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const next = body[++i];
    if (next === undefined) throw positionError(position, 'a string literal ends with a lone backslash');
    const hex = (length: number): string => {
      const digits = body.slice(i + 1, i + 1 + length);
      if (!new RegExp(`^[0-9A-Fa-f]{${length}}$`).test(digits)) throw positionError(position, `bad escape \\${next} in a string literal`);
      i += length;
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) throw positionError(position, `escape \\${next}${digits} is out of range`);
      return String.fromCodePoint(code);
    };
    switch (next) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'x': out += hex(2); break;
      case 'u': out += hex(4); break;
      case 'U': out += hex(8); break;
      default: out += '\\' + next;
    }
  }
  return out;
}

class StatementReader {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++];
  }

  private expect(kind: TokenKind, what: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw this.unexpected(token, what);
    return token;
  }

  private unexpected(token: Token, what: string): GrammarError {
    const found = token.kind === 'EOF' ? 'the end of the grammar' : token.kind === 'NL' ? 'the end of the line' : JSON.stringify(token.text);
    return positionError(token, `expected ${what} but found ${found}`);
  }

  readAll(): LarkStatement[] {
    const statements: LarkStatement[] = [];
    for (;;) {
      while (this.peek().kind === 'NL') this.next();
      if (this.peek().kind === 'EOF') return statements;
      statements.push(this.statement());
      const end = this.next();
      if (end.kind !== 'NL' && end.kind !== 'EOF') throw this.unexpected(end, 'an operator, another item or the end of the line');
      if (end.kind === 'EOF') return statements;
    }
  }

  private priority(): number {
    if (this.peek().kind !== '.') return 0;
    this.next();
    return Number(this.expect('NUMBER', 'a priority number').text);
  }

  private statement(): LarkStatement {
    const first = this.peek();
    if (first.kind === 'DIRECTIVE') return this.directive();
    while (this.peek().kind === '?' || this.peek().kind === '!') this.next();
    const name = this.next();
    if (name.kind === 'RULE' || name.kind === 'TERMINAL') {
      if (name.kind === 'TERMINAL' && first !== name) throw positionError(first, `the modifiers ? and ! apply to rules, not to terminal ${name.text}`);
      if (this.peek().kind === '{') throw positionError(this.peek(), `templates (${name.text}{…}) are not supported`);
      const priority = this.priority();
      this.expect(':', `":" after ${name.text}`);
      const expr = this.expansions();
      return { kind: name.kind === 'RULE' ? 'rule' : 'terminal', name: name.text, priority, expr, line: name.line, column: name.column };
    }
    throw this.unexpected(name, 'a rule or terminal definition (name: …) or a %directive');
  }

  private directive(): LarkStatement {
    const token = this.next();
    const position = { line: token.line, column: token.column };
    switch (token.text) {
      case '%ignore':
        return { kind: 'ignore', expr: this.expansions(), ...position };
      case '%declare': {
        const names: string[] = [];
        while (this.peek().kind === 'RULE' || this.peek().kind === 'TERMINAL') names.push(this.next().text);
        if (!names.length) throw this.unexpected(this.peek(), 'names to declare');
        return { kind: 'declare', names, ...position };
      }
      case '%import': {
        if (this.peek().kind === '.') throw positionError(this.peek(), 'relative imports are not supported; only the common library can be imported');
        const path = [this.expectName('a module name')];
        while (this.peek().kind === '.') {
          this.next();
          path.push(this.expectName('a name after "."'));
        }
        if (this.peek().kind === '(') {
          this.next();
          const names = [{ name: this.expectName('a name to import'), as: '' }];
          while (this.peek().kind === ',') {
            this.next();
            names.push({ name: this.expectName('a name to import'), as: '' });
          }
          this.expect(')', '")"');
          return { kind: 'import', module: path, names: names.map((entry) => ({ name: entry.name, as: entry.name })), ...position };
        }
        if (path.length < 2) throw positionError(token, `%import needs a module and a name, as in %import common.WS`);
        const name = path.pop()!;
        let as = name;
        if (this.peek().kind === '->') {
          this.next();
          as = this.expectName('a new name after "->"');
        }
        return { kind: 'import', module: path, names: [{ name, as }], ...position };
      }
      case '%override':
      case '%extend':
        throw positionError(token, `${token.text} is not supported`);
      default:
        throw positionError(token, `unknown directive ${token.text}`);
    }
  }

  private expectName(what: string): string {
    const token = this.next();
    if (token.kind !== 'RULE' && token.kind !== 'TERMINAL') throw this.unexpected(token, what);
    return token.text;
  }

  private expansions(): LarkExpr {
    const start = this.peek();
    const options = [this.alias()];
    while (this.peek().kind === '|') {
      this.next();
      options.push(this.alias());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options, line: start.line, column: start.column };
  }

  private alias(): LarkExpr {
    const expr = this.expansion();
    if (this.peek().kind === '->') {
      this.next();
      const name = this.next();
      if (name.kind !== 'RULE') throw this.unexpected(name, 'a rule name after "->"');
    }
    return expr;
  }

  private expansion(): LarkExpr {
    const start = this.peek();
    const items: LarkExpr[] = [];
    for (;;) {
      const kind = this.peek().kind;
      if (kind === 'STRING' || kind === 'REGEXP' || kind === 'RULE' || kind === 'TERMINAL' || kind === '(' || kind === '[') items.push(this.expr());
      else break;
    }
    return items.length === 1 ? items[0] : { kind: 'seq', items, line: start.line, column: start.column };
  }

  private count(): number {
    const token = this.expect('NUMBER', 'a repeat count');
    const value = Number(token.text);
    if (!Number.isInteger(value) || value < 0) throw positionError(token, `a repeat count must be a whole number ≥ 0, not ${token.text}`);
    if (value > MAX_REPEAT) throw positionError(token, `repeat counts above ${MAX_REPEAT} are not supported`);
    return value;
  }

  private expr(): LarkExpr {
    const atom = this.atom();
    const position = { line: atom.line, column: atom.column };
    const op = this.peek();
    switch (op.kind) {
      case '?': this.next(); return { kind: 'repeat', body: atom, min: 0, max: 1, ...position };
      case '*': this.next(); return { kind: 'repeat', body: atom, min: 0, max: Infinity, ...position };
      case '+': this.next(); return { kind: 'repeat', body: atom, min: 1, max: Infinity, ...position };
      case '~': {
        this.next();
        const min = this.count();
        let max = min;
        if (this.peek().kind === '..') {
          this.next();
          max = this.count();
          if (max < min) throw positionError(op, `bad range ${min}..${max} (the maximum is below the minimum)`);
        }
        return { kind: 'repeat', body: atom, min, max, ...position };
      }
      default: return atom;
    }
  }

  private atom(): LarkExpr {
    const token = this.next();
    const position = { line: token.line, column: token.column };
    switch (token.kind) {
      case '(': {
        const inner = this.expansions();
        this.expect(')', '")"');
        return inner;
      }
      case '[': {
        const inner = this.expansions();
        this.expect(']', '"]"');
        return { kind: 'repeat', body: inner, min: 0, max: 1, ...position };
      }
      case 'STRING': {
        const string = this.string(token);
        if (this.peek().kind !== '..') return string;
        this.next();
        const end = this.expect('STRING', 'a string after ".."');
        const to = this.string(end);
        if (string.kind !== 'string' || to.kind !== 'string' || [...string.value].length !== 1 || [...to.value].length !== 1) {
          throw positionError(token, 'a range "a".."z" needs one character on each side');
        }
        return { kind: 'range', from: string.value, to: to.value, raw: `${token.text}..${end.text}`, ...position };
      }
      case 'REGEXP': {
        const close = token.text.lastIndexOf('/');
        const pattern = token.text.slice(1, close);
        if (!pattern) throw positionError(token, 'empty regular expressions are not allowed');
        return { kind: 'regexp', pattern, flags: token.text.slice(close + 1), raw: token.text, ...position };
      }
      case 'RULE':
      case 'TERMINAL':
        if (this.peek().kind === '{') throw positionError(this.peek(), `templates (${token.text}{…}) are not supported`);
        return { kind: 'ref', name: token.text, terminal: token.kind === 'TERMINAL', ...position };
      default:
        throw this.unexpected(token, 'a string, a regular expression, a name, "(" or "["');
    }
  }

  private string(token: Token): LarkExpr {
    const ignoreCase = token.text.endsWith('i') && !token.text.endsWith('"');
    const body = token.text.slice(1, ignoreCase ? -2 : -1);
    const value = decodeString(body, token);
    if (!value) throw positionError(token, 'empty string literals are not allowed');
    return { kind: 'string', value, ignoreCase, raw: token.text, line: token.line, column: token.column };
  }
}

/**
 * Reads a Lark grammar's text into statements. Throws GrammarError with the line and column of
 * the first problem.
 *
 * @example parseLark('start: "a"+\n%import common.WS\n%ignore WS')
 */
export function parseLark(text: string): LarkStatement[] {
  return new StatementReader(tokenize(text)).readAll();
}
