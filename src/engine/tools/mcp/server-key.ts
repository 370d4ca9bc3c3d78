import { createHash } from 'node:crypto';
import type { McpEndpoint } from './connection.js';

/**
 * A key for an MCP server and the credentials used with it: a SHA-256 of the URL (or stdio label)
 * and the request headers, so caches never hold the headers themselves and two users with
 * different tokens never share a tool list.
 *
 * @example serverKey({ kind: 'http', url: 'https://mcp.example.com', headers: { authorization: 'Bearer x' } }) // 'http:3f1a…'
 */
export function serverKey(endpoint: McpEndpoint): string {
  const hash = createHash('sha256');
  if (endpoint.kind === 'http') {
    hash.update(endpoint.url);
    for (const [name, value] of Object.entries(endpoint.headers).sort(([a], [b]) => a.localeCompare(b))) hash.update(`\n${name.toLowerCase()}:${value}`);
  } else {
    hash.update(`stdio:${endpoint.label}`);
  }
  return `${endpoint.kind}:${hash.digest('hex')}`;
}
