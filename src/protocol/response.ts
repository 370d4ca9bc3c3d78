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
  input_tokens_details: {
    cached_tokens: number;
    cache_write_tokens?: number;
    /** Kestrel: how the prompt was fitted into the model's window (only when Kestrel had to manage it). */
    context?: ContextUsageDetails;
  };
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

/** How Kestrel fitted a prompt into the model's window (`usage.input_tokens_details.context`, docs/context.md). */
export interface ContextUsageDetails {
  /** `full`: everything sent; `truncate`: oldest items dropped; `recall`: summary + recalled passages + recent turns. */
  strategy: 'full' | 'truncate' | 'recall';
  /** Where counts come from: `o200k`, the backend's own tokenizer, or the calibrated `estimate`. */
  tokenizer: 'o200k' | 'backend' | 'estimate';
  /** The model's window, when known. */
  window: number | null;
  /** Prompt tokens allowed (window − reserved output − count margin), when known. */
  available: number | null;
  /** Tokens of the whole history and input, before assembly. */
  history_tokens: number;
  /** Budget of each part (recall only). */
  budget: { summary: number; recall: number; recent: number } | null;
  /** Tokens sent, by part. */
  sent: { instructions: number; tools: number; summary: number; recall: number; recent: number; total: number };
  items: number;
  /** Items left out of the verbatim part (summarised or reachable by recall). */
  evicted_items: number;
  /** Items replaced by a compaction item's summary. */
  compacted_items: number;
  recalled_chunks: number;
  /** Model calls spent on the rolling summary, and their tokens (included in the usage totals). */
  summary_calls: number;
  summary_tokens: { input: number; output: number };
  retrieval: 'bm25' | 'bm25+embeddings' | null;
  /** Compactions made while the response ran (`context_management`). */
  compactions: number;
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
