import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { getLlama, LlamaGrammarEvaluationState, readGgufFileInfo, TokenBias, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGrammar } from '../../../engine/grammar/index.js';
import { parseRegex } from '../../../engine/grammar/python-regex.js';
import { makeModelsDir, type ModelsDir } from '../__fixtures__/models-dir.js';
import { invalidUtf8Tokens } from '../generation/utf8-guard.js';
import { charSet, complement, gbnfClass, gbnfLiteral, GbnfRules, jsonStringCharGbnf } from './gbnf.js';
import { responseFormatGrammar, toolArgumentsGrammar, toolNameGrammar } from './index.js';
import { integerRange } from './int-range.js';
import { jsonSchemaToGbnf } from './json-schema-gbnf.js';
import { larkToGbnf } from './lark-gbnf.js';
import { regexToGbnf, type GbnfContext } from './regex-gbnf.js';

/** A GBNF expression made only of literals, classes, groups and repeats, read as a JavaScript regex. */
function gbnfAsRegex(expression: string): RegExp {
  const source = expression.replace(/"([^"]*)"/g, '(?:$1)').replace(/\s+/g, '');
  return new RegExp(`^(?:${source})$`, 'u');
}

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let models: ModelsDir;
let tokenBias: TokenBias;

beforeAll(async () => {
  models = makeModelsDir({ tiny: {} });
  llama = await getLlama({ gpu: false, build: 'never' });
  model = await llama.loadModel({ modelPath: models.path('tiny') });
  context = await model.createContext({ contextSize: 1024, sequences: 1, threads: 1 });
  // As the backend does: bytes that cannot be UTF-8 are never sampled.
  tokenBias = new TokenBias(model.tokenizer).set(invalidUtf8Tokens(await readGgufFileInfo(models.path('tiny'))) as never, 'never');
});

afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
  models?.remove();
});

/** What the random-weight model writes under `gbnf` (sampled at temperature 1, so seeds differ). */
async function sample(gbnf: string, seed: number, maxTokens = 400): Promise<{ text: string; complete: boolean }> {
  const grammar = await llama.createGrammar({ grammar: gbnf });
  const sequence = context.getSequence();
  try {
    const tokens: number[] = [];
    let complete = false;
    for await (const token of sequence.evaluate(model.tokenize('Answer:'), { temperature: 1, seed, tokenBias, grammarEvaluationState: new LlamaGrammarEvaluationState({ model, grammar }), yieldEogToken: true })) {
      if (model.isEogToken(token)) {
        complete = true;
        break;
      }
      tokens.push(token);
      if (tokens.length >= maxTokens) break;
    }
    return { text: model.detokenize(tokens as never), complete };
  } finally {
    await sequence.dispose();
  }
}

describe('GBNF building blocks', () => {
  it('writes every non-alphanumeric character as a hex escape', () => {
    expect(gbnfLiteral('a "b"\n')).toBe('"a\\x20\\x22b\\x22\\x0a"');
    expect(gbnfLiteral('é😀')).toBe('"\\xe9\\U0001f600"');
    expect(gbnfClass([[0x30, 0x39], [0x2d, 0x2d]])).toBe('[0-9\\x2d]');
    expect(gbnfClass([])).toBeNull();
  });

  it('keeps character sets normalised and complements them', () => {
    expect(charSet([[5, 9], [1, 3], [4, 4]])).toEqual([[1, 9]]);
    expect(complement([[0, 9], [20, 0x10ffff]])).toEqual([[10, 19]]);
  });

  it('writes quotes, backslashes and control characters inside JSON strings as their escapes', () => {
    const expression = jsonStringCharGbnf([[0x0a, 0x0a], [0x22, 0x22], [0x41, 0x42]]);
    const regex = gbnfAsRegex(expression!);
    expect(regex.test('A')).toBe(true);
    expect(regex.test('\\n')).toBe(true);
    expect(regex.test('\\"')).toBe(true);
    expect(regex.test('"')).toBe(false);
    expect(regex.test('\n')).toBe(false);
  });
});

