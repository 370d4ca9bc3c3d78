/**
 * A substituted letter costs more than a dropped, doubled or swapped one: real typos mostly drop,
 * double or swap letters, while one changed letter usually makes another real word (main → mail).
 */
const SUBSTITUTION_COST = 1.5;

/**
 * Optimal string alignment distance (insertions, deletions and adjacent transpositions cost 1,
 * substitutions {@link SUBSTITUTION_COST}), stopping early once the distance exceeds `max`.
 *
 * @example editDistance('recieve', 'receive', 2) // 1
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let previous2 = new Array<number>(n + 1).fill(0);
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : SUBSTITUTION_COST;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2] + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[n];
}

/** The edit distance a word of this length may be from its correction (Elasticsearch's AUTO fuzziness, none below 4 letters). */
export function allowedTypos(length: number): number {
  if (length < 4) return 0;
  if (length < 6) return 1;
  return 2;
}

/** Candidates (by shared trigrams) whose edit distance is computed. */
const MAX_CANDIDATES = 48;
/** Corrections remembered per index (cleared when full). */
const CACHE_SIZE = 4096;

function trigrams(word: string): string[] {
  const padded = `^${word}$`;
  const grams: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) grams.push(padded.slice(i, i + 3));
  return grams;
}

/**
 * Finds the known words closest to a misspelt one: candidates share character trigrams with it,
 * then the edit distance decides. Only the closest words are returned.
 *
 * @example new TypoCorrector(['invoice', 'invite']).correct('invioce') // [{ word: 'invoice', distance: 1 }]
 */
export class TypoCorrector {
  readonly #words: string[];
  readonly #byGram = new Map<string, number[]>();
  readonly #cache = new Map<string, { word: string; distance: number }[]>();

  constructor(words: Iterable<string>) {
    this.#words = [...new Set(words)].filter((word) => word.length >= 3);
    this.#words.forEach((word, index) => {
      for (const gram of new Set(trigrams(word))) {
        const list = this.#byGram.get(gram);
        if (list) list.push(index);
        else this.#byGram.set(gram, [index]);
      }
    });
  }

  /** The closest words within the allowed distance (ties all returned, at most `limit`). */
  correct(word: string, limit = 3): { word: string; distance: number }[] {
    const max = allowedTypos(word.length);
    if (max === 0) return [];
    const shared = new Map<number, number>();
    for (const gram of new Set(trigrams(word))) for (const index of this.#byGram.get(gram) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
    // A word within distance d of a word of n letters shares at least n + 2 - 3d of its trigrams; be lenient.
    const minShared = Math.max(1, word.length - 1 - 3 * Math.ceil(max));
    const cached = this.#cache.get(word);
    if (cached) return cached.slice(0, limit);
    // Only the words sharing the most trigrams are worth an edit distance.
    const candidates = [...shared].filter(([, count]) => count >= minShared).sort((a, b) => b[1] - a[1]).slice(0, MAX_CANDIDATES);
    let best = max + 1;
    let found: { word: string; distance: number }[] = [];
    for (const [index] of candidates) {
      const candidate = this.#words[index];
      const distance = editDistance(word, candidate, Math.min(max, best));
      if (distance > max) continue;
      if (distance < best) {
        best = distance;
        found = [{ word: candidate, distance }];
      } else if (distance === best) found.push({ word: candidate, distance });
    }
    found.sort((a, b) => a.word.localeCompare(b.word));
    if (this.#cache.size >= CACHE_SIZE) this.#cache.clear();
    this.#cache.set(word, found);
    return found.slice(0, limit);
  }
}
