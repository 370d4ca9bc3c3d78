import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../../backends/types.js';
import type { ScriptedTurn } from '../../../backends/scripted/index.js';
import { startTestMcpServer, TEST_MCP_STDIO_SCRIPT, type TestMcpHttpServer } from '../../../test-support/mcp-server.js';
import { startTestServer, type TestServer } from '../../../test-support/server.js';

let mcp: TestMcpHttpServer;
beforeAll(async () => {
  mcp = await startTestMcpServer();
});
afterAll(async () => {
  await mcp.close();
});

const lastToolText = (request: ModelRequest) => {
  const message = request.messages.at(-1);
  return message?.role === 'tool' && message.content[0].type === 'text' ? message.content[0].text : '';
};
const count = (method: string) => mcp.methods.filter((seen) => seen === method).length;
const mcpTool = (extra: Record<string, unknown> = {}) => ({ type: 'mcp', server_label: 'test', server_url: mcp.url, ...extra }) as unknown as OpenAI.Responses.Tool;

describe('hosted MCP through the HTTP server (official openai SDK, real MCP servers)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(script: (request: ModelRequest, index: number) => ScriptedTurn, config: Record<string, unknown> = { mcp: { allowPrivateNetworks: true } }) {
    server = await startTestServer({ script, config });
    return new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
  }

  it('lists the tools once, streams an mcp_call with its events, and answers with the output', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__echo', arguments: { text: 'hi there' } }] } : { text: `echo said ${lastToolText(request)}` }));
    const listsBefore = count('tools/list');
    const stream = client.responses.stream({ model: 'scripted', input: 'Echo hi there', tools: [mcpTool({ require_approval: 'never' })] });
    const events: string[] = [];
    for await (const event of stream) events.push(event.type);
    const response = await stream.finalResponse();

    expect(response.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    const [list, call] = response.output as unknown as Record<string, unknown>[];
    expect((list.tools as { name: string }[]).map((tool) => tool.name).sort()).toEqual(['add', 'echo', 'env', 'fail', 'whoami']);
    expect(call).toMatchObject({ type: 'mcp_call', server_label: 'test', name: 'echo', arguments: '{"text":"hi there"}', output: 'hi there', error: null, status: 'completed' });
    expect(response.output_text).toBe('echo said hi there');
    expect(events.filter((type) => type.includes('mcp'))).toEqual([
      'response.mcp_list_tools.in_progress',
      'response.mcp_list_tools.completed',
      'response.mcp_call_arguments.delta',
      'response.mcp_call_arguments.done',
      'response.mcp_call.in_progress',
      'response.mcp_call.completed',
    ]);
    expect(server!.backend.calls[0].tools.map((tool) => tool.name).sort()).toEqual(['test__add', 'test__echo', 'test__env', 'test__fail', 'test__whoami']);
    expect(count('tools/list') - listsBefore).toBe(1);

    // The next turn reuses the listed tools (no new mcp_list_tools, no new tools/list) and replays the call.
    const next = await client.responses.create({ model: 'scripted', input: 'again', previous_response_id: response.id, tools: [mcpTool({ require_approval: 'never' })] });
    expect(next.output.map((item) => item.type)).toEqual(['message']);
    expect(count('tools/list') - listsBefore).toBe(1);
    const replayed = server!.backend.calls[2].messages;
    expect(replayed.some((message) => message.role === 'tool' && message.content[0].type === 'text' && message.content[0].text === 'hi there')).toBe(true);
  });

  it('asks for approval, runs nothing until approved, then runs the approved call', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__add', arguments: { a: 2, b: 3 } }] } : { text: `result ${lastToolText(request)}` }));
    const callsBefore = count('tools/call');
    const first = await client.responses.create({ model: 'scripted', input: 'Add 2 and 3', tools: [mcpTool()] });
    expect(first.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'mcp_approval_request']);
    const request = first.output[1] as unknown as { id: string; name: string; arguments: string; server_label: string };
    expect(request).toMatchObject({ name: 'add', arguments: '{"a":2,"b":3}', server_label: 'test' });
    expect(request.id).toMatch(/^mcpr_/);
    expect(count('tools/call')).toBe(callsBefore);

    const approved = await client.responses.create({
      model: 'scripted',
      previous_response_id: first.id,
      input: [{ type: 'mcp_approval_response', approval_request_id: request.id, approve: true }],
      tools: [mcpTool()],
    });
    expect(approved.output.map((item) => item.type)).toEqual(['mcp_call', 'message']);
    expect(approved.output[0]).toMatchObject({ type: 'mcp_call', name: 'add', output: '5', approval_request_id: request.id });
    expect(approved.output_text).toBe('result 5');
    expect(count('tools/call')).toBe(callsBefore + 1);
  });

  it('tells the model when a call was refused, and never runs it', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__add', arguments: { a: 1, b: 1 } }] } : { text: lastToolText(request) }));
    const callsBefore = count('tools/call');
    const first = await client.responses.create({ model: 'scripted', input: 'Add', tools: [mcpTool({ require_approval: 'always' })] });
    const request = first.output.at(-1) as unknown as { id: string };
    const refused = await client.responses.create({
      model: 'scripted',
      previous_response_id: first.id,
      input: [{ type: 'mcp_approval_response', approval_request_id: request.id, approve: false, reason: 'not now' } as OpenAI.Responses.ResponseInputItem],
      tools: [mcpTool({ require_approval: 'always' })],
    });
    expect(refused.output_text).toBe('The user did not approve this call: not now');
    expect(count('tools/call')).toBe(callsBefore);
    await expect(
      client.responses.create({ model: 'scripted', input: [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_unknown', approve: true } as OpenAI.Responses.ResponseInputItem], tools: [mcpTool()] }),
    ).rejects.toMatchObject({ status: 400, param: 'input[0].approval_request_id' });
  });

  it('honours allowed_tools and types tool errors', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__fail', arguments: { reason: 'quota' } }] } : { text: lastToolText(request) }));
    const stream = client.responses.stream({ model: 'scripted', input: 'Fail', tools: [mcpTool({ allowed_tools: ['fail', 'echo'], require_approval: { never: { tool_names: ['fail'] } } })] });
    const events: string[] = [];
    for await (const event of stream) events.push(event.type);
    const response = await stream.finalResponse();
    expect(server!.backend.calls[0].tools.map((tool) => tool.name)).toEqual(['test__echo', 'test__fail']);
    expect(((response.output[0] as unknown as { tools: { name: string }[] }).tools).map((tool) => tool.name)).toEqual(['echo', 'fail']);
    expect(response.output[1]).toMatchObject({ type: 'mcp_call', status: 'failed', output: null, error: { type: 'mcp_tool_execution_error', content: [{ type: 'text', text: 'failed: quota' }] } });
    expect(events).toContain('response.mcp_call.failed');
    expect(response.output_text).toContain('failed: quota');
  });

  it('refuses server_url on loopback or private addresses unless the config allows them', async () => {
    const client = await start(() => ({ text: 'never' }), {});
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools: [mcpTool()] })).rejects.toMatchObject({ status: 400, param: 'tools[0].server_url', code: 'invalid_mcp_server_url' });
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools: [mcpTool({ server_url: 'http://localhost:1/mcp' })] })).rejects.toMatchObject({ status: 400, param: 'tools[0].server_url' });
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools: [{ type: 'mcp', server_label: 'nowhere' } as unknown as OpenAI.Responses.Tool] })).rejects.toMatchObject({ status: 400, param: 'tools[0].server_label' });
    expect(server!.backend.calls).toHaveLength(0);
  });

  it('runs configured stdio servers by label', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'local__env', arguments: {} }] } : { text: lastToolText(request) }), {
      mcp: { servers: { local: { command: process.execPath, args: [TEST_MCP_STDIO_SCRIPT], env: { MCP_TEST_VALUE: 'stdio works' } } } },
    });
    const response = await client.responses.create({ model: 'scripted', input: 'env?', tools: [{ type: 'mcp', server_label: 'local', require_approval: 'never' } as unknown as OpenAI.Responses.Tool] });
    expect(response.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(response.output_text).toBe('stdio works');
  });

  it('sends authorization to the server but never stores or returns it in plain text', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__whoami', arguments: {} }] } : { text: lastToolText(request) }));
    const tools = [mcpTool({ require_approval: 'never', authorization: 'sk-mcp-very-secret', headers: { 'X-Tenant': 'tenant-secret-7' } })];
    const response = await client.responses.create({ model: 'scripted', input: 'who?', tools, background: true });
    let done = response;
    for (let i = 0; i < 200 && (done.status === 'queued' || done.status === 'in_progress'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = await client.responses.retrieve(response.id);
    }
    expect(done.output_text).toBe(`sha256:${createHash('sha256').update('Bearer sk-mcp-very-secret').digest('hex').slice(0, 16)}`);
    expect(done.tools[0]).toEqual({ type: 'mcp', server_label: 'test', server_url: mcp.url, require_approval: 'never', headers: { 'X-Tenant': '[redacted]' } });
    await server!.kestrel.close();
    const files = readdirSync(server!.dataDir).map((name) => join(server!.dataDir, name));
    const bytes = files.filter((file) => !file.endsWith('.key')).map((file) => readFileSync(file).toString('latin1')).join('\n');
    // The files do hold the response (the redacted header name), just not the secrets.
    expect(bytes).toContain('X-Tenant');
    expect(bytes).not.toContain('sk-mcp-very-secret');
    expect(bytes).not.toContain('tenant-secret-7');
  });

  it('defer_loading puts a server behind tool search', async () => {
    const client = await start((request, index) => {
      if (index === 0) return { toolCalls: [{ name: 'tool_search', arguments: { query: 'add two numbers' } }] };
      if (index === 1) return { toolCalls: [{ name: 'test__add', arguments: { a: 20, b: 22 } }] };
      return { text: lastToolText(request) };
    });
    const response = await client.responses.create({
      model: 'scripted',
      input: 'What is 20 + 22?',
      tools: [{ type: 'tool_search' } as unknown as OpenAI.Responses.Tool, mcpTool({ defer_loading: true, require_approval: 'never', server_description: 'Arithmetic and echo tools.' })],
    });
    const [first, second] = server!.backend.calls;
    expect(first.tools.map((tool) => tool.name)).toEqual(['tool_search']);
    expect(first.tools[0].description).toContain('- test (5 tools): Arithmetic and echo tools.');
    expect(second.tools.map((tool) => tool.name)).toContain('test__add');
    expect(response.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'tool_search_call', 'tool_search_output', 'mcp_call', 'message']);
    expect((response.output[2] as unknown as { tools: unknown[] }).tools[0]).toMatchObject({ type: 'mcp', server_label: 'test', allowed_tools: expect.arrayContaining(['add']) });
    expect(response.output_text).toBe('42');
  });
});
