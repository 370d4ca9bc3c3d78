/** Retrieval metrics over the labelled queries. */
import type { LabelledQuery } from './queries.js';

export interface Metrics {
  queries: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

/** Ranked paths for a query, best first (at least 10 deep for MRR). */
export type Ranker = (query: LabelledQuery) => string[];

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * recall@1, recall@5 and MRR (over the top 10) of a ranker on the queries that have an answer.
 *
 * @example metrics(queries, (q) => index.search(q.text, { limit: 10 }).hits.map((h) => h.path))
 */
export function metrics(queries: readonly LabelledQuery[], rank: Ranker): Metrics {
  const answerable = queries.filter((query) => query.expect.length > 0);
  let at1 = 0;
  let at5 = 0;
  let reciprocal = 0;
  for (const query of answerable) {
    const ranked = rank(query).slice(0, 10);
    const position = ranked.findIndex((path) => query.expect.includes(path));
    if (position === 0) at1++;
    if (position >= 0 && position < 5) at5++;
    if (position >= 0) reciprocal += 1 / (position + 1);
  }
  const n = Math.max(1, answerable.length);
  return { queries: answerable.length, recallAt1: round(at1 / n), recallAt5: round(at5 / n), mrr: round(reciprocal / n) };
}
