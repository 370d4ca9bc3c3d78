import { compileJsRegex } from './python-regex.js';

/**
 * A scannerless Earley recogniser over characters. Terminals are regular expressions matched at
 * the current position (Lark's "dynamic" lexer): the longest match, as Lark does, and also the
 * shorter matches of a regex terminal that end where a terminal that may follow could start
 * (found with native searches, so `/(.*)/` before `LF` costs one `indexOf`). Ignored terminals
 * (`%ignore`) are skipped between tokens.
 */

export interface CfgTerminal {
  /** How the terminal is named in messages: `LF`, `"*** End Patch"`, `/(.+)/`. */
  name: string;
  /** JavaScript regex source for the `u` flag, or null for a terminal that never matches (`%declare`). */
  source: string | null;
  /** The exact text, when the terminal is a case-sensitive string (a faster match). */
  literal?: string;
  /** Every UTF-16 code unit a match can start with, when known (a match is then never empty). */
  firstUnits?: string;
}

/** A context-free grammar whose symbols are numbers: `n >= 0` is nonterminal n, `n < 0` is terminal `-n - 1`. */
export interface Cfg {
  terminals: CfgTerminal[];
  nonterminals: string[];
  productions: { lhs: number; rhs: number[] }[];
  start: number;
  /** Terminals skipped between tokens. */
  ignore: number[];
}

export type Recognition =
  | { ok: true }
  | {
      ok: false;
      /** The furthest position the input was still a prefix of something the grammar accepts. */
      offset: number;
      /** Names of the terminals that could have come next there (`end of input` included). */
      expected: string[];
    };

/** Encodes terminal t as a symbol. */
export const terminalSymbol = (t: number): number => -t - 1;

const END = 0x7fffffff;
export const END_OF_INPUT = 'the end of the input';

/** A growable array of 32-bit integers (kept out of the garbage collector's way). */
class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): number {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    return this.length++;
  }
}

/**
 * The set of items of the column being processed, as an open-addressing hash table that is reused
 * for every column (entries of earlier columns are told apart by their stamp).
 */
class ItemSet {
  private mask = (1 << 10) - 1;
  private positions = new Int32Array(this.mask + 1);
  private origins = new Int32Array(this.mask + 1);
  private stamps = new Int32Array(this.mask + 1).fill(-1);
  private size = 0;
  private stamp = -1;

  /** Empties the set (in constant time) for the next column. */
  reset(): void {
    this.stamp = this.stamp === 0x7ffffffe ? 0 : this.stamp + 1;
    if (this.stamp === 0) this.stamps.fill(-1);
    this.size = 0;
  }

  /** Adds an item; false when it was there already. */
  insert(position: number, origin: number): boolean {
    let slot = (Math.imul(position, 0x9e3779b1) ^ Math.imul(origin, 0x85ebca77)) >>> 0;
    for (slot &= this.mask; this.stamps[slot] === this.stamp; slot = (slot + 1) & this.mask) {
      if (this.positions[slot] === position && this.origins[slot] === origin) return false;
    }
    this.stamps[slot] = this.stamp;
    this.positions[slot] = position;
    this.origins[slot] = origin;
    if (++this.size * 2 > this.mask) this.grow();
    return true;
  }

  private grow(): void {
    const { positions, origins, stamps, stamp } = this;
    this.mask = this.mask * 2 + 1;
    this.positions = new Int32Array(this.mask + 1);
    this.origins = new Int32Array(this.mask + 1);
    this.stamps = new Int32Array(this.mask + 1).fill(-1);
    this.size = 0;
    for (let slot = 0; slot < stamps.length; slot++) if (stamps[slot] === stamp) this.insert(positions[slot], origins[slot]);
  }
}

/** Columns (the items that reached one input position) are contiguous ranges of `positions`/`origins`. */
interface RunResult {
  accepted: boolean;
  furthest: number;
  positions: Int32Array;
  origins: Int32Array;
  columnStart: Int32Array;
  columnEnd: Int32Array;
}

