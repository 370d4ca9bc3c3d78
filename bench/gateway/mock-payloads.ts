/**
 * Bodies the mock upstream sends: an OpenAI Chat Completions answer (JSON and SSE chunks) and, for gateways that
 * only pass `/v1/responses` through to a Responses-speaking upstream, the same answer in the Responses format.
 * All of them say {@link ANSWER_TEXT}; the load client looks for {@link FIRST_TOKEN} to time the first token.
 */

/** The pieces the mock streams, in order. */
export const ANSWER_TOKENS = ['Hello', '!', ' How', ' can', ' I', ' help', ' you', ' today', '?'];
export const ANSWER_TEXT = ANSWER_TOKENS.join('');
export const FIRST_TOKEN = ANSWER_TOKENS[0];
const USAGE = { input: 9, output: ANSWER_TOKENS.length };

/**
 * A non-stream `chat.completion` object for `model`.
 *
 * @example JSON.parse(chatCompletionJson('mock')).choices[0].message.content // 'Hello! How can I help you today?'
 */
export function chatCompletionJson(model: string, created: number): string {
  return JSON.stringify({
    id: 'chatcmpl-mock0001',
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: ANSWER_TEXT, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output },
  });
}

/**
 * The SSE frames of a streamed chat completion: a role chunk, one chunk per token, a finish chunk, a usage chunk, `[DONE]`.
 *
 * @example chatCompletionFrames('mock', 0).at(-1) // 'data: [DONE]\n\n'
 */
export function chatCompletionFrames(model: string, created: number): string[] {
  const base = { id: 'chatcmpl-mock0001', object: 'chat.completion.chunk', created, model, system_fingerprint: null };
  const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  return [
    frame({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] }),
    ...ANSWER_TOKENS.map((token) => frame({ ...base, choices: [{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }] })),
    frame({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }),
    frame({ ...base, choices: [], usage: { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output } }),
    'data: [DONE]\n\n',
  ];
}

function responseObject(model: string, created: number, status: 'in_progress' | 'completed') {
  const done = status === 'completed';
  return {
    id: 'resp_mock0001',
    object: 'response',
    created_at: created,
    status,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model,
    output: done
      ? [{ id: 'msg_mock0001', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: ANSWER_TEXT, annotations: [] }] }]
      : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done
      ? { input_tokens: USAGE.input, input_tokens_details: { cached_tokens: 0 }, output_tokens: USAGE.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: USAGE.input + USAGE.output }
      : null,
    metadata: {},
  };
}

/**
 * A non-stream Responses API `response` object.
 *
 * @example JSON.parse(responseJson('mock', 0)).output[0].content[0].text // 'Hello! How can I help you today?'
 */
export function responseJson(model: string, created: number): string {
  return JSON.stringify(responseObject(model, created, 'completed'));
}

/**
 * The SSE frames of a streamed Responses API answer, from `response.created` to `response.completed`.
 *
 * @example responseFrames('mock', 0)[0].startsWith('event: response.created') // true
 */
export function responseFrames(model: string, created: number): string[] {
  const events: Array<Record<string, unknown>> = [];
  const item = { id: 'msg_mock0001', type: 'message', role: 'assistant' };
  events.push({ type: 'response.created', response: responseObject(model, created, 'in_progress') });
  events.push({ type: 'response.in_progress', response: responseObject(model, created, 'in_progress') });
  events.push({ type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
  events.push({ type: 'response.content_part.added', item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
  for (const token of ANSWER_TOKENS) events.push({ type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta: token, logprobs: [] });
  events.push({ type: 'response.output_text.done', item_id: item.id, output_index: 0, content_index: 0, text: ANSWER_TEXT, logprobs: [] });
  const part = { type: 'output_text', text: ANSWER_TEXT, annotations: [] };
  events.push({ type: 'response.content_part.done', item_id: item.id, output_index: 0, content_index: 0, part });
  events.push({ type: 'response.output_item.done', output_index: 0, item: { ...item, status: 'completed', content: [part] } });
  events.push({ type: 'response.completed', response: responseObject(model, created, 'completed') });
  return events.map((event, index) => `event: ${event.type as string}\ndata: ${JSON.stringify({ ...event, sequence_number: index })}\n\n`);
}
