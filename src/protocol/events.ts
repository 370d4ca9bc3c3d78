import type { OutputItem, ResponseObject } from './response.js';

/** Fields every stream event has. */
interface Base {
  sequence_number: number;
}
type Lifecycle = 'response.created' | 'response.queued' | 'response.in_progress' | 'response.completed' | 'response.failed' | 'response.incomplete';

/**
 * The Responses stream events Kestrel emits (OpenAI names and payloads).
 * `sequence_number` is assigned by the emitter.
 */
export type ResponseStreamEvent =
  | (Base & { type: Lifecycle; response: ResponseObject })
  | (Base & { type: 'response.output_item.added' | 'response.output_item.done'; output_index: number; item: OutputItem })
  | (Base & {
      type: 'response.content_part.added' | 'response.content_part.done';
      item_id: string;
      output_index: number;
      content_index: number;
      part: { type: 'output_text'; text: string; annotations: unknown[]; logprobs?: unknown[] } | { type: 'refusal'; refusal: string } | { type: 'reasoning_text'; text: string };
    })
  | (Base & { type: 'response.output_text.delta'; item_id: string; output_index: number; content_index: number; delta: string; logprobs: unknown[]; obfuscation?: string })
  | (Base & { type: 'response.output_text.done'; item_id: string; output_index: number; content_index: number; text: string; logprobs: unknown[] })
  | (Base & { type: 'response.refusal.delta'; item_id: string; output_index: number; content_index: number; delta: string })
  | (Base & { type: 'response.refusal.done'; item_id: string; output_index: number; content_index: number; refusal: string })
  | (Base & { type: 'response.function_call_arguments.delta'; item_id: string; output_index: number; delta: string; obfuscation?: string })
  | (Base & { type: 'response.function_call_arguments.done'; item_id: string; output_index: number; name: string; arguments: string })
  | (Base & { type: 'response.custom_tool_call_input.delta'; item_id: string; output_index: number; delta: string })
  | (Base & { type: 'response.custom_tool_call_input.done'; item_id: string; output_index: number; input: string })
  | (Base & {
      type: 'response.reasoning_summary_part.added' | 'response.reasoning_summary_part.done';
      item_id: string;
      output_index: number;
      summary_index: number;
      part: { type: 'summary_text'; text: string };
    })
  | (Base & { type: 'response.reasoning_summary_text.delta'; item_id: string; output_index: number; summary_index: number; delta: string; obfuscation?: string })
  | (Base & { type: 'response.reasoning_summary_text.done'; item_id: string; output_index: number; summary_index: number; text: string })
  | (Base & { type: 'response.reasoning_text.delta'; item_id: string; output_index: number; content_index: number; delta: string; obfuscation?: string })
  | (Base & { type: 'response.reasoning_text.done'; item_id: string; output_index: number; content_index: number; text: string })
  | (Base & {
      type:
        | 'response.mcp_list_tools.in_progress'
        | 'response.mcp_list_tools.completed'
        | 'response.mcp_list_tools.failed'
        | 'response.mcp_call.in_progress'
        | 'response.mcp_call.completed'
        | 'response.mcp_call.failed';
      item_id: string;
      output_index: number;
    })
  | (Base & { type: 'response.mcp_call_arguments.delta'; item_id: string; output_index: number; delta: string })
  | (Base & { type: 'response.mcp_call_arguments.done'; item_id: string; output_index: number; arguments: string })
  | (Base & { type: 'error'; code: string | null; message: string; param: string | null })
  | (Base & { type: 'keepalive' });

/** Events carrying a response snapshot. */
export function isLifecycleEvent(event: ResponseStreamEvent): event is Extract<ResponseStreamEvent, { response: ResponseObject }> {
  return 'response' in event;
}

/** Events after which the stream ends. */
export function isTerminalEvent(event: ResponseStreamEvent): boolean {
  return event.type === 'response.completed' || event.type === 'response.failed' || event.type === 'response.incomplete';
}
