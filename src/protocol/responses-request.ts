import { z } from 'zod';
import { InputItem } from './items.js';
import { Tool, ToolChoice } from './tools.js';

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export const INCLUDABLE = [
  'file_search_call.results',
  'web_search_call.results',
  'web_search_call.action.sources',
  'message.input_image.image_url',
  'computer_call_output.output.image_url',
  'code_interpreter_call.outputs',
  'reasoning.encrypted_content',
  'message.output_text.logprobs',
] as const;

export const Metadata = z
  .record(z.string().max(64, 'Metadata keys may be at most 64 characters.'), z.string().max(512, 'Metadata values may be at most 512 characters.'))
  .refine((m) => Object.keys(m).length <= 16, 'Metadata may have at most 16 keys.');

export const ReasoningParams = z.object({
  effort: z.enum(REASONING_EFFORTS).nullish(),
  summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
  generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
  context: z.enum(['auto', 'current_turn', 'all_turns']).nullish(),
  mode: z.enum(['standard', 'pro']).nullish(),
  /** Kestrel extension: the configured Pro verifier (`reasoning.pro.verifiers` in the config) that checks candidates. */
  verifier: z.string().min(1).nullish(),
});

export const TextFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'The schema name may use letters, digits, `_` and `-` only (1 to 64 characters).'),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
    description: z.string().nullish(),
  }),
]);
export type TextFormat = z.infer<typeof TextFormat>;

export const TextParams = z.object({
  format: TextFormat.nullish(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
});

/** Items may omit `type` when they are messages (`{role, content}`). */
const InputItemOrMessage = z.preprocess(
  (value) =>
    value && typeof value === 'object' && !Array.isArray(value) && !('type' in value) && 'role' in value
      ? { type: 'message', ...value }
      : value,
  InputItem,
);

export const ConversationRef = z.union([z.string().min(1), z.object({ id: z.string().min(1) })]);

/** `POST /v1/responses` body. */
export const ResponseCreateParams = z.object({
  model: z.string().min(1, 'You must provide a model parameter.'),
  input: z.union([z.string(), z.array(InputItemOrMessage)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(Tool).nullish(),
  tool_choice: ToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tool_calls: z.number().int().min(1).nullish(),
  reasoning: ReasoningParams.nullish(),
  text: TextParams.nullish(),
  max_output_tokens: z.number().int().min(16, 'max_output_tokens must be at least 16.').nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  previous_response_id: z.string().min(1).nullish(),
  conversation: ConversationRef.nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_obfuscation: z.boolean().nullish() }).nullish(),
  background: z.boolean().nullish(),
  include: z.array(z.enum(INCLUDABLE)).nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  context_management: z.array(z.looseObject({ type: z.literal('compaction'), compact_threshold: z.number().int().min(1).nullish() })).nullish(),
  metadata: Metadata.nullish(),
  prompt: z.looseObject({ id: z.string() }).nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.enum(['in_memory', '24h']).nullish(),
  prompt_cache_options: z.unknown().optional(),
  safety_identifier: z.string().nullish(),
  user: z.string().nullish(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority', 'fast', 'ultrafast']).nullish(),
  client_metadata: z.record(z.string(), z.unknown()).nullish(),
  personality: z.unknown().optional(),
  moderation: z.unknown().optional(),
});
export type ResponseCreateParams = z.infer<typeof ResponseCreateParams>;

/** `POST /v1/responses/input_tokens` body. */
export const InputTokensParams = ResponseCreateParams.pick({
  model: true,
  input: true,
  instructions: true,
  tools: true,
  tool_choice: true,
  parallel_tool_calls: true,
  previous_response_id: true,
  conversation: true,
  reasoning: true,
  text: true,
  truncation: true,
  personality: true,
}).extend({ model: z.string().min(1).nullish() });
export type InputTokensParams = z.infer<typeof InputTokensParams>;

/** `POST /v1/responses/compact` body. */
export const ResponseCompactParams = z.object({
  model: z.string().min(1).nullish(),
  input: z.union([z.string(), z.array(InputItemOrMessage)]).nullish(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_options: z.unknown().optional(),
  prompt_cache_retention: z.enum(['in_memory', '24h']).nullish(),
  service_tier: z.string().nullish(),
  image: z.unknown().optional(),
});
export type ResponseCompactParams = z.infer<typeof ResponseCompactParams>;
