import { z } from 'zod';

const toolName = z
  .string()
  .regex(/^[a-zA-Z0-9_.:-]{1,128}$/, 'Tool names may use letters, digits, `_`, `-`, `.` and `:` only (1 to 128 characters).');

/** A JSON Schema object (not validated deeply here; backends receive it as given). */
export const JsonSchemaObject = z.record(z.string(), z.unknown());

export const FunctionTool = z.object({
  type: z.literal('function'),
  name: toolName,
  description: z.string().nullish(),
  parameters: JsonSchemaObject.nullish(),
  strict: z.boolean().nullish(),
  defer_loading: z.boolean().nullish(),
  output_schema: z.unknown().optional(),
  allowed_callers: z.unknown().optional(),
});
export type FunctionTool = z.infer<typeof FunctionTool>;

export const CustomToolFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('grammar'), syntax: z.enum(['lark', 'regex']), definition: z.string().min(1) }),
]);
export type CustomToolFormat = z.infer<typeof CustomToolFormat>;

export const CustomTool = z.object({
  type: z.literal('custom'),
  name: toolName,
  description: z.string().nullish(),
  format: CustomToolFormat.nullish(),
  defer_loading: z.boolean().nullish(),
});
export type CustomTool = z.infer<typeof CustomTool>;

export const NamespaceTool = z.object({
  type: z.literal('namespace'),
  name: toolName,
  description: z.string().nullish(),
  tools: z.array(z.discriminatedUnion('type', [FunctionTool, CustomTool])),
});

/** Hosted and client-executed tool types that are accepted on the wire. */
const hosted = (type: string) => z.looseObject({ type: z.literal(type) });
export const HOSTED_TOOL_TYPES = [
  'tool_search',
  'computer',
  'computer_use_preview',
  'computer_use',
  'mcp',
  'shell',
  'local_shell',
  'apply_patch',
  'web_search',
  'web_search_preview',
  'web_search_preview_2025_03_11',
  'web_search_2025_08_26',
  'file_search',
  'code_interpreter',
  'image_generation',
  'programmatic_tool_calling',
] as const;

export const Tool = z.discriminatedUnion('type', [
  FunctionTool,
  CustomTool,
  NamespaceTool,
  ...HOSTED_TOOL_TYPES.map(hosted),
] as unknown as [typeof FunctionTool, ...z.ZodObject[]]);
export type Tool =
  | FunctionTool
  | CustomTool
  | z.infer<typeof NamespaceTool>
  | ({ type: (typeof HOSTED_TOOL_TYPES)[number] } & Record<string, unknown>);

export const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), name: z.string().min(1) }),
  z.object({ type: z.literal('custom'), name: z.string().min(1) }),
  z.object({ type: z.literal('mcp'), server_label: z.string(), name: z.string().nullish() }),
  z.object({
    type: z.literal('allowed_tools'),
    mode: z.enum(['auto', 'required']),
    tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })),
  }),
  z.object({
    type: z.enum([
      'apply_patch',
      'shell',
      'file_search',
      'web_search_preview',
      'web_search_preview_2025_03_11',
      'computer',
      'computer_use_preview',
      'computer_use',
      'image_generation',
      'code_interpreter',
      'mcp',
      'programmatic_tool_calling',
    ]),
  }),
]);
export type ToolChoice = z.infer<typeof ToolChoice>;
