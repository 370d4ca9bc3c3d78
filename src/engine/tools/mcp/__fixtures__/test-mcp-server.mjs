// A small MCP server built with the official SDK (a tool without inputSchema gets `extra` as its only argument), for Kestrel's tests: over stdio when run as a
// program (`node test-mcp-server.mjs`), or mounted over streamable HTTP by src/test-support/mcp-server.ts.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The test server: `echo` (read-only), `add`, `fail` (a tool error), `whoami` (the Authorization it saw), `env` (a variable). */
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
  server.registerTool('whoami', { description: 'Tell which Authorization header the request carried.', annotations: { readOnlyHint: true } }, async (extra) => ({
    content: [{ type: 'text', text: String(extra?.requestInfo?.headers?.authorization ?? 'anonymous') }],
  }));
  server.registerTool('env', { description: 'Read the MCP_TEST_VALUE environment variable of the server process.', annotations: { readOnlyHint: true } }, async () => ({
    content: [{ type: 'text', text: process.env.MCP_TEST_VALUE ?? '' }],
  }));
  return server;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await createTestMcpServer().connect(new StdioServerTransport());
}
