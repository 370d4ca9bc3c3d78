import { foldText } from './fold.js';

/** The words of a text, ready for stemming and lexicon lookup. */
export interface Tokens {
  /** Folded words outside Chinese/Japanese runs (camelCase and snake_case split), in order. */
  words: string[];
  /** For each word, its camelCase parts when it has several (`github` → `git`, `hub`), else null. */
  parts: (string[] | null)[];
  /** Folded runs of Han/Kana/Hangul characters, for substring lookup in the lexicon. */
  cjkRuns: string[];
}

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々]+/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD = /[\p{L}\p{N}]+/gu;
// Boundaries inside identifiers: fooBar → foo Bar, HTTPServer → HTTP Server, v2Api → v2 Api.
const CAMEL_BOUNDARY = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{N})(?=\p{Lu}\p{Ll})/u;

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(locale: string): Intl.Segmenter {
  let found = segmenters.get(locale);
  if (!found) segmenters.set(locale, (found = new Intl.Segmenter(locale, { granularity: 'word' })));
  return found;
}

/**
 * Splits a text or an identifier into folded words: `getCustomerProfile`, `get_customer_profile`
 * and `Get customer profile` give the same words. Japanese and Chinese runs are returned apart,
 * for {@link segmentCjk} and thesaurus lookup.
 *
 * @example tokenize('create_issue in GitHub') // { words: ['create', 'issue', 'in', 'github'], parts: [null, null, null, ['git', 'hub']], cjkRuns: [] }
 */
export function tokenize(text: string): Tokens {
  const words: string[] = [];
  const parts: (string[] | null)[] = [];
  const cjkRuns: string[] = [];
  let last = 0;
  for (const match of text.matchAll(CJK_RUN)) {
    pushLatin(text.slice(last, match.index), words, parts);
    cjkRuns.push(foldText(match[0]));
    last = match.index + match[0].length;
  }
  pushLatin(text.slice(last), words, parts);
  return { words, parts, cjkRuns };
}

function pushLatin(text: string, out: string[], parts: (string[] | null)[]): void {
  if (!text) return;
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const pieces = raw.length > 1 && /\p{Lu}/u.test(raw) && /\p{Ll}/u.test(raw) ? raw.split(CAMEL_BOUNDARY).filter(Boolean) : [];
    out.push(foldText(raw));
    // Both the whole word and its parts: `GitHub` is a brand (`github`), `createIssue` a compound.
    parts.push(pieces.length > 1 ? pieces.map(foldText) : null);
  }
}

/**
 * Segments a Chinese or Japanese run into words with the ICU dictionaries (`Intl.Segmenter`).
 *
 * @example segmentCjk('创建一个新问题') // ['创建', '一个', '新', '问题']
 */
export function segmentCjk(run: string): string[] {
  const locale = KANA.test(run) ? 'ja' : 'zh';
  const words: string[] = [];
  for (const part of segmenter(locale).segment(run)) if (part.isWordLike) words.push(part.segment);
  return words;
}
