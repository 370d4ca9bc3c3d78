import { parseRegex, type RegexNode } from '../../../engine/grammar/python-regex.js';
import { gbnfLiteral, type GbnfRules } from './gbnf.js';
import { integerRange, MAX_INTEGER } from './int-range.js';
import { regexToGbnf, type GbnfContext } from './regex-gbnf.js';

/**
 * JSON Schema written as GBNF, so that sampling can only produce JSON the schema accepts.
 *
 * Covered exactly: types (and lists of types), `enum`, `const`, `anyOf`/`oneOf`, `allOf` of object
 * schemas, `properties`/`required`/`additionalProperties`, `items`/`prefixItems`/`minItems`/
 * `maxItems`, `minLength`/`maxLength`, `pattern`, the `date`, `time`, `date-time` and `uuid` formats,
 * `$ref` into `$defs`/`definitions` (recursion included), `nullable`, and the bounds of integers
 * (digit by digit) and of non-negative numbers (written without exponent, fractions kept within the
 * bounds). `multipleOf`, `uniqueItems`, `not`, conditionals and min/max property counts are not expressible:
 * the grammar then accepts more than the schema, `sound` turns false, and the caller validates.
 * Output is compact JSON (one optional space after `:` and `,`); properties come in schema order,
 * required ones first.
 */

export interface JsonGrammar {
  /** Rule matching one value of the schema. */
  rule: string;
  /** True when every string the grammar accepts is valid for the schema. */
  sound: boolean;
}

type Schema = Record<string, unknown>;

const MAX_BOUNDED = 256;
const SEP = '"," " "?';
const COLON = '":" " "?';

/** One character inside a JSON string: anything but quotes, backslashes, controls and surrogates, or an escape. */
export const JSON_CHAR = '[\\x20-\\x21\\x23-\\x5b\\x5d-\\ud7ff\\ue000-\\U0010ffff] | "\\x5c" (["\\x5c/bfnrt] | "u" [0-9a-fA-F]{4})';

const PRIMITIVES: Record<string, string> = {
  'json-char': JSON_CHAR,
  'json-string': '"\\x22" json-char* "\\x22"',
  // Digits are bounded so that a sampler cannot wander forever inside one number.
  'json-integer': '"-"? ("0" | [1-9] [0-9]{0,14})',
  'json-number': '"-"? ("0" | [1-9] [0-9]{0,14}) ("." [0-9]{1,15})? ([eE] [-+]? [0-9]{1,3})?',
  'json-boolean': '"true" | "false"',
  'json-null': '"null"',
  'json-value': 'json-object | json-array | json-string | json-number | json-boolean | json-null',
  'json-object': `"{" (json-string ${COLON} json-value (${SEP} json-string ${COLON} json-value)*)? "}"`,
  'json-array': `"[" (json-value (${SEP} json-value)*)? "]"`,
};
const PRIMITIVE_NEEDS: Record<string, string[]> = {
  'json-string': ['json-char'],
  'json-value': ['json-object', 'json-array', 'json-string', 'json-number', 'json-boolean', 'json-null'],
  'json-object': ['json-string', 'json-value'],
  'json-array': ['json-value'],
};

const FORMATS: Record<string, string> = {
  date: '[0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [12] [0-9] | "3" [01])',
  time: '([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] ("." [0-9]{1,6})? ("Z" | [+-] ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9])',
  uuid: '[0-9a-f]{8} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{12}',
};

