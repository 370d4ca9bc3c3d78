import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ModelMessage, ModelTool } from '../backends/types.js';
import { InputTokensParams, parseBody, type ResponseCreateParams } from '../protocol/index.js';
import type { Owner } from '../store/types.js';
import type { Engine } from './index.js';

// Per-message framing cost of chat templates (role markers, separators), as in OpenAI's cookbook count.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;
const TOKENS_PER_IMAGE = 765;

/**
 * Counts the prompt tokens of a normalised model call with the o200k tokenizer.
 *
 * @example countPromptTokens([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], [])
 */
export function countPromptTokens(messages: ModelMessage[], tools: ModelTool[]): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE;
    if (message.role === 'system') total += countTokens(message.content);
    else if (message.role === 'assistant') {
      total += countTokens(message.content);
      if (message.reasoning) total += countTokens(message.reasoning);
      for (const call of message.toolCalls ?? []) total += countTokens(call.name) + countTokens(call.arguments) + TOKENS_PER_MESSAGE;
    } else {
      for (const part of message.content) {
        if (part.type === 'text') total += countTokens(part.text);
        else if (part.type === 'file') total += countTokens(part.filename) + countTokens(part.text);
        else total += TOKENS_PER_IMAGE;
      }
    }
  }
  for (const tool of tools) total += countTokens(JSON.stringify(tool));
  return total;
}

/** `POST /v1/responses/input_tokens`: the prompt tokens Kestrel would send for this request. */
export async function countInputTokens(engine: Engine, body: unknown, owner: Owner): Promise<{ object: 'response.input_tokens'; input_tokens: number }> {
  const params = parseBody(InputTokensParams, body);
  const model = params.model ?? engine.models.list()[0]?.publicName ?? 'default';
  const prepared = await engine.prepare({ ...params, model } as ResponseCreateParams, owner);
  return { object: 'response.input_tokens', input_tokens: countPromptTokens(prepared.modelRequest.messages, prepared.modelRequest.tools) };
}
