import { GrammarError } from '../../../engine/grammar/grammar-error.js';
import { LARK_COMMON_GRAMMAR } from '../../../engine/grammar/lark-common.js';
import { parseLark, type LarkExpr, type LarkStatement } from '../../../engine/grammar/lark-parse.js';
import { parseRegex, type RegexNode } from '../../../engine/grammar/python-regex.js';
import { regexToGbnf, type GbnfContext } from './regex-gbnf.js';

/**
 * Lark grammars (as read by the engine's Lark reader) written as GBNF, for custom tools.
 *
 * Rules become GBNF rules and terminals become GBNF from their regular expressions. `%ignore`d
 * terminals may appear once before each terminal and at the end, which covers the usual `%ignore
 * WS` (one WS token spans any run of whitespace). Lark lexes terminals greedily where a grammar does
 * not, so a rare input can fit the GBNF and not Lark: the engine still checks every input afterwards.
 */

type TerminalStatement = Extract<LarkStatement, { kind: 'terminal' }>;

/** Not expressible as GBNF (a `%declare`d terminal is used): decode without a grammar. */
export class NotExpressible extends Error {}

class Terminals {
  private readonly nodes = new Map<string, RegexNode>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly definitions: Map<string, TerminalStatement | null>,
    private readonly imports: Map<string, string>,
    private readonly common: Terminals | null,
  ) {}

  has(name: string): boolean {
    return this.definitions.has(name) || this.imports.has(name);
  }

  node(name: string): RegexNode {
    const imported = this.imports.get(name);
    if (imported !== undefined && this.common) return this.common.node(imported);
    const known = this.nodes.get(name);
    if (known) return known;
    const definition = this.definitions.get(name);
    if (definition === undefined) throw new GrammarError(`terminal ${name} is used but not defined`);
    if (definition === null) throw new NotExpressible(`terminal ${name} is only declared`);
    if (this.resolving.has(name)) throw new GrammarError(`terminal ${name} refers to itself`);
    this.resolving.add(name);
    const node = this.pattern(definition.expr);
    this.resolving.delete(name);
    this.nodes.set(name, node);
    return node;
  }

  pattern(expr: LarkExpr): RegexNode {
    switch (expr.kind) {
      case 'seq':
        return { type: 'seq', items: expr.items.map((item) => this.pattern(item)) };
      case 'alt':
        return { type: 'alt', options: expr.options.map((option) => this.pattern(option)) };
      case 'string':
        return { type: 'seq', items: [...expr.value].map((char) => ({ type: 'char' as const, code: char.codePointAt(0)!, ignoreCase: expr.ignoreCase })) };
      case 'regexp':
        return parseRegex(expr.pattern, { flags: expr.flags, dialect: 'python' });
      case 'range':
        return { type: 'class', negated: false, items: [{ kind: 'range', from: expr.from.codePointAt(0)!, to: expr.to.codePointAt(0)! }], ignoreCase: false };
      case 'ref':
        if (!expr.terminal) throw new GrammarError(`a terminal refers to rule ${expr.name}`);
        return this.node(expr.name);
      case 'repeat':
        return { type: 'repeat', body: this.pattern(expr.body), min: expr.min, max: expr.max, lazy: false };
    }
  }
}

let commonTerminals: Terminals | null = null;

function common(): Terminals {
  if (commonTerminals) return commonTerminals;
  const definitions = new Map<string, TerminalStatement | null>();
  for (const statement of parseLark(LARK_COMMON_GRAMMAR)) if (statement.kind === 'terminal') definitions.set(statement.name, statement);
  commonTerminals = new Terminals(definitions, new Map(), null);
  return commonTerminals;
}

/**
 * Adds the rules of a Lark grammar to `ctx.rules` and returns the name of the rule matching a whole
 * input. Throws GrammarError for an invalid grammar, NotExpressible when GBNF cannot say it.
 *
 * @example
 * const ctx = { rules: new GbnfRules(), mode: 'raw' as const, sound: true };
 * const start = larkToGbnf('start: "add " NUMBER " " NUMBER\n%import common.NUMBER', ctx);
 */
