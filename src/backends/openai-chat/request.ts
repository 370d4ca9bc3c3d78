import type { ModelContentPart, ModelCustomTool, ModelMessage, ModelRequest, ModelTool, ModelToolCall } from '../types.js';
import type { OpenAIChatOptions } from './options.js';
import { continuationMessage, reasoningFields, type ReasoningDialect } from './reasoning.js';

/** One content part of a Chat Completions message. */
export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'low' | 'high' | 'auto' } };

export interface ChatToolCallBody {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** An assistant message; it may carry earlier reasoning in a field named by the options. */
export interface ChatAssistantMessageBody {
  role: 'assistant';
  content: string | null;
  tool_calls?: ChatToolCallBody[];
  [reasoningField: string]: unknown;
}

/** A message as sent upstream. */
export type ChatMessageBody =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | ChatAssistantMessageBody
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatFunctionToolBody {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };
}

/** The `POST /chat/completions` body Kestrel sends. */
export interface ChatCompletionBody {
  model: string;
  messages: ChatMessageBody[];
  tools?: ChatFunctionToolBody[];
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  response_format?:
    | { type: 'json_object' }
    | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean; description?: string } };
  verbosity?: 'low' | 'medium' | 'high';
  user?: string;
  prompt_cache_key?: string;
  stream: boolean;
  stream_options?: { include_usage: true };
  [field: string]: unknown;
}

/**
 * Translates a normalised {@link ModelRequest} into a Chat Completions body (streaming unless
 * `request.stream` is false).
 *
 * @example
 * const body = buildChatBody(request, readOptions('ollama', { type: 'openai-chat', baseURL }));
 * await postJson(`${baseURL}/chat/completions`, body, headers, request.signal);
 */
export function buildChatBody(request: ModelRequest, options: OpenAIChatOptions, dialect: ReasoningDialect = 'openai'): ChatCompletionBody {
  const body: ChatCompletionBody = {
    model: request.model,
    messages: buildMessages(request.messages, options),
    stream: request.stream !== false,
  };
  if (body.stream) body.stream_options = { include_usage: true };
  if (request.tools.length) {
    body.tools = request.tools.map(toolBody);
    body.tool_choice = request.toolChoice === 'auto' || request.toolChoice === 'none' || request.toolChoice === 'required'
      ? request.toolChoice
      : { type: 'function', function: { name: request.toolChoice.name } };
    body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.maxOutputTokens !== undefined) body[options.maxTokensField] = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop?.length) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  const format = request.responseFormat;
  if (format.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (format.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: format.name, schema: format.schema, ...(format.strict !== undefined && { strict: format.strict }), ...(format.description && { description: format.description }) },
    };
  }
  const reasoning = reasoningFields(request.reasoning, dialect, options.reasoningEffortField);
  if (request.continuation) {
    const continuation = continuationMessage(request.continuation, dialect);
    body.messages.push(continuation.message);
    Object.assign(reasoning, continuation.fields);
  }
  if (request.verbosity && options.forwardVerbosity) body.verbosity = request.verbosity;
  if (request.user) body.user = request.user;
  if (request.promptCacheKey && options.forwardPromptCacheKey) body.prompt_cache_key = request.promptCacheKey;
  const templateKwargs = { ...(reasoning.chat_template_kwargs as object | undefined), ...(options.extraBody.chat_template_kwargs as object | undefined) };
  const merged: ChatCompletionBody = { ...body, ...reasoning, ...options.extraBody };
  // Configured template switches add to the reasoning ones instead of replacing them all.
  if (Object.keys(templateKwargs).length) merged.chat_template_kwargs = templateKwargs;
  return merged;
}

