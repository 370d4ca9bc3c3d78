import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestMcpServer, TEST_MCP_STDIO_SCRIPT, type TestMcpHttpServer } from '../../../test-support/mcp-server.js';
import { McpFailure } from './errors.js';
import { McpServers, McpSpecError } from './servers.js';

let mcp: TestMcpHttpServer;
beforeAll(async () => {
  mcp = await startTestMcpServer();
});
afterAll(async () => {
  await mcp.close();
});

const opened: McpServers[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((servers) => servers.close()));
});
function servers(config: ConstructorParameters<typeof McpServers>[0]): McpServers {
  const made = new McpServers(config);
  opened.push(made);
  return made;
}

const digest = (authorization: string) => `sha256:${createHash('sha256').update(authorization).digest('hex').slice(0, 16)}`;

async function failureOf(promise: Promise<unknown>): Promise<McpFailure> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(McpFailure);
  return error as McpFailure;
}

describe('McpServers over streamable HTTP (a real SDK server on 127.0.0.1)', () => {
  it('lists tools with their schemas and annotations, and calls them', async () => {
    const local = servers({ allowPrivateNetworks: true });
    const endpoint = await local.resolve({ server_label: 'test', server_url: mcp.url });
    const { tools, cached } = await local.listTools(endpoint);
    expect(cached).toBe(false);
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'echo', 'env', 'fail', 'whoami']);
    const echo = tools.find((tool) => tool.name === 'echo')!;
    expect(echo.description).toBe('Repeat a text back unchanged.');
    expect(echo.input_schema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    expect(echo.annotations).toMatchObject({ readOnlyHint: true });
    expect(await local.callTool(endpoint, 'echo', { text: 'héllo' })).toBe('héllo');
    expect(await local.callTool(endpoint, 'add', { a: 2, b: 3 })).toBe('5');
  });

  it('caches tools/list per server and credentials, never across different authorizations', async () => {
    const local = servers({ allowPrivateNetworks: true });
    const before = mcp.methods.filter((method) => method === 'tools/list').length;
    const alice = await local.resolve({ server_label: 'test', server_url: mcp.url, authorization: 'alice-token' });
    const bob = await local.resolve({ server_label: 'test', server_url: mcp.url, headers: { Authorization: 'Bearer bob-token' } });
    expect((await local.listTools(alice)).cached).toBe(false);
    expect((await local.listTools(alice)).cached).toBe(true);
    expect((await local.listTools(bob)).cached).toBe(false);
    expect(mcp.methods.filter((method) => method === 'tools/list').length - before).toBe(2);
    expect(await local.callTool(alice, 'whoami', {})).toBe(digest('Bearer alice-token'));
    expect(await local.callTool(bob, 'whoami', {})).toBe(digest('Bearer bob-token'));
  });

  it('types failures: a tool error, a protocol error, an HTTP status, an unreachable server', async () => {
    const local = servers({ allowPrivateNetworks: true });
    const endpoint = await local.resolve({ server_label: 'test', server_url: mcp.url });
    const toolError = await failureOf(local.callTool(endpoint, 'fail', { reason: 'disk full' }));
    expect(toolError.error).toEqual({ type: 'mcp_tool_execution_error', content: [{ type: 'text', text: 'failed: disk full' }] });

    const invalid = await failureOf(local.callTool(endpoint, 'add', { a: 'two', b: 3 }));
    expect(['mcp_protocol_error', 'mcp_tool_execution_error']).toContain(invalid.error.type);

    const missing = await local.resolve({ server_label: 'test', server_url: mcp.url.replace('/mcp', '/nothing-here') });
    const notFound = await failureOf(local.listTools(missing));
    expect(notFound.error).toMatchObject({ type: 'http_error', code: 404 });

    const down = await local.resolve({ server_label: 'test', server_url: 'http://127.0.0.1:9/mcp' });
    const unreachable = await failureOf(local.listTools(down));
    expect(unreachable.error).toMatchObject({ type: 'http_error', code: 502 });
  });

  it('refuses loopback and private server_urls unless the config allows them (DNS resolved first)', async () => {
    const strict = servers({});
    for (const url of [mcp.url, 'http://localhost:8080/mcp', 'http://10.1.2.3/mcp', 'http://[::1]/mcp', 'http://169.254.169.254/latest', 'http://[::ffff:127.0.0.1]/mcp']) {
      const error = await strict.resolve({ server_label: 'x', server_url: url }).catch((caught: unknown) => caught);
      expect(error, url).toBeInstanceOf(McpSpecError);
      expect((error as McpSpecError).field).toBe('server_url');
      expect((error as McpSpecError).message).toMatch(/private address/);
    }
    await expect(strict.resolve({ server_label: 'x', server_url: 'ftp://example.com/mcp' })).rejects.toThrow(/http or https/);
    await expect(strict.resolve({ server_label: 'x', server_url: 'https://user:pw@example.com/mcp' })).rejects.toThrow(/credentials/);
    // A public address literal needs no DNS and is accepted.
    await expect(strict.resolve({ server_label: 'x', server_url: 'https://93.184.216.34/mcp' })).resolves.toMatchObject({ kind: 'http' });
  });
});

describe('McpServers over stdio (configured servers)', () => {
  it('starts the configured command, passes its environment, and reuses the process', async () => {
    const local = servers({ servers: { local: { command: process.execPath, args: [TEST_MCP_STDIO_SCRIPT], env: { MCP_TEST_VALUE: 'from-config' } } } });
    const endpoint = await local.resolve({ server_label: 'local' });
    expect(endpoint.kind).toBe('stdio');
    const { tools } = await local.listTools(endpoint);
    expect(tools.map((tool) => tool.name)).toContain('echo');
    expect(await local.callTool(endpoint, 'env', {})).toBe('from-config');
    expect(await local.callTool(endpoint, 'echo', { text: 'again' })).toBe('again');
    const toolError = await failureOf(local.callTool(endpoint, 'fail', {}));
    expect(toolError.error.type).toBe('mcp_tool_execution_error');
  });

  it('names the configured labels when a request names an unknown one', async () => {
    const local = servers({ servers: { local: { command: process.execPath, args: [TEST_MCP_STDIO_SCRIPT] } } });
    const error = await local.resolve({ server_label: 'other' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpSpecError);
    expect((error as McpSpecError).field).toBe('server_label');
    expect((error as McpSpecError).message).toContain('configured: local');
    await expect(local.resolve({ server_label: 'gmail', connector_id: 'connector_gmail' })).rejects.toThrow(/Connector 'connector_gmail' is not available/);
  });
});
