import { analyzeQuery, documentTerms, GROUP_PREFIX, wordTerm, type AnalyzedQuery, type AnalyzerVocabulary, type QueryUnit } from './analyzer.js';
import { Bm25Index } from './bm25.js';
import { TypoCorrector } from './fuzzy.js';
import { parameterTexts, type SearchableTool } from './searchable-tool.js';
import { defaultThesaurus, type Thesaurus } from './thesaurus.js';
import { tokenize } from './tokenize.js';
import { parameterTerm } from './values.js';

/** How much each field of a tool counts (BM25F weights). */
export const FIELD_WEIGHTS = { name: 3, namespace: 2.5, namespaceDescription: 0.3, description: 1, parameterNames: 0.5, parameterDescriptions: 0.3 } as const;

/** Weight in the coverage measure of a query word the index does not know at all (a name, a value). */
const UNKNOWN_UNIT_WEIGHT = 1.5;
/**
 * Ranking weights. Bonuses are shares of the best lexical score of the query.
 * - synonymTie: a query word's other matching terms (synonyms, stem, typo fixes) count this much beside its best one;
 * - actionWeight: a command's first word, its action: among a service's tools the verb tells them apart (create_issue, get_issue…);
 * - contextWeight: a word after a preposition ("in our GitHub repo") against the action and its object;
 * - nameBonus: for the share of the tool name's words the request names (`create_issue` ← "open a ticket");
 * - numberPenalty: that share counts a word this much less when singular meets plural (`issues` wants list_issues);
 * - valueWeight: a value the request carries (an e-mail address, an amount, a file name) against the parameters that take it;
 * - actionBonus: the request's action is the tool's verb; readPenalty: a command that does something, for tools that only read;
 * - namespaceBonus: the request names the namespace;
 * - contextNamespaceBonus: the namespace is already in use in the conversation.
 */
export const RANKING = { synonymTie: 0.3, actionWeight: 1.3, contextWeight: 0.7, nameBonus: 0.25, numberPenalty: 0.5, valueWeight: 0.5, actionBonus: 0.1, readPenalty: 0.05, namespaceBonus: 0.5, contextNamespaceBonus: 0.03 };
/** Whether a folded word has a plural ending (English, French, Spanish, Portuguese, German loanwords): `issues`, `tickets`, `facturas`. */
function looksPlural(word: string | undefined): boolean {
  return !!word && word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word);
}

/** Thesaurus groups of the tools a question is about: the ones that read. */
const READ_ACTIONS = ['~get', '~list', '~search', '~query', '~report'];
/** Terms weaker than this (parts of camelCase words) do not count a query word as matched. */
const COVERING_TERM_WEIGHT = 0.54;

export interface SearchOptions {
  /** At most this many hits (default 5). */
  limit?: number;
  /** Namespaces already in use in the conversation: they win ties. */
  contextNamespaces?: readonly string[];
  /** Paths to leave out (tools already loaded). */
  exclude?: ReadonlySet<string>;
}

/** One tool found by a search. */
export interface SearchHit {
  path: string;
  name: string;
  namespace?: string;
  /** The BM25F score (not comparable across queries). */
  score: number;
  /** Share (0–1) of the query's meaningful words that this tool matches, weighted by rarity. */
  coverage: number;
}

/**
 * A lexical search index over one set of tools: BM25F over names (split on snake/camel case),
 * namespaces, descriptions and parameters, widened by a multilingual thesaurus, stemming and
 * typo correction. Built once per tool set (see {@link getToolSearchIndex}); searching is synchronous.
 *
 * @example
 * const index = new ToolSearchIndex([{ path: 'crm.get_customer', name: 'get_customer', namespace: 'crm', description: 'Look up a customer' }]);
 * index.search('find a client').hits[0].path // 'crm.get_customer'
 */
export class ToolSearchIndex implements AnalyzerVocabulary {
  readonly tools: readonly SearchableTool[];
  readonly typos: TypoCorrector;
  readonly #thesaurus: Thesaurus;
  readonly #bm25: Bm25Index;
  readonly #byPath = new Map<string, number>();
  readonly #namespaces = new Map<string, { members: number[]; terms: Set<string> }>();
  /** Namespaces by the words of their names (`google` → google_drive, google_docs…). */
  readonly #namespaceWords = new Map<string, Set<string>>();
  /** Terms of the first word of each tool's name (its action by convention: `create_issue` → create). */
  readonly #actions: Set<string>[] = [];
  /** The terms of each content word of each tool's name (`create_issue` → [{creat, ~create}, {issu, ~issue}]). */
  readonly #nameWords: { terms: Set<string>; plural: boolean }[][] = [];

