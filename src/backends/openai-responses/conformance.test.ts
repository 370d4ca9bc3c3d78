import { backendConformance, type ConformanceScenario } from '../conformance.js';
import { sseBody, upstreamHarness } from '../../test-support/backend-harness.js';
import type { UpstreamReply } from '../../test-support/fake-upstream.js';
import { createOpenAIResponsesBackend } from './index.js';

type Event = [string, unknown];
const envelope = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'resp_conf',
  object: 'response',
  created_at: 1_772_700_000,
  status,
  model: 'gpt-5.4',
  output: [],
  usage: null,
  ...extra,
});
const event = (type: string, fields: Record<string, unknown>): Event => [type, { type, ...fields }];
const usage = (input: number, output: number) => ({ input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output });
const opening: Event[] = [event('response.created', { response: envelope('in_progress') }), event('response.in_progress', { response: envelope('in_progress') })];
const message = (chunks: string[]): Event[] => [
  event('response.output_item.added', { output_index: 0, item: { id: 'msg_conf', type: 'message', status: 'in_progress', role: 'assistant', content: [] } }),
  event('response.content_part.added', { item_id: 'msg_conf', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
  ...chunks.map((delta) => event('response.output_text.delta', { item_id: 'msg_conf', output_index: 0, content_index: 0, delta, logprobs: [] })),
];

/** Plays a scenario as the OpenAI Responses API. */
function responsesReply(scenario: ConformanceScenario): UpstreamReply {
  switch (scenario.kind) {
    case 'text':
      return { sse: sseBody([...opening, ...message(scenario.chunks), event('response.completed', { response: envelope('completed', { usage: usage(scenario.usage.inputTokens, scenario.usage.outputTokens) }) })]) };
    case 'tool-call': {
      const item = { id: 'fc_conf', type: 'function_call', status: 'in_progress', call_id: scenario.callId, name: scenario.name, arguments: '' };
      return {
        sse: sseBody([
          ...opening,
          event('response.output_item.added', { output_index: 0, item }),
          ...scenario.argumentChunks.map((delta) => event('response.function_call_arguments.delta', { item_id: 'fc_conf', output_index: 0, delta })),
          event('response.function_call_arguments.done', { item_id: 'fc_conf', output_index: 0, arguments: scenario.argumentChunks.join('') }),
          event('response.output_item.done', { output_index: 0, item: { ...item, status: 'completed', arguments: scenario.argumentChunks.join('') } }),
          event('response.completed', { response: envelope('completed', { usage: usage(10, 5) }) }),
        ]),
      };
    }
    case 'length':
      return { sse: sseBody([...opening, ...message(scenario.chunks), event('response.incomplete', { response: envelope('incomplete', { incomplete_details: { reason: 'max_output_tokens' }, usage: usage(10, 4) }) })]) };
    case 'rate-limited':
      return { status: 429, headers: { 'retry-after': scenario.retryAfter }, body: JSON.stringify({ error: { message: scenario.message, type: 'requests', code: 'rate_limit_exceeded' } }) };
    case 'server-error':
      return { status: 500, body: JSON.stringify({ error: { message: scenario.message, type: 'server_error' } }) };
    case 'hang':
      return { sse: sseBody([...opening, ...message(scenario.chunks)]) };
  }
}

backendConformance('openai-responses', () => upstreamHarness(responsesReply, (baseURL) => createOpenAIResponsesBackend('conformance', { type: 'openai-responses', baseURL, apiKey: 'sk-test' })));
