import { GrammarError } from './grammar-error.js';

/**
 * Reads regular expressions written for Python's `re` (Lark's regex literals) or Rust's `regex`
 * crate (OpenAI `regex` grammars) into a small syntax tree, and writes them back as JavaScript
 * source for the `u` flag. Inline flags (`i`, `m`, `s`, `x`, `a`) are resolved while reading, so
 * the JavaScript source needs no flags and fragments can be concatenated freely (Lark builds one
 * terminal from several literals and regexes).
 */

/** Which engine's meaning of `$` without the `m` flag to keep. */
export type RegexDialect = 'python' | 'rust';

export type ClassItem =
  | { kind: 'range'; from: number; to: number }
  | { kind: 'digit' | 'word' | 'space'; negated: boolean; ascii: boolean }
  | { kind: 'property'; negated: boolean; name: string };

export type AssertKind =
  | 'text-start'
  | 'text-end'
  | 'text-end-or-final-newline'
  | 'line-start'
  | 'line-end'
  | 'word-boundary'
  | 'not-word-boundary';

export interface GroupNode {
  type: 'group';
  capture: boolean;
  body: RegexNode;
}

export interface BackrefNode {
  type: 'backref';
  target: GroupNode | null;
}

export type RegexNode =
  | { type: 'empty' }
  | { type: 'char'; code: number; ignoreCase: boolean }
  | { type: 'class'; negated: boolean; items: ClassItem[]; ignoreCase: boolean }
  | { type: 'any'; dotAll: boolean }
  | { type: 'seq'; items: RegexNode[] }
  | { type: 'alt'; options: RegexNode[] }
  | GroupNode
  | { type: 'repeat'; body: RegexNode; min: number; max: number; lazy: boolean }
  | { type: 'assert'; kind: AssertKind; ascii: boolean }
  | { type: 'look'; behind: boolean; negated: boolean; body: RegexNode }
  | BackrefNode;

interface Flags {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
  verbose: boolean;
  ascii: boolean;
}

export interface RegexParseOptions {
  /** Flag letters given outside the pattern (Lark's `/…/imslux`). */
  flags?: string;
  dialect: RegexDialect;
}

const MAX_REPEAT = 100_000;

/**
 * Parses a Python- or Rust-style regular expression.
 * Throws GrammarError for invalid patterns and for syntax that JavaScript cannot express
 * (atomic groups, possessive quantifiers, conditionals, `\N{…}`).
 *
 * @example parseRegex('(?P<year>\\d{4})-\\d\\d', { dialect: 'python' })
 */
export function parseRegex(pattern: string, options: RegexParseOptions): RegexNode {
  const flags: Flags = { ignoreCase: false, multiline: false, dotAll: false, verbose: false, ascii: false };
  for (const letter of options.flags ?? '') applyFlag(flags, letter, true, pattern);
  return new RegexReader(pattern, options.dialect).read(flags);
}

function applyFlag(flags: Flags, letter: string, on: boolean, pattern: string): void {
  switch (letter) {
    case 'i': flags.ignoreCase = on; return;
    case 'm': flags.multiline = on; return;
    case 's': flags.dotAll = on; return;
    case 'x': flags.verbose = on; return;
    case 'a': flags.ascii = on; return;
    case 'u': return; // Unicode matching is the default for text patterns
    case 'L': throw new GrammarError(`Invalid regular expression /${pattern}/: the locale flag 'L' is not supported.`);
    default: throw new GrammarError(`Invalid regular expression /${pattern}/: unknown flag '${letter}'.`);
  }
}

class RegexReader {
  private pos = 0;
  private readonly groups: GroupNode[] = [];
  private readonly names = new Map<string, GroupNode>();
  private readonly refs: { node: BackrefNode; index?: number; name?: string; at: number }[] = [];

  constructor(private readonly src: string, private readonly dialect: RegexDialect) {}

