/** BM25 saturation (k1) and length normalisation (b), read when an index is built. */
export const BM25_PARAMETERS = { k1: 1.2, b: 0.6 };

/**
 * A BM25F inverted index over weighted terms: a document is a list of (term, weight) occurrences,
 * where the weight is that of the field the term came from (names count more than descriptions).
 * Scores are accumulated in a reused array, so a search allocates almost nothing.
 *
 * @example
 * const index = new Bm25Index([[{ term: 'send', weight: 3 }], [{ term: 'list', weight: 3 }]]);
 * index.score(new Map([[index.termId('send')!, 1]])); // scores[0] > 0
 */
export class Bm25Index {
  readonly documentCount: number;
  readonly #terms = new Map<string, number>();
  readonly #postingDocs: Int32Array[] = [];
  readonly #postingWeights: Float32Array[] = [];
  readonly #idf: Float32Array;
  /** Sorted unique term ids of each document. */
  readonly #docTerms: Int32Array[] = [];
  readonly #norm: Float32Array;
  readonly #k1: number;
  readonly #scores: Float32Array;
  readonly #touched: Int32Array;
  readonly #unitBest: Float32Array;
  readonly #unitSum: Float32Array;
  readonly #unitTouched: Int32Array;

  /** Occurrences flagged `apart` (a separate field of their own) do not add to the document's length. */
  constructor(documents: { term: string; weight: number; apart?: boolean }[][]) {
    this.documentCount = documents.length;
    const postings: { docs: number[]; weights: number[] }[] = [];
    const lengths = new Float32Array(documents.length);
    documents.forEach((occurrences, doc) => {
      const tf = new Map<number, number>();
      let length = 0;
      for (const { term, weight, apart } of occurrences) {
        let id = this.#terms.get(term);
        if (id === undefined) {
          id = postings.length;
          this.#terms.set(term, id);
          postings.push({ docs: [], weights: [] });
        }
        tf.set(id, (tf.get(id) ?? 0) + weight);
        if (!apart) length += weight;
      }
      lengths[doc] = length;
      for (const [id, weight] of tf) {
        postings[id].docs.push(doc);
        postings[id].weights.push(weight);
      }
      this.#docTerms.push(Int32Array.from([...tf.keys()].sort((a, b) => a - b)));
    });
    const average = lengths.reduce((sum, value) => sum + value, 0) / Math.max(1, documents.length);
    const { k1, b } = BM25_PARAMETERS;
    this.#k1 = k1;
    this.#norm = lengths.map((length) => k1 * (1 - b + (b * length) / Math.max(average, 1e-9)));
    this.#idf = new Float32Array(postings.length);
    postings.forEach((posting, id) => {
      this.#postingDocs.push(Int32Array.from(posting.docs));
      this.#postingWeights.push(Float32Array.from(posting.weights));
      const df = posting.docs.length;
      this.#idf[id] = Math.log(1 + (documents.length - df + 0.5) / (df + 0.5));
    });
    this.#scores = new Float32Array(documents.length);
    this.#touched = new Int32Array(documents.length);
    this.#unitBest = new Float32Array(documents.length);
    this.#unitSum = new Float32Array(documents.length);
    this.#unitTouched = new Int32Array(documents.length);
  }

  termId(term: string): number | undefined {
    return this.#terms.get(term);
  }

  idf(termId: number): number {
    return this.#idf[termId];
  }

  /** Whether a document contains a term. */
  contains(doc: number, termId: number): boolean {
    const terms = this.#docTerms[doc];
    let low = 0;
    let high = terms.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const value = terms[mid];
      if (value === termId) return true;
      if (value < termId) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }

  /**
   * Scores every document containing a query term. Returns the touched documents and their scores;
   * both arrays are reused by the next call, so read them before searching again.
   */
  score(query: Map<number, number>): { scores: Float32Array; touched: Int32Array; count: number } {
    const scores = this.#scores;
    const touched = this.#touched;
    let count = 0;
    for (const [id, queryWeight] of query) count = this.#addTerm(id, queryWeight, count);
    return { scores, touched, count };
  }

  /** Adds one term's BM25 contribution to `#scores`, recording newly touched documents; returns the new touched count. */
  #addTerm(id: number, queryWeight: number, count: number): number {
    const scores = this.#scores;
    const touched = this.#touched;
    const docs = this.#postingDocs[id];
    const weights = this.#postingWeights[id];
    const idf = this.#idf[id] * queryWeight;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      const tf = weights[i];
      if (scores[doc] === 0) touched[count++] = doc;
      scores[doc] += (idf * tf * (this.#k1 + 1)) / (tf + this.#norm[doc]);
    }
    return count;
  }

  /**
   * Scores documents for a query read into units (a word and its synonyms, stem, typo fixes): a
   * unit counts its best-matching term in full and its other terms at `tie` (a disjunction-max),
   * so a word with many expansions does not outweigh a word with one. Same reuse as {@link score}.
   */
  scoreUnits(units: readonly Map<number, number>[], tie: number): { scores: Float32Array; touched: Int32Array; count: number } {
    const scores = this.#scores;
    const touched = this.#touched;
    const best = this.#unitBest;
    const sum = this.#unitSum;
    const unitTouched = this.#unitTouched;
    let count = 0;
    for (const unit of units) {
      if (unit.size === 1) {
        // One term: its score is the unit's score.
        for (const [id, queryWeight] of unit) count = this.#addTerm(id, queryWeight, count);
        continue;
      }
      let n = 0;
      for (const [id, queryWeight] of unit) {
        const docs = this.#postingDocs[id];
        const weights = this.#postingWeights[id];
        const idf = this.#idf[id] * queryWeight;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i];
          const tf = weights[i];
          const value = (idf * tf * (this.#k1 + 1)) / (tf + this.#norm[doc]);
          if (sum[doc] === 0) unitTouched[n++] = doc;
          sum[doc] += value;
          if (value > best[doc]) best[doc] = value;
        }
      }
      for (let i = 0; i < n; i++) {
        const doc = unitTouched[i];
        if (scores[doc] === 0) touched[count++] = doc;
        scores[doc] += best[doc] + tie * (sum[doc] - best[doc]);
        best[doc] = 0;
        sum[doc] = 0;
      }
    }
    return { scores, touched, count };
  }

  /** The BM25 score one term alone gives a document (0 when the document lacks it). */
  termScore(termId: number, doc: number): number {
    const docs = this.#postingDocs[termId];
    let low = 0;
    let high = docs.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (docs[mid] === doc) {
        const tf = this.#postingWeights[termId][mid];
        return (this.#idf[termId] * tf * (this.#k1 + 1)) / (tf + this.#norm[doc]);
      }
      if (docs[mid] < doc) low = mid + 1;
      else high = mid - 1;
    }
    return 0;
  }

  /** Clears the scores left by {@link score}. */
  reset(touched: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) this.#scores[touched[i]] = 0;
  }
}
