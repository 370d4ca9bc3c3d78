/** Prompt tokens of a task with every tool loaded, and with tool search (o200k, as the engine counts). */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ModelMessage, ModelTool } from '../../src/backends/types.js';
import { toolSearchFunction, type DeferredSummary } from '../../src/engine/tools/tool-search/index.js';
import type { BenchTool, Service } from './catalog-builder.js';

/** A catalogue tool as the model sees it (namespaced tools are flattened as `ns__name`, as the engine does). */
export function modelTool(tool: BenchTool): ModelTool {
  return { kind: 'function', name: `${tool.namespace}__${tool.name}`, description: tool.definition.description, parameters: tool.definition.parameters };
}

const user = (text: string): ModelMessage => ({ role: 'user', content: [{ type: 'text', text }] });

// OpenAI's cookbook framing for o200k chat models (what the engine's counter uses for OpenAI models).
const PER_MESSAGE = 3;
const PER_REPLY = 3;
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Prompt tokens of one model call: messages with their framing, and each tool definition as JSON. */
export function countPromptTokens(messages: ModelMessage[], tools: ModelTool[]): number {
  let total = PER_REPLY;
  for (const message of messages) {
    total += PER_MESSAGE;
    if (message.role === 'system') total += countTokens(message.content, PLAIN);
    else if (message.role === 'assistant') {
      total += countTokens(message.content, PLAIN);
      for (const call of message.toolCalls ?? []) total += countTokens(call.name, PLAIN) + countTokens(call.arguments, PLAIN) + PER_MESSAGE;
    } else for (const part of message.content) if (part.type === 'text') total += countTokens(part.text, PLAIN);
  }
  for (const tool of tools) total += countTokens(JSON.stringify(tool), PLAIN);
  return total;
}

/** One model call with the whole catalogue in `tools`. */
export function allLoadedTokens(query: string, tools: readonly BenchTool[]): number {
  return countPromptTokens([user(query)], tools.map(modelTool));
}

/**
 * The two model calls of a task with tool search: first with only the `tool_search` function (its
 * description lists the namespaces), then with the search call, its output and the loaded tools.
 */
export function toolSearchTokens(query: string, services: readonly Service[], loaded: readonly BenchTool[], maxResults: number): { first: number; second: number; total: number } {
  const summaries: DeferredSummary[] = services.map((service) => ({ name: service.namespace, description: service.description, tools: service.tools.length }));
  const search = toolSearchFunction(summaries, maxResults);
  const first = countPromptTokens([user(query)], [search]);
  const callArguments = JSON.stringify({ query });
  const second = countPromptTokens(
    [
      user(query),
      { role: 'assistant', content: '', toolCalls: [{ callId: 'call_1', name: search.name, arguments: callArguments, kind: 'function' }] },
      { role: 'tool', callId: 'call_1', kind: 'function', content: [{ type: 'text', text: `Loaded ${loaded.length} tools: ${loaded.map((tool) => tool.path).join(', ')}.` }] },
    ],
    [search, ...loaded.map(modelTool)],
  );
  return { first, second, total: first + second };
}