/** A finished column bigger than this gets an index of its items by awaited nonterminal. */
const INDEXED_COLUMN = 24;

class BudgetExceeded extends Error {}

const NONE: number[] = [];


/**
 * Work allowed for trying shorter matches, in characters read by regex runs (plus one per
 * search), before falling back to longest matches only; grows with the input.
 */
const SHORTER_MATCH_BUDGET = 1_000_000;
const SHORTER_MATCH_BUDGET_PER_CHARACTER = 20;

/**
 * Recognises inputs of one grammar; build once, call `recognise` many times.
 *
 * @example
 * const cfg = { terminals: [{ name: '"a"', source: 'a', literal: 'a' }], nonterminals: ['start'], productions: [{ lhs: 0, rhs: [-1] }], start: 0, ignore: [] };
 * new EarleyRecogniser(cfg).recognise('a') // { ok: true }
 */
export class EarleyRecogniser {
  private readonly flat: Int32Array;
  private readonly lhsAt: Int32Array;
  private readonly productionStarts: number[][];
  /** Per production (parallel to productionStarts): the code units its text can start with, or null for any. */
  private readonly productionFilters: (string | null)[][];
  /** Per dotted position: the code units the symbol after the dot can start with, or null for any. */
  private readonly positionFilters: (string | null)[];
  private readonly filtering: boolean;
  private readonly acceptPosition: number;
  private readonly startPosition: number;
  private readonly sticky: (RegExp | null)[];
  private readonly whole: (RegExp | null)[];
  private readonly search: (RegExp | null)[];
  private readonly ignore: number[];
  private follow: { ids: Int32Array; sets: number[][] } | null = null;
  private readonly items = new ItemSet();

  constructor(private readonly cfg: Cfg) {
    const augmented = cfg.nonterminals.length;
    const productions = [...cfg.productions, { lhs: augmented, rhs: [cfg.start] }];
    const size = productions.reduce((total, production) => total + production.rhs.length + 1, 0);
    this.flat = new Int32Array(size);
    this.lhsAt = new Int32Array(size);
    this.productionStarts = Array.from({ length: augmented + 1 }, () => []);
    let at = 0;
    for (const production of productions) {
      this.productionStarts[production.lhs].push(at);
      for (const symbol of production.rhs) {
        this.lhsAt[at] = production.lhs;
        this.flat[at++] = symbol;
      }
      this.lhsAt[at] = production.lhs;
      this.flat[at++] = END;
    }
    this.startPosition = size - 2;
    this.acceptPosition = size - 1;
    this.sticky = cfg.terminals.map((terminal) => terminal.source === null ? null : compileJsRegex(terminal.source, 'y', `Terminal ${terminal.name}`));
    this.whole = cfg.terminals.map((terminal) => terminal.source === null || terminal.literal !== undefined ? null : compileJsRegex(`(?:${terminal.source})(?![\\s\\S])`, 'y', `Terminal ${terminal.name}`));
    this.search = cfg.terminals.map((terminal) => terminal.source === null ? null : compileJsRegex(terminal.source, 'g', `Terminal ${terminal.name}`));
    this.ignore = cfg.ignore;
    ({ productions: this.productionFilters, positions: this.positionFilters } = this.firstUnitFilters());
    this.filtering = this.positionFilters.some((filter) => filter !== null);
  }