export function larkToGbnf(definition: string, ctx: GbnfContext): string {
  const statements = parseLark(definition);
  const rules = new Map<string, LarkExpr>();
  const terminalDefinitions = new Map<string, TerminalStatement | null>();
  const imports = new Map<string, string>();
  const ignores: LarkExpr[] = [];
  for (const statement of statements) {
    if (statement.kind === 'rule') rules.set(statement.name, statement.expr);
    else if (statement.kind === 'terminal') terminalDefinitions.set(statement.name, statement);
    else if (statement.kind === 'ignore') ignores.push(statement.expr);
    else if (statement.kind === 'declare') {
      for (const name of statement.names) if (/^_?[A-Z]/.test(name)) terminalDefinitions.set(name, null);
    } else {
      if (statement.module.join('.') !== 'common') throw new GrammarError(`only Lark's common library can be imported, not ${statement.module.join('.')}`);
      for (const { name, as } of statement.names) imports.set(as, name);
    }
  }
  if (!rules.has('start')) throw new GrammarError('The grammar has no start rule.');
  const terminals = new Terminals(terminalDefinitions, imports, common());

  const prefix = ctx.rules.reserve('lark');
  const ruleNames = new Map<string, string>();
  for (const name of rules.keys()) ruleNames.set(name, ctx.rules.reserve(`${prefix}-r-${name.replace(/_/g, '-')}`));
  const terminalNames = new Map<string, string>();
  const terminalRule = (name: string): string => {
    let rule = terminalNames.get(name);
    if (rule) return rule;
    if (!terminals.has(name)) throw new GrammarError(`terminal ${name} is used but not defined`);
    rule = ctx.rules.reserve(`${prefix}-t-${name.replace(/_/g, '-')}`);
    terminalNames.set(name, rule);
    ctx.rules.define(rule, regexToGbnf(terminals.node(name), ctx));
    return rule;
  };

  let ignore = '';
  if (ignores.length) {
    const options = ignores.map((expr) => (expr.kind === 'ref' && expr.terminal ? terminalRule(expr.name) : regexToGbnf(terminals.pattern(expr), ctx)));
    ignore = ctx.rules.define(ctx.rules.reserve(`${prefix}-ignore`), `(${options.join(' | ')})?`);
  }
  const beforeToken = ignore ? `${ignore} ` : '';

  const expression = (expr: LarkExpr): string => {
    switch (expr.kind) {
      case 'seq':
        return expr.items.length ? `(${expr.items.map(expression).join(' ')})` : '""';
      case 'alt':
        return `(${expr.options.map(expression).join(' | ')})`;
      case 'string':
      case 'regexp':
      case 'range':
        return `${beforeToken}${regexToGbnf(terminals.pattern(expr), ctx)}`;
      case 'ref': {
        if (expr.terminal) return `${beforeToken}${terminalRule(expr.name)}`;
        const rule = ruleNames.get(expr.name);
        if (!rule) throw new GrammarError(`rule ${expr.name} is used but not defined`);
        return rule;
      }
      case 'repeat': {
        if (expr.max === 0) return '""';
        const body = `(${expression(expr.body)})`;
        if (expr.max === Infinity) return expr.min === 0 ? `${body}*` : expr.min === 1 ? `${body}+` : `${body}{${expr.min},}`;
        if (expr.max > 256) {
          ctx.sound = false;
          return `${body}{${expr.min},}`;
        }
        return expr.min === 0 && expr.max === 1 ? `${body}?` : `${body}{${expr.min},${expr.max}}`;
      }
    }
  };
  for (const [name, expr] of rules) ctx.rules.define(ruleNames.get(name)!, expression(expr));
  return ctx.rules.define(ctx.rules.reserve(`${prefix}-input`), ignore ? `${ruleNames.get('start')} ${ignore}` : ruleNames.get('start')!);
}
