import OpenAI, { APIError, AuthenticationError, NotFoundError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/test-support/server.js';
import { scriptQueue, transcript } from './script-queue.js';

/** The real `openai` npm SDK against Kestrel with a scripted model. */
describe('openai SDK against Kestrel', () => {
  const queue = scriptQueue();
  let server: TestServer;
  let client: OpenAI;
  const lastCall = () => server.backend.calls[server.backend.calls.length - 1];

  beforeAll(async () => {
    server = await startTestServer({ script: queue.script, models: ['gpt-5.4', 'gpt-5.4-mini'] });
    client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    expect(queue.pending(), 'every queued model turn should have been used').toBe(0);
  });

  describe('responses', () => {
    it('create (non-stream): output_text, ids, usage, model', async () => {
      queue.push({ text: 'Hello from Kestrel!', usage: { inputTokens: 12, outputTokens: 5 } });
      const response = await client.responses.create({ model: 'gpt-5.4', instructions: 'Be brief.', input: 'Say hello' });
      expect(response.object).toBe('response');
      expect(response.id).toMatch(/^resp_/);
      expect(response.status).toBe('completed');
      expect(response.model).toBe('gpt-5.4');
      expect(response.output_text).toBe('Hello from Kestrel!');
      expect(response.output).toHaveLength(1);
      const message = response.output[0];
      expect(message.type).toBe('message');
      if (message.type !== 'message') return;
      expect(message.id).toMatch(/^msg_/);
      expect(message.role).toBe('assistant');
      expect(message.status).toBe('completed');
      expect(response.usage).toMatchObject({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
      expect(response.usage?.input_tokens_details.cached_tokens).toBe(0);
      expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(0);
      expect(response.instructions).toBe('Be brief.');
      expect(response.previous_response_id).toBeNull();
      expect(response.error).toBeNull();
      expect(transcript(lastCall())).toEqual(['system: Be brief.', 'user: Say hello']);
    });

    it('create (stream): raw events in order with monotonic sequence numbers', async () => {
      queue.push({ text: 'Streaming works fine.', chunkSize: 4 });
      const stream = await client.responses.create({ model: 'gpt-5.4', input: 'Stream something', stream: true });
      const events: ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const types = events.map((event) => event.type);

      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
      expect(types[0]).toBe('response.created');
      expect(types[1]).toBe('response.in_progress');
      expect(types[types.length - 1]).toBe('response.completed');
      const order = ['response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'];
      const positions = order.map((type) => types.indexOf(type as ResponseStreamEvent['type']));
      expect(positions.every((position) => position > 0), `missing one of ${order.join(', ')} in ${types.join(', ')}`).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(types.lastIndexOf('response.output_text.delta')).toBeLessThan(types.indexOf('response.output_text.done'));

      const deltas = events.filter((event) => event.type === 'response.output_text.delta');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.map((event) => event.delta).join('')).toBe('Streaming works fine.');
      const created = events[0];
      const completed = events[events.length - 1];
      if (created.type !== 'response.created' || completed.type !== 'response.completed') throw new Error('unexpected bounds');
      expect(created.response.status).toBe('in_progress');
      expect(completed.response.id).toBe(created.response.id);
      expect(completed.response.status).toBe('completed');
      expect(completed.response.output).toHaveLength(1);
      expect(completed.response.usage?.total_tokens).toBeGreaterThan(0);
    });

    it('responses.stream() accumulator: reasoning, text and a function call', async () => {
      queue.push({ reasoning: 'The user wants the weather; call the tool.', text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
      const deltas: string[] = [];
      const stream = client.responses
        .stream({
          model: 'gpt-5.4',
          input: 'Weather in Paris?',
          reasoning: { effort: 'medium', summary: 'auto' },
          tools: [{ type: 'function', name: 'get_weather', description: 'Current weather', strict: true, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } }],
        })
        .on('response.output_text.delta', (event) => deltas.push(event.delta));
      const response = await stream.finalResponse();

      expect(response.status).toBe('completed');
      expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
      const [reasoning, , call] = response.output;
      if (reasoning.type !== 'reasoning' || call.type !== 'function_call') throw new Error('unexpected output');
      expect(reasoning.id).toMatch(/^rs_/);
      expect(reasoning.summary.map((part) => part.text).join('')).toBe('The user wants the weather; call the tool.');
      expect(response.output_text).toBe('Let me check.');
      expect(deltas.join('')).toBe('Let me check.');
      expect(call.name).toBe('get_weather');
      expect(call.call_id).toMatch(/^call_/);
      expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
      expect(call.status).toBe('completed');
      const request = lastCall();
      expect(request.tools).toEqual([expect.objectContaining({ kind: 'function', name: 'get_weather' })]);
      expect(request.reasoning?.effort).toBe('medium');
    });

    it('previous_response_id: a function_call_output follow-up sees the whole history', async () => {
      queue.push({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, callId: 'call_oslo_1' }] });
      const first = await client.responses.create({
        model: 'gpt-5.4',
        instructions: 'You are a weather bot.',
        input: 'Weather in Oslo?',
        tools: [{ type: 'function', name: 'get_weather', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      });
      const call = first.output.find((item) => item.type === 'function_call');
      expect(call).toMatchObject({ type: 'function_call', call_id: 'call_oslo_1', name: 'get_weather' });

      queue.push({ text: 'It is -3°C in Oslo.' });
      const second = await client.responses.create({
        model: 'gpt-5.4',
        previous_response_id: first.id,
        input: [{ type: 'function_call_output', call_id: 'call_oslo_1', output: '{"temp_c":-3}' }],
        tools: [{ type: 'function', name: 'get_weather', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      });
      expect(second.previous_response_id).toBe(first.id);
      expect(second.output_text).toBe('It is -3°C in Oslo.');
      // instructions are not carried over by previous_response_id
      expect(transcript(lastCall())).toEqual([
        'user: Weather in Oslo?',
        'assistant:  [function:get_weather({"city":"Oslo"})#call_oslo_1]',
        'tool#call_oslo_1: {"temp_c":-3}',
      ]);

      queue.push({ text: 'Still cold.' });
      const third = await client.responses.create({ model: 'gpt-5.4', previous_response_id: second.id, instructions: 'Answer in two words.', input: 'And now?' });
      expect(third.output_text).toBe('Still cold.');
      expect(transcript(lastCall())).toEqual([
        'system: Answer in two words.',
        'user: Weather in Oslo?',
        'assistant:  [function:get_weather({"city":"Oslo"})#call_oslo_1]',
        'tool#call_oslo_1: {"temp_c":-3}',
        'assistant: It is -3°C in Oslo.',
        'user: And now?',
      ]);
    });

    it('retrieve, inputItems.list and delete', async () => {
      queue.push({ text: 'Stored answer.' });
      const created = await client.responses.create({ model: 'gpt-5.4', input: [{ role: 'user', content: 'Remember this.' }], metadata: { purpose: 'retrieve-test' } });

      const retrieved = await client.responses.retrieve(created.id);
      expect(retrieved.id).toBe(created.id);
      expect(retrieved.status).toBe('completed');
      expect(retrieved.output_text).toBe('Stored answer.');
      expect(retrieved.metadata).toEqual({ purpose: 'retrieve-test' });
      expect(retrieved.output).toEqual(created.output);

      const page = await client.responses.inputItems.list(created.id);
      expect(page.data).toHaveLength(1);
      const item = page.data[0];
      expect(item).toMatchObject({ type: 'message', role: 'user' });
      if (item.type !== 'message') throw new Error('unexpected item');
      expect(item.id).toMatch(/^msg_/);
      expect(item.content).toEqual([expect.objectContaining({ type: 'input_text', text: 'Remember this.' })]);

      await client.responses.delete(created.id);
      await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('inputItems.list pages with limit/after and honours order', async () => {
      queue.push({ text: 'ok' });
      const created = await client.responses.create({
        model: 'gpt-5.4',
        input: [
          { role: 'user', content: 'one' },
          { role: 'assistant', content: 'two' },
          { role: 'user', content: 'three' },
        ],
      });
      const asc = await client.responses.inputItems.list(created.id, { order: 'asc' });
      const texts = (items: typeof asc.data) => items.map((item) => (item.type === 'message' ? item.content.map((part) => ('text' in part ? part.text : '')).join('') : item.type));
      expect(texts(asc.data)).toEqual(['one', 'two', 'three']);
      const desc = await client.responses.inputItems.list(created.id, { order: 'desc' });
      expect(texts(desc.data)).toEqual(['three', 'two', 'one']);
      const firstPage = await client.responses.inputItems.list(created.id, { order: 'asc', limit: 2 });
      expect(texts(firstPage.data)).toEqual(['one', 'two']);
      expect(firstPage.has_more).toBe(true);
      const collected: string[] = [];
      for await (const item of client.responses.inputItems.list(created.id, { order: 'asc', limit: 1 })) collected.push(...texts([item]));
      expect(collected).toEqual(['one', 'two', 'three']);
    });
  });

  describe('conversations', () => {
    it('create, retrieve, update, items.create/list/retrieve/delete, responses.create({conversation}), delete', async () => {
      const conversation = await client.conversations.create({
        metadata: { topic: 'demo' },
        items: [{ type: 'message', role: 'user', content: 'My name is Ada.' }],
      });
      expect(conversation.object).toBe('conversation');
      expect(conversation.id).toMatch(/^conv_/);
      expect(conversation.metadata).toEqual({ topic: 'demo' });

      const retrieved = await client.conversations.retrieve(conversation.id);
      expect(retrieved.id).toBe(conversation.id);
      const updated = await client.conversations.update(conversation.id, { metadata: { topic: 'names' } });
      expect(updated.metadata).toEqual({ topic: 'names' });

      const added = await client.conversations.items.create(conversation.id, {
        items: [{ type: 'message', role: 'assistant', content: 'Nice to meet you, Ada.' }],
      });
      expect(added.data).toHaveLength(1);
      const addedId = added.data[0].id ?? '';
      expect(addedId).toMatch(/^msg_/);

      const listed = await client.conversations.items.list(conversation.id, { order: 'asc' });
      expect(listed.data.map((item) => item.type)).toEqual(['message', 'message']);
      const one = await client.conversations.items.retrieve(addedId, { conversation_id: conversation.id });
      expect(one).toMatchObject({ id: addedId, type: 'message', role: 'assistant' });

      queue.push({ text: 'Your name is Ada.' });
      const response = await client.responses.create({ model: 'gpt-5.4', conversation: conversation.id, input: 'What is my name?' });
      expect(response.output_text).toBe('Your name is Ada.');
      expect(response.conversation?.id).toBe(conversation.id);
      expect(transcript(lastCall())).toEqual(['user: My name is Ada.', 'assistant: Nice to meet you, Ada.', 'user: What is my name?']);

      const after = await client.conversations.items.list(conversation.id, { order: 'asc' });
      expect(after.data).toHaveLength(4);
      expect(after.data[3]).toMatchObject({ type: 'message', role: 'assistant', id: response.output[0].id });

      const deletedItem = await client.conversations.items.delete(addedId, { conversation_id: conversation.id });
      expect(deletedItem.id).toBe(conversation.id);
      const remaining = await client.conversations.items.list(conversation.id, { order: 'asc' });
      expect(remaining.data.map((item) => item.id)).not.toContain(addedId);
      expect(remaining.data).toHaveLength(3);
      await expect(client.conversations.items.retrieve(addedId, { conversation_id: conversation.id })).rejects.toBeInstanceOf(NotFoundError);

      // The conversation (now without the deleted item) is what the next turn sees.
      queue.push({ text: 'Ada.' });
      await client.responses.create({ model: 'gpt-5.4', conversation: { id: conversation.id }, input: 'Again?' });
      expect(transcript(lastCall())).toEqual(['user: My name is Ada.', 'user: What is my name?', 'assistant: Your name is Ada.', 'user: Again?']);

      const deleted = await client.conversations.delete(conversation.id);
      expect(deleted).toMatchObject({ id: conversation.id, object: 'conversation.deleted', deleted: true });
      await expect(client.conversations.retrieve(conversation.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('chat completions', () => {
    const weatherTool = {
      type: 'function' as const,
      function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    };

    it('non-stream text', async () => {
      queue.push({ text: 'Bonjour!', usage: { inputTokens: 9, outputTokens: 2 } });
      const completion = await client.chat.completions.create({
        model: 'gpt-5.4',
        messages: [
          { role: 'system', content: 'Answer in French.' },
          { role: 'user', content: 'Say hello' },
        ],
      });
      expect(completion.object).toBe('chat.completion');
      expect(completion.id).toMatch(/^chatcmpl-?/);
      expect(completion.model).toBe('gpt-5.4');
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: 'Bonjour!' });
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
      expect(transcript(lastCall())).toEqual(['system: Answer in French.', 'user: Say hello']);
    });

    it('stream text with usage chunk', async () => {
      queue.push({ text: 'A streamed chat answer.', chunkSize: 5 });
      const stream = await client.chat.completions.create({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'Stream please' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      const finishReasons: string[] = [];
      let usageChunks = 0;
      for await (const chunk of stream) {
        expect(chunk.object).toBe('chat.completion.chunk');
        for (const choice of chunk.choices) {
          text += choice.delta.content ?? '';
          if (choice.finish_reason) finishReasons.push(choice.finish_reason);
        }
        if (chunk.usage) usageChunks += 1;
      }
      expect(text).toBe('A streamed chat answer.');
      expect(finishReasons).toEqual(['stop']);
      expect(usageChunks).toBe(1);
    });

    it('non-stream tool call, then the tool result', async () => {
      queue.push({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' }, callId: 'call_rome' }] });
      const completion = await client.chat.completions.create({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'Weather in Rome?' }], tools: [weatherTool] });
      const choice = completion.choices[0];
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.tool_calls).toHaveLength(1);
      const call = choice.message.tool_calls![0];
      if (call.type !== 'function') throw new Error('expected a function tool call');
      expect(call.id).toBe('call_rome');
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Rome' });
      expect(lastCall().tools).toEqual([expect.objectContaining({ kind: 'function', name: 'get_weather' })]);

      queue.push({ text: 'Sunny in Rome.' });
      const answer = await client.chat.completions.create({
        model: 'gpt-5.4',
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'Weather in Rome?' }, choice.message, { role: 'tool', tool_call_id: 'call_rome', content: 'sunny, 25C' }],
      });
      expect(answer.choices[0].message.content).toBe('Sunny in Rome.');
      expect(transcript(lastCall())).toEqual(['user: Weather in Rome?', 'assistant:  [function:get_weather({"city":"Rome"})#call_rome]', 'tool#call_rome: sunny, 25C']);
    });

    it('stream tool call deltas accumulate to the arguments', async () => {
      queue.push({ text: 'Checking.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }], chunkSize: 3 });
      const stream = await client.chat.completions.create({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'Weather in Lisbon?' }], tools: [weatherTool], stream: true });
      let content = '';
      const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
      let finish: string | null = null;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (!choice) continue;
        content += choice.delta.content ?? '';
        for (const delta of choice.delta.tool_calls ?? []) {
          const call = calls.get(delta.index) ?? { arguments: '' };
          if (delta.id) call.id = delta.id;
          if (delta.function?.name) call.name = delta.function.name;
          call.arguments += delta.function?.arguments ?? '';
          calls.set(delta.index, call);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      expect(content).toBe('Checking.');
      expect(finish).toBe('tool_calls');
      expect(calls.size).toBe(1);
      const call = calls.get(0)!;
      expect(call.id).toMatch(/^call_/);
      expect(call.name).toBe('get_weather');
      expect(JSON.parse(call.arguments)).toEqual({ city: 'Lisbon' });
    });

    it('chat.completions.stream() helper: finalChatCompletion', async () => {
      queue.push({ text: 'Helper works.' });
      const runner = client.chat.completions.stream({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'hi' }] });
      const final = await runner.finalChatCompletion();
      expect(final.choices[0].message.content).toBe('Helper works.');
      expect(final.choices[0].finish_reason).toBe('stop');
    });
  });

  describe('models', () => {
    it('models.list includes the served models; retrieve one', async () => {
      const ids: string[] = [];
      for await (const model of client.models.list()) {
        expect(model.object).toBe('model');
        ids.push(model.id);
      }
      expect(ids).toEqual(expect.arrayContaining(['gpt-5.4', 'gpt-5.4-mini']));
      const model = await client.models.retrieve('gpt-5.4');
      expect(model.id).toBe('gpt-5.4');
    });
  });

  describe('errors', () => {
    it('unknown previous_response_id → 400/404 naming the parameter, no model call', async () => {
      const callsBefore = server.backend.calls.length;
      const error = await client.responses.create({ model: 'gpt-5.4', previous_response_id: 'resp_doesnotexist', input: 'hi' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(APIError);
      const apiError = error as APIError;
      expect([400, 404]).toContain(apiError.status);
      expect(apiError.param).toBe('previous_response_id');
      expect(apiError.type).toBe('invalid_request_error');
      expect(apiError.message).toContain('resp_doesnotexist');
      expect(server.backend.calls.length).toBe(callsBefore);
    });

    it('retrieve of an unknown response → NotFoundError', async () => {
      await expect(client.responses.retrieve('resp_nope')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('unknown conversation → 404 naming the parameter', async () => {
      const error = (await client.responses.create({ model: 'gpt-5.4', conversation: 'conv_nope', input: 'hi' }).catch((caught: unknown) => caught)) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect([400, 404]).toContain(error.status);
      expect(error.param).toBe('conversation');
    });

    it('previous_response_id together with conversation → 400', async () => {
      const error = (await client.responses.create({ model: 'gpt-5.4', conversation: 'conv_x', previous_response_id: 'resp_x', input: 'hi' }).catch((caught: unknown) => caught)) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(400);
    });

    it('missing model → 400 with param model', async () => {
      const error = (await client.responses.create({ input: 'hi' } as never).catch((caught: unknown) => caught)) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(400);
      expect(error.param).toBe('model');
    });

    it('a backend 429 reaches the SDK as a 429', async () => {
      queue.push({ error: { status: 429, message: 'Upstream rate limit', retryAfter: '1' } });
      const error = (await client.responses.create({ model: 'gpt-5.4', input: 'hi' }).catch((caught: unknown) => caught)) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(429);
      expect(error.message).toContain('Upstream rate limit');
    });

    it('a backend failure mid-stream ends the stream with response.failed', async () => {
      queue.push({ text: 'partial', error: { status: 500, message: 'backend exploded' } });
      const stream = await client.responses.create({ model: 'gpt-5.4', input: 'hi', stream: true });
      const types: string[] = [];
      let failure: unknown = null;
      try {
        for await (const event of stream) {
          types.push(event.type);
          if (event.type === 'response.failed') expect(event.response.error?.message).toContain('backend exploded');
        }
      } catch (caught) {
        failure = caught;
      }
      // The SDK throws on an `error` event; otherwise the stream ends with response.failed.
      expect(failure instanceof APIError || types[types.length - 1] === 'response.failed', `events: ${types.join(', ')}; thrown: ${String(failure)}`).toBe(true);
      expect(types).not.toContain('response.completed');
    });
  });
});

describe('openai SDK against Kestrel with API keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ script: [{ text: 'authorised' }], apiKeys: ['sk-kestrel-right'] });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a wrong key → AuthenticationError, the right key works', async () => {
    const wrong = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(wrong.responses.create({ model: 'gpt-5.4', input: 'hi' })).rejects.toBeInstanceOf(AuthenticationError);
    await expect(wrong.models.list()).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.backend.calls).toHaveLength(0);
    const right = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-kestrel-right', maxRetries: 0 });
    const response = await right.responses.create({ model: 'gpt-5.4', input: 'hi' });
    expect(response.output_text).toBe('authorised');
  });
});
