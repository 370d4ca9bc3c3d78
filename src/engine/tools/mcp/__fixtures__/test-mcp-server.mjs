// A small MCP server built with the official SDK (a tool without inputSchema gets `extra` as its only argument), for Kestrel's tests: over stdio when run as a
// program (`node test-mcp-server.mjs`), or mounted over streamable HTTP by src/test-support/mcp-server.ts.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The test server: `echo` (read-only), `add`, `fail` (a tool error), `whoami` (a digest of the Authorization it saw), `env` (a variable). */
export function createTestMcpServer() {
  const server = new McpServer({ name: 'kestrel-test', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Repeat a text back unchanged.', inputSchema: { text: z.string().describe('Text to repeat') }, annotations: { readOnlyHint: true } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    { description: 'Add two numbers and return the sum.', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool('fail', { description: 'Always fails with a tool error.', inputSchema: { reason: z.string().optional() } }, async ({ reason }) => ({
    isError: true,
    content: [{ type: 'text', text: `failed: ${reason ?? 'no reason'}` }],
  }));
  // Answers a digest, never the credential itself (tests check that stored responses hold no secrets).
  server.registerTool('whoami', { description: 'Tell which Authorization header the request carried (as a SHA-256 digest).', annotations: { readOnlyHint: true } }, async (extra) => {
    const authorization = extra?.requestInfo?.headers?.authorization;
    return { content: [{ type: 'text', text: authorization ? `sha256:${createHash('sha256').update(String(authorization)).digest('hex').slice(0, 16)}` : 'anonymous' }] };
  });
  server.registerTool('env', { description: 'Read the MCP_TEST_VALUE environment variable of the server process.', annotations: { readOnlyHint: true } }, async () => ({
    content: [{ type: 'text', text: process.env.MCP_TEST_VALUE ?? '' }],
  }));
  return server;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await createTestMcpServer().connect(new StdioServerTransport());
}
