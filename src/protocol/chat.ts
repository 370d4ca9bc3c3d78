import { z } from 'zod';
import { REASONING_EFFORTS } from './responses-request.js';

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
const ImagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).nullish() }),
});
const FilePart = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.string().nullish(), file_id: z.string().nullish(), filename: z.string().nullish() }),
});
const AudioPart = z.object({ type: z.literal('input_audio'), input_audio: z.object({ data: z.string(), format: z.string() }) });
const RefusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

const UserContent = z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPart, ImagePart, FilePart, AudioPart]))]);
const TextContent = z.union([z.string(), z.array(TextPart)]);

export const ChatToolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

export const ChatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: TextContent, name: z.string().nullish() }),
  z.object({ role: z.literal('developer'), content: TextContent, name: z.string().nullish() }),
  z.object({ role: z.literal('user'), content: UserContent, name: z.string().nullish() }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPart, RefusalPart]))]).nullish(),
    name: z.string().nullish(),
    refusal: z.string().nullish(),
    tool_calls: z.array(ChatToolCall).nullish(),
    reasoning_content: z.string().nullish(),
    reasoning: z.string().nullish(),
    function_call: z.unknown().optional(),
    audio: z.unknown().optional(),
  }),
  z.object({ role: z.literal('tool'), content: TextContent, tool_call_id: z.string().min(1) }),
  z.object({ role: z.literal('function'), content: z.string().nullable(), name: z.string() }),
]);
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatTool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Function names may use letters, digits, `_` and `-` only (1 to 64 characters).'),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

export const ChatToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);

export const ChatResponseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
      description: z.string().nullish(),
    }),
  }),
]);

/** `POST /v1/chat/completions` body. */
export const ChatCompletionCreateParams = z.object({
  model: z.string().min(1, 'You must provide a model parameter.'),
  messages: z.array(ChatMessage).min(1, "'messages' must contain at least one message."),
  tools: z.array(ChatTool).nullish(),
  tool_choice: ChatToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: ChatResponseFormat.nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish(), include_obfuscation: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.literal(1, 'Only n=1 is supported.').nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  reasoning_effort: z.enum(REASONING_EFFORTS).nullish(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  modalities: z.array(z.string()).nullish(),
  prediction: z.unknown().optional(),
  web_search_options: z.unknown().optional(),
  audio: z.unknown().optional(),
});
export type ChatCompletionCreateParams = z.infer<typeof ChatCompletionCreateParams>;

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}
