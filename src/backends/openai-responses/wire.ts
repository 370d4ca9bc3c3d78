/** The parts of the OpenAI Responses wire format this backend sends upstream. */

export type InputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail: 'low' | 'high' | 'auto' | 'original' };

export type UpstreamInputItem =
  | { type: 'message'; role: 'developer' | 'user'; content: InputContent[] }
  | { type: 'message'; role: 'assistant'; content: { type: 'output_text'; text: string }[] }
  | { type: 'reasoning'; summary: { type: 'summary_text'; text: string }[]; encrypted_content: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'custom_tool_call'; call_id: string; name: string; input: string }
  | { type: 'function_call_output'; call_id: string; output: string | InputContent[] }
  | { type: 'custom_tool_call_output'; call_id: string; output: string | InputContent[] }
  | {
      type: 'computer_call';
      id: string;
      call_id: string;
      status: 'completed';
      actions?: Record<string, unknown>[];
      action?: Record<string, unknown>;
      pending_safety_checks?: { id: string; code?: string | null; message?: string | null }[];
    }
  | {
      type: 'computer_call_output';
      call_id: string;
      output: { type: 'computer_screenshot'; image_url: string };
      acknowledged_safety_checks?: { id: string; code?: string | null; message?: string | null }[];
    };

export type UpstreamTool =
  | { type: 'function'; name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean }
  | { type: 'custom'; name: string; description?: string; format: { type: 'text' } | { type: 'grammar'; syntax: 'lark' | 'regex'; definition: string } }
  | { type: 'computer' }
  | { type: 'computer_use_preview'; display_width: number; display_height: number; environment: string };

export type UpstreamToolChoice = 'auto' | 'none' | 'required' | { type: 'function' | 'custom'; name: string } | { type: 'computer' | 'computer_use_preview' };

export type UpstreamTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

/** `POST /responses` body. */
export interface UpstreamRequestBody {
  model: string;
  input: UpstreamInputItem[];
  stream: true;
  store: false;
  include: ['reasoning.encrypted_content'];
  tools?: UpstreamTool[];
  tool_choice?: UpstreamToolChoice;
  parallel_tool_calls?: boolean;
  max_output_tokens?: number;
  temperature?: number;
  top_p?: number;
  text?: { format?: UpstreamTextFormat; verbosity?: 'low' | 'medium' | 'high' };
  reasoning?: { effort?: string; summary?: 'auto' | 'concise' | 'detailed' };
  prompt_cache_key?: string;
  user?: string;
  /** Required by computer-use-preview. */
  truncation?: 'auto';
}
