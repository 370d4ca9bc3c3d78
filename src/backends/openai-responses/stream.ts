import type { SseMessage } from '../shared/sse-reader.js';
import { BackendError, type ModelEvent, type ModelUsage } from '../types.js';

const CODE_STATUS: Record<string, number> = {
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  server_is_overloaded: 503,
  vector_store_timeout: 504,
};

/** HTTP status for an in-stream error (`response.failed`, `error`). */
function statusOf(code: string | null | undefined, type: string | null | undefined): number {
  if (code && CODE_STATUS[code]) return CODE_STATUS[code];
  if (type && CODE_STATUS[type]) return CODE_STATUS[type];
  if (type === 'rate_limit_error') return 429;
  // The other codes describe a bad prompt or input (invalid_prompt, image errors, context length…).
  if (code || type === 'invalid_request_error') return 400;
  return 500;
}

interface ErrorShape {
  code?: string | null;
  message?: string | null;
  type?: string | null;
  param?: string | null;
}

/** A BackendError for an OpenAI in-stream error object. */
export function responsesError(error: ErrorShape | null | undefined, fallback: string): BackendError {
  const code = error?.code ?? null;
  return new BackendError(statusOf(code, error?.type), error?.message || fallback, { code, type: error?.type ?? null });
}

interface UpstreamUsage {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number } | null;
  output_tokens_details?: { reasoning_tokens?: number } | null;
}

interface UpstreamItem {
  type?: string;
  id?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  input?: string;
  encrypted_content?: string | null;
  actions?: unknown[];
  action?: unknown;
  pending_safety_checks?: unknown[];
}

interface UpstreamEvent {
  type?: string;
  output_index?: number;
  item_id?: string;
  summary_index?: number;
  content_index?: number;
  delta?: string;
  item?: UpstreamItem;
  response?: { usage?: UpstreamUsage | null; incomplete_details?: { reason?: string } | null; error?: ErrorShape | null };
  error?: ErrorShape;
  code?: string | null;
  message?: string | null;
  param?: string | null;
}

function toModelUsage(usage: UpstreamUsage | null | undefined): ModelUsage | undefined {
  if (!usage) return undefined;
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

interface OpenCall {
  index: number;
  /** Arguments (or custom input) forwarded so far. */
  sent: string;
}

/**
 * Turns an OpenAI Responses SSE stream into normalised model events. Tool calls are matched by
 * `output_index`; reasoning summary parts are separated by a blank line. With `computerTool`, the model's
 * `computer_call` items become calls of that function, whole, with `{"actions", "pending_safety_checks"}` arguments.
 *
 * @example for await (const event of responsesEvents(readSse(body))) console.log(event);
 */
export async function* responsesEvents(messages: AsyncIterable<SseMessage>, options: { computerTool?: string } = {}): AsyncIterable<ModelEvent> {
  const calls = new Map<number, OpenCall>();
  let reasoningPart: string | null = null;
  let reasoningShown = false;

  const startCall = (outputIndex: number, item: UpstreamItem): ModelEvent => {
    const open = { index: calls.size, sent: '' };
    calls.set(outputIndex, open);
    reasoningPart = null;
    reasoningShown = false;
    return { type: 'tool-call-start', index: open.index, callId: item.call_id ?? item.id ?? `call_${outputIndex}`, name: item.name ?? '', kind: item.type === 'custom_tool_call' ? 'custom' : 'function' };
  };

  for await (const message of messages) {
    if (message.data === '[DONE]') continue;
    let event: UpstreamEvent;
    try {
      event = JSON.parse(message.data) as UpstreamEvent;
    } catch {
      continue;
    }
    switch (event.type) {
      case 'response.output_text.delta':
        reasoningPart = null;
        reasoningShown = false;
        if (event.delta) yield { type: 'text-delta', text: event.delta };
        break;
      case 'response.refusal.delta':
        if (event.delta) yield { type: 'refusal-delta', text: event.delta };
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta': {
        if (!event.delta) break;
        const part = `${event.item_id}:${event.type}:${event.summary_index ?? event.content_index ?? 0}`;
        if (reasoningShown && part !== reasoningPart) yield { type: 'reasoning-delta', text: '\n\n' };
        reasoningPart = part;
        reasoningShown = true;
        yield { type: 'reasoning-delta', text: event.delta };
        break;
      }
      case 'response.output_item.added':
        if (event.item && (event.item.type === 'function_call' || event.item.type === 'custom_tool_call') && event.output_index !== undefined) {
          yield startCall(event.output_index, event.item);
        }
        break;
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta': {
        const open = event.output_index !== undefined ? calls.get(event.output_index) : undefined;
        if (open && event.delta) {
          open.sent += event.delta;
          yield { type: 'tool-call-delta', index: open.index, argumentsDelta: event.delta };
        }
        break;
      }
      case 'response.output_item.done': {
        const item = event.item;
        if (!item || event.output_index === undefined) break;
        if (item.type === 'computer_call' && options.computerTool) {
          const open = { index: calls.size, sent: '' };
          calls.set(event.output_index, open);
          reasoningPart = null;
          reasoningShown = false;
          yield { type: 'tool-call-start', index: open.index, callId: item.call_id ?? item.id ?? `call_${event.output_index}`, name: options.computerTool, kind: 'function' };
          const actions = Array.isArray(item.actions) && item.actions.length ? item.actions : item.action ? [item.action] : [];
          open.sent = JSON.stringify({ actions, pending_safety_checks: item.pending_safety_checks ?? [], upstream_id: item.id });
          yield { type: 'tool-call-delta', index: open.index, argumentsDelta: open.sent };
        } else if (item.type === 'reasoning' && item.encrypted_content) {
          yield { type: 'reasoning-state', state: { encryptedContent: item.encrypted_content } };
        } else if (item.type === 'function_call' || item.type === 'custom_tool_call') {
          // Some servers send a call whole (no `added`, no deltas): forward what was not streamed.
          if (!calls.has(event.output_index)) yield startCall(event.output_index, item);
          const open = calls.get(event.output_index)!;
          const full = (item.type === 'function_call' ? item.arguments : item.input) ?? '';
          if (full.length > open.sent.length && full.startsWith(open.sent)) {
            yield { type: 'tool-call-delta', index: open.index, argumentsDelta: full.slice(open.sent.length) };
            open.sent = full;
          }
        }
        break;
      }
      case 'response.completed':
        yield { type: 'finish', reason: calls.size ? 'tool_calls' : 'stop', usage: toModelUsage(event.response?.usage) };
        return;
      case 'response.incomplete': {
        const reason = event.response?.incomplete_details?.reason;
        yield { type: 'finish', reason: reason === 'content_filter' ? 'content_filter' : 'length', usage: toModelUsage(event.response?.usage) };
        return;
      }
      case 'response.failed':
        yield { type: 'error', error: responsesError(event.response?.error, 'The OpenAI response failed.') };
        return;
      case 'error':
        yield { type: 'error', error: responsesError(event.error ?? { code: event.code, message: event.message, param: event.param }, 'OpenAI reported an error.') };
        return;
      default:
        break;
    }
  }
  yield { type: 'error', error: new BackendError(502, 'The OpenAI stream ended before response.completed.', { code: 'upstream_stream_ended' }) };
}