  /**
   * What each production's text can start with, so that predictions which cannot match the next
   * character are skipped (most of them, in line-oriented grammars). No filtering with %ignore,
   * since ignored text may come first.
   */
  private firstUnitFilters(): { productions: (string | null)[][]; positions: (string | null)[] } {
    const ANY = null;
    const none = this.productionStarts.map((starts) => starts.map((): string | null => ANY));
    if (this.ignore.length) return { productions: none, positions: Array.from(this.flat, () => ANY) };
    const terminalFirst = this.cfg.terminals.map((terminal) => terminal.source === null ? '' : terminal.literal?.[0] ?? terminal.firstUnits ?? ANY);
    const count = this.productionStarts.length;
    const first: (Set<string> | typeof ANY)[] = Array.from({ length: count }, () => new Set<string>());
    const nullable = new Uint8Array(count);
    // The first code units of the symbols from `position` on; `empty` when they can all be empty.
    const firstFrom = (position: number): { units: Set<string> | typeof ANY; empty: boolean } => {
      const units = new Set<string>();
      for (let at = position; this.flat[at] !== END; at++) {
        const symbol = this.flat[at];
        if (symbol < 0) {
          const unitsOfTerminal = terminalFirst[-symbol - 1];
          if (unitsOfTerminal === ANY) return { units: ANY, empty: true };
          for (const unit of unitsOfTerminal) units.add(unit);
          return { units, empty: false };
        }
        const unitsOfRule = first[symbol];
        if (unitsOfRule === ANY) return { units: ANY, empty: true };
        for (const unit of unitsOfRule) units.add(unit);
        if (!nullable[symbol]) return { units, empty: false };
      }
      return { units, empty: true };
    };
    for (let changed = true; changed;) {
      changed = false;
      this.productionStarts.forEach((starts, lhs) => {
        for (const start of starts) {
          const found = firstFrom(start);
          if (found.empty && !nullable[lhs]) {
            nullable[lhs] = 1;
            changed = true;
          }
          const known = first[lhs];
          if (known === ANY) continue;
          if (found.units === ANY) {
            first[lhs] = ANY;
            changed = true;
            continue;
          }
          for (const unit of found.units) {
            if (!known.has(unit)) {
              known.add(unit);
              changed = true;
            }
          }
        }
      });
    }
    const joined = (found: { units: Set<string> | typeof ANY; empty: boolean }): string | null =>
      found.empty || found.units === ANY ? ANY : [...found.units].join('');
    const positions = Array.from(this.flat, (symbol): string | null => {
      if (symbol === END) return ANY;
      if (symbol < 0) return terminalFirst[-symbol - 1];
      const units = first[symbol];
      return nullable[symbol] || units === ANY ? ANY : [...units].join('');
    });
    return { productions: this.productionStarts.map((starts) => starts.map((start) => joined(firstFrom(start)))), positions };
  }

  /** Checks `input` against the grammar. */
  recognise(input: string): Recognition {
    let result: RunResult;
    try {
      result = this.run(input, true);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      // Too many shorter matches to try: decide with the longest matches only, as Lark does.
      result = this.run(input, false);
    }
    return result.accepted ? { ok: true } : { ok: false, offset: result.furthest, expected: this.expectedAt(input, result) };
  }

  private matchLongest(t: number, input: string, at: number): number {
    const literal = this.cfg.terminals[t].literal;
    if (literal !== undefined) return input.startsWith(literal, at) ? at + literal.length : -1;
    const regex = this.sticky[t];
    if (!regex) return -1;
    regex.lastIndex = at;
    return regex.test(input) ? regex.lastIndex : -1;
  }

