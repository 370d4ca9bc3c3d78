import { GrammarError } from '../../../engine/grammar/grammar-error.js';
import { parseRegex } from '../../../engine/grammar/python-regex.js';
import type { ModelResponseFormat, ModelTool } from '../../types.js';
import { gbnfLiteral, GbnfRules } from './gbnf.js';
import { JSON_CHAR, jsonSchemaToGbnf } from './json-schema-gbnf.js';
import { larkToGbnf, NotExpressible } from './lark-gbnf.js';
import { regexToGbnf, type GbnfContext } from './regex-gbnf.js';

/**
 * The GBNF grammars one request decodes under: the name of a tool to call, the arguments of each
 * tool, and `text.format` JSON. Each comes with `sound`: true when anything the grammar accepts is
 * valid (the schema or the tool's own grammar then needs no check afterwards).
 */

export interface GbnfGrammar {
  gbnf: string;
  sound: boolean;
}

const CACHE_SIZE = 256;
const cache = new Map<string, GbnfGrammar>();

function cached(key: string, build: () => GbnfGrammar): GbnfGrammar {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = build();
  cache.set(key, made);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return made;
}

/**
 * A grammar for exactly one of `names`.
 *
 * @example toolNameGrammar(['get_weather', 'search']).gbnf // 'root ::= "get" "_" … | …'
 */
export function toolNameGrammar(names: string[]): GbnfGrammar {
  return cached(`names\u0000${names.join('\u0000')}`, () => ({ gbnf: `root ::= ${names.map(gbnfLiteral).join(' | ')}\n`, sound: true }));
}

/**
 * The grammar of a tool's arguments: the JSON Schema of a function tool; for a custom tool, the
 * `{"input": "…"}` object whose string, once decoded, matches the tool's Lark or regex grammar.
 *
 * @example toolArgumentsGrammar({ kind: 'function', name: 'f', parameters: { type: 'object', properties: {} } })
 */
export function toolArgumentsGrammar(tool: ModelTool): GbnfGrammar {
  return cached(`tool\u0000${JSON.stringify(tool.kind === 'function' ? tool.parameters : tool.grammar ?? null)}\u0000${tool.kind}`, () => {
    const rules = new GbnfRules();
    if (tool.kind === 'function') {
      const { rule, sound } = jsonSchemaToGbnf(tool.parameters, rules, 'arguments');
      rules.define('root', rule);
      return { gbnf: rules.toString(), sound };
    }
    const ctx: GbnfContext = { rules, mode: 'json', sound: true };
    let inner: string;
    try {
      if (!tool.grammar) inner = 'json-char*';
      else if (tool.grammar.syntax === 'lark') inner = larkToGbnf(tool.grammar.definition, ctx);
      else inner = regexToGbnf(parseRegex(tool.grammar.definition, { dialect: 'rust' }), ctx);
    } catch (error) {
      if (!(error instanceof NotExpressible) && !(error instanceof GrammarError)) throw error;
      // The engine already refused invalid grammars; what is left cannot be said in GBNF.
      inner = 'json-char*';
      ctx.sound = false;
    }
    if (!rules.has('json-char')) rules.define('json-char', JSON_CHAR);
    rules.define('root', `"{" "\\x22input\\x22" ":" " "? "\\x22" ${inner} "\\x22" "}"`);
    return { gbnf: rules.toString(), sound: tool.grammar ? ctx.sound : true };
  });
}

/** The grammar of `text.format`, or null for plain text. */
export function responseFormatGrammar(format: ModelResponseFormat): GbnfGrammar | null {
  if (format.type === 'text') return null;
  return cached(`format\u0000${JSON.stringify(format.type === 'json_schema' ? format.schema : null)}`, () => {
    const rules = new GbnfRules();
    if (format.type === 'json_object') {
      const { rule } = jsonSchemaToGbnf({ type: 'object' }, rules, 'answer');
      rules.define('root', rule);
      return { gbnf: rules.toString(), sound: true };
    }
    const { rule, sound } = jsonSchemaToGbnf(format.schema, rules, 'answer');
    rules.define('root', rule);
    return { gbnf: rules.toString(), sound };
  });
}
