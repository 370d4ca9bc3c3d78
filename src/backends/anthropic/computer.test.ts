import { afterAll, describe, expect, it } from 'vitest';
import { fixturesIn, startFakeUpstream } from '../../test-support/fake-upstream.js';
import { collectEvents, modelRequest } from '../../test-support/model-request.js';
import type { ModelFunctionTool } from '../types.js';
import { fromAnthropicAction, toAnthropicAction } from './computer.js';
import { createAnthropicBackend } from './index.js';
import { toAnthropicRequest } from './request.js';

const fixture = fixturesIn(new URL('./__fixtures__/', import.meta.url));
const server = await startFakeUpstream();
afterAll(() => server.close());

const SHOT = 'data:image/png;base64,iVBORw0KGgo=';
const computerTool: ModelFunctionTool = {
  kind: 'function',
  name: 'computer',
  parameters: { type: 'object', properties: { actions: { type: 'array' } } },
  native: { type: 'computer', display: { width: 1280, height: 800 }, environment: 'browser' },
};

describe('anthropic: native computer use', () => {
  it('offers computer_20251124 and splits a batched call into one tool_use per action', () => {
    const body = toAnthropicRequest(
      modelRequest({
        model: 'claude-sonnet-4-6',
        tools: [computerTool],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Search' }] },
          { role: 'assistant', content: '', toolCalls: [{ callId: 'call_1', name: 'computer', kind: 'function', arguments: JSON.stringify({ actions: [{ type: 'click', x: 5, y: 6, keys: ['SHIFT'] }, { type: 'type', text: 'kestrel' }] }) }] },
          { role: 'tool', callId: 'call_1', kind: 'function', content: [{ type: 'image', url: SHOT }] },
        ],
      }),
    );
    expect(body.tools).toEqual([{ type: 'computer_20251124', name: 'computer', display_width_px: 1280, display_height_px: 800 }]);
    expect(body.messages[1].content).toEqual([
      { type: 'tool_use', id: 'call_1_0', name: 'computer', input: { action: 'left_click', coordinate: [5, 6], text: 'Shift_L' } },
      { type: 'tool_use', id: 'call_1', name: 'computer', input: { action: 'type', text: 'kestrel' } },
    ]);
    expect(body.messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: 'call_1_0', content: [{ type: 'text', text: 'Done.' }] },
      { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
    ]);
    expect(toAnthropicRequest(modelRequest({ model: 'claude-sonnet-4-5', tools: [computerTool] })).tools?.[0]).toMatchObject({ type: 'computer_20250124' });
    expect(toAnthropicRequest(modelRequest({ model: 'claude-3-5-haiku', tools: [computerTool] })).tools?.[0]).toMatchObject({ name: 'computer', input_schema: computerTool.parameters });
  });

  it('maps Anthropic actions to batched actions and back', () => {
    expect(fromAnthropicAction({ action: 'left_click_drag', start_coordinate: [1, 2], coordinate: [30, 40] })).toEqual([{ type: 'drag', path: [{ x: 1, y: 2 }, { x: 30, y: 40 }] }]);
    expect(fromAnthropicAction({ action: 'scroll', coordinate: [10, 10], scroll_direction: 'down', scroll_amount: 5 })).toEqual([{ type: 'scroll', x: 10, y: 10, scroll_x: 0, scroll_y: 500 }]);
    expect(fromAnthropicAction({ action: 'key', text: 'ctrl+l' })).toEqual([{ type: 'keypress', keys: ['ctrl', 'l'] }]);
    expect(fromAnthropicAction({ action: 'wait', duration: 2 })).toEqual([{ type: 'wait', ms: 2000 }]);
    expect(fromAnthropicAction({ action: 'triple_click', coordinate: [3, 4] })).toHaveLength(2);
    expect(fromAnthropicAction({ action: 'left_mouse_down' })).toEqual([{ type: 'unsupported:left_mouse_down' }]);
    expect(toAnthropicAction({ type: 'keypress', keys: ['CTRL', 'ENTER'] })).toEqual({ action: 'key', text: 'Control_L+Return' });
    expect(toAnthropicAction({ type: 'scroll', x: 1, y: 2, scroll_x: 0, scroll_y: -300 })).toEqual({ action: 'scroll', coordinate: [1, 2], scroll_direction: 'up', scroll_amount: 3 });
    expect(toAnthropicAction({ type: 'drag', path: [{ x: 1, y: 1 }, { x: 5, y: 5 }, { x: 9, y: 9 }] })).toEqual({ action: 'left_click_drag', start_coordinate: [1, 1], coordinate: [9, 9] });
  });

  it('streams a computer tool_use as one computer call and sends the beta flag', async () => {
    server.reply({ sse: fixture('computer-use'), sliceBytes: 13 });
    const backend = createAnthropicBackend('anthropic', { type: 'anthropic', baseURL: server.origin, apiKey: 'sk-ant-test', headers: { 'anthropic-beta': 'other-beta' } });
    const events = await collectEvents(backend, modelRequest({ model: 'claude-sonnet-4-6', tools: [computerTool] }));
    expect(events).toEqual([
      { type: 'text-delta', text: "I'll click the search box." },
      { type: 'tool-call-start', index: 0, callId: 'toolu_01Cmp', name: 'computer', kind: 'function' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: JSON.stringify({ actions: [{ type: 'click', button: 'left', x: 412, y: 88, keys: ['shift'] }] }) },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 1520, outputTokens: 64, cachedInputTokens: 0 } },
    ]);
    expect(server.requests.at(-1)!.headers['anthropic-beta']).toBe('other-beta,computer-use-2025-11-24');
  });
});