  read(flags: Flags): RegexNode {
    const node = this.alternation(flags);
    if (this.pos < this.src.length) this.fail(this.src[this.pos] === ')' ? 'unbalanced parenthesis' : 'unexpected character');
    for (const ref of this.refs) {
      const target = ref.name !== undefined ? this.names.get(ref.name) : this.groups[(ref.index ?? 0) - 1];
      if (!target) this.fail(`invalid group reference ${ref.name ?? ref.index}`, ref.at);
      ref.node.target = target;
    }
    return node;
  }

  private fail(problem: string, at = this.pos): never {
    throw new GrammarError(`Invalid regular expression /${this.src}/: ${problem} at position ${at}.`);
  }

  private alternation(flags: Flags): RegexNode {
    const options = [this.sequence(flags)];
    while (this.src[this.pos] === '|') {
      this.pos++;
      options.push(this.sequence(flags));
    }
    return options.length === 1 ? options[0] : { type: 'alt', options };
  }

  private skipVerbose(flags: Flags): void {
    if (!flags.verbose) return;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private sequence(flags: Flags): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      this.skipVerbose(flags);
      const c = this.src[this.pos];
      if (c === undefined || c === '|' || c === ')') break;
      const start = this.pos;
      const atom = this.atom(flags);
      if (atom === null) continue;
      this.skipVerbose(flags);
      const quantified = this.quantifier(atom, start);
      items.push(quantified);
    }
    return items.length === 1 ? items[0] : items.length === 0 ? { type: 'empty' } : { type: 'seq', items };
  }

  /** Reads `{n}`, `{n,}`, `{,m}`, `{n,m}` at the cursor; null when `{` is a plain character there. */
  private braces(): { min: number; max: number; length: number } | null {
    const match = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 32));
    if (!match || (match[1] === '' && match[2] === undefined)) return null;
    if (match[1] === '' && this.dialect === 'rust') return null;
    const min = match[1] === '' ? 0 : Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    return { min, max, length: match[0].length };
  }

  private quantifier(atom: RegexNode, atomStart: number): RegexNode {
    let min: number;
    let max: number;
    const c = this.src[this.pos];
    if (c === '*') { min = 0; max = Infinity; this.pos++; }
    else if (c === '+') { min = 1; max = Infinity; this.pos++; }
    else if (c === '?') { min = 0; max = 1; this.pos++; }
    else if (c === '{') {
      const braces = this.braces();
      if (!braces) return atom;
      ({ min, max } = braces);
      this.pos += braces.length;
    } else return atom;
    if (atom.type === 'assert' && (atom.kind === 'text-start' || atom.kind === 'line-start' || atom.kind === 'text-end' || atom.kind === 'line-end' || atom.kind === 'text-end-or-final-newline')) {
      this.fail('nothing to repeat', atomStart);
    }
    if (min > max) this.fail('min repeat greater than max repeat');
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.fail(`repeat count above ${MAX_REPEAT}`);
    let lazy = false;
    if (this.src[this.pos] === '?') { lazy = true; this.pos++; }
    else if (this.src[this.pos] === '+') this.fail('possessive quantifiers are not supported');
    const next = this.src[this.pos];
    if (next === '*' || next === '+' || next === '?' || (next === '{' && this.braces())) this.fail('multiple repeat');
    return { type: 'repeat', body: atom, min, max, lazy };
  }

  private atom(flags: Flags): RegexNode | null {
    const c = this.src[this.pos];
    switch (c) {
      case '(': return this.group(flags);
      case '[': return this.characterClass(flags);
      case '.': this.pos++; return { type: 'any', dotAll: flags.dotAll };
      case '^': this.pos++; return { type: 'assert', kind: flags.multiline ? 'line-start' : 'text-start', ascii: flags.ascii };
      case '$':
        this.pos++;
        return { type: 'assert', kind: flags.multiline ? 'line-end' : this.dialect === 'python' ? 'text-end-or-final-newline' : 'text-end', ascii: flags.ascii };
      case '\\': return this.escape(flags);
      case '*': case '+': case '?': this.fail('nothing to repeat');
      // falls through (fail never returns)
      case '{':
        if (this.braces()) this.fail('nothing to repeat');
        break;
      default: break;
    }
    const code = this.src.codePointAt(this.pos)!;
    this.pos += code > 0xffff ? 2 : 1;
    return { type: 'char', code, ignoreCase: flags.ignoreCase };
  }

  private group(outer: Flags): RegexNode | null {
    const open = this.pos;
    this.pos++;
    const rest = this.src.slice(this.pos);
    let node: RegexNode;
    if (rest.startsWith('?')) {
      const name = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (rest.startsWith('?:')) {
        this.pos += 2;
        node = { type: 'group', capture: false, body: this.alternation({ ...outer }) };
      } else if (rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<=') || rest.startsWith('?<!')) {
        const behind = rest[1] === '<';
        const negated = rest[behind ? 2 : 1] === '!';
        this.pos += behind ? 3 : 2;
        node = { type: 'look', behind, negated, body: this.alternation({ ...outer }) };
      } else if (name) {
        this.pos += name[0].length;
        const group: GroupNode = { type: 'group', capture: true, body: { type: 'empty' } };
        if (this.names.has(name[1])) this.fail(`redefinition of group name '${name[1]}'`, open);
        this.groups.push(group);
        this.names.set(name[1], group);
        group.body = this.alternation({ ...outer });
        node = group;
      } else if (rest.startsWith('?P=')) {
        const ref = /^\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
        if (!ref) this.fail('bad named backreference', open);
        this.pos += ref[0].length;
        const backref: BackrefNode = { type: 'backref', target: null };
        this.refs.push({ node: backref, name: ref[1], at: open });
        return backref;
      } else if (rest.startsWith('?#')) {
        const end = this.src.indexOf(')', this.pos);
        if (end < 0) this.fail('missing ), unterminated comment', open);
        this.pos = end + 1;
        return null;
      } else if (rest.startsWith('?>')) {
        this.fail('atomic groups (?>…) are not supported', open);
      } else if (rest.startsWith('?(')) {
        this.fail('conditional groups (?(…)…) are not supported', open);
      } else {
        const modifiers = /^\?([A-Za-z]*)(?:-([A-Za-z]*))?([:)])/.exec(rest);
        if (!modifiers) this.fail('unknown extension (?' + (rest[1] ?? ''), open);
        const target = modifiers[3] === ')' ? outer : { ...outer };
        for (const letter of modifiers[1]) this.flag(target, letter, true, open);
        for (const letter of modifiers[2] ?? '') this.flag(target, letter, false, open);
        this.pos += modifiers[0].length;
        // `(?i)` changes the flags for the rest of the enclosing group.
        if (modifiers[3] === ')') return null;
        node = { type: 'group', capture: false, body: this.alternation(target) };
      }
    } else {
      const group: GroupNode = { type: 'group', capture: true, body: { type: 'empty' } };
      this.groups.push(group);
      group.body = this.alternation({ ...outer });
      node = group;
    }
    if (this.src[this.pos] !== ')') this.fail('missing ), unterminated subpattern', open);
    this.pos++;
    return node;
  }

  private flag(flags: Flags, letter: string, on: boolean, at: number): void {
    if (letter === 'U' || letter === 'R' || letter === 'L') this.fail(`the inline flag '${letter}' is not supported`, at);
    try {
      applyFlag(flags, letter, on, this.src);
    } catch {
      this.fail(`unknown inline flag '${letter}'`, at);
    }
  }

  /** Reads `\x…` after a backslash into a code point (shared by classes and plain escapes). */
  private hexEscape(letter: string, at: number): number {
    const rest = this.src.slice(this.pos);
    const braced = /^\{([0-9A-Fa-f]{1,8})\}/.exec(rest);
    let digits: string | undefined;
    if (braced && letter !== 'U') {
      digits = braced[1];
      this.pos += braced[0].length;
    } else {
      const length = letter === 'x' ? 2 : letter === 'u' ? 4 : 8;
      const plain = new RegExp(`^[0-9A-Fa-f]{${length}}`).exec(rest);
      if (!plain) this.fail(`incomplete escape \\${letter}`, at);
      digits = plain[0];
      this.pos += length;
    }
    const code = parseInt(digits, 16);
    if (code > 0x10ffff) this.fail(`escape \\${letter} out of range`, at);
    return code;
  }

  private simpleEscape(letter: string, at: number): number | null {
    switch (letter) {
      case 'n': return 10;
      case 't': return 9;
      case 'r': return 13;
      case 'f': return 12;
      case 'v': return 11;
      case 'a': return 7;
      case 'x': case 'u': case 'U': return this.hexEscape(letter, at);
      case 'N': this.fail('\\N{…} named characters are not supported', at);
      // falls through (fail never returns)
      default: return null;
    }
  }

  private octal(first: string): number {
    let digits = first;
    while (digits.length < 3 && /[0-7]/.test(this.src[this.pos] ?? '')) digits += this.src[this.pos++];
    return parseInt(digits, 8);
  }

  private classEscape(letter: string, flags: Flags, at: number): ClassItem | null {
    const lower = letter.toLowerCase();
    const negated = letter !== lower;
    if (lower === 'd') return { kind: 'digit', negated, ascii: flags.ascii };
    if (lower === 'w') return { kind: 'word', negated, ascii: flags.ascii };
    if (lower === 's') return { kind: 'space', negated, ascii: flags.ascii };
    if (lower === 'p') {
      const braced = /^\{([A-Za-z0-9_=]+)\}/.exec(this.src.slice(this.pos));
      if (braced) {
        this.pos += braced[0].length;
        return { kind: 'property', negated, name: braced[1] };
      }
      const single = this.src[this.pos];
      if (single && /[A-Za-z]/.test(single)) {
        this.pos++;
        return { kind: 'property', negated, name: single };
      }
      this.fail(`bad escape \\${letter}`, at);
    }
    return null;
  }

  private escape(flags: Flags): RegexNode {
    const at = this.pos;
    this.pos++;
    const letter = this.src[this.pos];
    if (letter === undefined) this.fail('bad escape (end of pattern)', at);
    this.pos++;
    switch (letter) {
      case 'A': return { type: 'assert', kind: 'text-start', ascii: flags.ascii };
      case 'Z': case 'z': return { type: 'assert', kind: 'text-end', ascii: flags.ascii };
      case 'b': return { type: 'assert', kind: 'word-boundary', ascii: flags.ascii };
      case 'B': return { type: 'assert', kind: 'not-word-boundary', ascii: flags.ascii };
      default: break;
    }
    const item = this.classEscape(letter, flags, at);
    if (item) return { type: 'class', negated: false, items: [item], ignoreCase: false };
    if (letter >= '0' && letter <= '9') {
      const next2 = this.src.slice(this.pos, this.pos + 2);
      if (letter === '0' || (/^[0-7]{2}$/.test(next2) && letter <= '7')) {
        return { type: 'char', code: this.octal(letter), ignoreCase: flags.ignoreCase };
      }
      let digits = letter;
      if (/[0-9]/.test(this.src[this.pos] ?? '')) digits += this.src[this.pos++];
      const backref: BackrefNode = { type: 'backref', target: null };
      this.refs.push({ node: backref, index: Number(digits), at });
      return backref;
    }
    const code = this.simpleEscape(letter, at);
    if (code !== null) return { type: 'char', code, ignoreCase: flags.ignoreCase };
    if (/[A-Za-z]/.test(letter)) this.fail(`bad escape \\${letter}`, at);
    const literal = this.src.codePointAt(at + 1)!;
    this.pos = at + 1 + (literal > 0xffff ? 2 : 1);
    return { type: 'char', code: literal, ignoreCase: flags.ignoreCase };
  }

  /** Reads one class member that can end a range: a code point, or null for a class escape. */
  private classAtom(flags: Flags, items: ClassItem[]): number | null {
    const at = this.pos;
    if (this.src[this.pos] !== '\\') {
      const code = this.src.codePointAt(this.pos)!;
      this.pos += code > 0xffff ? 2 : 1;
      return code;
    }
    this.pos++;
    const letter = this.src[this.pos];
    if (letter === undefined) this.fail('bad escape (end of pattern)', at);
    this.pos++;
    const item = this.classEscape(letter, flags, at);
    if (item) {
      items.push(item);
      return null;
    }
    if (letter === 'b') return 8;
    if (letter >= '0' && letter <= '7') return this.octal(letter);
    const code = this.simpleEscape(letter, at);
    if (code !== null) return code;
    if (/[A-Za-z0-9]/.test(letter)) this.fail(`bad escape \\${letter}`, at);
    const literal = this.src.codePointAt(at + 1)!;
    this.pos = at + 1 + (literal > 0xffff ? 2 : 1);
    return literal;
  }

  private characterClass(flags: Flags): RegexNode {
    const open = this.pos;
    this.pos++;
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail('unterminated character set', open);
      if (c === ']' && !first) break;
      first = false;
      const from = this.classAtom(flags, items);
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== undefined) {
        const dash = this.pos;
        this.pos++;
        const to = this.classAtom(flags, items);
        if (from === null || to === null) this.fail('bad character range', dash);
        if (to < from) this.fail('bad character range', dash);
        items.push({ kind: 'range', from, to });
      } else if (from !== null) {
        items.push({ kind: 'range', from, to: from });
      }
    }
    this.pos++;
    return { type: 'class', negated, items, ignoreCase: flags.ignoreCase };
  }
}

