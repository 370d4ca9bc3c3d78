import type { ModelContentPart, ModelMessage, ModelRequest, ModelTool, ReasoningEffort } from '../types.js';
import { anthropicComputer, toAnthropicAction, type AnthropicComputer } from './computer.js';
import { thinkingBlocksFrom } from './reasoning-state.js';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicRequestBody,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from './wire.js';

export const DEFAULT_MAX_TOKENS = 8192;

/** Thinking budget per reasoning effort; `none`/`minimal` turn thinking off. */
export const THINKING_BUDGETS: Record<ReasoningEffort, number | undefined> = {
  none: undefined,
  minimal: undefined,
  low: 1024,
  medium: 4096,
  high: 16_384,
  xhigh: 32_768,
  max: 32_768,
};

/** Anthropic rejects smaller budgets: a smaller one turns thinking off. */
const MIN_THINKING_BUDGET = 1024;

export interface AnthropicRequestOptions {
  /** `max_tokens` when the request sets none (config `maxOutputTokens`, else 8192). */
  defaultMaxTokens?: number;
}

/**
 * Translates a normalised model request into an Anthropic `POST /v1/messages` body.
 *
 * @example
 * const body = toAnthropicRequest({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], tools: [], toolChoice: 'auto', parallelToolCalls: true, responseFormat: { type: 'text' }, signal });
 * // { model: 'claude-sonnet-4-5', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true }
 */
export function toAnthropicRequest(request: ModelRequest, options: AnthropicRequestOptions = {}): AnthropicRequestBody {
  const customTools = new Set(request.tools.filter((tool) => tool.kind === 'custom').map((tool) => tool.name));
  const systemParts = request.messages.flatMap((message) => (message.role === 'system' && message.content ? [message.content] : []));
  const formatHint = responseFormatInstruction(request);
  if (formatHint) systemParts.push(formatHint);

  const computer = anthropicComputer(request);
  const messages = toAnthropicMessages(request.messages, customTools, computer);
  const baseMaxTokens = request.maxOutputTokens ?? options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  const body: AnthropicRequestBody = { model: request.model, max_tokens: baseMaxTokens, messages, stream: true };
  if (systemParts.length) body.system = systemParts.join('\n\n');

  const offersTools = request.tools.length > 0;
  if (offersTools) {
    body.tools = request.tools.map((tool) => (computer && tool.name === 'computer' ? computer.tool : toAnthropicTool(tool)));
    body.tool_choice = toAnthropicToolChoice(request);
  }
  if (request.stop?.length) body.stop_sequences = request.stop;
  if (request.user) body.metadata = { user_id: request.user };

  // The engine's budget for the effort wins over this table; Anthropic's smallest budget is 1024 tokens.
  const wanted = request.reasoning?.effort ? (request.reasoning.budgetTokens ?? THINKING_BUDGETS[request.reasoning.effort]) : undefined;
  let budget = wanted !== undefined && wanted >= MIN_THINKING_BUDGET ? wanted : undefined;
  // Anthropic rejects thinking together with a forced tool choice, and rejects a final assistant
  // turn with tool_use that does not start with its (signed) thinking block.
  if (budget !== undefined && (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool' || lastToolTurnLacksThinking(messages))) budget = undefined;
  if (budget !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: budget };
    // The budget counts against max_tokens and must stay below it: keep the requested room for the answer.
    if (body.max_tokens <= budget) body.max_tokens = budget + baseMaxTokens;
    // With thinking on, temperature must stay 1 and top_p at least 0.95.
    if (request.topP !== undefined && request.topP >= 0.95) body.top_p = request.topP;
  } else {
    if (request.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, request.temperature));
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  return body;
}

function lastToolTurnLacksThinking(messages: AnthropicMessage[]): boolean {
  const last = messages.findLast((message) => message.role === 'assistant');
  if (!last || !last.content.some((block) => block.type === 'tool_use')) return false;
  const first = last.content[0];
  return first.type !== 'thinking' && first.type !== 'redacted_thinking';
}

/** Anthropic tool ids must match `^[a-zA-Z0-9_-]+$`; the same mapping applies to tool_use and tool_result. */
export function toolUseId(callId: string): string {
  const cleaned = callId.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned || 'call';
}

function toAnthropicMessages(messages: ModelMessage[], customTools: Set<string>, computer?: AnthropicComputer): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  // Anthropic's computer tool takes one action per tool_use: a batched call becomes several, answered in order.
  const computerUses = new Map<string, string[]>();
  const push = (role: 'user' | 'assistant', content: AnthropicContentBlock[]) => {
    if (!content.length) return;
    const last = out[out.length - 1];
    // The API demands alternating roles: consecutive same-role turns become one message.
    if (last && last.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        break;
      case 'user':
        push('user', userBlocks(message.content));
        break;
      case 'assistant': {
        const blocks: AnthropicContentBlock[] = [...thinkingBlocksFrom(message.reasoningState, message.reasoning)];
        if (message.content) blocks.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls ?? []) {
          if (computer && call.name === 'computer') {
            const actions = computerActions(call.arguments);
            const ids = actions.map((_, index) => (index === actions.length - 1 ? toolUseId(call.callId) : `${toolUseId(call.callId)}_${index}`));
            computerUses.set(call.callId, ids);
            actions.forEach((action, index) => blocks.push({ type: 'tool_use', id: ids[index], name: 'computer', input: toAnthropicAction(action) }));
            continue;
          }
          blocks.push({ type: 'tool_use', id: toolUseId(call.callId), name: call.name, input: toolInput(call.arguments, call.kind === 'custom' || customTools.has(call.name)) });
        }
        push('assistant', blocks);
        break;
      }
      case 'tool': {
        const content = userBlocks(message.content);
        const earlier = (computerUses.get(message.callId) ?? []).slice(0, -1);
        for (const id of earlier) push('user', [{ type: 'tool_result', tool_use_id: id, content: [{ type: 'text', text: 'Done.' }] }]);
        push('user', [{ type: 'tool_result', tool_use_id: toolUseId(message.callId), ...(content.length ? { content } : {}) } as AnthropicContentBlock]);
        break;
      }
    }
  }
  // tool_result blocks must lead the user message that answers a tool_use turn.
  for (const message of out) {
    if (message.role === 'user' && message.content.some((block) => block.type === 'tool_result')) {
      message.content = [...message.content.filter((block) => block.type === 'tool_result'), ...message.content.filter((block) => block.type !== 'tool_result')];
    }
  }
  return out;
}