describe('integer ranges', () => {
  it.each([
    [1, 12],
    [0, 100],
    [-5, 5],
    [37, 4521],
    [-300, -20],
    [-1000, 999],
    [7, 7],
  ])('matches exactly the integers from %i to %i', (low, high) => {
    const regex = gbnfAsRegex(integerRange(low, high));
    for (let value = -1200; value <= 5000; value++) expect(regex.test(String(value)), String(value)).toBe(value >= low && value <= high);
    expect(regex.test('007')).toBe(false);
    expect(regex.test('-0')).toBe(false);
  });
});

describe('JSON Schema grammars (sampled with random weights)', () => {
  const ajv = new Ajv({ strict: false });
  const schemas: [string, Record<string, unknown>][] = [
    ['object with optional properties', {
      type: 'object',
      properties: {
        city: { type: 'string', maxLength: 8 },
        unit: { enum: ['c', 'f'] },
        days: { type: 'integer', minimum: 1, maximum: 14 },
        ratio: { type: 'number', minimum: 0, maximum: 1 },
        when: { type: 'string', format: 'date' },
        tags: { type: 'array', items: { type: 'boolean' }, minItems: 1, maxItems: 3 },
        note: { type: 'string', maxLength: 6 },
        code: { type: 'string', pattern: '^[A-Z]{2}-[0-9]{2}$' },
      },
      required: ['city', 'unit', 'days'],
    }],
    ['only optional properties', { type: 'object', properties: { a: { type: 'boolean' }, b: { const: 'x' }, c: { type: 'null' } } }],
    ['nested, with $defs and anyOf', {
      type: 'object',
      properties: { item: { $ref: '#/$defs/item' }, mode: { anyOf: [{ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 4 }, { enum: ['auto'] }] } },
      required: ['item', 'mode'],
      additionalProperties: false,
      $defs: { item: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, sizes: { type: 'array', items: [{ type: 'integer', minimum: -3, maximum: 3 }], additionalItems: false } }, required: ['id', 'sizes'] } },
    }],
    ['strict structured output (all required, nullable union)', {
      type: 'object',
      properties: { name: { type: ['string', 'null'], maxLength: 5 }, score: { type: 'number', minimum: 2.5, maximum: 7 } },
      required: ['name', 'score'],
      additionalProperties: false,
    }],
  ];

  it.each(schemas)('%s: every sample parses and is valid for the schema', async (_name, schema) => {
    const rules = new GbnfRules();
    const { rule, sound } = jsonSchemaToGbnf(schema, rules, 'value');
    rules.define('root', rule);
    expect(sound).toBe(true);
    const validate = ajv.compile(schema);
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { text, complete } = await sample(rules.toString(), seed);
      expect(complete, text).toBe(true);
      const value = JSON.parse(text) as unknown;
      expect(validate(value), `${text}\n${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('excludes the bytes that cannot be UTF-8 from sampling', () => {
    const never = invalidUtf8Tokens({ metadata: { tokenizer: { ggml: { model: 'gpt2', tokens: ['a', 'À', 'Á', 'Â', 'õ', 'ÿ', 'hello'] } } } } as never);
    expect(never).toEqual([1, 2, 4, 5]);
    expect(invalidUtf8Tokens({ metadata: { tokenizer: { ggml: { model: 'llama', tokens: ['<0x41>', '<0xC0>', '<0xE0>', '<0xF5>'] } } } } as never)).toEqual([1, 3]);
  });

  it('says when it could not express the whole schema', () => {
    for (const schema of [{ type: 'integer', multipleOf: 3 }, { type: 'array', uniqueItems: true }, { type: 'object', minProperties: 2 }, { not: { type: 'string' } }]) {
      expect(jsonSchemaToGbnf(schema, new GbnfRules()).sound, JSON.stringify(schema)).toBe(false);
    }
  });

  it('follows recursive references', async () => {
    const schema = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' }, maxItems: 2 } }, required: ['children'] };
    const rules = new GbnfRules();
    rules.define('root', jsonSchemaToGbnf(schema, rules).rule);
    const validate = ajv.compile(schema);
    for (const seed of [1, 2, 3]) {
      const { text, complete } = await sample(rules.toString(), seed, 600);
      // A random walk down a recursive grammar may be cut short; what there is must still be a prefix of valid JSON.
      if (complete) expect(validate(JSON.parse(text)), text).toBe(true);
      else expect(text.startsWith('{"children":')).toBe(true);
    }
  });

  it('builds the text.format grammars', async () => {
    expect(responseFormatGrammar({ type: 'text' })).toBeNull();
    const { text } = await sample(responseFormatGrammar({ type: 'json_object' })!.gbnf, 7);
    expect(JSON.parse(text)).toBeTypeOf('object');
  });
});

describe('custom tool grammars', () => {
  const regexCases = ['(add|sub) [0-9]{1,3} [0-9]{1,3}', '[a-z]{2,5}(\\.[a-z]{2,3})?', '(?i:yes|no)', 'line one\\nline "two"\\\\end'];

  it.each(regexCases)('regex %s: raw samples match the regex', async (definition) => {
    const rules = new GbnfRules();
    const ctx: GbnfContext = { rules, mode: 'raw', sound: true };
    rules.define('root', regexToGbnf(parseRegex(definition, { dialect: 'rust' }), ctx));
    expect(ctx.sound).toBe(true);
    const grammar = compileGrammar({ syntax: 'regex', definition });
    for (const seed of [1, 2, 3, 4]) {
      const { text, complete } = await sample(rules.toString(), seed);
      expect(complete).toBe(true);
      expect(grammar.check(text), JSON.stringify(text)).toEqual({ ok: true });
    }
  });

  it.each(regexCases)('regex %s: the {"input": …} arguments decode to input matching the regex', async (definition) => {
    const { gbnf, sound } = toolArgumentsGrammar({ kind: 'custom', name: 'tool', grammar: { syntax: 'regex', definition } });
    expect(sound).toBe(true);
    const grammar = compileGrammar({ syntax: 'regex', definition });
    for (const seed of [1, 2, 3]) {
      const { text } = await sample(gbnf, seed);
      const input = (JSON.parse(text) as { input: string }).input;
      expect(grammar.check(input), text).toEqual({ ok: true });
    }
  });

  it('marks lookarounds and word boundaries as checked afterwards', () => {
    for (const definition of ['a(?=b)b', '\\bword\\b', '(a)\\1']) {
      const ctx: GbnfContext = { rules: new GbnfRules(), mode: 'raw', sound: true };
      regexToGbnf(parseRegex(definition, { dialect: 'python' }), ctx);
      expect(ctx.sound, definition).toBe(false);
    }
  });

  const lark = [
    'start: op " " NUMBER " " NUMBER',
    'op: "add" | "sub"',
    'NUMBER: DIGIT~1..3',
    '%import common.DIGIT',
  ].join('\n');
  const larkWithIgnore = ['start: "(" item ("," item)~0..2 ")"', 'item: WORD', 'WORD: /[a-z]{1,4}/', '%import common.WS_INLINE', '%ignore WS_INLINE'].join('\n');

  it.each([lark, larkWithIgnore])('Lark samples are accepted by the Lark checker: %s', async (definition) => {
    const rules = new GbnfRules();
    const ctx: GbnfContext = { rules, mode: 'raw', sound: true };
    rules.define('root', larkToGbnf(definition, ctx));
    const grammar = compileGrammar({ syntax: 'lark', definition });
    for (const seed of [1, 2, 3, 4]) {
      const { text, complete } = await sample(rules.toString(), seed);
      expect(complete).toBe(true);
      expect(grammar.check(text), JSON.stringify(text)).toEqual({ ok: true });
    }
  });

  it("compiles Codex's apply_patch grammar to GBNF llama.cpp accepts, and samples follow it", async () => {
    const definition = readFileSync(new URL('../../../engine/grammar/__fixtures__/apply-patch.codex.lark', import.meta.url), 'utf8');
    const { gbnf } = toolArgumentsGrammar({ kind: 'custom', name: 'apply_patch', grammar: { syntax: 'lark', definition } });
    await expect(llama.createGrammar({ grammar: gbnf })).resolves.toBeDefined();
    const { text } = await sample(gbnf, 1, 80);
    expect(text).toMatch(/^\{"input": ?"\*\*\* Begin Patch\\n\*\*\* (Add|Delete|Update) File: /);
  });

  it('offers exactly the tool names', async () => {
    const { gbnf } = toolNameGrammar(['get_weather', 'get', 'search']);
    const seen = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { text } = await sample(gbnf, seed);
      seen.add(text);
    }
    for (const name of seen) expect(['get_weather', 'get', 'search']).toContain(name);
  });
});
