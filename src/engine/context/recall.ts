import { bm25Scores } from './bm25.js';
import type { Chunk } from './chunks.js';
import { termHashes } from './terms.js';

/** Embeds texts (a backend's `/v1/embeddings`); one vector per text, in order. */
export type Embedder = (texts: string[], signal?: AbortSignal) => Promise<number[][]>;

/** An evicted chunk that may be recalled. */
export interface Candidate {
  chunk: Chunk;
  /** Index of the unit it comes from (chronological order). */
  unit: number;
}

/** Chunk vectors, by chunk text, bounded. */
export class VectorCache {
  readonly #entries = new Map<string, Float32Array>();
  readonly #max: number;

  constructor(max = 100_000) {
    this.#max = max;
  }

  get(key: string): Float32Array | undefined {
    return this.#entries.get(key);
  }

  set(key: string, vector: Float32Array): void {
    this.#entries.set(key, vector);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

const sharedVectors = new VectorCache();
const EMBED_BATCH = 64;

function normalised(vector: number[]): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(vector, (value) => value / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sum += a[i] * b[i];
  return sum;
}

/** Ranks by descending score; ties keep the later (more recent) chunk first. `positive`: leave out scores of 0. */
function ranking(scores: ArrayLike<number>, positive = false): number[] {
  const indexes: number[] = [];
  for (let index = 0; index < scores.length; index++) if (!positive || scores[index] > 0) indexes.push(index);
  return indexes.sort((a, b) => scores[b] - scores[a] || b - a);
}

export interface RankOptions {
  /** The current turn's text. */
  query: string;
  /** Embeds query and chunks; when absent or failing, BM25 alone ranks. */
  embedder?: Embedder;
  /** Cache of chunk vectors (default: process-wide). */
  vectors?: VectorCache;
  signal?: AbortSignal;
  /** Called when the embedder fails (the ranking falls back to BM25). */
  onEmbedError?: (error: unknown) => void;
}

/** How the candidates were ranked. */
export interface Ranking {
  /** Candidate indexes, most relevant first; chunks that match nothing are left out. */
  order: number[];
  method: 'bm25' | 'bm25+embeddings';
}

/**
 * Ranks evicted chunks by relevance to the current turn: BM25 over their terms and, when an
 * embedder is configured, cosine similarity of embeddings, fused by reciprocal rank (k = 60).
 *
 * @example (await rankCandidates(candidates, { query: 'What was the vault passphrase?' })).order[0]
 */
export async function rankCandidates(candidates: readonly Candidate[], options: RankOptions): Promise<Ranking> {
  const lexical = bm25Scores(
    candidates.map((candidate) => candidate.chunk.bag),
    termHashes(options.query),
  );
  const byLexical = ranking(lexical, true);
  if (!options.embedder || !candidates.length) return { order: byLexical, method: 'bm25' };
  let semantic: Float64Array;
  try {
    semantic = await embeddingScores(candidates, options.query, options.embedder, options.vectors ?? sharedVectors, options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    options.onEmbedError?.(error);
    return { order: byLexical, method: 'bm25' };
  }
  const fused = new Float64Array(candidates.length);
  byLexical.forEach((index, rank) => (fused[index] += 1 / (60 + rank)));
  ranking(semantic).forEach((index, rank) => (fused[index] += 1 / (60 + rank)));
  return { order: ranking(fused), method: 'bm25+embeddings' };
}

async function embeddingScores(candidates: readonly Candidate[], query: string, embedder: Embedder, vectors: VectorCache, signal?: AbortSignal): Promise<Float64Array> {
  const keys = candidates.map((candidate) => candidate.chunk.text);
  const found = new Map<string, Float32Array>();
  const missing = new Map<string, string>();
  keys.forEach((key, index) => {
    const vector = vectors.get(key);
    if (vector) found.set(key, vector);
    else missing.set(key, candidates[index].chunk.text);
  });
  const pending = [...missing];
  for (let start = 0; start < pending.length; start += EMBED_BATCH) {
    const batch = pending.slice(start, start + EMBED_BATCH);
    const embedded = await embedder(batch.map(([, text]) => text), signal);
    if (embedded.length !== batch.length) throw new Error(`The embedder returned ${embedded.length} vectors for ${batch.length} texts.`);
    batch.forEach(([key], index) => {
      const vector = normalised(embedded[index]);
      vectors.set(key, vector);
      found.set(key, vector);
    });
  }
  const [queryVector] = await embedder([query], signal);
  const target = normalised(queryVector);
  return Float64Array.from(keys, (key) => dot(found.get(key)!, target));
}