  private run(input: string, shorter: boolean): RunResult {
    const n = input.length;
    const flat = this.flat;
    const lhsAt = this.lhsAt;
    let budget = SHORTER_MATCH_BUDGET + SHORTER_MATCH_BUDGET_PER_CHARACTER * n;
    const follow = shorter ? this.followSets() : null;
    const items = this.items;
    const positions = new IntList(4096);
    const origins = new IntList(4096);
    const columnStart = new Int32Array(n + 1).fill(-1);
    const columnEnd = new Int32Array(n + 1).fill(-1);
    // Items for later columns wait in linked lists, unchecked; duplicates are dropped when their column comes.
    const pendingHead = new Int32Array(n + 1).fill(-1);
    const pendingNext = new IntList();
    const pendingPosition = new IntList();
    const pendingOrigin = new IntList();
    // Prediction, empty completion and scanning only ever concern the column being processed.
    const nonterminalCount = this.productionStarts.length;
    const predictedAt = new Int32Array(nonterminalCount).fill(-1);
    const filters = this.productionFilters;
    const emptyAt = new Int32Array(nonterminalCount).fill(-1);
    const terminalCount = this.cfg.terminals.length;
    const scannedAt = new Int32Array(terminalCount).fill(-1);
    const scannedEnd = new Int32Array(terminalCount);
    const scans = new Map<number, number[]>();
    const indexes = new Map<number, Map<number, number[]>>();
    let current = -1;
    let lastPending = 0;
    // While set, items added to the current column whose next symbol cannot start with `nextUnit` are dropped.
    let gated = false;
    let nextUnit = '';
    const gates = this.positionFilters;

    const add = (at: number, position: number, origin: number): void => {
      if (at === current) {
        if (gated) {
          const units = gates[position];
          if (units !== null && (nextUnit === '' || !units.includes(nextUnit))) return;
        }
        if (items.insert(position, origin)) {
          positions.push(position);
          origins.push(origin);
        }
        return;
      }
      if (at > lastPending) lastPending = at;
      const node = pendingNext.push(pendingHead[at]);
      pendingPosition.push(position);
      pendingOrigin.push(origin);
      pendingHead[at] = node;
    };

    // Positions in (from, to) where some terminal that may follow could begin (found with native searches).
    const followStarts = (set: number[], from: number, to: number): number[] => {
      let starts: number[] = NONE;
      let sources = 0;
      for (const f of set) {
        const literal = this.cfg.terminals[f].literal;
        const search = literal === undefined ? this.search[f] : null;
        if (literal === undefined && !search) continue;
        let found = false;
        let at = from + 1;
        for (;;) {
          if (literal !== undefined) at = input.indexOf(literal, at);
          else {
            search!.lastIndex = at;
            at = search!.exec(input)?.index ?? -1;
          }
          if (at === -1 || at >= to) break;
          if (--budget < 0) throw new BudgetExceeded();
          if (starts === NONE) starts = [];
          starts.push(at);
          found = true;
          at++;
        }
        if (found) sources++;
      }
      return sources > 1 ? [...new Set(starts)].sort((a, b) => a - b) : starts;
    };

    // Ends of the matches of terminal t at `at` that may be followed by what comes after `position`.
    const scanShorter = (at: number, t: number, position: number): number[] => {
      const key = t * follow!.sets.length + follow!.ids[position];
      let ends = scans.get(key);
      if (ends) return ends;
      const longest = this.matchLongest(t, input, at);
      ends = longest < 0 ? [] : [longest];
      const whole = this.whole[t];
      if (whole && longest > at + 1) {
        for (const end of followStarts(follow!.sets[follow!.ids[position]], at, longest)) {
          budget -= end - at;
          if (budget < 0) throw new BudgetExceeded();
          whole.lastIndex = at;
          if (whole.test(input.slice(0, end))) ends.push(end);
        }
      }
      scans.set(key, ends);
      return ends;
    };

    // Advances the items of column `origin` that wait for `lhs`.
    const complete = (at: number, origin: number, lhs: number): void => {
      const start = columnStart[origin];
      if (origin < at && columnEnd[origin] - start > INDEXED_COLUMN) {
        let index = indexes.get(origin);
        if (!index) {
          index = new Map();
          for (let item = start; item < columnEnd[origin]; item++) {
            const symbol = flat[positions.data[item]];
            if (symbol < 0 || symbol === END) continue;
            const list = index.get(symbol);
            if (list) list.push(item);
            else index.set(symbol, [item]);
          }
          indexes.set(origin, index);
        }
        const list = index.get(lhs);
        if (list) for (const item of list) add(at, positions.data[item] + 1, origins.data[item]);
        return;
      }
      // The current column may still grow here; items added later see emptyAt instead.
      const end = origin < at ? columnEnd[origin] : positions.length;
      for (let item = start; item < end; item++) {
        const position = positions.data[item];
        if (flat[position] === lhs) add(at, position + 1, origins.data[item]);
      }
    };

    // Processes the items of column `at` (predict, complete, scan) until no new item appears.
    const close = (at: number, unfiltered: boolean): void => {
      const next = at < n ? input[at] : '';
      const stamp = at * 2 + (unfiltered ? 1 : 0);
      gated = this.filtering && !unfiltered;
      nextUnit = next;
      for (let item = columnStart[at]; item < positions.length; item++) {
        const position = positions.data[item];
        const origin = origins.data[item];
        const symbol = flat[position];
        if (symbol === END) {
          const lhs = lhsAt[position];
          if (origin === at) emptyAt[lhs] = at;
          complete(at, origin, lhs);
        } else if (symbol >= 0) {
          if (predictedAt[symbol] !== stamp) {
            predictedAt[symbol] = stamp;
            const starts = this.productionStarts[symbol];
            const filter = filters[symbol];
            for (let index = 0; index < starts.length; index++) {
              const units = filter[index];
              if (unfiltered || units === null || (next !== '' && units.includes(next))) add(at, starts[index], at);
            }
          }
          if (emptyAt[symbol] === at) add(at, position + 1, origin);
        } else if (follow && this.whole[-symbol - 1]) {
          for (const end of scanShorter(at, -symbol - 1, position)) add(end, position + 1, origin);
        } else {
          const t = -symbol - 1;
          if (scannedAt[t] !== at) {
            scannedAt[t] = at;
            scannedEnd[t] = this.matchLongest(t, input, at);
          }
          if (scannedEnd[t] >= 0) add(scannedEnd[t], position + 1, origin);
        }
      }
    };

    const isAccepted = (at: number): boolean => {
      for (let item = columnStart[at]; item < positions.length; item++) {
        if (positions.data[item] === this.acceptPosition && origins.data[item] === 0) return true;
      }
      return false;
    };

    add(0, this.startPosition, 0);
    let furthest = 0;
    for (let at = 0; at <= n; at++) {
      if (pendingHead[at] === -1) continue;
      furthest = at;
      current = at;
      items.reset();
      if (scans.size) scans.clear();
      columnStart[at] = positions.length;
      for (let node = pendingHead[at]; node !== -1; node = pendingNext.data[node]) add(at, pendingPosition.data[node], pendingOrigin.data[node]);
      close(at, false);
      // Nothing goes further: this column is where the input fails (or ends). Close it again
      // without the first-character filter, so that it lists everything the grammar expected here.
      if (this.filtering && lastPending <= at && !(at === n && isAccepted(at))) close(at, true);
      columnEnd[at] = positions.length;
      current = -1;
      gated = false;
      if (this.ignore.length) this.skipIgnored(input, at, positions.data.subarray(columnStart[at], columnEnd[at]), origins.data.subarray(columnStart[at], columnEnd[at]), add);
    }
    let accepted = false;
    for (let item = columnStart[n]; item >= 0 && item < columnEnd[n]; item++) {
      if (positions.data[item] === this.acceptPosition && origins.data[item] === 0) accepted = true;
    }
    return { accepted, furthest, positions: positions.data, origins: origins.data, columnStart, columnEnd };
  }

