/** A tool as tool search sees it: where it lives and the texts that describe it. */
export interface SearchableTool {
  /** Unique path: `name` for a top-level tool, `namespace.name` for a namespace member or MCP tool. */
  path: string;
  name: string;
  namespace?: string;
  namespaceDescription?: string;
  description?: string;
  /** JSON Schema of the arguments: property names, descriptions and enum values are searched. */
  parameters?: unknown;
}

/** Names and descriptions of a JSON Schema's properties, nested objects and array items included. */
export function parameterTexts(schema: unknown, depth = 0): { names: string[]; descriptions: string[] } {
  const names: string[] = [];
  const descriptions: string[] = [];
  if (!schema || typeof schema !== 'object' || depth > 4) return { names, descriptions };
  const node = schema as { properties?: unknown; items?: unknown; description?: unknown; enum?: unknown; anyOf?: unknown; oneOf?: unknown };
  if (depth > 0 && typeof node.description === 'string') descriptions.push(node.description);
  if (Array.isArray(node.enum)) descriptions.push(node.enum.filter((value) => typeof value === 'string').join(' '));
  if (node.properties && typeof node.properties === 'object') {
    for (const [name, child] of Object.entries(node.properties as Record<string, unknown>)) {
      names.push(name);
      const nested = parameterTexts(child, depth + 1);
      names.push(...nested.names);
      descriptions.push(...nested.descriptions);
    }
  }
  for (const child of [node.items, ...(Array.isArray(node.anyOf) ? node.anyOf : []), ...(Array.isArray(node.oneOf) ? node.oneOf : [])]) {
    if (!child) continue;
    const nested = parameterTexts(child, depth + 1);
    names.push(...nested.names);
    descriptions.push(...nested.descriptions);
  }
  return { names, descriptions };
}
