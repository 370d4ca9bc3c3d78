import { analyzeQuery, documentTerms, GROUP_PREFIX, wordTerm, type AnalyzedQuery, type AnalyzerVocabulary, type QueryUnit } from './analyzer.js';
import { Bm25Index } from './bm25.js';
import { TypoCorrector } from './fuzzy.js';
import { parameterTexts, type SearchableTool } from './searchable-tool.js';
import { defaultThesaurus, type Thesaurus } from './thesaurus.js';
import { tokenize } from './tokenize.js';

/** How much each field of a tool counts (BM25F weights). */
export const FIELD_WEIGHTS = { name: 3, namespace: 2.5, namespaceDescription: 0.3, description: 1, parameterNames: 0.5, parameterDescriptions: 0.3 } as const;

/** Weight in the coverage measure of a query word the index does not know at all (a name, a value). */
const UNKNOWN_UNIT_WEIGHT = 1.5;
/** How much a context word (after a preposition) counts, relative to the action and its object. */
export const RANKING = { contextWeight: 0.7, actionBonus: 0.1, namespaceBonus: 0.5, contextNamespaceBonus: 0.03 };
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
      const occurrences: { term: string; weight: number }[] = [];
      for (const [text, weight] of fields) {
        if (!text) continue;
        for (const term of documentTerms(text, this.#thesaurus)) occurrences.push({ term, weight });
        for (const word of tokenize(text).words) surfaceWords.add(word);
      }
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
      const verb = tokenize(tool.name).words[0];
      this.#actions.push(new Set(verb ? this.#actionTerms(verb) : []));
      return occurrences;
    });
    this.#bm25 = new Bm25Index(documents);
    this.typos = new TypoCorrector([...surfaceWords, ...this.#thesaurus.words]);
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

  /** Ranks the tools for a natural-language query. */
  search(query: string, options: SearchOptions = {}): { hits: SearchHit[]; units: QueryUnit[] } {
    const limit = options.limit ?? 5;
    const { units, action } = this.analyze(query);
    const weights = new Map<number, number>();
    for (const unit of units) {
      const factor = unit.context ? RANKING.contextWeight : 1;
      for (const { term, weight } of unit.terms) {
        const id = this.#bm25.termId(term);
        if (id !== undefined && weight * factor > (weights.get(id) ?? 0)) weights.set(id, weight * factor);
      }
    }
    if (weights.size === 0 || limit <= 0) return { hits: [], units };

    const { scores, touched, count } = this.#bm25.score(weights);
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
    const mentions = this.#mentions(units);
    // Bonuses are relative to the best lexical score, so they weigh the same in short and long queries.
    const scale = best.length ? scores[best[0]] : 0;
    const context = new Set(options.contextNamespaces ?? []);
    const ranked = best.map((doc) => {
      // Namespaces already in use win ties and near-ties (a few percent), never more.
      const inContext = context.has(this.tools[doc].namespace ?? '') ? RANKING.contextNamespaceBonus : 0;
      return { doc, score: scores[doc] + scale * (this.#bonus(doc, actionTerms, mentions) + inContext) };
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
  #bonus(doc: number, actionTerms: readonly string[], mentions: Map<string, number>): number {
    let bonus = 0;
    const actions = this.#actions[doc];
    if (actionTerms.some((term) => actions.has(term))) bonus += RANKING.actionBonus;
    const namespace = this.tools[doc].namespace;
    if (namespace) bonus += RANKING.namespaceBonus * (mentions.get(namespace) ?? 0);
    return bonus;
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
