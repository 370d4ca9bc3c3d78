import { terminalSymbol, type Cfg, type CfgTerminal } from './earley.js';
import { GrammarError } from './grammar-error.js';
import { LARK_COMMON_DESCRIPTIONS, LARK_COMMON_GRAMMAR } from './lark-common.js';
import { parseLark, type LarkExpr, type LarkStatement, type SourcePosition } from './lark-parse.js';
import { compileJsRegex, firstCodeUnits, parseRegex, regexToJs, regexWidth, type RegexNode } from './python-regex.js';

/**
 * Gives a parsed Lark grammar its meaning: terminals become one regular expression each (as in
 * Lark), rules become plain context-free productions for the Earley recogniser (EBNF operators
 * turned into helper rules), `%import common.X` pulls in Lark's common terminals.
 * Priorities and aliases are read but do not change which inputs are accepted.
 */

interface TerminalDefinition {
  name: string;
  expr: LarkExpr | null;
  position: SourcePosition;
}

/** Terminal definitions visible in one grammar (the user's, or the common library's). */
class TerminalScope {
  readonly definitions = new Map<string, TerminalDefinition>();
  readonly imports = new Map<string, string>();
  private readonly nodes = new Map<string, RegexNode | null>();
  private readonly resolving = new Set<string>();

  constructor(private readonly common: TerminalScope | null) {}

  has(name: string): boolean {
    return this.definitions.has(name) || this.imports.has(name);
  }

  /** The regex of a terminal, or null for a declared one. */
  node(name: string, usedAt: SourcePosition): RegexNode | null {
    const imported = this.imports.get(name);
    if (imported !== undefined && this.common) return this.common.node(imported, usedAt);
    if (this.nodes.has(name)) return this.nodes.get(name)!;
    const definition = this.definitions.get(name);
    if (!definition) throw at(usedAt, `terminal ${name} is used but not defined`);
    if (this.resolving.has(name)) throw at(definition.position, `terminal ${name} refers to itself (terminals cannot be recursive; make it a rule)`);
    this.resolving.add(name);
    const node = definition.expr === null ? null : this.pattern(definition.expr, name);
    this.resolving.delete(name);
    this.nodes.set(name, node);
    return node;
  }

  /** Builds one regex from a terminal expression. */
  pattern(expr: LarkExpr, owner: string): RegexNode {
    switch (expr.kind) {
      case 'seq':
        if (!expr.items.length) throw at(expr, `terminal ${owner} cannot be empty`);
        return { type: 'seq', items: expr.items.map((item) => this.pattern(item, owner)) };
      case 'alt': {
        // Like Lark: longest alternatives first, since a regex takes the first alternative that matches.
        const options = expr.options.map((option) => {
          const node = this.pattern(option, owner);
          return { node, width: regexWidth(node) };
        });
        options.sort((a, b) => b.width.max - a.width.max || b.width.min - a.width.min);
        return { type: 'alt', options: options.map((option) => option.node) };
      }
      case 'string':
        return { type: 'seq', items: [...expr.value].map((char) => ({ type: 'char', code: char.codePointAt(0)!, ignoreCase: expr.ignoreCase })) };
      case 'regexp':
        return regexAt(expr);
      case 'range': {
        const from = expr.from.codePointAt(0)!;
        const to = expr.to.codePointAt(0)!;
        if (to < from) throw at(expr, `bad range ${expr.raw}`);
        return { type: 'class', negated: false, items: [{ kind: 'range', from, to }], ignoreCase: false };
      }
      case 'ref': {
        if (!expr.terminal) throw at(expr, `terminal ${owner} refers to rule ${expr.name}; terminals can only contain strings, regular expressions and other terminals`);
        const node = this.node(expr.name, expr);
        if (!node) throw at(expr, `terminal ${expr.name} is only declared (%declare), so it cannot be part of terminal ${owner}`);
        return node;
      }
      case 'repeat':
        return { type: 'repeat', body: this.pattern(expr.body, owner), min: expr.min, max: expr.max, lazy: false };
    }
  }
}

function at(position: SourcePosition, problem: string): GrammarError {
  return new GrammarError(`Line ${position.line}, column ${position.column}: ${problem}`);
}

function regexAt(expr: Extract<LarkExpr, { kind: 'regexp' }>): RegexNode {
  try {
    return parseRegex(expr.pattern, { flags: expr.flags, dialect: 'python' });
  } catch (error) {
    if (error instanceof GrammarError) throw at(expr, error.message);
    throw error;
  }
}

