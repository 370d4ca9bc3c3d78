import { termCount, type TermBag } from './terms.js';

const K1 = 1.2;
const B = 0.75;

/** Query terms looked up at most: a long turn used as the query keeps its rarest ones. */
const MAX_QUERY_TERMS = 48;
/** Documents sampled to estimate how common a query term is. */
const SAMPLE = 256;
/** A term in more than this share of the sample tells documents apart too little to be worth looking up. */
const COMMON_SHARE = 0.4;

/**
 * The query's distinct terms worth looking up: at most {@link MAX_QUERY_TERMS}, rarest first,
 * leaving out terms most documents contain (estimated on a sample).
 */
function queryTerms(documents: readonly TermBag[], query: readonly number[]): number[] {
  const terms = [...new Set(query)];
  if (documents.length <= SAMPLE && terms.length <= MAX_QUERY_TERMS) return terms;
  const step = Math.max(1, Math.floor(documents.length / SAMPLE));
  let sampled = 0;
  for (let d = 0; d < documents.length; d += step) sampled++;
  const ranked = terms
    .map((term, index) => {
      let seen = 0;
      for (let d = 0; d < documents.length; d += step) if (termCount(documents[d], term)) seen++;
      return { term, index, seen };
    })
    .sort((a, b) => a.seen - b.seen || a.index - b.index);
  const distinctive = ranked.filter((entry) => entry.seen <= sampled * COMMON_SHARE);
  // Only common terms: the rarest few still rank something.
  return (distinctive.length ? distinctive : ranked.slice(0, 8)).slice(0, MAX_QUERY_TERMS).map((entry) => entry.term);
}

/**
 * BM25 scores of documents for a query (terms as hashes). Only the query's distinctive terms are
 * looked up in each document (a hash probe each), so a search over a million tokens of history
 * costs a few milliseconds.
 *
 * @example bm25Scores([termBag('the red car'), termBag('a blue sky')], termHashes('red'))[0] > 0 // true
 */
export function bm25Scores(documents: readonly TermBag[], query: readonly number[]): Float64Array {
  const scores = new Float64Array(documents.length);
  const terms = queryTerms(documents, query);
  if (!documents.length || !terms.length) return scores;
  let totalLength = 0;
  for (const document of documents) totalLength += document.length;
  const averageLength = totalLength / documents.length || 1;
  // Document by document, so each document's table is read once for all the terms (memory locality).
  const counts = new Uint16Array(terms.length * documents.length);
  const frequencies = new Uint32Array(terms.length);
  for (let d = 0; d < documents.length; d++) {
    const document = documents[d];
    for (let t = 0; t < terms.length; t++) {
      const count = termCount(document, terms[t]);
      if (count) {
        counts[t * documents.length + d] = count;
        frequencies[t]++;
      }
    }
  }
  for (let t = 0; t < terms.length; t++) {
    if (!frequencies[t]) continue;
    const idf = Math.log(1 + (documents.length - frequencies[t] + 0.5) / (frequencies[t] + 0.5));
    const offset = t * documents.length;
    for (let d = 0; d < documents.length; d++) {
      const count = counts[offset + d];
      if (!count) continue;
      const norm = 1 - B + (B * documents[d].length) / averageLength;
      scores[d] += (idf * count * (K1 + 1)) / (count + K1 * norm);
    }
  }
  return scores;
}
