import { z } from 'zod';

/** Content parts a client may send. */
export const InputTextPart = z.object({ type: z.literal('input_text'), text: z.string() });
export const InputImagePart = z.object({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['low', 'high', 'auto', 'original']).default('auto'),
});
export const InputFilePart = z.object({
  type: z.literal('input_file'),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  file_data: z.string().nullish(),
  filename: z.string().nullish(),
});
export const OutputTextPart = z.looseObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).default([]),
  logprobs: z.array(z.unknown()).optional(),
});
export const RefusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });
export const ReasoningTextPart = z.object({ type: z.literal('reasoning_text'), text: z.string() });
export const SummaryTextPart = z.object({ type: z.literal('summary_text'), text: z.string() });

export const MessageContentPart = z.discriminatedUnion('type', [
  InputTextPart,
  InputImagePart,
  InputFilePart,
  OutputTextPart,
  RefusalPart,
]);
export type MessageContentPart = z.infer<typeof MessageContentPart>;

const status = z.enum(['in_progress', 'completed', 'incomplete']).optional();

export const MessageItem = z.object({
  type: z.literal('message'),
  id: z.string().optional(),
  role: z.enum(['user', 'system', 'developer', 'assistant']),
  content: z.union([z.string(), z.array(MessageContentPart)]),
  phase: z.enum(['commentary', 'final_answer']).nullish(),
  status,
});
export type MessageItem = z.infer<typeof MessageItem>;

export const ReasoningItem = z.object({
  type: z.literal('reasoning'),
  id: z.string().optional(),
  summary: z.array(SummaryTextPart).default([]),
  content: z.array(ReasoningTextPart).nullish(),
  encrypted_content: z.string().nullish(),
  status,
});
export type ReasoningItem = z.infer<typeof ReasoningItem>;

const caller = z.looseObject({ type: z.string() }).nullish();

export const FunctionCallItem = z.object({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().nullish(),
  arguments: z.string(),
  caller,
  status,
});
export type FunctionCallItem = z.infer<typeof FunctionCallItem>;

const toolOutput = z.union([z.string(), z.array(z.discriminatedUnion('type', [InputTextPart, InputImagePart, InputFilePart]))]);

export const FunctionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: toolOutput,
  name: z.string().nullish(),
  namespace: z.string().nullish(),
  status: status.nullable(),
});
export type FunctionCallOutputItem = z.infer<typeof FunctionCallOutputItem>;

export const CustomToolCallItem = z.object({
  type: z.literal('custom_tool_call'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().nullish(),
  input: z.string(),
  caller,
  status,
});
export type CustomToolCallItem = z.infer<typeof CustomToolCallItem>;

export const CustomToolCallOutputItem = z.object({
  type: z.literal('custom_tool_call_output'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: toolOutput,
  name: z.string().nullish(),
  status: status.nullable(),
});
export type CustomToolCallOutputItem = z.infer<typeof CustomToolCallOutputItem>;

export const CompactionItem = z.object({
  type: z.literal('compaction'),
  id: z.string().nullish(),
  encrypted_content: z.string(),
  created_by: z.string().nullish(),
});

export const ItemReference = z.object({ type: z.literal('item_reference'), id: z.string().min(1) });

/** Items Kestrel does not act on yet but accepts, stores and replays verbatim. */
const opaque = (type: string) => z.looseObject({ type: z.literal(type), id: z.string().nullish() });
const OPAQUE_ITEM_TYPES = [
  'computer_call',
  'computer_call_output',
  'tool_search_call',
  'tool_search_output',
  'compaction_trigger',
  'apply_patch_call',
  'apply_patch_call_output',
  'shell_call',
  'shell_call_output',
  'local_shell_call',
  'local_shell_call_output',
  'mcp_list_tools',
  'mcp_call',
  'mcp_approval_request',
  'mcp_approval_response',
  'file_search_call',
  'web_search_call',
  'image_generation_call',
  'code_interpreter_call',
  'additional_tools',
] as const;

export const InputItem = z.discriminatedUnion('type', [
  MessageItem,
  ReasoningItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  CustomToolCallItem,
  CustomToolCallOutputItem,
  CompactionItem,
  ItemReference,
  ...OPAQUE_ITEM_TYPES.map(opaque),
] as unknown as [typeof MessageItem, ...z.ZodObject[]]);

/** Any item in a Responses `input` array, after normalisation. */
export type InputItem =
  | MessageItem
  | ReasoningItem
  | FunctionCallItem
  | FunctionCallOutputItem
  | CustomToolCallItem
  | CustomToolCallOutputItem
  | z.infer<typeof CompactionItem>
  | z.infer<typeof ItemReference>
  | ({ type: (typeof OPAQUE_ITEM_TYPES)[number]; id?: string | null } & Record<string, unknown>);

/** Known item type names, for error messages. */
export const INPUT_ITEM_TYPES = [
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'compaction',
  'item_reference',
  ...OPAQUE_ITEM_TYPES,
];

/** An item as stored and returned: always with an id. */
export type StoredItem = InputItem & { id: string };