/** Builds the upstream message list; images returned by tools follow the run of tool messages as one user message. */
export function buildMessages(messages: ModelMessage[], options: Pick<OpenAIChatOptions, 'reasoningContentField'>): ChatMessageBody[] {
  const out: ChatMessageBody[] = [];
  let toolImages: ChatContentPart[] = [];
  const flushToolImages = () => {
    if (!toolImages.length) return;
    out.push({ role: 'user', content: [{ type: 'text', text: 'Images returned by the tool calls above:' }, ...toolImages] });
    toolImages = [];
  };
  for (const message of messages) {
    if (message.role !== 'tool') flushToolImages();
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content });
        break;
      case 'user':
        out.push({ role: 'user', content: userContent(message.content) });
        break;
      case 'assistant': {
        const toolCalls = message.toolCalls ?? [];
        const assistant: ChatAssistantMessageBody = { role: 'assistant', content: message.content || (toolCalls.length ? null : '') };
        if (toolCalls.length) assistant.tool_calls = toolCalls.map(toolCallBody);
        if (message.reasoning && options.reasoningContentField) assistant[options.reasoningContentField] = message.reasoning;
        out.push(assistant);
        break;
      }
      case 'tool': {
        // Chat Completions tool messages are text-only on most servers: images move to a user message.
        const images = message.content.filter((part) => part.type === 'image').map(imagePart);
        const text = message.content.filter((part) => part.type !== 'image').map(partText).join('\n');
        const note = images.length ? `[${images.length} image${images.length > 1 ? 's' : ''} returned; shown in the next user message]` : '';
        out.push({ role: 'tool', tool_call_id: message.callId, content: [text, note].filter(Boolean).join('\n') });
        toolImages.push(...images);
        break;
      }
    }
  }
  flushToolImages();
  return out;
}

function userContent(parts: ModelContentPart[]): string | ChatContentPart[] {
  // Plain strings are understood by every server and chat template; parts only when an image needs them.
  if (parts.every((part) => part.type !== 'image')) return parts.map(partText).join('\n');
  return parts.map((part) => (part.type === 'image' ? imagePart(part) : { type: 'text', text: partText(part) }));
}

function partText(part: ModelContentPart): string {
  if (part.type === 'text') return part.text;
  if (part.type === 'file') return `[file: ${part.filename}]\n${part.text}`;
  return '';
}

function imagePart(part: Extract<ModelContentPart, { type: 'image' }>): ChatContentPart {
  if (!part.detail) return { type: 'image_url', image_url: { url: part.url } };
  return { type: 'image_url', image_url: { url: part.url, detail: part.detail === 'original' ? 'high' : part.detail } };
}

function toolCallBody(call: ModelToolCall): ChatToolCallBody {
  // Custom tools travel as functions taking one `input` string, so their raw input is wrapped the same way.
  const args = call.kind === 'custom' ? JSON.stringify({ input: call.arguments }) : call.arguments || '{}';
  return { id: call.callId, type: 'function', function: { name: call.name, arguments: args } };
}

function toolBody(tool: ModelTool): ChatFunctionToolBody {
  if (tool.kind === 'custom') return customToolBody(tool);
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description && { description: tool.description }),
      parameters: tool.parameters,
      ...(tool.strict !== undefined && { strict: tool.strict }),
    },
  };
}

/** A custom (freeform or grammar) tool as a function with one string parameter, the grammar quoted for the model. */
export function customToolBody(tool: ModelCustomTool): ChatFunctionToolBody {
  const format = tool.grammar
    ? `The input must match this ${tool.grammar.syntax === 'lark' ? 'Lark grammar' : 'regular expression'}:\n\`\`\`\n${tool.grammar.definition}\n\`\`\``
    : 'The input is free-form text.';
  const description = [tool.description, `Pass the raw input as the \`input\` string. ${format}`].filter(Boolean).join('\n\n');
  return {
    type: 'function',
    function: {
      name: tool.name,
      description,
      parameters: {
        type: 'object',
        properties: { input: { type: 'string', description: tool.grammar ? `Text matching the ${tool.grammar.syntax} grammar in the tool description.` : 'The raw input.' } },
        required: ['input'],
      },
    },
  };
}
