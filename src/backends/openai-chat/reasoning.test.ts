import { afterEach, describe, expect, it } from 'vitest';
import { fixturesIn, startFakeUpstream, writeSse, type FakeUpstream, type UpstreamHandler } from '../../test-support/fake-upstream.js';
import { collectEvents, modelRequest } from '../../test-support/model-request.js';
import type { Backend, BackendConfig, ModelEvent } from '../types.js';
import { createOpenAIChatBackend } from './index.js';
import { dialectFromListing, dialectFromURL, reasoningFields } from './reasoning.js';

const fixture = fixturesIn(new URL('./__fixtures__/', import.meta.url));

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function serve(handler: UpstreamHandler, config: Partial<BackendConfig> = {}): Promise<Backend> {
  upstream = await startFakeUpstream(handler);
  return createOpenAIChatBackend('test', { type: 'openai-chat', baseURL: upstream.baseURL, ...config });
}

const joined = (events: ModelEvent[], type: 'text-delta' | 'reasoning-delta') => events.flatMap((event) => (event.type === type ? [event.text] : [])).join('');

const sentBody = () => upstream!.requests[0].body as Record<string, unknown>;

describe('reasoning effort per dialect', () => {
  it('openai: top-level reasoning_effort, every level as is', () => {
    expect(reasoningFields({ effort: 'xhigh' }, 'openai', 'reasoning_effort')).toEqual({ reasoning_effort: 'xhigh' });
    expect(reasoningFields({ effort: 'none' }, 'openai', 'reasoning_effort')).toEqual({ reasoning_effort: 'none' });
    expect(reasoningFields({ effort: 'low' }, 'openai', false)).toEqual({});
  });

  it.each([
    ['none', 'none', false],
    ['minimal', 'low', true],
    ['low', 'low', true],
    ['medium', 'medium', true],
    ['high', 'high', true],
    ['xhigh', 'high', true],
    ['max', 'high', true],
  ] as const)('ollama: %s → reasoning_effort %s, think %s', (effort, level, think) => {
    expect(reasoningFields({ effort }, 'ollama', 'reasoning_effort')).toEqual({ reasoning_effort: level, think });
  });

  it('vllm: chat-template switches; the top-level field only for the levels vLLM validates', () => {
    expect(reasoningFields({ effort: 'none' }, 'vllm', 'reasoning_effort')).toEqual({
      chat_template_kwargs: { enable_thinking: false, thinking: false, reasoning_effort: 'none' },
    });
    expect(reasoningFields({ effort: 'high', budgetTokens: 16_384 }, 'vllm', 'reasoning_effort')).toEqual({
      chat_template_kwargs: { enable_thinking: true, thinking: true, reasoning_effort: 'high' },
      reasoning_effort: 'high',
    });
    expect(reasoningFields({ effort: 'xhigh' }, 'vllm', 'reasoning_effort')).not.toHaveProperty('reasoning_effort');
  });

  it('llama.cpp: template switches and the per-request thinking budget (0 turns thinking off)', () => {
    expect(reasoningFields({ effort: 'medium', budgetTokens: 4096 }, 'llama.cpp', 'reasoning_effort')).toEqual({
      chat_template_kwargs: { enable_thinking: true, reasoning_effort: 'medium' },
      thinking_budget_tokens: 4096,
    });
    expect(reasoningFields({ effort: 'none', budgetTokens: 0 }, 'llama.cpp', 'reasoning_effort')).toEqual({
      chat_template_kwargs: { enable_thinking: false, reasoning_effort: 'none' },
      thinking_budget_tokens: 0,
    });
  });

  it('none sends nothing, and no effort sends nothing in any dialect', () => {
    expect(reasoningFields({ effort: 'high' }, 'none', 'reasoning_effort')).toEqual({});
    for (const dialect of ['openai', 'ollama', 'vllm', 'llama.cpp'] as const) expect(reasoningFields({ summary: 'auto' }, dialect, 'reasoning_effort')).toEqual({});
  });

  it('guesses the dialect from the URL and from GET /models', () => {
    expect(dialectFromURL('https://api.openai.com/v1')).toBe('openai');
    expect(dialectFromURL('http://127.0.0.1:11434/v1')).toBe('ollama');
    expect(dialectFromURL('http://127.0.0.1:8000/v1')).toBe('openai');
    expect(dialectFromListing({ data: [{ id: 'Qwen/Qwen3-8B', owned_by: 'vllm' }] })).toBe('vllm');
    expect(dialectFromListing({ data: [{ id: 'qwen', owned_by: 'sglang' }] })).toBe('vllm');
    expect(dialectFromListing({ data: [{ id: 'qwen3.gguf', owned_by: 'llamacpp' }] })).toBe('llama.cpp');
    expect(dialectFromListing({ data: [{ id: 'qwen3:8b', owned_by: 'library' }] })).toBe('ollama');
    expect(dialectFromListing({ data: [{ id: 'gpt-5.4', owned_by: 'openai' }] })).toBeUndefined();
    expect(dialectFromListing({ error: 'nope' })).toBeUndefined();
  });
});

