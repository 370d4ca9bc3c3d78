/**
 * The plain BM25 baseline the issue asks to report beside Kestrel's search: the same fields
 * concatenated, lower-cased words split on snake/camel case, no stemming, no thesaurus, no typo
 * correction, no field weights.
 */
import { Bm25Index } from '../../src/engine/tools/tool-search/bm25.js';
import { parameterTexts, type SearchableTool } from '../../src/engine/tools/tool-search/index.js';

function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export class PlainBm25 {
  readonly #index: Bm25Index;
  readonly #paths: string[];

  constructor(tools: readonly SearchableTool[]) {
    this.#paths = tools.map((tool) => tool.path);
    this.#index = new Bm25Index(
      tools.map((tool) => {
        const parameters = parameterTexts(tool.parameters);
        const text = [tool.name, tool.namespace, tool.namespaceDescription, tool.description, ...parameters.names, ...parameters.descriptions].filter(Boolean).join(' ');
        return words(text).map((term) => ({ term, weight: 1 }));
      }),
    );
  }

  search(query: string, limit: number): string[] {
    const weights = new Map<number, number>();
    for (const word of words(query)) {
      const id = this.#index.termId(word);
      if (id !== undefined) weights.set(id, (weights.get(id) ?? 0) + 1);
    }
    if (weights.size === 0) return [];
    const { scores, touched, count } = this.#index.score(weights);
    const docs = Array.from(touched.subarray(0, count)).sort((a, b) => scores[b] - scores[a] || a - b);
    const top = docs.slice(0, limit).map((doc) => this.#paths[doc]);
    this.#index.reset(touched, count);
    return top;
  }
}