const UNEXPRESSIBLE = ['multipleOf', 'uniqueItems', 'contains', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'dependencies', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties', 'unevaluatedProperties', 'unevaluatedItems'];

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Compiler {
  sound = true;
  private readonly refs = new Map<string, string>();

  constructor(
    private readonly rules: GbnfRules,
    private readonly root: unknown,
  ) {}

  primitive(name: string): string {
    if (!this.rules.has(name)) {
      this.rules.define(name, PRIMITIVES[name]);
      for (const needed of PRIMITIVE_NEEDS[name] ?? []) this.primitive(needed);
    }
    return name;
  }

  /** A GBNF expression for one value of `schema`. */
  value(schema: unknown, hint: string): string {
    if (schema === true || schema === undefined) return this.primitive('json-value');
    if (schema === false) return '[^\\x00-\\U0010ffff]';
    if (!isSchema(schema)) {
      this.sound = false;
      return this.primitive('json-value');
    }
    if (UNEXPRESSIBLE.some((key) => key in schema)) this.sound = false;
    if (typeof schema.$ref === 'string') return this.ref(schema.$ref);
    if (schema.nullable === true) {
      const { nullable: _nullable, ...rest } = schema;
      return `(${this.value(rest, hint)} | ${this.primitive('json-null')})`;
    }
    if ('const' in schema) return gbnfLiteral(JSON.stringify(schema.const));
    if (Array.isArray(schema.enum)) {
      if (!schema.enum.length) return '[^\\x00-\\U0010ffff]';
      return `(${schema.enum.map((value) => gbnfLiteral(JSON.stringify(value))).join(' | ')})`;
    }
    const options = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
    if (options) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
      const base = Object.keys(rest).some((key) => !['description', 'title', 'default', 'examples', '$defs', 'definitions'].includes(key)) ? rest : null;
      return `(${options.map((option, index) => this.value(base && isSchema(option) ? merge([base, option], this) : option, `${hint}-${index}`)).join(' | ')})`;
    }
    if (Array.isArray(schema.allOf)) {
      const { allOf, ...rest } = schema;
      return this.value(merge([rest, ...allOf.filter(isSchema)], this), hint);
    }
    const type = schema.type ?? inferType(schema);
    if (Array.isArray(type)) return `(${type.map((one) => this.value({ ...schema, type: one }, `${hint}-${String(one)}`)).join(' | ')})`;
    switch (type) {
      case 'string': return this.string(schema, hint);
      case 'integer': return this.integer(schema);
      case 'number': return this.number(schema);
      case 'boolean': return this.primitive('json-boolean');
      case 'null': return this.primitive('json-null');
      case 'object': return this.object(schema, hint);
      case 'array': return this.array(schema, hint);
      case undefined: return this.primitive('json-value');
      default:
        this.sound = false;
        return this.primitive('json-value');
    }
  }

  private bounds(schema: Schema): { low: number; high: number; lowExclusive: boolean; highExclusive: boolean } | null {
    const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
    let low = number(schema.minimum) ?? -Infinity;
    let high = number(schema.maximum) ?? Infinity;
    let lowExclusive = schema.exclusiveMinimum === true;
    let highExclusive = schema.exclusiveMaximum === true;
    const exclusiveLow = number(schema.exclusiveMinimum);
    const exclusiveHigh = number(schema.exclusiveMaximum);
    if (exclusiveLow !== undefined && exclusiveLow >= low) [low, lowExclusive] = [exclusiveLow, true];
    if (exclusiveHigh !== undefined && exclusiveHigh <= high) [high, highExclusive] = [exclusiveHigh, true];
    if (low === -Infinity && high === Infinity) return null;
    return { low, high, lowExclusive, highExclusive };
  }

  private integer(schema: Schema): string {
    const bounds = this.bounds(schema);
    if (!bounds) return this.primitive('json-integer');
    const low = bounds.lowExclusive ? Math.floor(bounds.low) + 1 : Math.ceil(bounds.low);
    const high = bounds.highExclusive ? Math.ceil(bounds.high) - 1 : Math.floor(bounds.high);
    return integerRange(Math.max(low, -MAX_INTEGER), Math.min(high, MAX_INTEGER));
  }

  /** Bounded numbers: integers in range, or a fraction (non-zero last digit) on a non-negative integer part that keeps it in range. */
  private number(schema: Schema): string {
    const bounds = this.bounds(schema);
    if (!bounds) return this.primitive('json-number');
    const integers = this.integer(schema);
    const fractionLow = Math.max(Math.ceil(bounds.low), 0);
    const fractionHigh = Math.min(Math.floor(bounds.high) - 1, MAX_INTEGER);
    if (fractionLow > fractionHigh) return integers;
    return `(${integers} | ${integerRange(fractionLow, fractionHigh)} "." [0-9]{0,14} [1-9])`;
  }

  private ref(pointer: string): string {
    const known = this.refs.get(pointer);
    if (known) return known;
    const target = resolvePointer(this.root, pointer);
    if (target === undefined) {
      this.sound = false;
      return this.primitive('json-value');
    }
    const name = this.rules.reserve(`ref-${pointer.split('/').pop() || 'root'}`);
    this.refs.set(pointer, name);
    this.rules.define(name, this.value(target, name));
    return name;
  }

  private string(schema: Schema, hint: string): string {
    const format = typeof schema.format === 'string' ? schema.format : undefined;
    if (format === 'date-time') return this.rules.shared('format-date-time', `"\\x22" ${FORMATS.date} "T" ${FORMATS.time} "\\x22"`);
    if (format && FORMATS[format]) return this.rules.shared(`format-${format}`, `"\\x22" ${FORMATS[format]} "\\x22"`);
    if (typeof schema.pattern === 'string') {
      if (schema.minLength !== undefined || schema.maxLength !== undefined) this.sound = false;
      const pattern = this.pattern(schema.pattern);
      if (pattern) return this.rules.define(this.rules.reserve(`${hint}-pattern`), `"\\x22" ${pattern} "\\x22"`);
      this.sound = false;
    }
    const min = typeof schema.minLength === 'number' ? Math.max(0, Math.floor(schema.minLength)) : 0;
    const max = typeof schema.maxLength === 'number' ? Math.floor(schema.maxLength) : Infinity;
    if (min === 0 && max === Infinity) return this.primitive('json-string');
    this.primitive('json-char');
    return `"\\x22" json-char${this.repeat(min, max)} "\\x22"`;
  }

  /** GBNF for the inside of a JSON string matching `source` somewhere (JSON Schema patterns are not anchored). */
  private pattern(source: string): string | null {
    let node: RegexNode;
    try {
      node = parseRegex(source, { dialect: 'python' });
    } catch {
      return null;
    }
    const items = node.type === 'seq' ? node.items : [node];
    const anchoredStart = items[0]?.type === 'assert' && (items[0].kind === 'text-start' || items[0].kind === 'line-start');
    const last = items[items.length - 1];
    const anchoredEnd = last?.type === 'assert' && (last.kind === 'text-end' || last.kind === 'text-end-or-final-newline' || last.kind === 'line-end');
    const core = items.slice(anchoredStart ? 1 : 0, anchoredEnd ? -1 : undefined);
    const ctx: GbnfContext = { rules: this.rules, mode: 'json', sound: true };
    const body = regexToGbnf({ type: 'seq', items: core }, ctx);
    if (!ctx.sound) this.sound = false;
    const any = this.primitive('json-char');
    return `${anchoredStart ? '' : `${any}* `}${body}${anchoredEnd ? '' : ` ${any}*`}`;
  }

  private repeat(min: number, max: number): string {
    if (max > MAX_BOUNDED && max !== Infinity) {
      this.sound = false;
      max = Infinity;
    }
    if (max === Infinity) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
    if (min === 0 && max === 1) return '?';
    return min === max ? `{${min}}` : `{${min},${max}}`;
  }

  private object(schema: Schema, hint: string): string {
    const properties = isSchema(schema.properties) ? Object.entries(schema.properties) : [];
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : []);
    for (const name of required) if (!properties.some(([key]) => key === name)) properties.push([name, true]);
    if (!properties.length) {
      if (schema.additionalProperties === false) return '"{" "}"';
      const value = schema.additionalProperties === undefined || schema.additionalProperties === true ? this.primitive('json-value') : this.value(schema.additionalProperties, `${hint}-value`);
      const key = this.primitive('json-string');
      return this.rules.define(this.rules.reserve(`${hint}-map`), `"{" (${key} ${COLON} ${value} (${SEP} ${key} ${COLON} ${value})*)? "}"`);
    }
    const name = this.rules.reserve(hint);
    const pair = ([key, value]: [string, unknown]) => `${gbnfLiteral(JSON.stringify(key))} ${COLON} ${this.value(value, `${hint}-${key}`)}`;
    const mandatory = properties.filter(([key]) => required.has(key)).map(pair);
    const optional = properties.filter(([key]) => !required.has(key)).map(pair);
    let body: string;
    if (mandatory.length) {
      body = `"{" ${mandatory.join(` ${SEP} `)}${optional.map((part) => ` (${SEP} ${part})?`).join('')} "}"`;
    } else {
      // Any subset of the optional properties, in order: start at one of them, then any later ones.
      const tails: string[] = [];
      for (let i = optional.length - 1; i >= 0; i--) {
        const next = i + 1 < optional.length ? ` ${tails[0]}` : '';
        tails.unshift(this.rules.define(this.rules.reserve(`${name}-after-${i}`), `(${SEP} ${optional[i]})?${next}`));
      }
      const starts = optional.map((part, i) => (i + 1 < optional.length ? `${part} ${tails[i + 1]}` : part));
      body = `"{" (${starts.join(' | ')})? "}"`;
    }
    return this.rules.define(name, body);
  }

  private array(schema: Schema, hint: string): string {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const itemsSchema = Array.isArray(schema.items) ? (schema.additionalItems ?? true) : (schema.items ?? true);
    const min = typeof schema.minItems === 'number' ? Math.max(0, Math.floor(schema.minItems)) : 0;
    const max = typeof schema.maxItems === 'number' ? Math.floor(schema.maxItems) : Infinity;
    if (prefix.length) {
      if (max < prefix.length) this.sound = false;
      const head = prefix.map((item, index) => this.value(item, `${hint}-${index}`)).join(` ${SEP} `);
      const restMin = Math.max(0, min - prefix.length);
      const restMax = max === Infinity ? Infinity : Math.max(0, max - prefix.length);
      if (itemsSchema === false || restMax === 0) return `"[" ${head} "]"`;
      const item = this.value(itemsSchema, `${hint}-item`);
      return `"[" ${head} (${SEP} ${item})${this.repeat(restMin, restMax)} "]"`;
    }
    if (max === 0 || itemsSchema === false) return '"[" "]"';
    const item = this.value(itemsSchema, `${hint}-item`);
    const more = `(${SEP} ${item})${this.repeat(Math.max(0, min - 1), max === Infinity ? Infinity : max - 1)}`;
    return min === 0 ? `"[" (${item} ${more})? "]"` : `"[" ${item} ${more} "]"`;
  }
}

