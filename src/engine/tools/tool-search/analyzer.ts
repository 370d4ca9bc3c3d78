import { readFileSync } from 'node:fs';
import { foldText } from './fold.js';
import { TypoCorrector } from './fuzzy.js';
import { porterStem } from './porter-stemmer.js';
import { isStopword } from './stopwords.js';
import type { Thesaurus } from './thesaurus.js';
import { segmentCjk, tokenize } from './tokenize.js';
import { findValues } from './values.js';

/** Prefix of thesaurus group terms in the index (`~delete`), apart from word stems. */
export const GROUP_PREFIX = '~';

/** Query term weights relative to the word itself: its thesaurus groups, and a corrected typo's terms. */
export const QUERY_WEIGHTS = { group: 0.7, typo: 0.8, typoGroup: 0.55 };

/** A query term and how much it counts. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/** One meaningful word or phrase of a query, with every term it may match. */
export interface QueryUnit {
  surface: string;
  /** The folded words the unit stands for: the word, its camelCase parts, its typo corrections. */
  words: string[];
  terms: WeightedTerm[];
  /** After a preposition: where, for whom, with what (counts less than the action and its object). */
  context: boolean;
  /** A value (an e-mail address, an amount…): its terms are parameter words, matched against tools' parameters. */
  value?: boolean;
}

/** What the analyzer needs to know of an index. */
export interface AnalyzerVocabulary {
  hasTerm(term: string): boolean;
  typos: TypoCorrector;
}

function isLatinWord(word: string): boolean {
  return /^[a-z0-9]+$/.test(word);
}

/** The index term of a folded word: its Porter stem (Latin script) or the word itself. */
export function wordTerm(word: string): string {
  return isLatinWord(word) ? porterStem(word) : word;
}

/**
 * The terms of a tool text for the index: stems of the words that are not function words, plus
 * the thesaurus groups of words and phrases (`~delete` for "remove", "supprimer", "削除").
 *
 * @example documentTerms('Remove a file', thesaurus) // ['remov', '~delete', 'file', '~file']
 */
export function documentTerms(text: string, thesaurus: Thesaurus): string[] {
  const { words, parts, cjkRuns } = tokenize(text);
  const terms: string[] = [];
  const stems = words.map(wordTerm);
  for (let i = 0; i < words.length; i++) {
    for (const phrase of thesaurus.phrasesStartingWith(stems[i])) {
      if (phrase.stems.every((stem, k) => stems[i + k] === stem)) for (const group of phrase.groups) terms.push(GROUP_PREFIX + group);
    }
    for (const word of [words[i], ...(parts[i] ?? [])]) {
      if (isStopword(word) || (word.length < 2 && !/\d/.test(word))) continue;
      terms.push(wordTerm(word));
      for (const group of thesaurus.groupsOf(word)) terms.push(GROUP_PREFIX + group);
    }
  }
  for (const run of cjkRuns) {
    for (const match of thesaurus.cjkMatches(run)) for (const group of match.groups) terms.push(GROUP_PREFIX + group);
    for (const word of segmentCjk(run)) {
      if (isStopword(word)) continue;
      terms.push(word);
      for (const group of thesaurus.groupsOf(word)) terms.push(GROUP_PREFIX + group);
    }
  }
  return terms;
}

/** The function words that give parts of a query their role (`query-roles.txt`). */
interface QueryRoles {
  prepositions: Set<string>;
  questions: Set<string>;
}

