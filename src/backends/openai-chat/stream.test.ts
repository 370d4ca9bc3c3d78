import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../types.js';
import { ChatStreamTranslator } from './stream.js';

const translator = () => new ChatStreamTranslator({ customTools: new Set(['exec']), thinkTags: true });
const call = (fields: Record<string, unknown>) => ({ choices: [{ index: 0, delta: { tool_calls: [fields] }, finish_reason: null }] });

describe('ChatStreamTranslator', () => {
  it('treats a new id at a reused index as a new call (Ollama numbering every call 0)', () => {
    const t = translator();
    const events: ModelEvent[] = [
      ...t.push(call({ index: 0, id: 'call_a', function: { name: 'ls', arguments: '{"dir":"a"}' } })),
      ...t.push(call({ index: 0, id: 'call_b', function: { name: 'ls', arguments: '{"dir":"b"}' } })),
      ...t.push({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
      ...t.end(false),
    ];
    expect(events).toEqual([
      { type: 'tool-call-start', index: 0, callId: 'call_a', name: 'ls', kind: 'function' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"dir":"a"}' },
      { type: 'tool-call-start', index: 1, callId: 'call_b', name: 'ls', kind: 'function' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"dir":"b"}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('matches calls without an index by id (Gemini compatibility layer)', () => {
    const t = translator();
    const events = [
      ...t.push(call({ id: 'g1', function: { name: 'a', arguments: '{"x":' } })),
      ...t.push(call({ id: 'g2', function: { name: 'b', arguments: '{}' } })),
      ...t.push(call({ id: 'g1', function: { arguments: '1}' } })),
      ...t.end(true),
    ];
    expect(events.filter((event) => event.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('waits for a name that arrives after the first arguments', () => {
    const t = translator();
    expect(t.push(call({ index: 0, function: { arguments: '{"input":"ls' } }))).toEqual([]);
    const events = t.push(call({ index: 0, id: 'call_x', function: { name: 'exec', arguments: ' -la"}' } }));
    expect(events).toEqual([
      { type: 'tool-call-start', index: 0, callId: 'call_x', name: 'exec', kind: 'custom' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ls -la' },
    ]);
  });

  it('reads one reasoning field per chunk when a server sends both names', () => {
    const t = translator();
    expect(t.push({ choices: [{ index: 0, delta: { reasoning_content: 'hm', reasoning: 'hm' }, finish_reason: null }] })).toEqual([{ type: 'reasoning-delta', text: 'hm' }]);
  });

  it('maps function_call, keeps the last usage, and reads DeepSeek cache hits', () => {
    const t = translator();
    t.push({ choices: [{ index: 0, delta: { function_call: { name: 'legacy', arguments: '{}' } }, finish_reason: 'function_call' }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
    t.push({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, prompt_cache_hit_tokens: 8 } });
    expect(t.end(true).at(-1)).toEqual({ type: 'finish', reason: 'tool_calls', usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 8 } });
  });

  it('turns bare vLLM error objects and OpenRouter finish_reason "error" into errors', () => {
    const bare = translator().push({ object: 'error', message: 'This model\'s maximum context length is 4096 tokens.', type: 'BadRequestError', code: 400 });
    expect(bare[0].type === 'error' && [bare[0].error.status, bare[0].error.type]).toEqual([400, 'BadRequestError']);
    const routed = translator().push({ error: { code: 'server_error', message: 'Provider disconnected' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] });
    expect(routed).toHaveLength(1);
    expect(routed[0].type === 'error' && [routed[0].error.status, routed[0].error.code, routed[0].error.message]).toEqual([500, 'server_error', 'Provider disconnected']);
  });
});