/**
 * Shortest and longest match lengths in code points (`Infinity` when unbounded).
 *
 * @example regexWidth(parseRegex('ab?c+', { dialect: 'python' })) // { min: 2, max: Infinity }
 */
export function regexWidth(node: RegexNode): { min: number; max: number } {
  switch (node.type) {
    case 'empty': case 'assert': case 'look': return { min: 0, max: 0 };
    case 'char': case 'class': case 'any': return { min: 1, max: 1 };
    case 'backref': return { min: 0, max: Infinity };
    case 'group': return regexWidth(node.body);
    case 'seq': {
      let min = 0;
      let max = 0;
      for (const item of node.items) {
        const width = regexWidth(item);
        min += width.min;
        max += width.max;
      }
      return { min, max };
    }
    case 'alt': {
      let min = Infinity;
      let max = 0;
      for (const option of node.options) {
        const width = regexWidth(option);
        min = Math.min(min, width.min);
        max = Math.max(max, width.max);
      }
      return { min, max };
    }
    case 'repeat': {
      const width = regexWidth(node.body);
      return { min: width.min * node.min, max: width.max === 0 ? 0 : width.max * node.max };
    }
  }
}

const WORD = '\\p{L}\\p{N}_';
const WORD_CLASS = `[${WORD}]`;
const NOT_WORD_CLASS = `[^${WORD}]`;