let roles: QueryRoles | null = null;
function queryRoles(): QueryRoles {
  if (roles) return roles;
  const lists: Record<string, Set<string>> = {};
  for (const line of readFileSync(new URL('./query-roles.txt', import.meta.url), 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (line.startsWith('#') || colon < 0) continue;
    lists[line.slice(0, colon).trim()] = new Set(line.slice(colon + 1).trim().split(/\s+/).map(foldText));
  }
  roles = { prepositions: lists.prepositions ?? new Set(), questions: lists.questions ?? new Set() };
  return roles;
}

/** A query read into units, with the unit that names the action when there is one. */
export interface AnalyzedQuery {
  units: QueryUnit[];
  /** Index in `units` of the action (the first word of a command), or -1 for a question. */
  action: number;
}

/**
 * Reads a query into units: each content word or thesaurus phrase with its stem, its thesaurus
 * groups, and, for a word the index does not know, the closest known words (typos). Words after a
 * preposition (until punctuation) are context and count less: in "open a bug in the web repo" the
 * bug matters more than the repository.
 *
 * @example analyzeQuery('supprimer le fichier', thesaurus, vocabulary)
 */
export function analyzeQuery(text: string, thesaurus: Thesaurus, vocabulary: AnalyzerVocabulary): AnalyzedQuery {
  const { prepositions, questions } = queryRoles();
  const units: QueryUnit[] = [];
  let question = false;
  let first = true;
  // Japanese puts the verb last, and Chinese requests put it after where and for whom:
  // in those, the action is the last word that names one.
  let cjkAction = -1;
  // Quoted text is a value (a title, a message), not what the request is about.
  const found = findValues(text);
  const pieces = found.text.split(/("[^"]*"|“[^”]*”|«[^»]*»|「[^」]*」)/);
  const clauses = pieces.flatMap((piece, index) => piece.split(/[,;:.!?¿¡()"“”«»「」]+|\s[-–—]\s/).map((clause) => ({ clause, quoted: index % 2 === 1 })));
  for (const { clause, quoted } of clauses) {
    const { words, parts, cjkRuns } = tokenize(clause);
    if (first && !quoted && words.length) question = questions.has(words[0]);
    if (!quoted && (words.length || cjkRuns.length)) first = false;
    const stems = words.map(wordTerm);
    let context = false;
    const clauseStart = units.length;
    for (let i = 0; i < words.length; ) {
      const phrase = thesaurus.phrasesStartingWith(stems[i]).filter((p) => p.stems.every((stem, k) => stems[i + k] === stem)).sort((a, b) => b.stems.length - a.stems.length)[0];
      if (phrase) {
        const surface = words.slice(i, i + phrase.stems.length);
        units.push({ surface: surface.join(' '), words: surface, terms: phrase.groups.map((group) => ({ term: GROUP_PREFIX + group, weight: 1 })), context: context || quoted });
        i += phrase.stems.length;
        continue;
      }
      const word = words[i];
      const pieces = parts[i++];
      if (prepositions.has(word) && units.length > 0) context = true;
      if (isStopword(word) || prepositions.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
      const unit = wordUnit(word, thesaurus, vocabulary, context || quoted);
      // The parts of a camelCase word are alternatives of the same unit, at a lower weight.
      for (const piece of pieces ?? []) {
        if (isStopword(piece) || piece.length < 2) continue;
        unit.terms.push({ term: wordTerm(piece), weight: 0.5 });
        unit.words.push(piece);
      }
      units.push(unit);
    }
    addSeparableVerb(words, units, clauseStart, thesaurus);
    for (const run of cjkRuns) {
      const matches = thesaurus.cjkMatches(run);
      for (const match of matches) {
        if (!quoted && match.groups.some((group) => thesaurus.isAction(group))) cjkAction = units.length;
        units.push({ surface: match.text, words: [match.text], terms: match.groups.map((group) => ({ term: GROUP_PREFIX + group, weight: 1 })), context: quoted });
      }
      // What no thesaurus entry covered is segmented into words of its own.
      let rest = run;
      for (const match of [...matches].reverse()) rest = rest.slice(0, match.start) + ' ' + rest.slice(match.end);
      for (const piece of rest.split(' ')) {
        for (const word of piece ? segmentCjk(piece) : []) {
          if (isStopword(word)) continue;
          const groups = thesaurus.groupsOf(word);
          if (!quoted && groups.some((group) => thesaurus.isAction(group))) cjkAction = Math.max(cjkAction, units.length);
          units.push({ surface: word, words: [word], terms: [{ term: word, weight: 1 }, ...groups.map((group) => ({ term: GROUP_PREFIX + group, weight: 1 }))], context: quoted });
        }
      }
    }
  }
  // Values come last: they never name the action.
  for (const value of found.values) units.push({ surface: value.text, words: [], terms: value.terms.map((term) => ({ term, weight: 1 })), context: true, value: true });
  return { units, action: question || units.length === 0 ? -1 : cjkAction >= 0 ? cjkAction : 0 };
}

/** German separable-verb particles, found at the end of a clause ("Schalte das Licht aus"). */
const PARTICLES = new Set(['aus', 'an', 'ab', 'auf', 'ein', 'hoch', 'hinzu', 'weg', 'zu', 'zuruck', 'vor', 'um', 'mit', 'neu', 'zusammen', 'runter', 'herunter']);

/**
 * "Schalte das Licht aus", "Lade die Datei hoch": a German verb whose particle closes the clause
 * means particle + verb (ausschalten, hochladen). The clause's first unit gets that verb's groups.
 */
function addSeparableVerb(words: string[], units: QueryUnit[], clauseStart: number, thesaurus: Thesaurus): void {
  const particle = words.at(-1);
  const verb = units[clauseStart];
  if (!particle || !PARTICLES.has(particle) || words.length < 3 || !verb || verb.words[0] !== words[0]) return;
  for (const group of thesaurus.groupsOf(particle + words[0])) {
    const term = GROUP_PREFIX + group;
    if (!verb.terms.some((existing) => existing.term === term)) verb.terms.push({ term, weight: 1 });
  }
}

function wordUnit(word: string, thesaurus: Thesaurus, vocabulary: AnalyzerVocabulary, context: boolean): QueryUnit {
  const stem = wordTerm(word);
  const terms: WeightedTerm[] = [{ term: stem, weight: 1 }];
  const words = [word];
  const groups = thesaurus.groupsOf(word);
  for (const group of groups) terms.push({ term: GROUP_PREFIX + group, weight: QUERY_WEIGHTS.group });
  if (!vocabulary.hasTerm(stem) && groups.length === 0 && isLatinWord(word) && !thesaurus.knows(word)) {
    for (const fix of vocabulary.typos.correct(word)) {
      const fixedStem = wordTerm(fix.word);
      const penalty = fix.distance <= 1 ? 1 : 0.85;
      words.push(fix.word);
      if (fixedStem !== stem) terms.push({ term: fixedStem, weight: QUERY_WEIGHTS.typo * penalty });
      for (const group of thesaurus.groupsOf(fix.word)) terms.push({ term: GROUP_PREFIX + group, weight: QUERY_WEIGHTS.typoGroup * penalty });
    }
  }
  return { surface: word, words, terms, context };
}
