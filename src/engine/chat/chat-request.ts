import type { ModelContentPart, ModelMessage, ModelRequest, ModelTool, ModelToolChoice } from '../../backends/types.js';
import { invalidRequest } from '../../protocol/errors.js';
import type { ChatCompletionCreateParams, ChatMessage } from '../../protocol/chat.js';
import type { ResolvedModel } from '../model-registry.js';
import { decodeTextFile, imagePart, lateSystemNote } from '../model-messages.js';

type UserContent = Extract<ChatMessage, { role: 'user' }>['content'];

function textOf(content: string | { text: string }[] | null | undefined): string {
  if (content == null) return '';
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

function userParts(content: UserContent, param: string, model: ResolvedModel): ModelContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, index): ModelContentPart => {
    const where = `${param}.content[${index}]`;
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url':
        return imagePart(part.image_url.url, part.image_url.detail ?? undefined, model.capabilities.vision, where, `${where}.image_url.url`);
      case 'file':
        if (!part.file.file_data) throw invalidRequest('file parts need file_data (Kestrel has no Files API).', `${where}.file.file_data`, 'unsupported_parameter');
        return decodeTextFile(part.file.file_data, part.file.filename ?? 'file', `${where}.file.file_data`);
      case 'input_audio':
        throw invalidRequest('Audio input is not supported.', where, 'unsupported_audio');
    }
  });
}

/**
 * Validates a Chat Completions request and converts it into a model call.
 * Throws a 400 naming the `param` for anything inconsistent.
 */
export function chatToModelRequest(params: ChatCompletionCreateParams, model: ResolvedModel): Omit<ModelRequest, 'signal'> {
  const messages: ModelMessage[] = [];
  const system: string[] = [];
  const calls = new Map<string, string>();
  let started = false;
  params.messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        if (!started) system.push(textOf(message.content));
        else messages.push(lateSystemNote(message.role, textOf(message.content)));
        return;
      case 'user':
        started = true;
        messages.push({ role: 'user', content: userParts(message.content, param, model) });
        return;
      case 'assistant': {
        started = true;
        const content = typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
        const turn: Extract<ModelMessage, { role: 'assistant' }> = { role: 'assistant', content };
        const reasoning = message.reasoning_content ?? message.reasoning;
        if (reasoning) turn.reasoning = reasoning;
        if (message.tool_calls?.length) {
          turn.toolCalls = message.tool_calls.map((call) => {
            calls.set(call.id, call.function.name);
            return { callId: call.id, name: call.function.name, arguments: call.function.arguments, kind: 'function' as const };
          });
        }
        messages.push(turn);
        return;
      }
      case 'tool':
        started = true;
        if (!calls.has(message.tool_call_id)) {
          throw invalidRequest(`Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (no call with id '${message.tool_call_id}').`, `${param}.tool_call_id`, 'tool_call_not_found');
        }
        messages.push({ role: 'tool', callId: message.tool_call_id, name: calls.get(message.tool_call_id), content: [{ type: 'text', text: textOf(message.content) }], kind: 'function' });
        return;
      case 'function':
        throw invalidRequest("The legacy 'function' role is not supported; use 'tool' messages.", `${param}.role`, 'unsupported_role');
    }
  });
  if (system.length) messages.unshift({ role: 'system', content: system.join('\n\n') });

  const tools: ModelTool[] = (params.tools ?? []).map((tool) => ({
    kind: 'function',
    name: tool.function.name,
    description: tool.function.description ?? undefined,
    parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    strict: tool.function.strict ?? undefined,
  }));
  if (tools.length && !model.capabilities.tools) throw invalidRequest(`The model \`${model.publicName}\` does not support tools.`, 'tools', 'unsupported_tools');
  let toolChoice: ModelToolChoice = 'auto';
  const choice = params.tool_choice;
  if (typeof choice === 'string') {
    if (choice === 'required' && tools.length === 0) throw invalidRequest("tool_choice 'required' needs at least one tool.", 'tool_choice', 'invalid_tool_choice');
    toolChoice = choice;
  } else if (choice) {
    if (!tools.some((tool) => tool.name === choice.function.name)) throw invalidRequest(`Tool choice '${choice.function.name}' not found in 'tools' parameter.`, 'tool_choice.function.name', 'invalid_tool_choice');
    toolChoice = { name: choice.function.name };
  }
  const format = params.response_format;
  const maxTokens = params.max_completion_tokens ?? params.max_tokens ?? undefined;
  if (maxTokens && model.maxOutputTokens && maxTokens > model.maxOutputTokens) {
    throw invalidRequest(`max_tokens is ${maxTokens}, but \`${model.publicName}\` produces at most ${model.maxOutputTokens} tokens.`, params.max_completion_tokens ? 'max_completion_tokens' : 'max_tokens', 'integer_above_max_value');
  }
  return {
    model: model.backendModel,
    messages,
    tools,
    toolChoice,
    parallelToolCalls: params.parallel_tool_calls ?? true,
    maxOutputTokens: maxTokens,
    temperature: params.temperature ?? undefined,
    topP: params.top_p ?? undefined,
    stop: params.stop == null ? undefined : typeof params.stop === 'string' ? [params.stop] : params.stop,
    seed: params.seed ?? undefined,
    presencePenalty: params.presence_penalty ?? undefined,
    frequencyPenalty: params.frequency_penalty ?? undefined,
    responseFormat:
      !format || format.type === 'text'
        ? { type: 'text' }
        : format.type === 'json_object'
          ? { type: 'json_object' }
          : { type: 'json_schema', name: format.json_schema.name, schema: format.json_schema.schema ?? {}, strict: format.json_schema.strict ?? undefined },
    reasoning: params.reasoning_effort ? { effort: params.reasoning_effort } : undefined,
    verbosity: params.verbosity ?? undefined,
    promptCacheKey: params.prompt_cache_key ?? undefined,
    user: params.safety_identifier ?? params.user ?? undefined,
  };
}
