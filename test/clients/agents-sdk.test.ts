import { Agent, run, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ModelRequest } from '../../src/backends/types.js';
import { startTestServer, type TestServer } from '../../src/test-support/server.js';
import { messageText, scriptQueue, transcript } from './script-queue.js';

/** The OpenAI Agents SDK JS (Responses API mode) running an agent loop against Kestrel. */
describe('@openai/agents against Kestrel', () => {
  const queue = scriptQueue();
  let server: TestServer;
  const toolRuns: string[] = [];

  const getWeather = tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      toolRuns.push(city);
      return `Sunny and 21C in ${city}`;
    },
  });
  const agent = new Agent({ name: 'Weather agent', instructions: 'Answer weather questions with the tool.', model: 'gpt-5.4', tools: [getWeather] });

  /** The scripted model: call the tool, then answer from the tool result. */
  const twoTurns = (callId: string) => {
    queue.push({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, callId }] });
    queue.push({ text: 'It is sunny and 21C in Paris.', chunkSize: 6 });
  };

  const checkModelCalls = (calls: ModelRequest[], callId: string) => {
    expect(calls).toHaveLength(2);
    const [first, second] = calls;
    expect(first.tools).toEqual([expect.objectContaining({ kind: 'function', name: 'get_weather' })]);
    expect(transcript(first)).toEqual(['system: Answer weather questions with the tool.', 'user: Weather in Paris?']);
    expect(transcript(second).slice(0, 3)).toEqual(['system: Answer weather questions with the tool.', 'user: Weather in Paris?', `assistant:  [function:get_weather({"city":"Paris"})#${callId}]`]);
    const toolMessage = second.messages[3];
    expect(toolMessage?.role).toBe('tool');
    if (toolMessage?.role !== 'tool') return;
    expect(toolMessage.callId).toBe(callId);
    expect(messageText(toolMessage)).toContain('Sunny and 21C in Paris');
  };

  beforeAll(async () => {
    server = await startTestServer({ script: queue.script, models: ['gpt-5.4'] });
    setTracingDisabled(true);
    setOpenAIAPI('responses');
    setDefaultOpenAIClient(new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 }));
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    expect(queue.pending(), 'every queued model turn should have been used').toBe(0);
  });

  it('run(): the tool runs, its output reaches the second model call, finalOutput is the answer', async () => {
    const callsBefore = server.backend.calls.length;
    toolRuns.length = 0;
    twoTurns('call_agent_1');
    const result = await run(agent, 'Weather in Paris?');

    expect(toolRuns).toEqual(['Paris']);
    expect(result.finalOutput).toBe('It is sunny and 21C in Paris.');
    checkModelCalls(server.backend.calls.slice(callsBefore), 'call_agent_1');
    const types = result.newItems.map((item) => item.type);
    expect(types).toEqual(['tool_call_item', 'tool_call_output_item', 'message_output_item']);
    expect(result.lastResponseId).toMatch(/^resp_/);
  });

  it('run({ stream: true }): text streams through toTextStream() and the tool loop still works', async () => {
    const callsBefore = server.backend.calls.length;
    toolRuns.length = 0;
    twoTurns('call_agent_2');
    const result = await run(agent, 'Weather in Paris?', { stream: true });
    const chunks: string[] = [];
    for await (const chunk of result.toTextStream()) chunks.push(chunk);
    await result.completed;

    expect(result.error).toBeNull();
    expect(toolRuns).toEqual(['Paris']);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe('It is sunny and 21C in Paris.');
    expect(result.finalOutput).toBe('It is sunny and 21C in Paris.');
    checkModelCalls(server.backend.calls.slice(callsBefore), 'call_agent_2');
  });

  it('previousResponseId chaining: the second run sends only new input and Kestrel restores the history', async () => {
    const callsBefore = server.backend.calls.length;
    toolRuns.length = 0;
    twoTurns('call_agent_3');
    const first = await run(agent, 'Weather in Paris?');
    queue.push({ text: 'Yes, take sunglasses.' });
    const second = await run(agent, 'Do I need sunglasses?', { previousResponseId: first.lastResponseId });

    expect(second.finalOutput).toBe('Yes, take sunglasses.');
    const last = server.backend.calls[server.backend.calls.length - 1];
    expect(server.backend.calls.length - callsBefore).toBe(3);
    expect(transcript(last)).toEqual([
      'system: Answer weather questions with the tool.',
      'user: Weather in Paris?',
      'assistant:  [function:get_weather({"city":"Paris"})#call_agent_3]',
      'tool#call_agent_3: Sunny and 21C in Paris',
      'assistant: It is sunny and 21C in Paris.',
      'user: Do I need sunglasses?',
    ]);
  });
});
