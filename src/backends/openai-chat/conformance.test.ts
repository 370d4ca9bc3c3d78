import { backendConformance, type ConformanceScenario } from '../conformance.js';
import { sseBody, upstreamHarness } from '../../test-support/backend-harness.js';
import type { UpstreamReply } from '../../test-support/fake-upstream.js';
import { createOpenAIChatBackend } from './index.js';

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => [
  null,
  { id: 'chatcmpl-conf', object: 'chat.completion.chunk', created: 1_772_700_000, model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }], ...extra },
] as [null, unknown];

/** Plays a scenario as an OpenAI-compatible Chat Completions server (vLLM/llama.cpp style chunks). */
function chatReply(scenario: ConformanceScenario): UpstreamReply {
  switch (scenario.kind) {
    case 'text':
      return {
        sse: sseBody([
          chunk({ role: 'assistant', content: '' }),
          ...scenario.chunks.map((text) => chunk({ content: text })),
          chunk({}, 'stop', { usage: { prompt_tokens: scenario.usage.inputTokens, completion_tokens: scenario.usage.outputTokens, total_tokens: scenario.usage.inputTokens + scenario.usage.outputTokens } }),
          [null, '[DONE]'],
        ]),
      };
    case 'tool-call':
      return {
        sse: sseBody([
          chunk({ role: 'assistant', content: scenario.text ?? null }),
          chunk({ tool_calls: [{ index: 0, id: scenario.callId, type: 'function', function: { name: scenario.name, arguments: '' } }] }),
          ...scenario.argumentChunks.map((part) => chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] })),
          chunk({}, 'tool_calls'),
          [null, '[DONE]'],
        ]),
      };
    case 'length':
      return { sse: sseBody([...scenario.chunks.map((text) => chunk({ content: text })), chunk({}, 'length'), [null, '[DONE]']]) };
    case 'rate-limited':
      return { status: 429, headers: { 'retry-after': scenario.retryAfter }, body: JSON.stringify({ error: { message: scenario.message, type: 'rate_limit_error', code: 'rate_limit_exceeded' } }) };
    case 'server-error':
      return { status: 500, body: JSON.stringify({ error: { message: scenario.message, type: 'server_error' } }) };
    case 'hang':
      return { sse: sseBody(scenario.chunks.map((text) => chunk({ content: text }))) };
  }
}

backendConformance('openai-chat', () => upstreamHarness(chatReply, (baseURL) => createOpenAIChatBackend('conformance', { type: 'openai-chat', baseURL })));
