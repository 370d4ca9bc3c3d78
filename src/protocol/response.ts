import type { InputItem, StoredItem } from './items.js';
import type { Tool, ToolChoice } from './tools.js';
import type { TextFormat } from './responses-request.js';

export type ResponseStatus = 'completed' | 'failed' | 'in_progress' | 'cancelled' | 'queued' | 'incomplete';

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}
export interface Refusal {
  type: 'refusal';
  refusal: string;
}

export interface OutputMessage {
  type: 'message';
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: (OutputText | Refusal)[];
  phase?: 'commentary' | 'final_answer' | null;
}
export interface OutputReasoning {
  type: 'reasoning';
  id: string;
  summary: { type: 'summary_text'; text: string }[];
  content?: { type: 'reasoning_text'; text: string }[];
  encrypted_content?: string | null;
  status?: 'in_progress' | 'completed' | 'incomplete';
}
export interface OutputFunctionCall {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  namespace?: string;
  arguments: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}
export interface OutputCustomToolCall {
  type: 'custom_tool_call';
  id: string;
  call_id: string;
  name: string;
  namespace?: string;
  input: string;
  status?: 'in_progress' | 'completed' | 'incomplete';
}
/** Items a response produces. Hosted tools add their own item types later. */
export type OutputItem = OutputMessage | OutputReasoning | OutputFunctionCall | OutputCustomToolCall | (StoredItem & Record<string, unknown>);

export interface Usage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens?: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
  /** Kestrel Pro: what each parallel sample and the selection used (already included in the totals above). */
  pro_details?: ProUsageDetails;
  /** Kestrel computer use: older screenshots left out of model calls, and the input tokens that saved (estimated). */
  computer_details?: { screenshots_pruned: number; input_tokens_saved: number };
}

/** Token use of a Pro response, per sample and for the selection (vote, verifier, judge or synthesis). */
export interface ProUsageDetails {
  samples: { input_tokens: number; output_tokens: number; reasoning_tokens: number }[];
  selection: { method: string; input_tokens: number; output_tokens: number };
}

/** The Response object (all fields the SDK and the Open Responses schema require). */
export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  completed_at: number | null;
  status: ResponseStatus;
  background: boolean;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' | 'interrupted' } | null;
  instructions: string | InputItem[] | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  conversation: { id: string } | null;
  prompt_cache_key: string | null;
  prompt_cache_retention: string | null;
  reasoning: { effort: string | null; summary: string | null };
  safety_identifier: string | null;
  service_tier: string;
  store: boolean;
  temperature: number;
  text: { format: TextFormat; verbosity: 'low' | 'medium' | 'high' };
  tool_choice: ToolChoice;
  tools: Tool[];
  top_logprobs: number;
  top_p: number;
  presence_penalty: number;
  frequency_penalty: number;
  truncation: 'auto' | 'disabled';
  usage: Usage | null;
  user: string | null;
  metadata: Record<string, string>;
}

/** An all-zero usage object. */
export function emptyUsage(): Usage {
  return {
    input_tokens: 0,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 0,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 0,
  };
}
