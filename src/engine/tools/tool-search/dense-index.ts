import { parameterTexts, type SearchableTool } from './searchable-tool.js';

/** Turns texts into embedding vectors (a backend's `embed` bound to a model). */
export type Embedder = (texts: string[], signal?: AbortSignal) => Promise<number[][]>;

/** Texts per embedding request when indexing. */
const BATCH = 128;

/**
 * The text of a tool that is embedded: where it lives, its name in words, its description and
 * parameter names.
 *
 * @example toolEmbeddingText({ path: 'crm.get_customer', name: 'get_customer', namespace: 'crm' }) // 'crm: get customer.'
 */
export function toolEmbeddingText(tool: SearchableTool): string {
  const name = tool.name.replace(/[_\-.:]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const parameters = parameterTexts(tool.parameters).names.join(', ');
  const where = tool.namespace ? `${tool.namespace}${tool.namespaceDescription ? ` (${tool.namespaceDescription})` : ''}: ` : '';
  return `${where}${name}. ${tool.description ?? ''}${parameters ? ` Parameters: ${parameters}.` : ''}`.trim();
}

function normalise(vector: readonly number[], into: Float32Array, offset: number): void {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < vector.length; i++) into[offset + i] = vector[i] * scale;
}

/**
 * Dense vectors of a tool set, searched by cosine similarity (vectors are normalised once).
 *
 * @example
 * const dense = await DenseIndex.build(tools, embedder);
 * dense.search((await embedder(['send an email']))[0], 10);
 */
export class DenseIndex {
  readonly dimensions: number;
  readonly #vectors: Float32Array;
  readonly #count: number;

  private constructor(vectors: Float32Array, count: number, dimensions: number) {
    this.#vectors = vectors;
    this.#count = count;
    this.dimensions = dimensions;
  }

  /** Embeds every tool (in batches) and keeps the normalised vectors. */
  static async build(tools: readonly SearchableTool[], embed: Embedder, signal?: AbortSignal): Promise<DenseIndex> {
    const texts = tools.map(toolEmbeddingText);
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += BATCH) {
      const batch = texts.slice(start, start + BATCH);
      const embedded = await embed(batch, signal);
      if (embedded.length !== batch.length) throw new Error(`The embedding backend returned ${embedded.length} vectors for ${batch.length} texts.`);
      vectors.push(...embedded);
    }
    const dimensions = vectors[0]?.length ?? 0;
    const matrix = new Float32Array(dimensions * vectors.length);
    vectors.forEach((vector, index) => {
      if (vector.length !== dimensions) throw new Error('The embedding backend returned vectors of different sizes.');
      normalise(vector, matrix, index * dimensions);
    });
    return new DenseIndex(matrix, vectors.length, dimensions);
  }

  /** The `limit` tools (index positions) most similar to a query vector, best first. */
  search(query: readonly number[], limit: number): { doc: number; similarity: number }[] {
    if (query.length !== this.dimensions || this.#count === 0) return [];
    const q = new Float32Array(this.dimensions);
    normalise(query, q, 0);
    const best: { doc: number; similarity: number }[] = [];
    const d = this.dimensions;
    for (let doc = 0; doc < this.#count; doc++) {
      let dot = 0;
      const offset = doc * d;
      for (let i = 0; i < d; i++) dot += q[i] * this.#vectors[offset + i];
      if (best.length === limit && dot <= best[limit - 1].similarity) continue;
      if (best.length < limit) best.push({ doc, similarity: dot });
      else best[limit - 1] = { doc, similarity: dot };
      for (let at = best.length - 1; at > 0 && best[at - 1].similarity < best[at].similarity; at--) [best[at - 1], best[at]] = [best[at], best[at - 1]];
    }
    return best;
  }
}