function inferType(schema: Schema): string | undefined {
  if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema || 'maxItems' in schema) return 'array';
  if ('minLength' in schema || 'maxLength' in schema || 'pattern' in schema || 'format' in schema) return 'string';
  if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return 'number';
  return undefined;
}

/** Merges object schemas (`allOf`, or `anyOf` options over shared keywords): properties and requirements add up. */
function merge(parts: Schema[], compiler: Compiler): Schema {
  const out: Schema = {};
  const properties: Schema = {};
  const required: string[] = [];
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isSchema(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) required.push(...value.filter((name): name is string => typeof name === 'string'));
      else if (key in out && JSON.stringify(out[key]) !== JSON.stringify(value) && !['description', 'title'].includes(key)) compiler.sound = false;
      else out[key] = value;
    }
  }
  if (Object.keys(properties).length) out.properties = properties;
  if (required.length) out.required = [...new Set(required)];
  return out;
}

function resolvePointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchema(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Adds rules for one value of `schema` to `rules`.
 *
 * @example
 * const rules = new GbnfRules();
 * const { rule } = jsonSchemaToGbnf({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, rules, 'args');
 * rules.define('root', rule);
 */
export function jsonSchemaToGbnf(schema: unknown, rules: GbnfRules, hint = 'value'): JsonGrammar {
  const compiler = new Compiler(rules, schema);
  const expression = compiler.value(schema, hint);
  const rule = /^[a-z0-9-]+$/.test(expression) ? expression : rules.define(rules.reserve(hint), expression);
  return { rule, sound: compiler.sound };
}
