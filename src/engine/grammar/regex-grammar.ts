import { EarleyRecogniser, terminalSymbol, type Cfg, type CfgTerminal, type Recognition } from './earley.js';
import { compileJsRegex, firstCodeUnits, hasBackreference, parseRegex, regexToJs, type ClassItem, type RegexNode } from './python-regex.js';

/**
 * OpenAI `regex` grammars: the whole input must match the expression. The definition is read as
 * Rust/Python syntax (`(?P<name>…)`, `\A`, `\z`/`\Z`, inline flags) and matched by JavaScript; when
 * the input does not match, the same expression, read as a grammar over characters, tells how far
 * the input was right and what could have come next there.
 */

export interface RegexGrammar {
  recognise(input: string): Recognition;
}

function printable(code: number): string {
  const char = String.fromCodePoint(code);
  if (code === 10) return '\\n';
  if (code === 9) return '\\t';
  if (code === 13) return '\\r';
  if (code < 32 || code === 127) return `\\x${code.toString(16).padStart(2, '0')}`;
  return '\\]^-['.includes(char) ? `\\${char}` : char;
}

function describeItem(item: ClassItem): string {
  switch (item.kind) {
    case 'range': return item.from === item.to ? printable(item.from) : `${printable(item.from)}-${printable(item.to)}`;
    case 'digit': return item.negated ? '\\D' : '\\d';
    case 'word': return item.negated ? '\\W' : '\\w';
    case 'space': return item.negated ? '\\S' : '\\s';
    case 'property': return `\\${item.negated ? 'P' : 'p'}{${item.name}}`;
  }
}

function describeAtom(node: RegexNode): string {
  switch (node.type) {
    case 'any': return 'any character';
    case 'class':
      if (!node.negated && node.items.length === 1 && node.items[0].kind !== 'range') {
        const item = node.items[0];
        const words = { digit: 'a digit', word: 'a word character', space: 'whitespace', property: '' }[item.kind];
        return words && !item.negated ? `${words} (${describeItem(item)})` : describeItem(item);
      }
      return `[${node.negated ? '^' : ''}${node.items.map(describeItem).join('')}]${node.ignoreCase ? 'i' : ''}`;
    case 'assert':
      switch (node.kind) {
        case 'text-start': return 'the start of the input';
        case 'text-end': case 'text-end-or-final-newline': return 'the end of the input';
        case 'line-start': return 'the start of a line';
        case 'line-end': return 'the end of a line';
        case 'word-boundary': return 'a word boundary';
        case 'not-word-boundary': return 'no word boundary';
      }
      break;
    case 'look': return `text that ${node.negated ? 'does not match' : 'matches'} the ${node.behind ? 'lookbehind' : 'lookahead'} ${regexToJs(node)}`;
    default: break;
  }
  return regexToJs(node);
}

