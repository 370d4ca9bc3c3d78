import type { ChatHistoryItem, ChatModelFunctions, ChatModelResponse, GbnfJsonSchema } from 'node-llama-cpp';
import { BackendError, type ModelContentPart, type ModelMessage, type ModelTool } from '../types.js';

/**
 * The normalised conversation as node-llama-cpp chat history, which its chat wrappers (the GGUF's
 * own Jinja template, or a specialised wrapper equivalent to it) render into the prompt.
 * node-llama-cpp keeps a tool result inside the model turn that called the tool, so tool messages
 * are folded into the preceding assistant turn.
 */

/** How a custom tool is offered: a function taking the raw input as one `input` string. */
export function customToolParameters(tool: Extract<ModelTool, { kind: 'custom' }>): Record<string, unknown> {
  return {
    type: 'object',
    properties: { input: { type: 'string', description: tool.grammar ? `Text matching the ${tool.grammar.syntax} grammar in the tool description.` : 'The raw input.' } },
    required: ['input'],
  };
}

function customToolDescription(tool: Extract<ModelTool, { kind: 'custom' }>): string {
  const format = tool.grammar
    ? `The input must match this ${tool.grammar.syntax === 'lark' ? 'Lark grammar' : 'regular expression'}:\n\`\`\`\n${tool.grammar.definition}\n\`\`\``
    : 'The input is free-form text.';
  return [tool.description, `Pass the raw input as the \`input\` string. ${format}`].filter(Boolean).join('\n\n');
}

/**
 * The tools as node-llama-cpp functions. The parameters are only rendered into the prompt here
 * (Kestrel builds its own grammars), so any JSON Schema passes through unchanged.
 *
 * @example toChatFunctions([{ kind: 'function', name: 'get_weather', parameters: { type: 'object' } }])
 */
export function toChatFunctions(tools: ModelTool[]): ChatModelFunctions {
  const functions: Record<string, { description?: string; params?: GbnfJsonSchema }> = {};
  for (const tool of tools) {
    const params = (tool.kind === 'custom' ? customToolParameters(tool) : tool.parameters) as unknown as GbnfJsonSchema;
    functions[tool.name] = { description: tool.kind === 'custom' ? customToolDescription(tool) : tool.description, params };
  }
  return functions;
}

function partsText(parts: ModelContentPart[], where: string): string {
  return parts
    .map((part) => {
      if (part.type === 'text') return part.text;
      if (part.type === 'file') return `[file: ${part.filename}]\n${part.text}`;
      throw new BackendError(400, `This local model reads text only; ${where} contains an image.`, { code: 'unsupported_image', type: 'invalid_request_error' });
    })
    .join('\n');
}

/** A tool result as the template shows it: JSON stays JSON, anything else is a string. */
function resultValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

function callParams(argumentsText: string, kind: 'function' | 'custom'): unknown {
  if (kind === 'custom') return { input: argumentsText };
  try {
    return JSON.parse(argumentsText || '{}');
  } catch {
    return argumentsText;
  }
}

/**
 * Converts normalised messages to chat history ending with an open model turn.
 *
 * @example toChatHistory([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]) // [{ type: 'user', text: 'Hi' }, { type: 'model', response: [] }]
 */
export function toChatHistory(messages: ModelMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const results = new Map<string, string>();
  for (const message of messages) if (message.role === 'tool') results.set(message.callId, partsText(message.content, 'a tool result'));
  const answered = new Set<string>();
  for (const [index, message] of messages.entries()) {
    switch (message.role) {
      case 'system':
        history.push({ type: 'system', text: message.content });
        break;
      case 'user':
        history.push({ type: 'user', text: partsText(message.content, `message ${index}`) });
        break;
      case 'assistant': {
        const response: ChatModelResponse['response'] = [];
        if (message.reasoning) response.push({ type: 'segment', segmentType: 'thought', text: message.reasoning, ended: true });
        if (message.content) response.push(message.content);
        for (const call of message.toolCalls ?? []) {
          answered.add(call.callId);
          const result = results.get(call.callId);
          response.push({ type: 'functionCall', name: call.name, params: callParams(call.arguments, call.kind), result: result === undefined ? '' : resultValue(result) });
        }
        history.push({ type: 'model', response });
        break;
      }
      case 'tool':
        // A result whose call is not in the conversation still reaches the model, as a note.
        if (!answered.has(message.callId)) history.push({ type: 'user', text: `Result of tool call ${message.callId}${message.name ? ` (${message.name})` : ''}:\n${partsText(message.content, 'a tool result')}` });
        break;
    }
  }
  history.push({ type: 'model', response: [] });
  return history;
}