function hex(code: number): string {
  return code.toString(16).toUpperCase();
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function literalChar(code: number): string {
  return isAsciiAlnum(code) || code === 32 ? String.fromCharCode(code) : `\\u{${hex(code)}}`;
}

function caseVariants(code: number): number[] {
  const char = String.fromCodePoint(code);
  const variants = new Set<number>([code]);
  for (const variant of [char.toLowerCase(), char.toUpperCase(), char.toUpperCase().toLowerCase()]) {
    const codes = [...variant];
    if (codes.length === 1) variants.add(codes[0].codePointAt(0)!);
  }
  return [...variants];
}

/** The other-case code points of a range that lie outside it, as ranges (large ranges are left as they are). */
function caseFoldRange(from: number, to: number): [number, number][] {
  if (to - from > 5000) return [];
  const extra: number[] = [];
  for (let code = from; code <= to; code++) {
    for (const variant of caseVariants(code)) if (variant < from || variant > to) extra.push(variant);
  }
  extra.sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const code of extra) {
    const last = ranges[ranges.length - 1];
    if (last && code <= last[1] + 1) last[1] = Math.max(last[1], code);
    else ranges.push([code, code]);
  }
  return ranges;
}

function rangeText(from: number, to: number): string {
  return from === to ? literalChar(from) : `${literalChar(from)}-${literalChar(to)}`;
}

