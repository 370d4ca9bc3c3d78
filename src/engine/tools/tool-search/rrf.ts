/** The usual RRF constant: ranks deep in a list still count a little. */
const RRF_K = 60;

/**
 * Reciprocal-rank fusion: each ranked list gives an item `1 / (k + rank)`; items are ordered by
 * the sum. Robust when the lists' scores are not comparable (BM25 and cosine similarity).
 *
 * @example fuseRankings([['a', 'b'], ['b', 'c']]) // ['b', 'a', 'c']
 */
export function fuseRankings<T>(rankings: readonly (readonly T[])[], k = RRF_K): T[] {
  const scores = new Map<T, number>();
  const firstSeen = new Map<T, number>();
  let order = 0;
  for (const ranking of rankings) {
    ranking.forEach((item, rank) => {
      scores.set(item, (scores.get(item) ?? 0) + 1 / (k + rank + 1));
      if (!firstSeen.has(item)) firstSeen.set(item, order++);
    });
  }
  return [...scores.keys()].sort((a, b) => scores.get(b)! - scores.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!);
}