  /** Carries the items waiting for a terminal (and a finished parse) past ignored text. */
  private skipIgnored(input: string, at: number, positions: Int32Array, origins: Int32Array, add: (at: number, position: number, origin: number) => void): void {
    for (const t of this.ignore) {
      const end = this.matchLongest(t, input, at);
      if (end <= at) continue;
      for (let index = 0; index < positions.length; index++) {
        const position = positions[index];
        if (this.flat[position] < 0 || (position === this.acceptPosition && origins[index] === 0)) add(end, position, origins[index]);
      }
    }
  }

  private expectedAt(input: string, failure: RunResult): string[] {
    const missing: string[] = [];
    const all: string[] = [];
    for (let item = failure.columnStart[failure.furthest]; item < failure.columnEnd[failure.furthest]; item++) {
      const position = failure.positions[item];
      const symbol = this.flat[position];
      if (position === this.acceptPosition && failure.origins[item] === 0) {
        if (!missing.includes(END_OF_INPUT)) missing.push(END_OF_INPUT);
        continue;
      }
      if (symbol >= 0 || symbol === END) continue;
      const t = -symbol - 1;
      const name = this.cfg.terminals[t].name;
      if (!all.includes(name)) all.push(name);
      if (this.matchLongest(t, input, failure.furthest) < 0 && !missing.includes(name)) missing.push(name);
    }
    return missing.length ? missing : all;
  }

