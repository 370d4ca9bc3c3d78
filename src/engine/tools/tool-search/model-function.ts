import { readFileSync } from 'node:fs';
import type { ModelFunctionTool } from '../../../backends/types.js';

/** The name of the search function offered to models that know nothing of tool search. */
export const TOOL_SEARCH_FUNCTION = 'tool_search';

let instructions: string | null = null;

/** What the model is told of a deferred namespace or tool before it searches. */
export interface DeferredSummary {
  /** Namespace name, MCP server label, or top-level tool name. */
  name: string;
  description?: string;
  /** Number of tools behind a namespace (absent for a single tool). */
  tools?: number;
}

function oneLine(text: string | undefined, max: number): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The `tool_search` function a model without native tool search gets: `{query, paths?}`, with the
 * names and descriptions of what can be loaded in its description (`tool-search-function.txt`).
 *
 * @example toolSearchFunction([{ name: 'crm', description: 'Customers and deals', tools: 12 }], 5)
 */
export function toolSearchFunction(deferred: readonly DeferredSummary[], maxResults: number): ModelFunctionTool {
  instructions ??= readFileSync(new URL('./tool-search-function.txt', import.meta.url), 'utf8').trim();
  const listing = deferred.map((entry) => `- ${entry.name}${entry.tools ? ` (${entry.tools} tools)` : ''}: ${oneLine(entry.description, 160)}`).join('\n');
  return {
    kind: 'function',
    name: TOOL_SEARCH_FUNCTION,
    description: `${instructions}\n\nAvailable:\n${listing}`,
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: `What you need to do, in a few words. Loads the ${maxResults} best matching tools.` },
        paths: { type: 'array', items: { type: 'string' }, description: 'Namespaces or tools to load by name, e.g. ["crm"] or ["crm.get_customer"].' },
      },
      additionalProperties: false,
    },
  };
}