function classToJs(node: Extract<RegexNode, { type: 'class' }>): string {
  let rest = '';
  let unicodeNotWord = false;
  for (const item of node.items) {
    switch (item.kind) {
      case 'range':
        rest += rangeText(item.from, item.to);
        if (node.ignoreCase) for (const [from, to] of caseFoldRange(item.from, item.to)) rest += rangeText(from, to);
        break;
      case 'digit':
        rest += item.ascii ? (item.negated ? '\\D' : '\\d') : item.negated ? '\\P{Nd}' : '\\p{Nd}';
        break;
      case 'space':
        rest += item.negated ? '\\S' : '\\s';
        break;
      case 'word':
        if (item.ascii) rest += item.negated ? '\\W' : '\\w';
        else if (item.negated) unicodeNotWord = true;
        else rest += WORD;
        break;
      case 'property':
        rest += `\\${item.negated ? 'P' : 'p'}{${item.name}}`;
        break;
    }
  }
  if (!unicodeNotWord) return `[${node.negated ? '^' : ''}${rest}]`;
  // A Unicode \W cannot sit inside a class; spell out the union (or, negated, the difference).
  if (!node.negated) return rest ? `(?:[${rest}]|${NOT_WORD_CLASS})` : NOT_WORD_CLASS;
  return rest ? `(?:(?![${rest}])${WORD_CLASS})` : WORD_CLASS;
}