/** The actions of a computer call's arguments (`{"actions": [...]}`); at least one. */
function computerActions(args: string): Record<string, unknown>[] {
  try {
    const parsed = JSON.parse(args) as { actions?: unknown };
    const actions = Array.isArray(parsed.actions) ? parsed.actions.filter((action): action is Record<string, unknown> => !!action && typeof action === 'object') : [];
    return actions.length ? actions : [{ type: 'screenshot' }];
  } catch {
    return [{ type: 'screenshot' }];
  }
}

function toolInput(args: string, custom: boolean): Record<string, unknown> {
  if (custom) return { input: args };
  if (!args.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function userBlocks(parts: ModelContentPart[]): (AnthropicTextBlock | AnthropicImageBlock)[] {
  const blocks: (AnthropicTextBlock | AnthropicImageBlock)[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      // Empty text blocks are rejected by the API.
      if (part.text) blocks.push({ type: 'text', text: part.text });
    } else if (part.type === 'file') {
      blocks.push({ type: 'text', text: `<file name="${part.filename}">\n${part.text}\n</file>` });
    } else {
      blocks.push(imageBlock(part.url));
    }
  }
  return blocks;
}

function imageBlock(url: string): AnthropicImageBlock {
  const data = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!data) return { type: 'image', source: { type: 'url', url } };
  const [, mediaType, params, payload] = data;
  const base64 = params.split(';').includes('base64') ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: base64 } };
}

function toAnthropicTool(tool: ModelTool): AnthropicTool {
  if (tool.kind === 'function') {
    const schema = tool.parameters && typeof tool.parameters === 'object' && Object.keys(tool.parameters).length ? tool.parameters : { type: 'object', properties: {} };
    return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), input_schema: schema };
  }
  // Anthropic has no freeform tools: the raw input travels as one string property.
  const lines = [tool.description ?? '', 'Put the raw input of this tool, as free-form text, in the `input` property.'];
  if (tool.grammar) lines.push(`The input must match this ${tool.grammar.syntax === 'lark' ? 'Lark' : 'regular expression'} grammar:\n\`\`\`\n${tool.grammar.definition}\n\`\`\``);
  return {
    name: tool.name,
    description: lines.filter(Boolean).join('\n\n'),
    input_schema: { type: 'object', properties: { input: { type: 'string', description: 'The raw tool input.' } }, required: ['input'] },
  };
}

function toAnthropicToolChoice(request: ModelRequest): AnthropicToolChoice {
  const choice = request.toolChoice;
  if (choice === 'none') return { type: 'none' };
  const parallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  return { type: 'tool', name: choice.name, ...parallel };
}

function responseFormatInstruction(request: ModelRequest): string | undefined {
  const format = request.responseFormat;
  if (format.type === 'json_object') return 'Answer with one JSON object only: no prose, no code fences.';
  if (format.type === 'json_schema') {
    const about = format.description ? ` (${format.description})` : '';
    return `Answer with one JSON object only, no prose and no code fences, matching the JSON Schema "${format.name}"${about}:\n${JSON.stringify(format.schema)}`;
  }
  return undefined;
}
