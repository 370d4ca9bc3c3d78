import { backendConformance, type ConformanceScenario } from '../conformance.js';
import { sseBody, upstreamHarness } from '../../test-support/backend-harness.js';
import type { UpstreamReply } from '../../test-support/fake-upstream.js';
import { createAnthropicBackend } from './index.js';

const start = (inputTokens = 10): [string, unknown] => [
  'message_start',
  { type: 'message_start', message: { id: 'msg_conf', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 1 } } },
];
const textBlock = (index: number, chunks: string[]): [string, unknown][] => [
  ['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }],
  ...chunks.map((text): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }]),
  ['content_block_stop', { type: 'content_block_stop', index }],
];
const end = (reason: string, outputTokens = 5): [string, unknown][] => [
  ['message_delta', { type: 'message_delta', delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: outputTokens } }],
  ['message_stop', { type: 'message_stop' }],
];

/** Plays a scenario as the Anthropic Messages API. */
function messagesReply(scenario: ConformanceScenario): UpstreamReply {
  switch (scenario.kind) {
    case 'text':
      return { sse: sseBody([start(scenario.usage.inputTokens), ...textBlock(0, scenario.chunks), ...end('end_turn', scenario.usage.outputTokens)]) };
    case 'tool-call':
      return {
        sse: sseBody([
          start(),
          ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: scenario.callId, name: scenario.name, input: {} } }],
          ...scenario.argumentChunks.map((part): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: part } }]),
          ['content_block_stop', { type: 'content_block_stop', index: 0 }],
          ...end('tool_use'),
        ]),
      };
    case 'length':
      return { sse: sseBody([start(), ...textBlock(0, scenario.chunks), ...end('max_tokens')]) };
    case 'rate-limited':
      return { status: 429, headers: { 'retry-after': scenario.retryAfter }, body: JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: scenario.message } }) };
    case 'server-error':
      return { status: 500, body: JSON.stringify({ type: 'error', error: { type: 'api_error', message: scenario.message } }) };
    case 'hang':
      return { sse: sseBody([start(), ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }], ...scenario.chunks.map((text): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }])]) };
  }
}

backendConformance('anthropic', () => upstreamHarness(messagesReply, (baseURL) => createAnthropicBackend('conformance', { type: 'anthropic', baseURL, apiKey: 'sk-ant-test' })));