let commonScope: TerminalScope | null = null;

function common(): TerminalScope {
  if (commonScope) return commonScope;
  const scope = new TerminalScope(null);
  for (const statement of parseLark(LARK_COMMON_GRAMMAR)) {
    if (statement.kind === 'terminal') scope.definitions.set(statement.name, { name: statement.name, expr: statement.expr, position: statement });
  }
  commonScope = scope;
  return scope;
}

const MAX_SYMBOLS = 2_000_000;

/** Alternatives an expression may expand to inside one production before it becomes a helper rule. */
const MAX_EXPANSION = 8;

function terminalFrom(name: string, node: RegexNode): CfgTerminal {
  const literal = fixedText(node);
  return { name, source: regexToJs(node), literal, firstUnits: literal === undefined ? firstCodeUnits(node) ?? undefined : undefined };
}

/** The one text a regex matches, when it is plain case-sensitive characters (so it can be matched as a string). */
function fixedText(node: RegexNode): string | undefined {
  if (node.type === 'char') return node.ignoreCase ? undefined : String.fromCodePoint(node.code);
  if (node.type === 'group') return fixedText(node.body);
  if (node.type !== 'seq') return undefined;
  let text = '';
  for (const item of node.items) {
    const part = fixedText(item);
    if (part === undefined) return undefined;
    text += part;
  }
  return text || undefined;
}

/**
 * Compiles the text of a Lark grammar into a context-free grammar for EarleyRecogniser.
 * Throws GrammarError (with line and column) when the grammar is invalid or uses unsupported features.
 *
 * @example compileLark('start: "add " NUMBER " " NUMBER\n%import common.NUMBER')
 */