/** Reads a regex tree as a context-free grammar over characters (runs of plain characters become one literal). */
function regexCfg(root: RegexNode): Cfg {
  const terminals: CfgTerminal[] = [];
  const terminalIds = new Map<string, number>();
  const nonterminals: string[] = ['start'];
  const productions: Cfg['productions'] = [];
  const terminal = (terminalSpec: CfgTerminal): number => {
    const key = `${terminalSpec.name}\u0000${terminalSpec.source}`;
    let id = terminalIds.get(key);
    if (id === undefined) {
      id = terminals.length;
      terminals.push(terminalSpec);
      terminalIds.set(key, id);
    }
    return terminalSymbol(id);
  };
  const helper = (alternatives: number[][]): number => {
    const id = nonterminals.length;
    nonterminals.push(`part#${id}`);
    for (const rhs of alternatives) productions.push({ lhs: id, rhs });
    return id;
  };
  const literal = (chars: Extract<RegexNode, { type: 'char' }>[]): number => {
    const text = String.fromCodePoint(...chars.map((char) => char.code));
    const ignoreCase = chars.some((char) => char.ignoreCase);
    return terminal({
      name: JSON.stringify(text) + (ignoreCase ? ' (any case)' : ''),
      source: regexToJs({ type: 'seq', items: chars }),
      literal: ignoreCase ? undefined : text,
    });
  };
  const symbols = (node: RegexNode): number[] => {
    switch (node.type) {
      case 'empty': return [];
      case 'char': return [literal([node])];
      case 'seq': {
        const out: number[] = [];
        let run: Extract<RegexNode, { type: 'char' }>[] = [];
        for (const item of node.items) {
          if (item.type === 'char') {
            run.push(item);
            continue;
          }
          if (run.length) out.push(literal(run));
          run = [];
          out.push(...symbols(item));
        }
        if (run.length) out.push(literal(run));
        return out;
      }
      case 'alt': return [helper(node.options.map(symbols))];
      case 'group': return symbols(node.body);
      case 'repeat': {
        const body = symbols(node.body);
        const unit = body.length === 1 ? body[0] : helper([body]);
        if (node.max === Infinity) {
          const loop = nonterminals.length;
          helper([node.min === 0 ? [] : [unit]]);
          productions.push({ lhs: loop, rhs: [loop, unit] });
          return [...Array<number>(Math.max(0, node.min - 1)).fill(unit), loop];
        }
        let optional: number[] = [];
        for (let count = 0; count < node.max - node.min; count++) optional = [helper([[], [unit, ...optional]])];
        return [...Array<number>(node.min).fill(unit), ...optional];
      }
      case 'class': case 'any': case 'assert': case 'look':
        return [terminal({ name: describeAtom(node), source: regexToJs(node), firstUnits: firstCodeUnits(node) ?? undefined })];
      case 'backref':
        throw new Error('backreferences have no grammar form');
    }
  };
  productions.push({ lhs: 0, rhs: symbols(root) });
  return { terminals, nonterminals, productions, start: 0, ignore: [] };
}

/**
 * Whether a backtracking engine may take exponential time: an unbounded repetition around another
 * unbounded repetition or an alternation, as in `(a+)+` or `(a|ab)*`.
 */
function mayBacktrackBadly(node: RegexNode, insideLoop = false): boolean {
  switch (node.type) {
    case 'repeat': {
      const loops = node.max === Infinity || node.max > 16;
      if (loops && insideLoop) return true;
      return mayBacktrackBadly(node.body, insideLoop || loops);
    }
    case 'alt': return insideLoop || node.options.some((option) => mayBacktrackBadly(option, insideLoop));
    case 'seq': return node.items.some((item) => mayBacktrackBadly(item, insideLoop));
    case 'group': case 'look': return mayBacktrackBadly(node.body, insideLoop);
    default: return false;
  }
}

/**
 * Compiles an OpenAI `regex` grammar definition. Throws GrammarError when it is invalid or uses
 * syntax JavaScript cannot express.
 *
 * @example compileRegexGrammar('(?P<n>\\d+) (?i:apples|pears)').recognise('3 Pears') // { ok: true }
 */
export function compileRegexGrammar(definition: string): RegexGrammar {
  const root = parseRegex(definition, { dialect: 'rust' });
  const source = regexToJs(root);
  const whole = compileJsRegex(`(?:${source})(?![\\s\\S])`, 'y', 'The regular expression');
  const diagnose = hasBackreference(root) ? null : new EarleyRecogniser(regexCfg(root));
  // The Earley form decides in polynomial time where JavaScript's backtracking could take forever.
  if (diagnose && mayBacktrackBadly(root)) return { recognise: (input) => diagnose.recognise(input) };
  return {
    recognise(input: string): Recognition {
      whole.lastIndex = 0;
      if (whole.test(input)) return { ok: true };
      const found = diagnose?.recognise(input);
      if (found && !found.ok) return found;
      return { ok: false, offset: 0, expected: [`text matching /${definition}/`] };
    },
  };
}