function assertToJs(kind: AssertKind, ascii: boolean): string {
  switch (kind) {
    case 'text-start': return '(?<![\\s\\S])';
    case 'text-end': return '(?![\\s\\S])';
    case 'text-end-or-final-newline': return '(?=\\n?(?![\\s\\S]))';
    case 'line-start': return '(?<![^\\n])';
    case 'line-end': return '(?![^\\n])';
    case 'word-boundary':
      return ascii ? '\\b' : `(?:(?<=${WORD_CLASS})(?!${WORD_CLASS})|(?<!${WORD_CLASS})(?=${WORD_CLASS}))`;
    case 'not-word-boundary':
      return ascii ? '\\B' : `(?:(?<=${WORD_CLASS})(?=${WORD_CLASS})|(?<!${WORD_CLASS})(?!${WORD_CLASS}))`;
  }
}

/**
 * Writes a parsed regex as JavaScript source for `new RegExp(source, 'u')` (flags already applied).
 *
 * @example regexToJs(parseRegex('a.b', { dialect: 'python' })) // 'a[^\\n]b'
 */
export function regexToJs(root: RegexNode): string {
  const numbers = new Map<GroupNode, number>();
  let nextGroup = 1;
  const emit = (node: RegexNode): string => {
    switch (node.type) {
      case 'empty': return '';
      case 'char': {
        const variants = node.ignoreCase ? caseVariants(node.code) : [node.code];
        return variants.length === 1 ? literalChar(node.code) : `[${variants.map(literalChar).join('')}]`;
      }
      case 'class': return classToJs(node);
      case 'any': return node.dotAll ? '[\\s\\S]' : '[^\\n]';
      case 'seq': return node.items.map(emit).join('');
      case 'alt': return `(?:${node.options.map(emit).join('|')})`;
      case 'group': {
        if (!node.capture) return `(?:${emit(node.body)})`;
        const number = nextGroup++;
        numbers.set(node, number);
        return `(${emit(node.body)})`;
      }
      case 'repeat': {
        const body = emit(node.body);
        // JavaScript (unlike Python) refuses to quantify a lookaround; a zero-width body needs no repeat.
        if (regexWidth(node.body).max === 0) return node.min > 0 ? body : `(?:${body})?`;
        const { min, max } = node;
        const count = min === 0 && max === 1 ? '?' : min === 0 && max === Infinity ? '*' : min === 1 && max === Infinity ? '+'
          : max === Infinity ? `{${min},}` : min === max ? `{${min}}` : `{${min},${max}}`;
        return `(?:${body})${count}${node.lazy ? '?' : ''}`;
      }
      case 'assert': return assertToJs(node.kind, node.ascii);
      case 'look': return `(?${node.behind ? '<' : ''}${node.negated ? '!' : '='}${emit(node.body)})`;
      case 'backref': {
        const number = node.target ? numbers.get(node.target) : undefined;
        if (number === undefined) throw new GrammarError('A backreference refers to a group that does not come before it.');
        return `(?:\\${number})`;
      }
    }
  };
  return emit(root);
}