  constructor(tools: readonly SearchableTool[], options: { thesaurus?: Thesaurus } = {}) {
    this.tools = tools;
    this.#thesaurus = options.thesaurus ?? defaultThesaurus();
    const surfaceWords = new Set<string>();
    const documents = tools.map((tool, doc) => {
      if (this.#byPath.has(tool.path)) throw new Error(`Duplicate tool path in the search index: ${tool.path}`);
      this.#byPath.set(tool.path, doc);
      const parameters = parameterTexts(tool.parameters);
      const fields: [string | undefined, number][] = [
        [tool.name, FIELD_WEIGHTS.name],
        [tool.namespace, FIELD_WEIGHTS.namespace],
        [tool.namespaceDescription, FIELD_WEIGHTS.namespaceDescription],
        [tool.description, FIELD_WEIGHTS.description],
        [parameters.names.join(' '), FIELD_WEIGHTS.parameterNames],
        [parameters.descriptions.join(' '), FIELD_WEIGHTS.parameterDescriptions],
      ];
      const occurrences: { term: string; weight: number; apart?: boolean }[] = [];
      for (const [text, weight] of fields) {
        if (!text) continue;
        for (const term of documentTerms(text, this.#thesaurus)) occurrences.push({ term, weight });
        for (const word of tokenize(text).words) surfaceWords.add(word);
      }
      // Parameter words as a field of their own, for the values a request carries (`=email` ← "ana@acme.com").
      for (const word of new Set(tokenize([...parameters.names, ...parameters.descriptions].join(' ')).words)) occurrences.push({ term: parameterTerm(word), weight: 1, apart: true });
      if (tool.namespace) {
        let entry = this.#namespaces.get(tool.namespace);
        if (!entry) {
          const text = `${tool.namespace} ${tool.namespaceDescription ?? ''}`;
          this.#namespaces.set(tool.namespace, (entry = { members: [], terms: new Set(documentTerms(text, this.#thesaurus)) }));
          const { words, parts } = tokenize(tool.namespace);
          for (const word of [...words, ...parts.flatMap((list) => list ?? [])]) {
            const owners = this.#namespaceWords.get(word) ?? new Set<string>();
            owners.add(tool.namespace);
            this.#namespaceWords.set(word, owners);
          }
        }
        entry.members.push(doc);
      }
      this.#nameWords.push(this.#nameWordTerms(tool.name));
      const verb = tokenize(tool.name).words[0];
      this.#actions.push(new Set(verb ? this.#actionTerms(verb) : []));
      return occurrences;
    });
    this.#bm25 = new Bm25Index(documents);
    this.typos = new TypoCorrector([...surfaceWords, ...this.#thesaurus.words]);
  }

  /** The terms of each content word of a tool name, camelCase parts counted as words. */
  #nameWordTerms(name: string): { terms: Set<string>; plural: boolean }[] {
    const { words, parts } = tokenize(name);
    const pieces = words.flatMap((word, i) => parts[i] ?? [word]);
    const list = pieces.map((piece) => ({ terms: new Set(documentTerms(piece, this.#thesaurus)), plural: looksPlural(piece) }));
    // A thesaurus phrase across name words (`merge_request` → ~pull_request) belongs to each of its words.
    const stems = pieces.map(wordTerm);
    stems.forEach((stem, i) => {
      for (const phrase of this.#thesaurus.phrasesStartingWith(stem)) {
        if (!phrase.stems.every((next, k) => stems[i + k] === next)) continue;
        for (let k = 0; k < phrase.stems.length; k++) for (const group of phrase.groups) list[i + k].terms.add(GROUP_PREFIX + group);
      }
    });
    return list.filter((word) => word.terms.size > 0);
  }

  /** A verb's stem, its thesaurus groups and the groups those are kinds of. */
  #actionTerms(verb: string): string[] {
    const groups = this.#thesaurus.groupsOf(verb);
    return [wordTerm(verb), ...[...groups, ...groups.flatMap((group) => this.#thesaurus.broaderOf(group))].map((group) => GROUP_PREFIX + group)];
  }

  hasTerm(term: string): boolean {
    return this.#bm25.termId(term) !== undefined;
  }

  /** The tool at a path, if the index has it. */
  get(path: string): SearchableTool | undefined {
    const doc = this.#byPath.get(path);
    return doc === undefined ? undefined : this.tools[doc];
  }

  /** Namespace names in the index. */
  namespaces(): string[] {
    return [...this.#namespaces.keys()];
  }

  /** Paths of a namespace's tools, in index order. */
  namespaceMembers(namespace: string): string[] {
    return (this.#namespaces.get(namespace)?.members ?? []).map((doc) => this.tools[doc].path);
  }

  /** Reads a query into units (exposed for explanations and tests). */
  analyze(query: string): AnalyzedQuery {
    return analyzeQuery(query, this.#thesaurus, this);
  }

  /** Query terms of an index by unit: each term counts once, in the unit that gives it the most weight. */
  #unitTerms(index: Bm25Index, units: readonly QueryUnit[], action: number): { unitTerms: Map<number, number>[]; size: number } {
    const strongest = new Map<number, { unit: number; weight: number }>();
    units.forEach((unit, at) => {
      const factor = at === action ? RANKING.actionWeight : unit.value ? RANKING.valueWeight : unit.context ? RANKING.contextWeight : 1;
      for (const { term, weight } of unit.terms) {
        const id = index.termId(term);
        if (id !== undefined && weight * factor > (strongest.get(id)?.weight ?? 0)) strongest.set(id, { unit: at, weight: weight * factor });
      }
    });
    const unitTerms = units.map(() => new Map<number, number>());
    for (const [id, { unit, weight }] of strongest) unitTerms[unit].set(id, weight);
    return { unitTerms, size: strongest.size };
  }

  /** Ranks the tools for a natural-language query. */
  search(query: string, options: SearchOptions = {}): { hits: SearchHit[]; units: QueryUnit[] } {
    const limit = options.limit ?? 5;
    const { units, action } = this.analyze(query);
    const { unitTerms, size } = this.#unitTerms(this.#bm25, units, action);
    if (size === 0 || limit <= 0) return { hits: [], units };
    const { scores, touched, count } = this.#bm25.scoreUnits(unitTerms, RANKING.synonymTie);
    // Keep a few more than asked, so that ties can be broken by namespace below.
    const keep = limit * 2 + 24;
    const best: number[] = [];
    for (let i = 0; i < count; i++) {
      const doc = touched[i];
      if (options.exclude?.has(this.tools[doc].path)) continue;
      const score = scores[doc];
      if (best.length < keep) best.push(doc);
      else if (score > scores[best[keep - 1]]) best[keep - 1] = doc;
      else continue;
      let at = best.length - 1;
      while (at > 0 && scores[best[at - 1]] < score) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = doc;
    }
    // A command's first word names the action; a question asks to read something.
    const actionTerms = action >= 0 ? this.#queryActionTerms(units[action]) : READ_ACTIONS;
    const doesSomething = action >= 0 && actionTerms.some((term) => term.startsWith(GROUP_PREFIX) && this.#thesaurus.isAction(term.slice(1))) && !actionTerms.some((term) => READ_ACTIONS.includes(term));
    const mentions = this.#mentions(units);
    // Bonuses are relative to the best lexical score, so they weigh the same in short and long queries.
    const scale = best.length ? scores[best[0]] : 0;
    const context = new Set(options.contextNamespaces ?? []);
    // Terms the tool's name may be matched by, and whether the query word behind each is plural.
    // A question asks to read: its implied action names the tool as a command's verb would.
    const nameTerms = new Map<string, boolean | null>(action < 0 ? READ_ACTIONS.map((term) => [term, null]) : []);
    for (const unit of units) {
      if (unit.context) continue;
      for (const { term, weight } of unit.terms) if (weight >= COVERING_TERM_WEIGHT && !nameTerms.has(term)) nameTerms.set(term, looksPlural(unit.words[0]));
    }
    const ranked = best.map((doc) => {
      // Namespaces already in use win ties and near-ties (a few percent), never more.
      const inContext = context.has(this.tools[doc].namespace ?? '') ? RANKING.contextNamespaceBonus : 0;
      const name = RANKING.nameBonus * this.#nameCoverage(doc, nameTerms);
      return { doc, score: scores[doc] + scale * (this.#bonus(doc, actionTerms, doesSomething, mentions) + inContext + name) };
    });
    this.#bm25.reset(touched, count);

    const namespaceScore = (doc: number): number => {
      const namespace = this.tools[doc].namespace;
      const terms = namespace ? this.#namespaces.get(namespace)?.terms : undefined;
      if (!terms) return 0;
      let total = 0;
      for (const unit of units) if (unit.terms.some((t) => terms.has(t.term))) total++;
      return total;
    };
    ranked.sort((a, b) => {
      const diff = b.score - a.score;
      if (Math.abs(diff) > 1e-6 * Math.max(a.score, b.score)) return diff;
      const inContext = Number(context.has(this.tools[b.doc].namespace ?? '')) - Number(context.has(this.tools[a.doc].namespace ?? ''));
      if (inContext) return inContext;
      return namespaceScore(b.doc) - namespaceScore(a.doc) || a.doc - b.doc;
    });
    const hits = ranked.slice(0, limit).map(({ doc, score }) => {
      const tool = this.tools[doc];
      const hit: SearchHit = { path: tool.path, name: tool.name, score, coverage: this.#coverage(doc, units) };
      if (tool.namespace) hit.namespace = tool.namespace;
      return hit;
    });
    return { hits, units };
  }

  /**
   * Re-ranking evidence BM25 cannot see: the request's first word names the tool's action
   * (`close the ticket` → `close_ticket`), and the request names the tool's namespace.
   */
  #bonus(doc: number, actionTerms: readonly string[], doesSomething: boolean, mentions: Map<string, number>): number {
    let bonus = 0;
    const actions = this.#actions[doc];
    if (actionTerms.some((term) => actions.has(term))) bonus += RANKING.actionBonus;
    // A command that does something ("refund the payment") is not asking to read: get_refund and list_refunds fit less.
    else if (doesSomething && READ_ACTIONS.some((term) => actions.has(term))) bonus -= RANKING.readPenalty;
    const namespace = this.tools[doc].namespace;
    if (namespace) bonus += RANKING.namespaceBonus * (mentions.get(namespace) ?? 0);
    return bonus;
  }

  /** Share of a tool name's words that the query names (by stem or synonym). */
  #nameCoverage(doc: number, terms: ReadonlyMap<string, boolean | null>): number {
    const words = this.#nameWords[doc];
    if (!words.length) return 0;
    let matched = 0;
    for (const word of words) {
      for (const term of word.terms) {
        const plural = terms.get(term);
        if (plural === undefined) continue;
        // `issues` asks for list_issues more than get_issue: the name's number agrees with the request's.
        matched += plural === null || plural === word.plural ? 1 : 1 - RANKING.numberPenalty;
        break;
      }
    }
    return matched / words.length;
  }

  /** The terms of the query's action word, with the groups its groups are kinds of. */
  #queryActionTerms(unit: QueryUnit): string[] {
    const terms = unit.terms.filter((t) => t.weight >= COVERING_TERM_WEIGHT).map((t) => t.term);
    const broader = terms.filter((term) => term.startsWith(GROUP_PREFIX)).flatMap((term) => this.#thesaurus.broaderOf(term.slice(GROUP_PREFIX.length)));
    return [...terms, ...broader.map((group) => GROUP_PREFIX + group)];
  }

  /**
   * How clearly the query names each namespace: every query word that is a word of namespace
   * names counts 1 / (how many namespaces share it): `slack` names one, `google` five.
   */
  #mentions(units: QueryUnit[]): Map<string, number> {
    const mentions = new Map<string, number>();
    for (const unit of units) {
      const named = new Set<string>();
      for (const word of unit.words) for (const namespace of this.#namespaceWords.get(word) ?? []) named.add(namespace);
      for (const namespace of named) mentions.set(namespace, (mentions.get(namespace) ?? 0) + 1 / named.size);
    }
    return mentions;
  }

  /**
   * What each query term gives one tool before re-ranking (for explanations and tuning): the query
   * unit, the term, its query weight and its BM25 score in that tool.
   *
   * @example index.explain('open a ticket', 'github.create_issue') // [{ unit: 'open', term: '~create', weight: 0.7, score: 2.4 }, …]
   */
  explain(query: string, path: string): { unit: string; term: string; weight: number; score: number }[] {
    const doc = this.#byPath.get(path);
    if (doc === undefined) return [];
    return this.analyze(query).units.flatMap((unit) =>
      unit.terms.map(({ term, weight }) => {
        const id = this.#bm25.termId(term);
        return { unit: unit.surface + (unit.context ? ' (context)' : ''), term, weight, score: id === undefined ? 0 : this.#bm25.termScore(id, doc) };
      }),
    );
  }

  /** The coverage of a tool for analysed query units (see {@link SearchHit.coverage}). */
  coverageOf(path: string, units: QueryUnit[]): number {
    const doc = this.#byPath.get(path);
    return doc === undefined ? 0 : this.#coverage(doc, units);
  }

  #coverage(doc: number, units: QueryUnit[]): number {
    let total = 0;
    let matched = 0;
    for (const unit of units) {
      let weight = 0;
      let hit = false;
      for (const { term, weight: termWeight } of unit.terms) {
        const id = this.#bm25.termId(term);
        if (id === undefined) continue;
        weight = Math.max(weight, this.#bm25.idf(id));
        // Weak alternatives (parts of a camelCase word) do not make a word matched.
        if (!hit && termWeight >= COVERING_TERM_WEIGHT && this.#bm25.contains(doc, id)) hit = true;
      }
      if (weight === 0) weight = UNKNOWN_UNIT_WEIGHT;
      total += weight;
      if (hit) matched += weight;
    }
    return total === 0 ? 0 : matched / total;
  }
}
