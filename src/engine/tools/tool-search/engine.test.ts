import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../../backends/types.js';
import type { ScriptedTurn } from '../../../backends/scripted/index.js';
import { startTestServer, type TestServer } from '../../../test-support/server.js';

const profile = { type: 'object', properties: { customerId: { type: 'string' } }, required: ['customerId'], additionalProperties: false };
const TOOLS = [
  { type: 'tool_search' },
  {
    type: 'namespace',
    name: 'crm',
    description: 'CRM: customers, deals and their history.',
    tools: [
      { type: 'function', name: 'get_customer_profile', description: 'Look up the profile of a customer by id.', parameters: profile, strict: true, defer_loading: true },
      { type: 'function', name: 'list_open_deals', description: 'List the open sales deals of a customer.', parameters: profile, strict: true, defer_loading: true },
    ],
  },
  { type: 'function', name: 'get_weather', description: 'Current weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false, defer_loading: true },
  { type: 'function', name: 'echo', description: 'Repeat a text.', parameters: { type: 'object', properties: { text: { type: 'string' } } }, strict: false },
] as unknown as OpenAI.Responses.Tool[];

const names = (request: ModelRequest) => request.tools.map((tool) => tool.name);
const lastToolText = (request: ModelRequest) => {
  const message = request.messages.at(-1);
  return message?.role === 'tool' && message.content[0].type === 'text' ? message.content[0].text : '';
};

describe('tool search through the HTTP server (official openai SDK, scripted model)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('hosted: the model sees only non-deferred tools and the catalogue, searches, and calls a loaded namespaced tool', async () => {
    server = await startTestServer({
      script: (request, index): ScriptedTurn => {
        if (index === 0) return { toolCalls: [{ name: 'tool_search', arguments: { query: 'customer profile' } }] };
        if (index === 1) return { toolCalls: [{ name: 'crm__get_customer_profile', arguments: { customerId: '42' } }] };
        return { text: `done: ${lastToolText(request)}` };
      },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const stream = client.responses.stream({ model: 'scripted', input: 'Show me the profile of customer 42', tools: TOOLS });
    const events: string[] = [];
    for await (const event of stream) events.push(event.type);
    const response = await stream.finalResponse();

    const [first, second] = server.backend.calls;
    expect(names(first)).toEqual(['echo', 'tool_search']);
    const search = first.tools.find((tool) => tool.name === 'tool_search')!;
    expect(search.description).toContain('- crm (2 tools): CRM: customers, deals and their history.');
    expect(search.description).toContain('- get_weather: Current weather for a city.');
    expect(search.description).not.toContain('get_customer_profile');
    // The loaded definitions come last, after the tools the model saw before (prompt caches survive).
    expect(names(second)).toEqual(['echo', 'tool_search', 'crm__get_customer_profile', 'crm__list_open_deals']);
    expect(lastToolText(second)).toContain('crm.get_customer_profile');

    expect(response.output.map((item) => item.type)).toEqual(['tool_search_call', 'tool_search_output', 'function_call']);
    const [call, output, functionCall] = response.output as unknown as Record<string, unknown>[];
    expect(call).toMatchObject({ type: 'tool_search_call', call_id: null, execution: 'server', arguments: { query: 'customer profile' }, status: 'completed' });
    expect(output).toMatchObject({ type: 'tool_search_output', call_id: null, execution: 'server', status: 'completed' });
    expect(output.tools).toEqual([{ type: 'namespace', name: 'crm', description: 'CRM: customers, deals and their history.', tools: [expect.objectContaining({ name: 'get_customer_profile', defer_loading: true }), expect.objectContaining({ name: 'list_open_deals' })] }]);
    expect(functionCall).toMatchObject({ type: 'function_call', name: 'get_customer_profile', namespace: 'crm', arguments: '{"customerId":"42"}' });
    expect(events.filter((type) => type.startsWith('response.output_item'))).toEqual([
      'response.output_item.added',
      'response.output_item.done',
      'response.output_item.added',
      'response.output_item.done',
      'response.output_item.added',
      'response.output_item.done',
    ]);

    // Stateful continuation: the stored search items restore the loaded tools.
    const next = await client.responses.create({
      model: 'scripted',
      previous_response_id: response.id,
      input: [{ type: 'function_call_output', call_id: (functionCall as { call_id: string }).call_id, output: '{"name":"Ada"}' }],
      tools: TOOLS,
    });
    const third = server.backend.calls[2];
    expect(names(third)).toEqual(['echo', 'tool_search', 'crm__get_customer_profile', 'crm__list_open_deals']);
    expect(third.messages.some((message) => message.role === 'assistant' && message.toolCalls?.some((tool) => tool.name === 'tool_search'))).toBe(true);
    expect(next.output_text).toBe('done: {"name":"Ada"}');
  });

  it('stateless clients (store: false) replay the search items and get the same loaded tools', async () => {
    server = await startTestServer({
      script: (request, index): ScriptedTurn => {
        if (index === 0) return { toolCalls: [{ name: 'tool_search', arguments: { paths: ['get_weather'] } }] };
        if (index === 1) return { toolCalls: [{ name: 'get_weather', arguments: { city: 'Lyon' } }] };
        return { text: `tools: ${names(request).join(',')}` };
      },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: 'Weather in Lyon?' }];
    const first = await client.responses.create({ model: 'scripted', input, tools: TOOLS, store: false });
    expect(first.output.map((item) => item.type)).toEqual(['tool_search_call', 'tool_search_output', 'function_call']);
    expect((first.output[1] as unknown as { tools: { name: string }[] }).tools.map((tool) => tool.name)).toEqual(['get_weather']);
    const call = first.output[2] as OpenAI.Responses.ResponseFunctionToolCall;
    const replay = [...input, ...(first.output as unknown as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'sunny' } as OpenAI.Responses.ResponseInputItem];
    const second = await client.responses.create({ model: 'scripted', input: replay, tools: TOOLS, store: false });
    expect(second.output_text).toBe('tools: echo,tool_search,get_weather');
    const messages = server.backend.calls[2].messages;
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(messages[1]).toMatchObject({ role: 'assistant', toolCalls: [{ name: 'tool_search', arguments: '{"paths":["get_weather"]}' }] });
    expect(messages[2]).toMatchObject({ role: 'tool', content: [{ type: 'text', text: expect.stringContaining('get_weather') }] });
  });

  it('client execution: the call ends the response, the client answers with tool_search_output', async () => {
    server = await startTestServer({
      script: (request, index): ScriptedTurn => {
        if (index === 0) return { toolCalls: [{ name: 'tool_search', arguments: { paths: ['billing'] } }] };
        if (index === 1) return { toolCalls: [{ name: 'billing__refund', arguments: { charge: 'ch_1' } }] };
        return { text: 'never' };
      },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const parameters = { type: 'object', properties: { paths: { type: 'array', items: { type: 'string' } } }, required: ['paths'] };
    const tools = [{ type: 'tool_search', execution: 'client', description: 'Load tools by namespace.', parameters }] as unknown as OpenAI.Responses.Tool[];
    const first = await client.responses.create({ model: 'scripted', input: 'Refund charge ch_1', tools });
    expect(server.backend.calls[0].tools).toEqual([{ kind: 'function', name: 'tool_search', description: 'Load tools by namespace.', parameters }]);
    expect(first.output).toHaveLength(1);
    const call = first.output[0] as unknown as { type: string; call_id: string; execution: string; arguments: unknown; status: string };
    expect(call).toMatchObject({ type: 'tool_search_call', execution: 'client', arguments: { paths: ['billing'] }, status: 'completed' });
    expect(call.call_id).toMatch(/^call_/);
    expect(server.backend.calls).toHaveLength(1);

    const loaded = { type: 'namespace', name: 'billing', description: 'Billing', tools: [{ type: 'function', name: 'refund', description: 'Refund a charge.', parameters: { type: 'object', properties: { charge: { type: 'string' } } } }] };
    const second = await client.responses.create({
      model: 'scripted',
      previous_response_id: first.id,
      input: [{ type: 'tool_search_output', call_id: call.call_id, execution: 'client', tools: [loaded] } as unknown as OpenAI.Responses.ResponseInputItem],
      tools,
    });
    expect(server.backend.calls[1].tools.map((tool) => tool.name)).toEqual(['tool_search', 'billing__refund']);
    expect(server.backend.calls[1].messages.at(-1)).toMatchObject({ role: 'tool', content: [{ type: 'text', text: expect.stringContaining('billing.refund') }] });
    expect(second.output[0]).toMatchObject({ type: 'function_call', name: 'refund', namespace: 'billing' });
  });

  it('loads at most toolSearch.maxResults tools per query, and whole namespaces by path', async () => {
    server = await startTestServer({
      config: { toolSearch: { maxResults: 1 } },
      script: (_request, index): ScriptedTurn =>
        index === 0 ? { toolCalls: [{ name: 'tool_search', arguments: { query: 'customer deals and profile' } }] } : index === 1 ? { toolCalls: [{ name: 'tool_search', arguments: { paths: ['crm'] } }] } : { text: 'ok' },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const response = await client.responses.create({ model: 'scripted', input: 'deals', tools: TOOLS });
    const [, firstOutput, , secondOutput] = response.output as unknown as { tools: { tools: unknown[] }[] }[];
    expect(firstOutput.tools[0].tools).toHaveLength(1);
    expect(secondOutput.tools[0].tools).toHaveLength(2);
    expect(names(server.backend.calls[2]).filter((name) => name.startsWith('crm__'))).toHaveLength(2);
  });

  it('refuses bad requests before any model call', async () => {
    server = await startTestServer({ script: [{ text: 'never' }] });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
    const deferredAlone = [{ type: 'function', name: 'f', parameters: { type: 'object' }, strict: false, defer_loading: true }] as unknown as OpenAI.Responses.Tool[];
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools: deferredAlone })).rejects.toMatchObject({ status: 400, param: 'tools[0].defer_loading' });
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools: [{ type: 'tool_search' }, { type: 'tool_search' }] as unknown as OpenAI.Responses.Tool[] })).rejects.toMatchObject({ status: 400, param: 'tools[1].type' });
    await expect(client.responses.create({ model: 'scripted', input: 'x', tools: [{ type: 'tool_search', execution: 'remote' }] as unknown as OpenAI.Responses.Tool[] })).rejects.toMatchObject({ status: 400, param: 'tools[0].execution' });
    expect(server.backend.calls).toHaveLength(0);
  });
});