/**
 * Whether a node needs a backreference (which a context-free grammar cannot express).
 *
 * @example hasBackreference(parseRegex('(a)\\1', { dialect: 'python' })) // true
 */
export function hasBackreference(node: RegexNode): boolean {
  switch (node.type) {
    case 'backref': return true;
    case 'seq': return node.items.some(hasBackreference);
    case 'alt': return node.options.some(hasBackreference);
    case 'group': case 'repeat': case 'look': return hasBackreference(node.body);
    default: return false;
  }
}

/**
 * Compiles JavaScript source produced by `regexToJs`, turning engine errors into GrammarError.
 *
 * @example compileJsRegex('a+', 'y', 'terminal A')
 */
export function compileJsRegex(source: string, extraFlags: string, what: string): RegExp {
  try {
    return new RegExp(source, `u${extraFlags}`);
  } catch (error) {
    throw new GrammarError(`${what} cannot be used as a JavaScript regular expression: ${(error as Error).message}`);
  }
}

/**
 * The UTF-16 code units a non-empty match can start with, or null when that is not known to be a
 * small set (the pattern can match nothing, starts with any character, a negated class, …).
 *
 * @example firstCodeUnits(parseRegex('[+-]?\\d', { dialect: 'python' })) // null (\d is open-ended)
 */
export function firstCodeUnits(root: RegexNode, limit = 96): string | null {
  const ANY = null;
  type First = { units: Set<string> | typeof ANY; nullable: boolean };
  const visit = (node: RegexNode): First => {
    switch (node.type) {
      case 'empty': case 'assert': case 'look': return { units: new Set(), nullable: true };
      case 'any': case 'backref': return { units: ANY, nullable: node.type === 'backref' };
      case 'char': {
        const codes = node.ignoreCase ? caseVariants(node.code) : [node.code];
        return { units: new Set(codes.map((code) => String.fromCodePoint(code)[0])), nullable: false };
      }
      case 'class': {
        if (node.negated) return { units: ANY, nullable: false };
        const units = new Set<string>();
        for (const item of node.items) {
          if (item.kind !== 'range' || item.to > 0xffff || item.to - item.from > limit) return { units: ANY, nullable: false };
          const ranges: [number, number][] = [[item.from, item.to], ...(node.ignoreCase ? caseFoldRange(item.from, item.to) : [])];
          for (const [from, to] of ranges) for (let code = from; code <= to && code <= 0xffff; code++) units.add(String.fromCharCode(code));
          if (units.size > limit) return { units: ANY, nullable: false };
        }
        return { units, nullable: false };
      }
      case 'group': return visit(node.body);
      case 'repeat': {
        const body = visit(node.body);
        return { units: body.units, nullable: body.nullable || node.min === 0 };
      }
      case 'seq': case 'alt': {
        const parts = node.type === 'seq' ? node.items : node.options;
        const units = new Set<string>();
        let nullable = node.type === 'seq';
        for (const part of parts) {
          const first = visit(part);
          if (first.units === ANY) return { units: ANY, nullable: false };
          for (const unit of first.units) units.add(unit);
          if (node.type === 'seq' && !first.nullable) return { units, nullable: false };
          if (node.type === 'alt' && first.nullable) nullable = true;
        }
        return { units, nullable };
      }
    }
  };
  const first = visit(root);
  if (first.nullable || first.units === ANY || first.units.size === 0 || first.units.size > limit) return null;
  return [...first.units].join('');
}
