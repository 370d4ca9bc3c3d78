import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelFunctionTool, ModelMessage, ModelRequest } from '../../../backends/types.js';
import { startTestServer, type TestServer } from '../../../test-support/server.js';

/** A real 800×600 PNG header is all the engine reads; the rest of the bytes do not matter to it. */
function pngDataUrl(width: number, height: number): string {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return `data:image/png;base64,${header.toString('base64')}`;
}

const SCREEN = pngDataUrl(800, 600);
const task = (text: string) => [{ role: 'user' as const, content: [{ type: 'input_text' as const, text }, { type: 'input_image' as const, image_url: SCREEN, detail: 'original' as const }] }];
const toolMessages = (request: ModelRequest) => request.messages.filter((message): message is Extract<ModelMessage, { role: 'tool' }> => message.role === 'tool');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('computer tool, client-executed', () => {
  it('ends the response with a computer_call and continues from the computer_call_output', async () => {
    server = await startTestServer({
      script: (_request, index) =>
        index === 0
          ? { text: 'Clicking the field.', toolCalls: [{ name: 'computer', arguments: { actions: [{ type: 'click', x: 120, y: 80 }, { type: 'type', text: 'hello' }, { type: 'keypress', keys: ['ENTER'] }] } }] }
          : { text: 'Done: the form is sent.' },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const first = await client.responses.create({ model: 'scripted', tools: [{ type: 'computer' }], input: task('Fill the form') });
    const call = first.output.find((item) => item.type === 'computer_call');
    expect(call).toMatchObject({
      type: 'computer_call',
      status: 'completed',
      pending_safety_checks: [],
      actions: [{ type: 'click', x: 120, y: 80, button: 'left' }, { type: 'type', text: 'hello' }, { type: 'keypress', keys: ['ENTER'] }],
      action: { type: 'click', x: 120, y: 80, button: 'left' },
    });
    expect(call?.id).toMatch(/^cu_/);
    const offered = server.backend.calls[0].tools[0] as ModelFunctionTool;
    expect(offered).toMatchObject({ kind: 'function', name: 'computer', native: { type: 'computer', display: { width: 800, height: 600 }, environment: 'browser' } });
    expect(offered.description).toContain('pixels of the 800×600 screenshot');

    const second = await client.responses.create({
      model: 'scripted',
      tools: [{ type: 'computer' }],
      previous_response_id: first.id,
      input: [{ type: 'computer_call_output', call_id: call!.call_id, output: { type: 'computer_screenshot', image_url: SCREEN }, current_url: 'https://example.com/form' } as never],
    });
    expect(second.output_text).toBe('Done: the form is sent.');
    const replayed = server.backend.calls[1];
    expect(replayed.messages.at(-2)).toMatchObject({ role: 'assistant', toolCalls: [{ name: 'computer', callId: call!.call_id }] });
    expect(toolMessages(replayed).at(-1)).toMatchObject({
      callId: call!.call_id,
      content: [{ type: 'text', text: 'URL: https://example.com/form' }, { type: 'image', url: SCREEN, detail: 'original' }],
    });
  });

  it('refuses coordinates outside the screenshot with a tool error the model sees, never sending them', async () => {
    server = await startTestServer({
      script: (request, index) =>
        index === 0
          ? { toolCalls: [{ name: 'computer', arguments: { actions: [{ type: 'click', x: 900, y: 40 }] } }] }
          : { toolCalls: [{ name: 'computer', arguments: { actions: [{ type: 'click', x: 700, y: 40 }] } }], text: JSON.stringify(toolMessages(request).at(-1)?.content) },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const response = await client.responses.create({ model: 'scripted', tools: [{ type: 'computer' }], input: task('Click') });
    const calls = response.output.filter((item) => item.type === 'computer_call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ actions: [{ type: 'click', x: 700, y: 40 }] });
    expect(toolMessages(server.backend.calls[1])[0].content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('outside the 800×600 screenshot') });
  });

  it('maps a grid model to screenshot pixels, and refuses text-only models', async () => {
    server = await startTestServer({
      script: [{ toolCalls: [{ name: 'computer', arguments: { actions: [{ type: 'click', x: 500, y: 500 }, { type: 'drag', path: [{ x: 0, y: 0 }, { x: 1000, y: 1000 }] }] } }] }],
      config: {
        models: {
          'grid-model': { backend: 'scripted', computer: { grid: { width: 1000, height: 1000 } } },
          'text-model': { backend: 'scripted', capabilities: { vision: false } },
        },
      },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const response = await client.responses.create({ model: 'grid-model', tools: [{ type: 'computer' }], input: task('Click the middle') });
    expect(response.output.find((item) => item.type === 'computer_call')).toMatchObject({
      actions: [{ type: 'click', x: 400, y: 300 }, { type: 'drag', path: [{ x: 0, y: 0 }, { x: 799, y: 599 }] }],
    });
    const tool = server.backend.calls[0].tools[0] as ModelFunctionTool;
    expect(tool.native).toBeUndefined();
    expect(tool.description).toContain('1000×1000 grid');

    const refused = await client.responses.create({ model: 'text-model', tools: [{ type: 'computer' }], input: 'Click' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('does not accept images');
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools[0].type');
  });

  it('refuses a computer_call_output that leaves a safety check unacknowledged (OpenAI-style 400)', async () => {
    server = await startTestServer({
      script: (_request, index) =>
        index === 0
          ? { toolCalls: [{ name: 'computer', arguments: { actions: [{ type: 'click', x: 10, y: 10 }], pending_safety_checks: [{ id: 'cu_sc_1', code: 'malicious_instructions', message: 'Odd page.' }] } }] }
          : { text: 'ok' },
    });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const first = await client.responses.create({ model: 'scripted', tools: [{ type: 'computer' }], input: task('Go') });
    const call = first.output.find((item) => item.type === 'computer_call')!;
    expect(call.pending_safety_checks).toEqual([{ id: 'cu_sc_1', code: 'malicious_instructions', message: 'Odd page.' }]);
    const output = { type: 'computer_call_output', call_id: call.call_id, output: { type: 'computer_screenshot', image_url: SCREEN } } as const;
    const refused = await client.responses.create({ model: 'scripted', tools: [{ type: 'computer' }], previous_response_id: first.id, input: [output] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    const error = refused as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.message).toContain("Computer tool has unacknowledged safety check for ['cu_sc_1']");
    expect(error.param).toBe('input[0].acknowledged_safety_checks');
    expect(server.backend.calls).toHaveLength(1);
    const accepted = await client.responses.create({
      model: 'scripted',
      tools: [{ type: 'computer' }],
      previous_response_id: first.id,
      input: [{ ...output, acknowledged_safety_checks: [{ id: 'cu_sc_1', code: 'malicious_instructions', message: 'Odd page.' }] }],
    });
    expect(accepted.output_text).toBe('ok');
  });

  it('keeps only the latest screenshots in the model call, pruned in chunks, and reports the saving', async () => {
    server = await startTestServer({ script: [{ text: 'seen' }] });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const input: unknown[] = [...task('Look')];
    for (let i = 0; i < 7; i++) {
      input.push({ type: 'computer_call', id: `cu_${i}`, call_id: `call_${i}`, status: 'completed', actions: [{ type: 'screenshot' }], pending_safety_checks: [] });
      input.push({ type: 'computer_call_output', call_id: `call_${i}`, output: { type: 'computer_screenshot', image_url: SCREEN } });
    }
    const response = await client.responses.create({ model: 'scripted', tools: [{ type: 'computer' }], input: input as never, store: false });
    const sent = server.backend.calls[0].messages;
    const images = toolMessages(server.backend.calls[0]).filter((message) => message.content.some((part) => part.type === 'image'));
    // 7 screenshots, keep 3, chunks of 3: the 3 oldest go, 4 stay (the user's own image is not a computer screenshot).
    expect(images.map((message) => message.callId)).toEqual(['call_3', 'call_4', 'call_5', 'call_6']);
    expect(sent[0]).toMatchObject({ role: 'user', content: [{ type: 'text' }, { type: 'image' }] });
    expect(response.usage).toMatchObject({ computer_details: { screenshots_pruned: 3, input_tokens_saved: 3 * 640 } });
  });

  it('leaves computer history out of the model view when the request offers no computer tool', async () => {
    server = await startTestServer({ script: [{ text: 'plain' }] });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    const input = [
      ...task('Earlier'),
      { type: 'computer_call', id: 'cu_1', call_id: 'call_1', status: 'completed', actions: [{ type: 'screenshot' }], pending_safety_checks: [] },
      { type: 'computer_call_output', call_id: 'call_1', output: { type: 'computer_screenshot', image_url: SCREEN } },
      { role: 'user', content: 'Now just answer.' },
    ];
    const response = await client.responses.create({ model: 'scripted', input: input as never, store: false });
    expect(response.output_text).toBe('plain');
    expect(toolMessages(server.backend.calls[0])).toEqual([]);
    expect(server.backend.calls[0].tools).toEqual([]);
  });

  it('accepts tool_choice computer and the preview tool with its display', async () => {
    server = await startTestServer({ script: [{ toolCalls: [{ name: 'computer', arguments: { actions: [{ type: 'screenshot' }] } }] }] });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
    await client.responses.create({ model: 'scripted', tools: [{ type: 'computer' }], tool_choice: { type: 'computer' } as never, input: task('Look') });
    expect(server.backend.calls[0].toolChoice).toEqual({ name: 'computer' });
    const preview = await client.responses.create({
      model: 'scripted',
      tools: [{ type: 'computer_use_preview', display_width: 1280, display_height: 800, environment: 'ubuntu' }],
      input: 'Look',
    });
    expect(preview.output.find((item) => item.type === 'computer_call')).toMatchObject({ action: { type: 'screenshot' } });
    expect((server.backend.calls[1].tools[0] as ModelFunctionTool).native).toEqual({ type: 'computer', display: { width: 1280, height: 800 }, environment: 'linux' });
    const bad = await client.responses.create({ model: 'scripted', tools: [{ type: 'computer_use_preview', environment: 'ubuntu' } as never], input: 'x' }).catch((error: unknown) => error);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
  });
});
