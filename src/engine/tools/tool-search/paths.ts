import type { ToolSearchIndex } from './search-index.js';

/** What a list of `paths` names: tool paths found, and the names that matched nothing. */
export interface ResolvedPaths {
  paths: string[];
  missing: string[];
}

/**
 * Resolves `paths` of a tool search: a namespace (or MCP server label) loads all its tools, a
 * `namespace.tool` path or a top-level tool name loads that tool. `namespace/tool` is accepted too.
 *
 * @example resolvePaths(index, ['crm', 'billing.refund']) // { paths: ['crm.get_customer', …, 'billing.refund'], missing: [] }
 */
export function resolvePaths(index: ToolSearchIndex, requested: readonly string[]): ResolvedPaths {
  const paths: string[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  const add = (path: string) => {
    if (!seen.has(path)) {
      seen.add(path);
      paths.push(path);
    }
  };
  for (const raw of requested) {
    const path = raw.trim();
    if (index.get(path)) add(path);
    else if (index.namespaceMembers(path).length) index.namespaceMembers(path).forEach(add);
    else if (path.includes('/') && index.get(path.replace('/', '.'))) add(path.replace('/', '.'));
    else missing.push(raw);
  }
  return { paths, missing };
}