describe('openai-chat backend: reasoning on the wire', () => {
  const answer = (_request: unknown, res: Parameters<UpstreamHandler>[1]) => writeSse(res, fixture('llamacpp-length'));

  it('reasoningDialect vllm: template switches merge with configured extraBody switches', async () => {
    const backend = await serve(answer, { reasoningDialect: 'vllm', extraBody: { chat_template_kwargs: { custom_flag: 1 } } });
    await collectEvents(backend, modelRequest({ reasoning: { effort: 'none' } }));
    expect(sentBody().chat_template_kwargs).toEqual({ enable_thinking: false, thinking: false, reasoning_effort: 'none', custom_flag: 1 });
    expect(sentBody()).not.toHaveProperty('reasoning_effort');
  });

  it('auto: learns llama.cpp from GET /models, then sends its budget and continues turns', async () => {
    const backend = await serve((request, res) => {
      if (request.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'qwen3-8b-q4_k_m.gguf', object: 'model', owned_by: 'llamacpp' }] }));
        return;
      }
      void writeSse(res, fixture('llamacpp-continued-thought'));
    });
    expect(backend.continuesReasoning).toBe(false);
    await backend.listModels!();
    expect(backend.continuesReasoning).toBe(true);
    expect(backend.reasoningEfforts!('qwen3')).toBeUndefined();
    const events = await collectEvents(
      backend,
      modelRequest({ reasoning: { effort: 'xhigh', budgetTokens: 32_768 }, continuation: { reasoning: 'Multiply 17 by 3.\nWait', thinkingClosed: false } }),
    );
    const body = upstream!.requests[1].body as Record<string, unknown>;
    expect(body.thinking_budget_tokens).toBe(32_768);
    expect(body.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '<think>\nMultiply 17 by 3.\nWait' },
    ]);
    // The continued thought has no opening tag: its text up to </think> is still reasoning.
    expect(joined(events, 'reasoning-delta')).toBe(' Let me check: 17×3 = 51.');
    expect(joined(events, 'text-delta')).toBe('The answer is **51**.');
  });

  it('vllm continuation: a closed thought and continue_final_message', async () => {
    const backend = await serve(answer, { reasoningDialect: 'vllm' });
    expect(backend.continuesReasoning).toBe(true);
    await collectEvents(backend, modelRequest({ reasoning: { effort: 'high' }, continuation: { reasoning: 'Enough.', thinkingClosed: true } }));
    expect(sentBody()).toMatchObject({
      continue_final_message: true,
      add_generation_prompt: false,
      messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '<think>\nEnough.\n</think>\n\n' }],
    });
  });

  it('ollama (by port) reports its four levels and does not continue turns', () => {
    const backend = createOpenAIChatBackend('ollama', { type: 'openai-chat', baseURL: 'http://127.0.0.1:11434/v1' });
    expect(backend.reasoningEfforts!('qwen3:8b')).toEqual(['none', 'low', 'medium', 'high']);
    expect(backend.continuesReasoning).toBe(false);
  });

  it('openai dialect reports the levels of known OpenAI models only', () => {
    const backend = createOpenAIChatBackend('openai', { type: 'openai-chat', baseURL: 'https://api.openai.com/v1' });
    expect(backend.reasoningEfforts!('gpt-5.4')).toEqual(['none', 'low', 'medium', 'high', 'xhigh']);
    expect(backend.reasoningEfforts!('gpt-5')).toEqual(['minimal', 'low', 'medium', 'high']);
    expect(backend.reasoningEfforts!('llama3.2')).toBeUndefined();
  });

  it('rejects an unknown dialect at creation', () => {
    expect(() => createOpenAIChatBackend('bad', { type: 'openai-chat', reasoningDialect: 'qwen' })).toThrow(/reasoningDialect/);
  });
});
