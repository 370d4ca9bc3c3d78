import type { ModelContentPart, ModelMessage, ModelRequest, ModelTool } from '../types.js';
import { BLANK_SCREENSHOT, computerArguments, nativeComputer, type NativeComputer } from './computer.js';
import type { InputContent, UpstreamInputItem, UpstreamRequestBody, UpstreamTool, UpstreamToolChoice } from './wire.js';

/**
 * Translates a normalised model request into an OpenAI `POST /responses` body: stateless
 * (`store: false`), streamed, with OpenAI's encrypted reasoning asked back so it can be replayed.
 *
 * @example
 * toResponsesRequest({ model: 'gpt-5.4', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], tools: [], toolChoice: 'auto', parallelToolCalls: true, responseFormat: { type: 'text' }, signal });
 * // { model: 'gpt-5.4', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }], stream: true, store: false, include: ['reasoning.encrypted_content'] }
 */
export function toResponsesRequest(request: ModelRequest): UpstreamRequestBody {
  const computer = nativeComputer(request);
  const body: UpstreamRequestBody = {
    model: request.model,
    input: computer ? toComputerInputItems(request.messages, computer) : request.messages.flatMap(toInputItems),
    stream: true,
    store: false,
    include: ['reasoning.encrypted_content'],
  };
  if (request.tools.length) {
    body.tools = request.tools.map((tool) => (computer && tool.name === computer.name ? computer.tool : toUpstreamTool(tool)));
    body.tool_choice = toUpstreamToolChoice(request, computer);
    body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (computer?.preview) body.truncation = 'auto';
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  const format = request.responseFormat;
  if (format.type !== 'text' || request.verbosity) {
    body.text = {};
    if (format.type === 'json_schema') {
      body.text.format = { type: 'json_schema', name: format.name, schema: format.schema };
      if (format.strict !== undefined) body.text.format.strict = format.strict;
      if (format.description) body.text.format.description = format.description;
    } else if (format.type === 'json_object') body.text.format = { type: 'json_object' };
    if (request.verbosity) body.text.verbosity = request.verbosity;
  }
  if (request.reasoning && (request.reasoning.effort || request.reasoning.summary)) {
    body.reasoning = {};
    if (request.reasoning.effort) body.reasoning.effort = request.reasoning.effort;
    if (request.reasoning.summary) body.reasoning.summary = request.reasoning.summary;
  }
  if (request.promptCacheKey) body.prompt_cache_key = request.promptCacheKey;
  if (request.user) body.user = request.user;
  return body;
}

function toInputItems(message: ModelMessage): UpstreamInputItem[] {
  switch (message.role) {
    case 'system':
      return [{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: message.content }] }];
    case 'user':
      return [{ type: 'message', role: 'user', content: message.content.map(inputContent) }];
    case 'assistant': {
      const items: UpstreamInputItem[] = [];
      // Only OpenAI's own encrypted blob can be replayed; another backend's reasoning stays behind.
      const encrypted = message.reasoningState?.encryptedContent;
      if (typeof encrypted === 'string' && encrypted) items.push({ type: 'reasoning', summary: [], encrypted_content: encrypted });
      if (message.content) items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: message.content }] });
      for (const call of message.toolCalls ?? []) {
        items.push(call.kind === 'custom' ? { type: 'custom_tool_call', call_id: call.callId, name: call.name, input: call.arguments } : { type: 'function_call', call_id: call.callId, name: call.name, arguments: call.arguments });
      }
      return items;
    }
    case 'tool': {
      const parts = message.content.map(inputContent);
      const output = parts.every((part) => part.type === 'input_text') ? parts.map((part) => (part as { text: string }).text).join('') : parts;
      return [{ type: message.kind === 'custom' ? 'custom_tool_call_output' : 'function_call_output', call_id: message.callId, output }];
    }
  }
}

function inputContent(part: ModelContentPart): InputContent {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image':
      return { type: 'input_image', image_url: part.url, detail: part.detail ?? 'auto' };
    case 'file':
      return { type: 'input_text', text: `<file name="${part.filename}">\n${part.text}\n</file>` };
  }
}

function toUpstreamTool(tool: ModelTool): UpstreamTool {
  const description = tool.description ? { description: tool.description } : {};
  if (tool.kind === 'function') {
    // strict is left out when unset so the upstream applies its own default, as for a direct call.
    return { type: 'function', name: tool.name, ...description, parameters: tool.parameters, ...(tool.strict !== undefined ? { strict: tool.strict } : {}) };
  }
  return { type: 'custom', name: tool.name, ...description, format: tool.grammar ? { type: 'grammar', syntax: tool.grammar.syntax, definition: tool.grammar.definition } : { type: 'text' } };
}

function toUpstreamToolChoice(request: ModelRequest, computer: NativeComputer | undefined): UpstreamToolChoice {
  const choice = request.toolChoice;
  if (typeof choice === 'string') return choice;
  if (computer && choice.name === computer.name) return { type: computer.preview ? 'computer_use_preview' : 'computer' };
  const tool = request.tools.find((candidate) => candidate.name === choice.name);
  return { type: tool?.kind === 'custom' ? 'custom' : 'function', name: choice.name };
}

/**
 * Messages to input items when the model uses OpenAI's computer tool: calls of Kestrel's computer function become
 * `computer_call` items, their results `computer_call_output` screenshots (acknowledging the call's safety checks:
 * Kestrel only continues past a call once the client acknowledged them), and any text of a result a user message.
 */
function toComputerInputItems(messages: ModelMessage[], computer: NativeComputer): UpstreamInputItem[] {
  const calls = new Map<string, { id: string; code?: string | null; message?: string | null }[]>();
  let lastScreenshot = BLANK_SCREENSHOT;
  const items: UpstreamInputItem[] = [];
  for (const message of messages) {
    if (message.role === 'assistant' && message.toolCalls?.some((call) => call.name === computer.name)) {
      const others = { ...message, toolCalls: message.toolCalls.filter((call) => call.name !== computer.name) };
      items.push(...toInputItems(others));
      for (const call of message.toolCalls.filter((candidate) => candidate.name === computer.name)) {
        const { actions, checks, upstreamId } = computerArguments(call.arguments);
        calls.set(call.callId, checks);
        const id = upstreamId ?? `cu_${call.callId.replace(/[^a-zA-Z0-9]/g, '')}`;
        const first = actions[0] ?? { type: 'screenshot' };
        items.push({
          type: 'computer_call',
          id,
          call_id: call.callId,
          status: 'completed',
          ...(computer.preview ? { action: first } : { actions, action: first }),
          // The live API rejects an empty pending_safety_checks on a replayed call.
          ...(checks.length ? { pending_safety_checks: checks } : {}),
        });
      }
      continue;
    }
    if (message.role === 'tool' && calls.has(message.callId)) {
      const image = message.content.find((part): part is Extract<ModelContentPart, { type: 'image' }> => part.type === 'image');
      if (image) lastScreenshot = image.url;
      const checks = calls.get(message.callId) ?? [];
      items.push({
        type: 'computer_call_output',
        call_id: message.callId,
        output: { type: 'computer_screenshot', image_url: image?.url ?? lastScreenshot },
        ...(checks.length ? { acknowledged_safety_checks: checks } : {}),
      });
      const text = message.content.flatMap((part) => (part.type === 'text' && part.text ? [part.text] : []));
      if (text.length) items.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text: text.join('\n') }] });
      continue;
    }
    items.push(...toInputItems(message));
  }
  return items;
}
