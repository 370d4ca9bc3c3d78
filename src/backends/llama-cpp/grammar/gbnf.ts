/**
 * Building blocks for GBNF, llama.cpp's grammar format: literals, character sets, rule naming.
 * Characters that are not ASCII letters or digits are always written as hex escapes, which the
 * GBNF reader accepts in literals and classes alike, so nothing needs context-dependent quoting.
 */

/** A set of Unicode code points as sorted, non-overlapping, non-adjacent inclusive ranges. */
export type CharSet = [number, number][];

export const MAX_CODE_POINT = 0x10ffff;
const SURROGATES: CharSet = [[0xd800, 0xdfff]];

/** Normalises ranges: sorted, merged. */
export function charSet(ranges: [number, number][]): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: CharSet = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** Every code point not in `set`. */
export function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [from, to] of set) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

export function union(...sets: CharSet[]): CharSet {
  return charSet(sets.flat());
}

export function subtract(set: CharSet, remove: CharSet): CharSet {
  return intersect(set, complement(remove));
}

export function intersect(a: CharSet, b: CharSet): CharSet {
  const out: CharSet = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i][0], b[j][0]);
    const to = Math.min(a[i][1], b[j][1]);
    if (from <= to) out.push([from, to]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

export function contains(set: CharSet, code: number): boolean {
  return set.some(([from, to]) => code >= from && code <= to);
}

function escapeCode(code: number): string {
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return String.fromCharCode(code);
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/**
 * A GBNF string literal matching exactly `text`.
 *
 * @example gbnfLiteral('a "b"') // '"a\\x20\\x22b\\x22"'
 */
export function gbnfLiteral(text: string): string {
  let out = '"';
  for (const char of text) out += escapeCode(char.codePointAt(0)!);
  return `${out}"`;
}

/**
 * A GBNF character class matching one character of `set`, or null when the set is empty.
 *
 * @example gbnfClass([[0x30, 0x39]]) // '[0-9]'
 */
export function gbnfClass(set: CharSet): string | null {
  // Surrogates are not characters: llama.cpp would read (invalid) UTF-8 for them as such.
  set = subtract(set, SURROGATES);
  if (!set.length) return null;
  if (set.length === 1 && set[0][0] === set[0][1]) return gbnfLiteral(String.fromCodePoint(set[0][0]));
  return `[${set.map(([from, to]) => (from === to ? escapeCode(from) : `${escapeCode(from)}-${escapeCode(to)}`)).join('')}]`;
}

const JSON_SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };
const JSON_SPECIAL: CharSet = [[0x00, 0x1f], [0x22, 0x22], [0x5c, 0x5c]];

/** How a character is written inside a JSON string (its canonical escape, or itself). */
export function jsonEscapeChar(code: number): string {
  const short = JSON_SHORT_ESCAPES[code];
  if (short) return short;
  if (code < 0x20) return `\\u${code.toString(16).padStart(4, '0')}`;
  return String.fromCodePoint(code);
}

/**
 * GBNF matching one character of `set` as it is written inside a JSON string: plain characters
 * as themselves, quotes, backslashes and control characters as their escapes. Null for an empty set.
 *
 * @example jsonStringCharGbnf([[0x0a, 0x0a]]) // '"\\x5cn"' (the two characters \n)
 */
export function jsonStringCharGbnf(set: CharSet): string | null {
  const plain = gbnfClass(subtract(set, JSON_SPECIAL));
  const escapes: string[] = [];
  for (const [from, to] of intersect(set, JSON_SPECIAL)) {
    for (let code = from; code <= to; code++) escapes.push(gbnfLiteral(jsonEscapeChar(code)));
  }
  const options = [...(plain ? [plain] : []), ...escapes];
  if (!options.length) return null;
  return options.length === 1 ? options[0] : `(${options.join(' | ')})`;
}

/**
 * The rules of one grammar under construction: unique names, shared definitions, rendering.
 *
 * @example
 * const rules = new GbnfRules();
 * rules.define('root', '"yes" | "no"');
 * rules.toString() // 'root ::= "yes" | "no"\n'
 */
export class GbnfRules {
  private readonly bodies = new Map<string, string>();
  private readonly byBody = new Map<string, string>();
  private counter = 0;

  /** A fresh rule name starting with `hint` (letters, digits and `-` only). */
  reserve(hint: string): string {
    const base = hint.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'r';
    let name = base;
    while (this.bodies.has(name)) name = `${base}-${++this.counter}`;
    this.bodies.set(name, '');
    return name;
  }

  /** Sets the body of a reserved (or new) rule. */
  define(name: string, body: string): string {
    this.bodies.set(name, body);
    return name;
  }

  /** A rule for `body`, reusing an existing rule with the same body. */
  shared(hint: string, body: string): string {
    const existing = this.byBody.get(body);
    if (existing) return existing;
    const name = this.define(this.reserve(hint), body);
    this.byBody.set(body, name);
    return name;
  }

  has(name: string): boolean {
    return this.bodies.has(name);
  }

  toString(): string {
    let out = '';
    for (const [name, body] of this.bodies) out += `${name} ::= ${body || '""'}\n`;
    return out;
  }
}
