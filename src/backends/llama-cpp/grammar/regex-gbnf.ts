import type { ClassItem, RegexNode } from '../../../engine/grammar/python-regex.js';
import { charSet, complement, gbnfClass, gbnfLiteral, jsonEscapeChar, jsonStringCharGbnf, MAX_CODE_POINT, union, type CharSet, type GbnfRules } from './gbnf.js';

/**
 * Regular expressions (as read by the engine's Python/Rust regex reader) written as GBNF.
 *
 * The grammar may only accept strings the expression matches ("sound") or, where GBNF cannot
 * say it (lookarounds, word boundaries, back-references, Unicode classes negated), a superset;
 * `sound` is then false and the caller relies on the engine's check after generation.
 */

/** How matched text is written: as itself, or as the inside of a JSON string (escaped). */
export type TextMode = 'raw' | 'json';

export interface GbnfContext {
  rules: GbnfRules;
  mode: TextMode;
  /** Set to false when the grammar had to accept more than the source language. */
  sound: boolean;
}

/** Repetition bounds above this become unbounded (`{n,}`): GBNF expands bounded repeats into rules. */
const MAX_BOUNDED_REPEAT = 256;

const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = charSet([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
const SPACE: CharSet = charSet([[0x09, 0x0d], [0x20, 0x20]]);
const propertyCache = new Map<string, CharSet>();

/** The code points of a Unicode property, read from JavaScript's own tables (Basic Multilingual Plane). */
function propertySet(name: string): CharSet | null {
  const cached = propertyCache.get(name);
  if (cached) return cached;
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^\\p{${name}}$`, 'u');
  } catch {
    return null;
  }
  const ranges: [number, number][] = [];
  let start = -1;
  for (let code = 0; code <= 0xffff; code++) {
    const inside = code < 0xd800 || code > 0xdfff ? pattern.test(String.fromCharCode(code)) : false;
    if (inside && start < 0) start = code;
    if (!inside && start >= 0) {
      ranges.push([start, code - 1]);
      start = -1;
    }
  }
  if (start >= 0) ranges.push([start, 0xffff]);
  propertyCache.set(name, ranges);
  return ranges;
}

function caseVariants(set: CharSet): CharSet {
  const extra: [number, number][] = [];
  for (const [from, to] of set) {
    // ASCII letters only: other scripts' case folding is left out (the grammar accepts less, which is sound).
    const lowFrom = Math.max(from, 0x61);
    const lowTo = Math.min(to, 0x7a);
    if (lowFrom <= lowTo) extra.push([lowFrom - 0x20, lowTo - 0x20]);
    const upFrom = Math.max(from, 0x41);
    const upTo = Math.min(to, 0x5a);
    if (upFrom <= upTo) extra.push([upFrom + 0x20, upTo + 0x20]);
  }
  return union(set, extra);
}

/** How a computed character set relates to the one the regex means. */
type Relation = 'exact' | 'subset' | 'superset' | 'unknown';

function combine(a: Relation, b: Relation): Relation {
  if (a === b) return a;
  if (a === 'exact') return b;
  if (b === 'exact') return a;
  return 'unknown';
}

/** The characters of one class item, and how they relate to the regex's own set. */
function itemSet(item: ClassItem): { set: CharSet; relation: Relation } {
  switch (item.kind) {
    case 'range':
      return { set: [[item.from, item.to]], relation: 'exact' };
    case 'digit':
    case 'word':
    case 'space': {
      // Python's Unicode \d, \w, \s are wider than their ASCII forms, which are written instead.
      const base = item.kind === 'digit' ? DIGIT : item.kind === 'word' ? WORD : SPACE;
      if (item.ascii) return { set: item.negated ? complement(base) : base, relation: 'exact' };
      return item.negated ? { set: complement(base), relation: 'superset' } : { set: base, relation: 'subset' };
    }
    case 'property': {
      const base = propertySet(item.name);
      if (!base) return { set: [], relation: 'subset' };
      // Only the Basic Multilingual Plane is read.
      return item.negated ? { set: complement(base), relation: 'superset' } : { set: base, relation: 'subset' };
    }
  }
}

/** The characters a class node matches, and whether the set is within the regex's own (sound). */
function classSet(node: Extract<RegexNode, { type: 'class' }>): { set: CharSet; sound: boolean } {
  let set: CharSet = [];
  let relation: Relation = 'exact';
  for (const item of node.items) {
    const part = itemSet(item);
    set = union(set, part.set);
    relation = combine(relation, part.relation);
  }
  if (node.ignoreCase) {
    set = caseVariants(set);
    // Case folding beyond ASCII letters is left out.
    relation = combine(relation, 'subset');
  }
  if (!node.negated) return { set, sound: relation === 'exact' || relation === 'subset' };
  // The complement of a smaller set is a larger one, and the other way round.
  return { set: complement(set), sound: relation === 'exact' || relation === 'superset' };
}

function setGbnf(set: CharSet, ctx: GbnfContext): string | null {
  return ctx.mode === 'json' ? jsonStringCharGbnf(set) : gbnfClass(set);
}

function literalGbnf(text: string, ctx: GbnfContext): string {
  if (ctx.mode === 'raw') return gbnfLiteral(text);
  let escaped = '';
  for (const char of text) escaped += jsonEscapeChar(char.codePointAt(0)!);
  return gbnfLiteral(escaped);
}

/** A GBNF expression that never matches (an empty character class has no GBNF form). */
function impossible(): string {
  return '[^\\x00-\\U0010ffff]';
}

function repeatSuffix(min: number, max: number, ctx: GbnfContext): string {
  if (max === Infinity || max > MAX_BOUNDED_REPEAT) {
    if (max !== Infinity) ctx.sound = false;
    if (min === 0) return '*';
    if (min === 1) return '+';
    return `{${min},}`;
  }
  if (min === 0 && max === 1) return '?';
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

/**
 * Writes a regex node as a GBNF expression (adding helper rules to `ctx.rules` when needed).
 *
 * @example
 * const ctx = { rules: new GbnfRules(), mode: 'raw', sound: true };
 * regexToGbnf(parseRegex('(yes|no) [0-9]{1,3}', { dialect: 'rust' }), ctx) // '("yes" | "no") "\\x20" [0-9]{1,3}'
 */
export function regexToGbnf(node: RegexNode, ctx: GbnfContext): string {
  switch (node.type) {
    case 'empty':
      return '""';
    case 'char': {
      if (!node.ignoreCase) return literalGbnf(String.fromCodePoint(node.code), ctx);
      const set = caseVariants([[node.code, node.code]]);
      return set.length === 1 && set[0][0] === set[0][1] ? literalGbnf(String.fromCodePoint(node.code), ctx) : setGbnf(set, ctx)!;
    }
    case 'class': {
      const { set, sound } = classSet(node);
      if (!sound) ctx.sound = false;
      return setGbnf(set, ctx) ?? impossible();
    }
    case 'any':
      return setGbnf(node.dotAll ? [[0, MAX_CODE_POINT]] : complement([[0x0a, 0x0a]]), ctx)!;
    case 'seq': {
      const parts: string[] = [];
      let run = '';
      const flush = () => {
        if (run) parts.push(literalGbnf(run, ctx));
        run = '';
      };
      for (const item of node.items) {
        if (item.type === 'char' && !item.ignoreCase) {
          run += String.fromCodePoint(item.code);
          continue;
        }
        flush();
        const part = regexToGbnf(item, ctx);
        if (part !== '""') parts.push(part);
      }
      flush();
      if (!parts.length) return '""';
      return parts.length === 1 ? parts[0] : `(${parts.join(' ')})`;
    }
    case 'alt':
      return `(${node.options.map((option) => regexToGbnf(option, ctx)).join(' | ')})`;
    case 'group':
      return regexToGbnf(node.body, ctx);
    case 'repeat': {
      if (node.max === 0) return '""';
      const body = regexToGbnf(node.body, ctx);
      if (body === '""') return '""';
      const unit = /^(\(.*\)|"[^"]*"|\[[^\]]*\]|[a-z0-9-]+)$/.test(body) ? body : `(${body})`;
      return `${unit}${repeatSuffix(node.min, node.max, ctx)}`;
    }
    case 'assert':
      // \A and \z around a whole-input match say nothing more; the others cannot be said in GBNF.
      if (node.kind !== 'text-start' && node.kind !== 'text-end' && node.kind !== 'text-end-or-final-newline') ctx.sound = false;
      return '""';
    case 'look':
      ctx.sound = false;
      return '""';
    case 'backref':
      // The referenced group's language is a superset of "the same text again".
      ctx.sound = false;
      return node.target ? regexToGbnf(node.target.body, ctx) : '""';
  }
}
