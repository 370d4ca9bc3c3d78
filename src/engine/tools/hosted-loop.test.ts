import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../backends/types.js';
import { newId } from '../../protocol/ids.js';
import { startTestServer, type TestServer } from '../../test-support/server.js';
import type { HostedToolKind, HostedToolSession } from './types.js';

/**
 * A hosted "web search" used only here: it owns the model function `web_search`, emits a
 * `web_search_call` item with its progress events, and answers the model with a result text.
 * `stopOn` makes it end the response instead (as a client-executed call or an approval would).
 */
function searchKind(options: { stopOn?: string; delayMs?: number; log?: string[] } = {}): HostedToolKind {
  const log = options.log ?? [];
  return {
    name: 'test-search',
    toolTypes: ['web_search'],
    itemTypes: ['web_search_call'],
    async prepare(ctx) {
      log.push(`prepare ${ctx.specs.length} ${ctx.items.length}`);
      const session: HostedToolSession = {
        modelTools: () => [{ kind: 'function', name: 'web_search', description: 'Search the web.', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } }],
        owns: (name) => name === 'web_search',
        replay(item, _param, target) {
          const call = item as { id: string; action?: { query?: string }; result?: string };
          target.assistantTurn().toolCalls = [...(target.assistantTurn().toolCalls ?? []), { callId: call.id, name: 'web_search', arguments: JSON.stringify({ query: call.action?.query }), kind: 'function' }];
          target.push({ role: 'tool', callId: call.id, kind: 'function', content: [{ type: 'text', text: call.result ?? '' }] });
        },
        async run(call, stepCtx) {
          const { query } = JSON.parse(call.arguments) as { query: string };
          const handle = stepCtx.items.open({ type: 'web_search_call', id: newId('ws'), status: 'in_progress', action: { type: 'search', query } });
          handle.event('response.web_search_call.in_progress');
          handle.event('response.web_search_call.searching');
          log.push('run');
          if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
          if (stepCtx.signal.aborted) return { messages: [] };
          const result = `Results for ${query}: Kestrel is a bird.`;
          Object.assign(handle.item, { status: 'completed', result });
          handle.event('response.web_search_call.completed');
          handle.done();
          if (query === options.stopOn) return { messages: [], stop: true };
          return { messages: [{ role: 'tool', callId: call.callId, kind: 'function', content: [{ type: 'text', text: result }] }] };
        },
        async close() {
          log.push('close');
        },
      };
      return session;
    },
  };
}

describe('hosted tool loop', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('runs a hosted call between two model calls and streams its item in order', async () => {
    const log: string[] = [];
    server = await startTestServer({
      script: (request: ModelRequest, index) =>
        index === 0 ? { text: 'Let me look.', toolCalls: [{ name: 'web_search', arguments: { query: 'kestrel' } }] } : { text: `Found: ${JSON.stringify(request.messages.at(-1))}` },
      hostedTools: [searchKind({ log })],
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const stream = client.responses.stream({ model: 'scripted', input: 'What is a kestrel?', tools: [{ type: 'web_search' }] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const response = await stream.finalResponse();

    expect(response.status).toBe('completed');
    expect(response.output.map((item) => item.type)).toEqual(['message', 'web_search_call', 'message']);
    expect((response.output[0] as { phase?: string }).phase).toBe('commentary');
    expect((response.output[2] as { phase?: string }).phase).toBe('final_answer');
    expect(response.output_text).toContain('Kestrel is a bird.');
    const searchEvents = types.filter((type) => type.startsWith('response.web_search_call'));
    expect(searchEvents).toEqual(['response.web_search_call.in_progress', 'response.web_search_call.searching', 'response.web_search_call.completed']);
    // The model's second call saw its own tool call and the hosted result.
    const second = server.backend.calls[1];
    expect(second.messages.at(-2)).toMatchObject({ role: 'assistant', content: 'Let me look.', toolCalls: [{ name: 'web_search' }] });
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', content: [{ text: 'Results for kestrel: Kestrel is a bird.' }] });
    expect(second.tools.map((tool) => tool.name)).toEqual(['web_search']);
    expect(log).toEqual(['prepare 1 0', 'run', 'close']);

    // The stored response replays the hosted item through the tool on the next turn.
    server.backend.calls.length = 0;
    await client.responses.create({ model: 'scripted', input: 'And again?', previous_response_id: response.id, tools: [{ type: 'web_search' }] });
    const replayed = server.backend.calls[0].messages;
    expect(replayed.some((message) => message.role === 'tool' && message.content[0].type === 'text' && message.content[0].text.includes('Kestrel is a bird.'))).toBe(true);
    expect(log.slice(3)).toEqual(['prepare 1 1', 'close']);
  });

  it('ends the response when the hosted tool needs the client', async () => {
    server = await startTestServer({
      script: [{ toolCalls: [{ name: 'web_search', arguments: { query: 'approve me' } }] }, { text: 'never' }],
      hostedTools: [searchKind({ stopOn: 'approve me' })],
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const response = await client.responses.create({ model: 'scripted', input: 'go', tools: [{ type: 'web_search' }] });
    expect(response.output.map((item) => item.type)).toEqual(['web_search_call']);
    expect(server.backend.calls).toHaveLength(1);
  });

  it('stops after the client function calls of the same step, and honours max_tool_calls', async () => {
    server = await startTestServer({
      script: (_request, index) =>
        index === 0
          ? { toolCalls: [{ name: 'web_search', arguments: { query: 'a' } }, { name: 'get_weather', arguments: { city: 'Paris' } }] }
          : { toolCalls: [{ name: 'web_search', arguments: { query: 'b' } }] },
      hostedTools: [searchKind()],
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const tools = [{ type: 'web_search' as const }, { type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
    const mixed = await client.responses.create({ model: 'scripted', input: 'go', tools });
    expect(mixed.output.map((item) => item.type)).toEqual(['function_call', 'web_search_call']);
    expect(server.backend.calls).toHaveLength(1);

    // With max_tool_calls 1 the second model call no longer sees the hosted tool.
    server.backend.calls.length = 0;
    const limited = await client.responses.create({ model: 'scripted', input: 'go', tools: [{ type: 'web_search' }], max_tool_calls: 1 });
    expect(server.backend.calls[0].tools.map((tool) => tool.name)).toEqual(['web_search']);
    expect(server.backend.calls[1].tools).toEqual([]);
    expect(limited.output.map((item) => item.type)).toEqual(['web_search_call', 'function_call']);
  });

  it('cancels a background response while a hosted tool runs, and closes the session', async () => {
    const log: string[] = [];
    server = await startTestServer({
      script: [{ toolCalls: [{ name: 'web_search', arguments: { query: 'slow' } }] }, { text: 'done' }],
      hostedTools: [searchKind({ delayMs: 5_000, log })],
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const queued = await client.responses.create({ model: 'scripted', input: 'go', tools: [{ type: 'web_search' }], background: true });
    for (let i = 0; i < 200 && !log.includes('run'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toContain('run');
    const cancelled = await client.responses.cancel(queued.id);
    expect(cancelled.status).toBe('cancelled');
    expect(log).toContain('close');
    expect(server.backend.calls).toHaveLength(1);
  });
});
