/** Words too common to tell passages apart. */
const STOPWORDS = new Set(
  'a an and are as at be but by for from has have he her his i if in into is it its me my no not of on or our she so than that the their them then there these they this to was we were what when where which who why will with you your do does did can could would should about how all any been being just more most other some such only own same too very s t'.split(' '),
);

const WORD = /[\p{L}\p{N}_]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** FNV-1a, 32 bits: terms are compared by hash (collisions are rare and harmless for ranking). */
function hash(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The search terms of a text as hashes: lower-cased words without stopwords, a light plural
 * folding, and character bigrams for Chinese, Japanese and Korean (written without spaces).
 *
 * @example termHashes('The vault passphrase').length // 2
 */
export function termHashes(text: string): number[] {
  const out: number[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    let word = match[0];
    if (CJK.test(word)) {
      const chars = [...word];
      if (chars.length === 1) out.push(hash(word));
      for (let i = 0; i + 1 < chars.length; i++) out.push(hash(chars[i] + chars[i + 1]));
      continue;
    }
    if (word.length < 2 || word.length > 48 || STOPWORDS.has(word)) continue;
    if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) word = word.slice(0, -1);
    out.push(hash(word));
  }
  return out;
}

/**
 * A bag of terms as an open-addressing hash table (a term is found or ruled out in one or two
 * probes): `slots` holds term hashes (0 = empty), `counts` their counts.
 */
export interface TermBag {
  slots: Uint32Array;
  counts: Uint16Array;
  /** Number of terms (with repeats). */
  length: number;
}

/** Terms hash to non-zero values (0 marks an empty slot). */
function slotKey(term: number): number {
  return term === 0 ? 1 : term;
}

/**
 * Counts the terms of a text into a compact bag.
 *
 * @example termBag('red apple, red car').length // 4
 */
export function termBag(text: string): TermBag {
  const all = termHashes(text);
  const counts = new Map<number, number>();
  for (const term of all) counts.set(slotKey(term), (counts.get(slotKey(term)) ?? 0) + 1);
  let size = 8;
  while (size < counts.size * 2) size *= 2;
  const slots = new Uint32Array(size);
  const values = new Uint16Array(size);
  const mask = size - 1;
  for (const [term, count] of counts) {
    let slot = Math.imul(term, 0x9e3779b1) >>> 0 & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = term;
    values[slot] = Math.min(65_535, count);
  }
  return { slots, counts: values, length: all.length };
}

/** How often `term` occurs in `bag` (0 when absent). */
export function termCount(bag: TermBag, term: number): number {
  const key = slotKey(term);
  const slots = bag.slots;
  const mask = slots.length - 1;
  let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
  for (;;) {
    const value = slots[slot];
    if (value === key) return bag.counts[slot];
    if (value === 0) return 0;
    slot = (slot + 1) & mask;
  }
}