  /** For each dotted position before a terminal, the terminals that may come right after it. */
  private followSets(): { ids: Int32Array; sets: number[][] } {
    if (this.follow) return this.follow;
    const { flat, lhsAt } = this;
    const terminalCount = this.cfg.terminals.length;
    const nonterminalCount = this.productionStarts.length;
    const mayBeEmpty = this.cfg.terminals.map((terminal, t) => {
      if (terminal.source === null || terminal.literal !== undefined) return false;
      if (/\(\?<?[=!]|\\[bB]/.test(terminal.source)) return true;
      const regex = this.sticky[t]!;
      regex.lastIndex = 0;
      return regex.test('');
    });
    const nullable = new Uint8Array(nonterminalCount);
    const first: Set<number>[] = Array.from({ length: nonterminalCount }, () => new Set());
    const followOf: Set<number>[] = Array.from({ length: nonterminalCount }, () => new Set());
    const symbolNullable = (symbol: number): boolean => symbol >= 0 ? nullable[symbol] === 1 : mayBeEmpty[-symbol - 1];
    // FIRST of the symbols from `position` to the end of its production; whether they may all be empty.
    const firstFrom = (position: number, into: Set<number>): boolean => {
      for (let at = position; flat[at] !== END; at++) {
        const symbol = flat[at];
        if (symbol >= 0) for (const t of first[symbol]) into.add(t);
        else into.add(-symbol - 1);
        if (!symbolNullable(symbol)) return false;
      }
      return true;
    };
    const starts = this.productionStarts.flat();
    for (let changed = true; changed;) {
      changed = false;
      for (const start of starts) {
        const lhs = lhsAt[start];
        const before = first[lhs].size;
        const empty = firstFrom(start, first[lhs]);
        if (first[lhs].size !== before) changed = true;
        if (empty && !nullable[lhs]) {
          nullable[lhs] = 1;
          changed = true;
        }
      }
    }
    for (let changed = true; changed;) {
      changed = false;
      for (let position = 0; position < flat.length; position++) {
        const symbol = flat[position];
        if (symbol === END || symbol < 0) continue;
        const target = followOf[symbol];
        const before = target.size;
        if (firstFrom(position + 1, target)) for (const t of followOf[lhsAt[position]]) target.add(t);
        if (target.size !== before) changed = true;
      }
    }
    const ids = new Int32Array(flat.length);
    const sets: number[][] = [];
    const interned = new Map<string, number>();
    for (let position = 0; position < flat.length; position++) {
      if (flat[position] === END || flat[position] >= 0) continue;
      const set = new Set<number>(this.ignore);
      if (firstFrom(position + 1, set)) for (const t of followOf[lhsAt[position]]) set.add(t);
      const list = [...set].filter((t) => t < terminalCount).sort((a, b) => a - b);
      const key = list.join(',');
      let id = interned.get(key);
      if (id === undefined) {
        id = sets.length;
        sets.push(list);
        interned.set(key, id);
      }
      ids[position] = id;
    }
    this.follow = { ids, sets };
    return this.follow;
  }
}