export function compileLark(definition: string): Cfg {
  const statements = parseLark(definition);
  const scope = new TerminalScope(common());
  const rules = new Map<string, Extract<LarkStatement, { kind: 'rule' }>>();
  const declaredRules = new Set<string>();
  const ignores: Extract<LarkStatement, { kind: 'ignore' }>[] = [];
  const definedAt = new Map<string, SourcePosition>();

  const define = (name: string, position: SourcePosition): void => {
    const earlier = definedAt.get(name);
    if (earlier) throw at(position, `${name} is defined more than once (first on line ${earlier.line})`);
    definedAt.set(name, position);
  };

  for (const statement of statements) {
    switch (statement.kind) {
      case 'rule':
        define(statement.name, statement);
        rules.set(statement.name, statement);
        break;
      case 'terminal':
        define(statement.name, statement);
        scope.definitions.set(statement.name, { name: statement.name, expr: statement.expr, position: statement });
        break;
      case 'ignore':
        ignores.push(statement);
        break;
      case 'declare':
        for (const name of statement.names) {
          define(name, statement);
          if (/^_?[A-Z]/.test(name)) scope.definitions.set(name, { name, expr: null, position: statement });
          else declaredRules.add(name);
        }
        break;
      case 'import': {
        if (statement.module.join('.') !== 'common') {
          throw at(statement, `only Lark's common library can be imported (as in %import common.WS), not ${statement.module.join('.')}`);
        }
        for (const { name, as } of statement.names) {
          if (!common().definitions.has(name)) throw at(statement, `the common library has no terminal ${name}`);
          if (!/^_?[A-Z]/.test(as)) throw at(statement, `an imported terminal needs an upper-case name, not ${as}`);
          define(as, statement);
          scope.imports.set(as, name);
        }
        break;
      }
    }
  }
  if (!rules.has('start')) throw new GrammarError('The grammar has no start rule (a line "start: …").');

  const terminals: CfgTerminal[] = [];
  const terminalIds = new Map<string, number>();
  const terminalId = (key: string, make: () => CfgTerminal): number => {
    let id = terminalIds.get(key);
    if (id === undefined) {
      id = terminals.length;
      terminals.push(make());
      terminalIds.set(key, id);
    }
    return id;
  };
  const describe = (name: string): string => {
    const imported = scope.imports.get(name);
    if (imported !== undefined) {
      const words = LARK_COMMON_DESCRIPTIONS[imported];
      return words ? `${name} (${words})` : name;
    }
    const expr = scope.definitions.get(name)?.expr;
    return expr?.kind === 'string' ? `${name} (${expr.raw})` : name;
  };
  const namedTerminal = (name: string, usedAt: SourcePosition): number => {
    if (!scope.has(name)) throw at(usedAt, `terminal ${name} is used but not defined`);
    return terminalId(`name:${name}`, () => {
      const node = scope.node(name, usedAt);
      return node ? terminalFrom(describe(name), node) : { name: describe(name), source: null };
    });
  };
  const anonymousTerminal = (expr: LarkExpr): number => {
    switch (expr.kind) {
      case 'string':
        return terminalId(`string:${expr.ignoreCase}:${expr.value}`, () => terminalFrom(JSON.stringify(expr.value) + (expr.ignoreCase ? 'i' : ''), scope.pattern(expr, expr.raw)));
      case 'regexp':
      case 'range':
        return terminalId(`${expr.kind}:${expr.raw}`, () => terminalFrom(expr.raw, scope.pattern(expr, expr.raw)));
      default:
        throw new Error(`not a literal: ${expr.kind}`);
    }
  };

  const nonterminals: string[] = [];
  const ruleIds = new Map<string, number>();
  for (const name of [...rules.keys(), ...declaredRules]) {
    ruleIds.set(name, nonterminals.length);
    nonterminals.push(name);
  }
  const productions: Cfg['productions'] = [];
  let symbolCount = 0;
  const produce = (lhs: number, rhs: number[]): void => {
    symbolCount += rhs.length + 1;
    if (symbolCount > MAX_SYMBOLS) throw new GrammarError('The grammar is too large once its repetitions are expanded.');
    productions.push({ lhs, rhs });
  };
  const helper = (owner: string, alternatives: number[][]): number => {
    const id = nonterminals.length;
    nonterminals.push(`${owner}#${id}`);
    for (const rhs of alternatives) produce(id, rhs);
    return id;
  };

  // Like Lark, optional parts and alternatives become several productions (up to MAX_EXPANSION
  // per expression), which keeps Earley items few; repetitions become left-recursive helper rules.
  const expand = (expr: LarkExpr, owner: string): number[][] => {
    switch (expr.kind) {
      case 'seq': {
        let result: number[][] = [[]];
        for (const item of expr.items) {
          let options = expand(item, owner);
          if (options.length > 1 && result.length * options.length > MAX_EXPANSION) options = [[helper(owner, options)]];
          result = result.flatMap((prefix) => options.map((option) => [...prefix, ...option]));
        }
        return result;
      }
      case 'alt': return expr.options.flatMap((option) => expand(option, owner));
      case 'string': case 'regexp': case 'range': return [[terminalSymbol(anonymousTerminal(expr))]];
      case 'ref': {
        if (expr.terminal) return [[terminalSymbol(namedTerminal(expr.name, expr))]];
        const id = ruleIds.get(expr.name);
        if (id === undefined) throw at(expr, `rule ${expr.name} is used but not defined`);
        return [[id]];
      }
      case 'repeat': {
        const body = expand(expr.body, owner);
        if (expr.max === Infinity) {
          // Left recursion keeps Earley's work linear in the number of repetitions.
          const loop = helper(owner, body);
          for (const option of body) produce(loop, [loop, ...option]);
          return expr.min === 0 ? [[], [loop]] : [[loop]];
        }
        const unit = body.length === 1 && body[0].length === 1 ? body[0][0] : helper(owner, body);
        if (expr.max - expr.min < MAX_EXPANSION && expr.max <= 64) {
          return Array.from({ length: expr.max - expr.min + 1 }, (_, extra) => Array<number>(expr.min + extra).fill(unit));
        }
        let optional: number[] = [];
        for (let count = 0; count < expr.max - expr.min; count++) optional = [helper(owner, [[], [unit, ...optional]])];
        return [[...Array<number>(expr.min).fill(unit), ...optional]];
      }
    }
  };

  for (const [name, rule] of rules) {
    const id = ruleIds.get(name)!;
    for (const option of expand(rule.expr, name)) produce(id, option);
  }

  // Every terminal definition is checked, used or not, as Lark does.
  for (const [name, terminal] of scope.definitions) {
    const node = scope.node(name, terminal.position);
    if (node) compileJsRegex(regexToJs(node), '', `Terminal ${name}`);
  }

  const ignore = ignores.map((statement) => {
    const expr = statement.expr;
    if (expr.kind === 'ref' && expr.terminal) return namedTerminal(expr.name, expr);
    if (expr.kind === 'string' || expr.kind === 'regexp' || expr.kind === 'range') return anonymousTerminal(expr);
    return terminalId(`ignore:${statement.line}`, () => ({ name: `%ignore on line ${statement.line}`, source: regexToJs(scope.pattern(expr, '%ignore')) }));
  });

  return { terminals, nonterminals, productions, start: ruleIds.get('start')!, ignore };
}
