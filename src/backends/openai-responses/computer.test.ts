import { afterAll, describe, expect, it } from 'vitest';
import { fixturesIn, startFakeUpstream } from '../../test-support/fake-upstream.js';
import { collectEvents, modelRequest } from '../../test-support/model-request.js';
import type { ModelFunctionTool, ModelMessage } from '../types.js';
import { createOpenAIResponsesBackend } from './index.js';
import { toResponsesRequest } from './request.js';

const fixture = fixturesIn(new URL('./__fixtures__/', import.meta.url));
const server = await startFakeUpstream();
afterAll(() => server.close());

const SHOT = 'data:image/png;base64,iVBORw0KGgo=';
const computerTool: ModelFunctionTool = {
  kind: 'function',
  name: 'computer',
  description: 'Use the computer.',
  parameters: { type: 'object', properties: { actions: { type: 'array' } } },
  native: { type: 'computer', display: { width: 1024, height: 768 }, environment: 'browser' },
};
const history: ModelMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'Search for kestrel' }] },
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ callId: 'call_1', name: 'computer', kind: 'function', arguments: JSON.stringify({ actions: [{ type: 'click', x: 1, y: 2 }, { type: 'type', text: 'k' }] }) }],
  },
  { role: 'tool', callId: 'call_1', kind: 'function', content: [{ type: 'text', text: 'URL: https://example.com/' }, { type: 'image', url: SHOT, detail: 'original' }] },
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ callId: 'call_2', name: 'computer', kind: 'function', arguments: JSON.stringify({ actions: [{ type: 'screenshot' }], pending_safety_checks: [{ id: 'cu_sc_1', code: 'irrelevant_domain' }], upstream_id: 'cu_up2' }) }],
  },
  { role: 'tool', callId: 'call_2', kind: 'function', content: [{ type: 'text', text: 'Error: x=5000 is outside the screenshot.' }] },
];

describe('openai-responses: native computer use', () => {
  it('sends the GA computer tool and replays computer calls and screenshots as computer items', () => {
    const body = toResponsesRequest(modelRequest({ model: 'gpt-5.4', tools: [computerTool], toolChoice: { name: 'computer' }, messages: history }));
    expect(body.tools).toEqual([{ type: 'computer' }]);
    expect(body.tool_choice).toEqual({ type: 'computer' });
    expect(body.truncation).toBeUndefined();
    expect(body.input.slice(1)).toEqual([
      { type: 'computer_call', id: 'cu_call1', call_id: 'call_1', status: 'completed', actions: [{ type: 'click', x: 1, y: 2 }, { type: 'type', text: 'k' }], action: { type: 'click', x: 1, y: 2 } },
      { type: 'computer_call_output', call_id: 'call_1', output: { type: 'computer_screenshot', image_url: SHOT } },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'URL: https://example.com/' }] },
      {
        type: 'computer_call',
        id: 'cu_up2',
        call_id: 'call_2',
        status: 'completed',
        actions: [{ type: 'screenshot' }],
        action: { type: 'screenshot' },
        pending_safety_checks: [{ id: 'cu_sc_1', code: 'irrelevant_domain' }],
      },
      // Kestrel continued past the call, so its checks were acknowledged; without a new screenshot the last one stands in.
      { type: 'computer_call_output', call_id: 'call_2', output: { type: 'computer_screenshot', image_url: SHOT }, acknowledged_safety_checks: [{ id: 'cu_sc_1', code: 'irrelevant_domain' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Error: x=5000 is outside the screenshot.' }] },
    ]);
  });

  it('uses the preview tool for computer-use-preview and the plain function for other models', () => {
    const preview = toResponsesRequest(modelRequest({ model: 'computer-use-preview-2025-03-11', tools: [computerTool], messages: history.slice(0, 3) }));
    expect(preview.tools).toEqual([{ type: 'computer_use_preview', display_width: 1024, display_height: 768, environment: 'browser' }]);
    expect(preview.truncation).toBe('auto');
    expect(preview.input[1]).toEqual({ type: 'computer_call', id: 'cu_call1', call_id: 'call_1', status: 'completed', action: { type: 'click', x: 1, y: 2 } });
    const plain = toResponsesRequest(modelRequest({ model: 'gpt-4.1', tools: [computerTool], messages: history.slice(0, 3) }));
    expect(plain.tools).toEqual([{ type: 'function', name: 'computer', description: 'Use the computer.', parameters: computerTool.parameters }]);
    expect(plain.input[1]).toMatchObject({ type: 'function_call', name: 'computer' });
  });

  it('turns a streamed computer_call into a computer function call with its actions and safety checks', async () => {
    server.reply({ sse: fixture('computer-call'), sliceBytes: 17 });
    const backend = createOpenAIResponsesBackend('openai', { type: 'openai-responses', baseURL: server.origin, apiKey: 'sk-test' });
    const events = await collectEvents(backend, modelRequest({ model: 'gpt-5.4', tools: [computerTool] }));
    expect(events.slice(0, 1)).toEqual([{ type: 'tool-call-start', index: 0, callId: 'call_Zq8', name: 'computer', kind: 'function' }]);
    const args = JSON.parse(events.flatMap((event) => (event.type === 'tool-call-delta' ? [event.argumentsDelta] : [])).join(''));
    expect(args).toEqual({
      actions: [{ type: 'click', button: 'left', x: 412, y: 88 }, { type: 'type', text: 'kestrel' }, { type: 'keypress', keys: ['ENTER'] }],
      pending_safety_checks: [{ id: 'cu_sc_9f', code: 'malicious_instructions', message: 'The page asks the agent to ignore its task.' }],
      upstream_id: 'cu_0a1b2c',
    });
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool_calls' });
    expect((server.requests.at(-1)!.body as { tools: unknown[] }).tools).toEqual([{ type: 'computer' }]);
  });
});
