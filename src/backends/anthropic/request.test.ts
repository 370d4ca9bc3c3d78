import { describe, expect, it } from 'vitest';
import { modelRequest } from '../../test-support/model-request.js';
import type { ModelRequest } from '../types.js';
import { reasoningStateOf, thinkingBlocksFrom } from './reasoning-state.js';
import { toAnthropicRequest } from './request.js';

const request = (overrides: Partial<ModelRequest> = {}) => modelRequest({ model: 'claude-opus-4-1', ...overrides });

const weather = { kind: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: {} } };

describe('toAnthropicRequest', () => {
  it.each([
    ['none', undefined, 8192],
    ['minimal', undefined, 8192],
    ['low', 1024, 8192],
    ['medium', 4096, 8192],
    ['high', 16_384, 24_576],
    ['xhigh', 32_768, 40_960],
    ['max', 32_768, 40_960],
  ] as const)('maps effort %s to a thinking budget of %s (max_tokens %s)', (effort, budget, maxTokens) => {
    const body = toAnthropicRequest(request({ reasoning: { effort } }));
    expect(body.thinking).toEqual(budget === undefined ? undefined : { type: 'enabled', budget_tokens: budget });
    expect(body.max_tokens).toBe(maxTokens);
  });

  it('takes the budget the engine chose for the effort; under 1024 tokens thinking is off', () => {
    expect(toAnthropicRequest(request({ reasoning: { effort: 'high', budgetTokens: 2000 } })).thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(toAnthropicRequest(request({ reasoning: { effort: 'minimal', budgetTokens: 512 } })).thinking).toBeUndefined();
    expect(toAnthropicRequest(request({ reasoning: { effort: 'none', budgetTokens: 0 } })).thinking).toBeUndefined();
    expect(toAnthropicRequest(request({ reasoning: { summary: 'auto', budgetTokens: 4096 } })).thinking).toBeUndefined();
  });

  it('uses the configured default max_tokens, and the request value over it', () => {
    expect(toAnthropicRequest(request(), { defaultMaxTokens: 4000 }).max_tokens).toBe(4000);
    expect(toAnthropicRequest(request({ maxOutputTokens: 300 }), { defaultMaxTokens: 4000 }).max_tokens).toBe(300);
  });

  it('maps tool choices and parallel tool calls', () => {
    const tools = [weather];
    expect(toAnthropicRequest(request({ tools, toolChoice: 'none' })).tool_choice).toEqual({ type: 'none' });
    expect(toAnthropicRequest(request({ tools, toolChoice: 'auto' })).tool_choice).toEqual({ type: 'auto' });
    expect(toAnthropicRequest(request({ tools, toolChoice: 'required', parallelToolCalls: false })).tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(toAnthropicRequest(request({ tools, toolChoice: { name: 'get_weather' } })).tool_choice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(toAnthropicRequest(request({ toolChoice: 'required' })).tool_choice).toBeUndefined();
  });

  it('drops thinking when a tool is forced, which Anthropic rejects', () => {
    const body = toAnthropicRequest(request({ tools: [weather], toolChoice: 'required', reasoning: { effort: 'high' } }));
    expect(body.thinking).toBeUndefined();
    expect(body.max_tokens).toBe(8192);
  });

  it('drops thinking when the last tool-use turn has no signed thinking to send back', () => {
    const messages: ModelRequest['messages'] = [
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      { role: 'assistant', content: '', reasoning: 'unsigned thoughts from another model', toolCalls: [{ callId: 'call_1', name: 'get_weather', arguments: '{}', kind: 'function' }] },
      { role: 'tool', callId: 'call_1', kind: 'function', content: [{ type: 'text', text: 'sunny' }] },
    ];
    const unsigned = toAnthropicRequest(request({ messages, tools: [weather], reasoning: { effort: 'low' } }));
    expect(unsigned.thinking).toBeUndefined();
    expect(unsigned.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} }] });

    messages[1] = { ...messages[1], reasoningState: { signature: 'sig', thinking: 'signed thoughts' } } as ModelRequest['messages'][number];
    const signed = toAnthropicRequest(request({ messages, tools: [weather], reasoning: { effort: 'low' } }));
    expect(signed.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(signed.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'signed thoughts', signature: 'sig' });
  });

  it('clamps temperature to Anthropic range and keeps top_p without thinking', () => {
    const body = toAnthropicRequest(request({ temperature: 1.6, topP: 0.5 }));
    expect(body.temperature).toBe(1);
    expect(body.top_p).toBe(0.5);
  });

  it('asks for JSON in the system prompt when a JSON response format is requested', () => {
    const body = toAnthropicRequest(
      request({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hi' }] }], responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { a: { type: 'number' } } } } }),
    );
    expect(body.system).toBe('Be brief.\n\nAnswer with one JSON object only, no prose and no code fences, matching the JSON Schema "answer":\n{"type":"object","properties":{"a":{"type":"number"}}}');
  });

  it('merges consecutive same-role turns and drops empty ones', () => {
    const body = toAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'one' }] },
          { role: 'user', content: [{ type: 'text', text: '' }] },
          { role: 'user', content: [{ type: 'text', text: 'two' }] },
          { role: 'assistant', content: '' },
          { role: 'assistant', content: 'three' },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'three' }] },
    ]);
  });

  it('re-encodes a non-base64 data URL image', () => {
    const body = toAnthropicRequest(request({ messages: [{ role: 'user', content: [{ type: 'image', url: 'data:image/svg+xml,%3Csvg%2F%3E' }] }] }));
    expect(body.messages[0].content[0]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/svg+xml', data: Buffer.from('<svg/>').toString('base64') } });
  });

  it('gives a parameterless function tool an object schema', () => {
    const body = toAnthropicRequest(request({ tools: [{ kind: 'function', name: 'now', parameters: {} }] }));
    expect(body.tools).toEqual([{ name: 'now', input_schema: { type: 'object', properties: {} } }]);
  });
});

describe('reasoning state', () => {
  it('round-trips several thinking blocks in order', () => {
    const blocks = [
      { type: 'thinking' as const, thinking: 'first', signature: 's1' },
      { type: 'redacted_thinking' as const, data: 'r1' },
      { type: 'thinking' as const, thinking: 'second', signature: 's2' },
    ];
    const state = reasoningStateOf(blocks);
    expect(state).toMatchObject({ signature: 's2', thinking: 'second', redactedThinking: 'r1' });
    expect(thinkingBlocksFrom(JSON.parse(JSON.stringify(state)), 'ignored')).toEqual(blocks);
  });

  it('uses the reasoning text when the state has a signature but no text, and nothing without a signature', () => {
    expect(thinkingBlocksFrom({ signature: 's' }, 'thought')).toEqual([{ type: 'thinking', thinking: 'thought', signature: 's' }]);
    expect(thinkingBlocksFrom({ encryptedContent: 'openai-blob' }, 'thought')).toEqual([]);
    expect(thinkingBlocksFrom(undefined, 'thought')).toEqual([]);
  });
});
