/** Word overlap between requests, to tell a new request from a paraphrase of one already written. */
import type { LabelledQuery } from './queries.js';

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
}

/**
 * The share of words two texts have in common (Jaccard, over lower-cased words).
 *
 * @example wordOverlap('Empty the trash', 'Empty the Drive trash') // 0.75
 */
export function wordOverlap(a: string, b: string): number {
  const left = words(a);
  const right = words(b);
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  const union = left.size + right.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * The queries that share less than `maxOverlap` of their words with every query of `others`.
 *
 * @example distinctFrom(FRESH_QUERIES, QUERIES) // the second set without close paraphrases of the first
 */
export function distinctFrom(queries: readonly LabelledQuery[], others: readonly LabelledQuery[], maxOverlap = 0.5): LabelledQuery[] {
  return queries.filter((query) => others.every((other) => wordOverlap(query.text, other.text) < maxOverlap));
}
