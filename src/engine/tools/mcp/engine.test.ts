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

  it('tool_choice forces a named MCP tool on the first model call only', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__add', arguments: { a: 1, b: 2 } }] } : { text: `sum ${lastToolText(request)}` }));
    const response = await client.responses.create({
      model: 'scripted',
      input: 'Add 1 and 2',
      tools: [mcpTool({ require_approval: 'never' }), { type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false }],
      tool_choice: { type: 'mcp', server_label: 'test', name: 'add' },
    });
    expect(response.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(response.output_text).toBe('sum 3');
    expect(response.tool_choice).toEqual({ type: 'mcp', server_label: 'test', name: 'add' });
    const [first, second] = server!.backend.calls;
    expect(first.tools.map((tool) => tool.name)).toEqual(['test__add']);
    expect(first.toolChoice).toEqual({ name: 'test__add' });
    // Then the model chooses freely among all tools (a forced choice would loop).
    expect(second.tools.map((tool) => tool.name).sort()).toEqual(['lookup', 'test__add', 'test__echo', 'test__env', 'test__fail', 'test__whoami']);
    expect(second.toolChoice).toBe('auto');
  });

  it('tool_choice with only a server_label requires a call of one of that server’s tools', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__echo', arguments: { text: 'forced' } }] } : { text: lastToolText(request) }));
    const response = await client.responses.create({
      model: 'scripted',
      input: 'Say something',
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false }, mcpTool({ require_approval: 'never' })],
      tool_choice: { type: 'mcp', server_label: 'test' },
    });
    expect(response.output_text).toBe('forced');
    const [first, second] = server!.backend.calls;
    expect(first.tools.map((tool) => tool.name).sort()).toEqual(['test__add', 'test__echo', 'test__env', 'test__fail', 'test__whoami']);
    expect(first.toolChoice).toBe('required');
    expect(second.toolChoice).toBe('auto');
    expect(second.tools.map((tool) => tool.name)).toContain('lookup');
  });

  it('tool_choice must name an mcp tool of the request and a tool its server offers', async () => {
    const client = await start(() => ({ text: 'never' }));
    const tools = [mcpTool({ require_approval: 'never', allowed_tools: ['echo', 'add'] })];
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools, tool_choice: { type: 'mcp', server_label: 'other' } })).rejects.toMatchObject({
      status: 400,
      param: 'tool_choice.server_label',
      code: 'invalid_tool_choice',
    });
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools, tool_choice: { type: 'mcp' } as unknown as OpenAI.Responses.ToolChoiceMcp })).rejects.toMatchObject({
      status: 400,
      param: 'tool_choice.server_label',
    });
    expect(server!.backend.calls).toHaveLength(0);
    // Which tools the server offers is known once they are listed: the response fails before any model call.
    const failed = await client.responses.create({ model: 'scripted', input: 'x', tools, tool_choice: { type: 'mcp', server_label: 'test', name: 'fail' } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'invalid_tool_choice', message: expect.stringContaining("'fail'") });
    expect(failed.error!.message).toContain('echo, add');
    expect(server!.backend.calls).toHaveLength(0);
  });

  it('a server whose tools cannot be listed: the item carries the error, the response goes on without it, the next request lists again', async () => {
    const client = await start((request) => ({ text: request.tools.length ? 'has tools' : 'no tools' }));
    const broken = mcpTool({ server_label: 'broken', server_url: mcp.url.replace(/\/mcp$/, '/missing'), require_approval: 'never' });
    const stream = client.responses.stream({ model: 'scripted', input: 'Use the broken server', tools: [broken, mcpTool({ require_approval: 'never' })] });
    const events: string[] = [];
    for await (const event of stream) events.push(event.type);
    const response = await stream.finalResponse();
    expect(response.status).toBe('completed');
    const lists = response.output.filter((item) => item.type === 'mcp_list_tools') as unknown as { server_label: string; tools: unknown[]; error: string | null }[];
    const failed = lists.find((item) => item.server_label === 'broken')!;
    expect(failed.tools).toEqual([]);
    expect(failed.error).toMatch(/HTTP 404/);
    expect(lists.find((item) => item.server_label === 'test')!.error).toBeNull();
    expect(events.filter((type) => type.startsWith('response.mcp_list_tools'))).toEqual(expect.arrayContaining(['response.mcp_list_tools.failed', 'response.mcp_list_tools.completed']));
    // The model sees the other server's tools and is told which server is missing.
    const call = server!.backend.calls[0];
    expect(call.tools.every((tool) => tool.name.startsWith('test__'))).toBe(true);
    const note = call.messages.at(-1);
    expect(note?.role === 'user' && note.content[0].type === 'text' ? note.content[0].text : '').toMatch(/could not list their tools[\s\S]*- broken: .*HTTP 404/);

    // A failed listing is neither cached nor taken from the history: the next request tries again.
    const next = await client.responses.create({ model: 'scripted', input: 'again', previous_response_id: response.id, tools: [broken, mcpTool({ require_approval: 'never' })] });
    expect(next.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'message']);
    expect(next.output[0]).toMatchObject({ server_label: 'broken', error: expect.stringMatching(/HTTP 404/) });

    // Forcing the broken server fails the response instead of calling the model without it.
    const forced = await client.responses.create({ model: 'scripted', input: 'x', tools: [broken], tool_choice: { type: 'mcp', server_label: 'broken' } });
    expect(forced.status).toBe('failed');
    expect(forced.error).toMatchObject({ code: 'mcp_list_tools_failed' });
  });

  it('replays listed tools and calls that a stateless client sends back (store: false)', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__echo', arguments: { text: 'stateless' } }] } : { text: `seen: ${request.messages.some((message) => message.role === 'tool' && message.content[0].type === 'text' && message.content[0].text === 'stateless')}` }));
    const tools = [mcpTool({ require_approval: 'never' })];
    const first = await client.responses.create({ model: 'scripted', input: 'Echo stateless', tools, store: false });
    expect(first.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    const listsBefore = count('tools/list');
    const callsBefore = count('tools/call');
    const second = await client.responses.create({
      model: 'scripted',
      store: false,
      tools,
      input: [...(first.output as unknown as OpenAI.Responses.ResponseInputItem[]), { role: 'user', content: 'Did you see it?' }],
    });
    expect(second.output.map((item) => item.type)).toEqual(['message']);
    expect(second.output_text).toBe('seen: true');
    expect(count('tools/list')).toBe(listsBefore);
    expect(count('tools/call')).toBe(callsBefore);
    expect(server!.backend.calls.at(-1)!.tools.map((tool) => tool.name)).toContain('test__echo');
  });

  it('runs an approval a stateless client answers once, even when the items come back again (store: false)', async () => {
    const client = await start((request, index) => (index === 0 ? { toolCalls: [{ name: 'test__add', arguments: { a: 4, b: 5 } }] } : { text: `got ${lastToolText(request)}` }));
    const tools = [mcpTool()];
    const callsBefore = count('tools/call');
    const first = await client.responses.create({ model: 'scripted', input: 'Add 4 and 5', tools, store: false });
    const request = first.output.at(-1) as unknown as { id: string; type: string };
    expect(request.type).toBe('mcp_approval_request');
    const history = [{ role: 'user', content: 'Add 4 and 5' }, ...first.output] as unknown as OpenAI.Responses.ResponseInputItem[];
    const approval = { type: 'mcp_approval_response', approval_request_id: request.id, approve: true } as OpenAI.Responses.ResponseInputItem;
    const approved = await client.responses.create({ model: 'scripted', store: false, tools, input: [...history, approval] });
    expect(approved.output.map((item) => item.type)).toEqual(['mcp_call', 'message']);
    expect(approved.output_text).toBe('got 9');
    expect(count('tools/call')).toBe(callsBefore + 1);
    // The whole history again, with the call it produced: the approval is not carried out twice.
    const again = await client.responses.create({ model: 'scripted', store: false, tools, input: [...history, approval, ...(approved.output as unknown as OpenAI.Responses.ResponseInputItem[]), { role: 'user', content: 'thanks' }] });
    expect(again.output.map((item) => item.type)).toEqual(['message']);
    expect(count('tools/call')).toBe(callsBefore + 1);
  });
});
