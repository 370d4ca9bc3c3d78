import { readFileSync } from 'node:fs';
import { foldText } from './fold.js';
import { lightStem } from './light-stem.js';
import { porterStem } from './porter-stemmer.js';

/** A phrase of the thesaurus, as Porter stems of its folded words. */
export interface ThesaurusPhrase {
  stems: string[];
  groups: readonly string[];
}

/** A thesaurus entry found inside a run of Chinese or Japanese text. */
export interface CjkMatch {
  start: number;
  end: number;
  text: string;
  groups: readonly string[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Groups of words that mean the same in tool requests, in eight languages (`thesaurus.txt`).
 * A word is found by its folded form, then its Porter stem, then a rough multilingual stem.
 *
 * @example defaultThesaurus().groupsOf('supprimez') // ['delete']
 */
export class Thesaurus {
  readonly #exact = new Map<string, string[]>();
  readonly #stemmed = new Map<string, string[]>();
  readonly #light = new Map<string, string[]>();
  readonly #phrases = new Map<string, ThesaurusPhrase[]>();
  readonly #cjk = new Map<string, { text: string; groups: string[] }[]>();
  readonly #cjkSingle = new Map<string, string[]>();
  readonly #broader = new Map<string, string[]>();
  /** Groups first defined under a `# --- actions` heading: verbs, not things. */
  readonly #actions = new Set<string>();
  /** Every folded single word of the thesaurus (Latin script), for typo correction. */
  readonly words: string[] = [];

  constructor(text: string) {
    const words = new Set<string>();
    const defined = new Set<string>();
    let section = '';
    for (const line of text.split('\n')) {
      const heading = /^# --- (\w+)/.exec(line);
      if (heading) section = heading[1];
      const colon = line.indexOf(':');
      if (!line.trim() || line.startsWith('#') || colon < 0) continue;
      if (line.startsWith('>')) {
        // `> create: book schedule` — booking and scheduling are kinds of creating.
        const broad = line.slice(1, colon).trim();
        for (const narrow of line.slice(colon + 1).trim().split(/\s+/)) add(this.#broader, narrow, broad);
        continue;
      }
      const group = line.slice(0, colon).trim();
      if (!defined.has(group)) {
        defined.add(group);
        if (section === 'actions') this.#actions.add(group);
      }
      const body = line.slice(colon + 1).replace(/\|\s*[a-z]{2}:/g, ' ');
      for (const match of body.matchAll(/"([^"]+)"|([^\s|]+)/g)) {
        const entry = foldText(match[1] ?? match[2]);
        if (CJK.test(entry)) this.#addCjk(entry, group);
        else if (/[\s'-]/.test(entry)) this.#addPhrase(entry, group);
        else {
          words.add(entry);
          add(this.#exact, entry, group);
          add(this.#stemmed, porterStem(entry), group);
          add(this.#light, lightStem(entry), group);
        }
      }
    }
    this.words = [...words];
    for (const list of this.#cjk.values()) list.sort((a, b) => b.text.length - a.text.length);
  }

  #addPhrase(entry: string, group: string): void {
    const parts = entry.split(/[\s'-]+/).filter(Boolean);
    if (parts.length === 1) {
      add(this.#exact, parts[0], group);
      add(this.#stemmed, porterStem(parts[0]), group);
      return;
    }
    const stems = parts.map(porterStem);
    const list = this.#phrases.get(stems[0]) ?? [];
    const existing = list.find((phrase) => phrase.stems.join(' ') === stems.join(' '));
    if (existing) {
      if (!existing.groups.includes(group)) (existing.groups as string[]).push(group);
    } else list.push({ stems, groups: [group] });
    this.#phrases.set(stems[0], list);
  }

  #addCjk(entry: string, group: string): void {
    if ([...entry].length === 1) {
      add(this.#cjkSingle, entry, group);
      return;
    }
    const first = entry[0];
    const list = this.#cjk.get(first) ?? [];
    const existing = list.find((item) => item.text === entry);
    if (existing) {
      if (!existing.groups.includes(group)) existing.groups.push(group);
    } else list.push({ text: entry, groups: [group] });
    this.#cjk.set(first, list);
  }

  /** The groups of one folded word (empty when unknown). */
  groupsOf(word: string): readonly string[] {
    if (CJK.test(word)) return this.#cjkSingle.get(word) ?? [];
    return this.#exact.get(word) ?? this.#stemmed.get(porterStem(word)) ?? this.#light.get(lightStem(word)) ?? [];
  }

  /** Whether a group names an action (`delete`) rather than a thing (`invoice`). */
  isAction(group: string): boolean {
    return this.#actions.has(group);
  }

  /** Groups a group is a kind of (`book` → `create`), from `> create: book` lines. */
  broaderOf(group: string): readonly string[] {
    return this.#broader.get(group) ?? [];
  }

  /** Whether the word is in the thesaurus by its folded form or its Porter stem. */
  knows(word: string): boolean {
    return this.#exact.has(word) || this.#stemmed.has(porterStem(word));
  }

  /** Phrases whose first word has this Porter stem, longest first. */
  phrasesStartingWith(stem: string): readonly ThesaurusPhrase[] {
    return this.#phrases.get(stem) ?? [];
  }

  /** Entries of two or more characters inside a Chinese/Japanese run, longest leftmost first, not overlapping. */
  cjkMatches(run: string): CjkMatch[] {
    const found: CjkMatch[] = [];
    for (let i = 0; i < run.length; ) {
      const hit = this.#cjk.get(run[i])?.find((item) => run.startsWith(item.text, i));
      if (hit) {
        found.push({ start: i, end: i + hit.text.length, text: hit.text, groups: hit.groups });
        i += hit.text.length;
      } else i++;
    }
    return found;
  }
}

function add(map: Map<string, string[]>, key: string, group: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [group]);
  else if (!list.includes(group)) list.push(group);
}

let shared: Thesaurus | null = null;

/** The thesaurus shipped with Kestrel (`thesaurus.txt`), loaded once. */
export function defaultThesaurus(): Thesaurus {
  shared ??= new Thesaurus(readFileSync(new URL('./thesaurus.txt', import.meta.url), 'utf8'));
  return shared;
}
