import type { SseMessage } from '../shared/sse-reader.js';
import { BackendError, type FinishReason, type ModelEvent, type ModelUsage } from '../types.js';
import { fromAnthropicAction } from './computer.js';
import { reasoningStateOf, type ThinkingBlock } from './reasoning-state.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './wire.js';

/** HTTP status for each Anthropic error type (as its HTTP API would answer). */
const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** A BackendError for an Anthropic error object (`{type, message}`), from a stream `error` event or a body. */
export function anthropicError(error: { type?: string; message?: string } | undefined): BackendError {
  const type = error?.type ?? 'api_error';
  return new BackendError(ERROR_STATUS[type] ?? 502, error?.message || `Anthropic reported ${type}.`, { type });
}

type OpenBlock =
  | { kind: 'text' }
  | { kind: 'thinking'; thinking: string; signature: string }
  | { kind: 'tool'; index: number; custom: boolean; json: string; sent: boolean; computer?: boolean }
  | { kind: 'other' };

/**
 * Turns the Anthropic Messages SSE stream into normalised model events.
 * Custom (freeform) tools arrive as `{"input": "…"}` and are unwrapped to their raw input at block stop. With
 * `computer`, uses of Anthropic's computer tool become `{"actions": [...]}` calls of the `computer` function.
 *
 * @example for await (const event of anthropicEvents(readSse(body), new Set())) console.log(event);
 */
export async function* anthropicEvents(messages: AsyncIterable<SseMessage>, customTools: ReadonlySet<string>, options: { computer?: boolean } = {}): AsyncIterable<ModelEvent> {
  const blocks = new Map<number, OpenBlock>();
  // Thinking blocks since the last text or tool block: the engine folds them into one reasoning item.
  let segment: ThinkingBlock[] = [];
  let toolCount = 0;
  let sawToolCall = false;
  let stopReason: string | null = null;
  const usage: Required<{ [K in keyof AnthropicUsage]: number }> = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  const addUsage = (reported: AnthropicUsage | undefined) => {
    if (!reported) return;
    for (const key of Object.keys(usage) as (keyof AnthropicUsage)[]) {
      const value = reported[key];
      // Every count Anthropic reports is cumulative, so the latest one wins.
      if (typeof value === 'number') usage[key] = value;
    }
  };

  for await (const message of messages) {
    let event: AnthropicStreamEvent;
    try {
      event = JSON.parse(message.data) as AnthropicStreamEvent;
    } catch {
      continue;
    }
    switch (event.type) {
      case 'message_start':
        addUsage(event.message?.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') {
          segment = [];
          blocks.set(event.index, { kind: 'text' });
          const text = (block as { text?: string }).text;
          if (text) yield { type: 'text-delta', text };
        } else if (block.type === 'thinking') {
          const start = block as { thinking?: string; signature?: string };
          blocks.set(event.index, { kind: 'thinking', thinking: start.thinking ?? '', signature: start.signature ?? '' });
          if (start.thinking) yield { type: 'reasoning-delta', text: start.thinking };
        } else if (block.type === 'redacted_thinking') {
          segment.push({ type: 'redacted_thinking', data: (block as { data: string }).data });
          blocks.set(event.index, { kind: 'other' });
          yield { type: 'reasoning-state', state: reasoningStateOf(segment) };
        } else if (block.type === 'tool_use') {
          segment = [];
          const tool = block as { id: string; name: string; input?: Record<string, unknown> };
          const index = toolCount++;
          const custom = customTools.has(tool.name);
          const computer = options.computer === true && tool.name === 'computer';
          sawToolCall = true;
          const initial = tool.input && Object.keys(tool.input).length ? JSON.stringify(tool.input) : '';
          // A computer action is converted whole at block stop, so nothing is streamed before.
          const open = { kind: 'tool' as const, index, custom, json: initial, sent: Boolean(initial) && !custom && !computer, computer };
          blocks.set(event.index, open);
          yield { type: 'tool-call-start', index, callId: tool.id, name: tool.name, kind: custom ? 'custom' : 'function' };
          if (open.sent) yield { type: 'tool-call-delta', index, argumentsDelta: initial };
        } else {
          blocks.set(event.index, { kind: 'other' });
        }
        break;
      }
      case 'content_block_delta': {
        const open = blocks.get(event.index);
        const delta = event.delta;
        if (!open) break;
        if (delta.type === 'text_delta' && open.kind === 'text') {
          const text = (delta as { text: string }).text;
          if (text) yield { type: 'text-delta', text };
        } else if (delta.type === 'thinking_delta' && open.kind === 'thinking') {
          const text = (delta as { thinking: string }).thinking;
          open.thinking += text;
          if (text) yield { type: 'reasoning-delta', text };
        } else if (delta.type === 'signature_delta' && open.kind === 'thinking') {
          open.signature += (delta as { signature: string }).signature;
        } else if (delta.type === 'input_json_delta' && open.kind === 'tool') {
          const piece = (delta as { partial_json: string }).partial_json;
          open.json += piece;
          if (!open.custom && !open.computer && piece) {
            open.sent = true;
            yield { type: 'tool-call-delta', index: open.index, argumentsDelta: piece };
          }
        }
        break;
      }
      case 'content_block_stop': {
        const open = blocks.get(event.index);
        blocks.delete(event.index);
        if (open?.kind === 'thinking' && open.signature) {
          segment.push({ type: 'thinking', thinking: open.thinking, signature: open.signature });
          yield { type: 'reasoning-state', state: reasoningStateOf(segment) };
        } else if (open?.kind === 'tool') {
          if (open.computer) yield { type: 'tool-call-delta', index: open.index, argumentsDelta: computerInput(open.json) };
          else if (open.custom) yield { type: 'tool-call-delta', index: open.index, argumentsDelta: customInput(open.json) };
          // A tool without parameters streams no JSON at all: its arguments are still an object.
          else if (!open.sent) yield { type: 'tool-call-delta', index: open.index, argumentsDelta: '{}' };
        }
        break;
      }
      case 'message_delta':
        if (event.delta?.stop_reason) stopReason = event.delta.stop_reason;
        addUsage(event.usage);
        break;
      case 'message_stop': {
        const reason = stopReason ? STOP_REASONS[stopReason] ?? 'stop' : sawToolCall ? 'tool_calls' : 'stop';
        yield { type: 'finish', reason, usage: toModelUsage(usage) };
        return;
      }
      case 'error':
        yield { type: 'error', error: anthropicError(event.error) };
        return;
      default:
        // ping and event types added later
        break;
    }
  }
  yield { type: 'error', error: new BackendError(502, 'The Anthropic stream ended before message_stop.', { code: 'upstream_stream_ended' }) };
}

function computerInput(json: string): string {
  let input: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(json || '{}') as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed as Record<string, unknown>;
  } catch {
    input = {};
  }
  return JSON.stringify({ actions: fromAnthropicAction(input) });
}

function customInput(json: string): string {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { input?: unknown }).input === 'string') return (parsed as { input: string }).input;
  } catch {
    // fall through: hand over what the model wrote, the engine's grammar check reports it
  }
  return json;
}

function toModelUsage(usage: Required<{ [K in keyof AnthropicUsage]: number }>): ModelUsage {
  return {
    inputTokens: usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens,
    outputTokens: usage.output_tokens,
    cachedInputTokens: usage.cache_read_input_tokens,
  };
}
