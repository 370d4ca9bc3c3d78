import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
// @ts-expect-error a plain ESM fixture without types, shared with the stdio server process
import { createTestMcpServer } from '../engine/tools/mcp/__fixtures__/test-mcp-server.mjs';

/** The stdio flavour of the test MCP server: run it with `node`. */
export const TEST_MCP_STDIO_SCRIPT = fileURLToPath(new URL('../engine/tools/mcp/__fixtures__/test-mcp-server.mjs', import.meta.url));

export interface TestMcpHttpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  /** JSON-RPC methods received, in order (`initialize`, `tools/list`, `tools/call`…). */
  methods: string[];
  /** Authorization headers received, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * A real MCP server (the official SDK, stateless streamable HTTP) on a random loopback port, with
 * the tools of `test-mcp-server.mjs`. It records the JSON-RPC methods and Authorization headers
 * it receives.
 *
 * @example const mcp = await startTestMcpServer(); … await mcp.close();
 */
export async function startTestMcpServer(): Promise<TestMcpHttpServer> {
  const methods: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const http = createServer(async (req: IncomingMessage, res) => {
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    for (const message of Array.isArray(body) ? body : body ? [body] : []) if (typeof (message as { method?: unknown }).method === 'string') methods.push((message as { method: string }).method);
    authorizations.push(req.headers.authorization);
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    // Stateless mode: a fresh server and transport per request, as the SDK's examples do.
    const server = createTestMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    methods,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
