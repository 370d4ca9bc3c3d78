import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/server.js';
import { postRaw } from '../../test-support/sse.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('request semantics reach the model', () => {
  it('forwards sampling, verbosity, effort, format, images and text files', async () => {
    server = await startTestServer({ script: [{ text: '{"ok":true}' }] });
    const fileData = `data:text/plain;base64,${Buffer.from('line one\nline two').toString('base64')}`;
    const res = await postRaw(`${server.baseURL}/responses`, {
      model: 'm',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: PNG, detail: 'high' }, { type: 'input_file', filename: 'notes.txt', file_data: fileData }] }],
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 256,
      parallel_tool_calls: false,
      text: { verbosity: 'low', format: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }, strict: true } },
      reasoning: { effort: 'medium' },
    });
    expect(res.status).toBe(200);
    const call = server.backend.calls[0];
    expect(call).toMatchObject({ temperature: 0.2, topP: 0.9, maxOutputTokens: 256, parallelToolCalls: false, verbosity: 'low', reasoning: { effort: 'medium' } });
    expect(call.responseFormat).toMatchObject({ type: 'json_schema', name: 'answer', strict: true });
    expect(call.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image', url: PNG, detail: 'high' },
        { type: 'file', filename: 'notes.txt', text: 'line one\nline two' },
      ],
    });
    const body = JSON.parse(res.text);
    expect(body.text).toMatchObject({ verbosity: 'low', format: { type: 'json_schema', name: 'answer' } });
    expect(body.temperature).toBe(0.2);
  });

  it('refuses binary files, file ids and images for text-only models', async () => {
    server = await startTestServer({
      script: [{ text: 'x' }],
      config: { models: { blind: { backend: 'scripted', model: 'blind', capabilities: { vision: false } } } },
    });
    const pdf = `data:application/pdf;base64,${Buffer.from('%PDF-1.4 binary').toString('base64')}`;
    const cases: [unknown, string][] = [
      [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', filename: 'a.pdf', file_data: pdf }] }] }, 'input[0].content[0].file_data'],
      [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file_1' }] }] }, 'input[0].content[0].file_id'],
      [{ model: 'blind', input: [{ role: 'user', content: [{ type: 'input_image', image_url: PNG }] }] }, 'input[0].content[0]'],
      [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'ftp://x' }] }] }, 'input[0].content[0].image_url'],
    ];
    for (const [body, param] of cases) {
      const res = await postRaw(`${server.baseURL}/responses`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(res.text).error.param).toBe(param);
    }
    expect(server.backend.calls).toHaveLength(0);
  });

  it('maps tool_choice forms and allowed_tools', async () => {
    server = await startTestServer({ script: [{ text: 'x' }] });
    const tools = [
      { type: 'function', name: 'a', parameters: { type: 'object', properties: {} } },
      { type: 'function', name: 'b' },
      { type: 'custom', name: 'c' },
      { type: 'web_search' },
    ];
    const choices = [
      ['none', 'none', 3],
      ['required', 'required', 3],
      [{ type: 'function', name: 'b' }, { name: 'b' }, 3],
      [{ type: 'custom', name: 'c' }, { name: 'c' }, 3],
      [{ type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }, { type: 'custom', name: 'c' }] }, 'required', 2],
    ] as const;
    for (const [choice, expected, count] of choices) {
      const before = server.backend.calls.length;
      const res = await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'x', tools, tool_choice: choice });
      expect(res.status, JSON.stringify(choice)).toBe(200);
      const call = server.backend.calls[before];
      expect(call.toolChoice).toEqual(expected);
      expect(call.tools.length).toBe(count);
      expect(JSON.parse(res.text).tool_choice).toEqual(choice);
    }
    const wrongKind = await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'x', tools, tool_choice: { type: 'function', name: 'c' } });
    expect(wrongKind.status).toBe(400);
    const hosted = await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'x', tools, tool_choice: { type: 'file_search' } });
    expect(hosted.status).toBe(400);
    expect(JSON.parse(hosted.text).error.param).toBe('tool_choice.type');
  });

  it('round-trips function calls, namespaces and outputs', async () => {
    server = await startTestServer({ script: [{ toolCalls: [{ name: 'crm__get_customer', arguments: { id: '42' }, callId: 'call_ns' }] }, { text: 'Customer 42 is Ada.' }] });
    const tools = [{ type: 'namespace', name: 'crm', description: 'CRM', tools: [{ type: 'function', name: 'get_customer', parameters: { type: 'object', properties: { id: { type: 'string' } } } }] }];
    const first = JSON.parse((await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'who is 42?', tools })).text);
    expect(first.output[0]).toMatchObject({ type: 'function_call', namespace: 'crm', name: 'get_customer', call_id: 'call_ns', arguments: '{"id":"42"}' });
    const second = JSON.parse((await postRaw(`${server.baseURL}/responses`, { model: 'm', previous_response_id: first.id, tools, input: [{ type: 'function_call_output', call_id: 'call_ns', output: '{"name":"Ada"}' }] })).text);
    expect(second.output[0].content[0].text).toBe('Customer 42 is Ada.');
    const messages = server.backend.calls[1].messages;
    expect(messages.at(-2)).toMatchObject({ role: 'assistant', toolCalls: [{ callId: 'call_ns', name: 'crm__get_customer', kind: 'function' }] });
    expect(messages.at(-1)).toEqual({ role: 'tool', callId: 'call_ns', content: [{ type: 'text', text: '{"name":"Ada"}' }], kind: 'function' });
  });

  it('validates JSON output when the backend cannot constrain it, and asks for a repair', async () => {
    server = await startTestServer({
      script: [{ text: 'Sure! {"n": "three"}' }, { text: '{"n": 3}' }],
      config: { models: { loose: { backend: 'scripted', model: 'loose', capabilities: { structuredOutputs: false } } } },
    });
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };
    const body = JSON.parse((await postRaw(`${server.baseURL}/responses`, { model: 'loose', input: 'count', text: { format: { type: 'json_schema', name: 'count', schema } } })).text);
    expect(body.status).toBe('completed');
    expect(body.output).toHaveLength(1);
    expect(JSON.parse(body.output[0].content[0].text)).toEqual({ n: 3 });
    expect(server.backend.calls).toHaveLength(2);
    expect(JSON.stringify(server.backend.calls[1].messages.at(-1))).toMatch(/JSON schema/);
  });

  it('merges instructions and leading system messages, keeps later developer messages', async () => {
    server = await startTestServer({ script: [{ text: 'x' }] });
    await postRaw(`${server.baseURL}/responses`, {
      model: 'm',
      instructions: 'Rule one.',
      input: [{ role: 'developer', content: 'Rule two.' }, { role: 'user', content: 'hi' }, { role: 'developer', content: 'Late rule.' }],
    });
    const messages = server.backend.calls[0].messages;
    expect(messages[0]).toEqual({ role: 'system', content: 'Rule one.\n\nRule two.' });
    expect(messages[2]).toEqual({ role: 'user', content: [{ type: 'text', text: '[developer message]\nLate rule.' }] });
  });
});
