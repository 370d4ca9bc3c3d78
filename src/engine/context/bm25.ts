import { termCount, type TermBag } from './terms.js';

const K1 = 1.2;
const B = 0.75;

/**
 * BM25 scores of documents for a query (terms as hashes). Only the query's terms are looked up in
 * each document, so a search over a million tokens of history costs a few milliseconds.
 *
 * @example bm25Scores([termBag('the red car'), termBag('a blue sky')], termHashes('red'))[0] > 0 // true
 */
export function bm25Scores(documents: readonly TermBag[], query: readonly number[]): Float64Array {
  const scores = new Float64Array(documents.length);
  const terms = [...new Set(query)];
  if (!documents.length || !terms.length) return scores;
  let totalLength = 0;
  for (const document of documents) totalLength += document.length;
  const averageLength = totalLength / documents.length || 1;
  const counts = terms.map(() => new Uint16Array(documents.length));
  const frequencies = new Array<number>(terms.length).fill(0);
  for (let d = 0; d < documents.length; d++) {
    for (let t = 0; t < terms.length; t++) {
      const count = termCount(documents[d], terms[t]);
      if (count) {
        counts[t][d] = count;
        frequencies[t]++;
      }
    }
  }
  for (let t = 0; t < terms.length; t++) {
    if (!frequencies[t]) continue;
    const idf = Math.log(1 + (documents.length - frequencies[t] + 0.5) / (frequencies[t] + 0.5));
    const column = counts[t];
    for (let d = 0; d < documents.length; d++) {
      const count = column[d];
      if (!count) continue;
      const norm = 1 - B + (B * documents[d].length) / averageLength;
      scores[d] += (idf * count * (K1 + 1)) / (count + K1 * norm);
    }
  }
  return scores;
}
