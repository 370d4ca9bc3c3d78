import { openAIEfforts } from '../shared/openai-efforts.js';
import type { ModelContinuation, ModelRequest, ReasoningEffort } from '../types.js';

/**
 * How a Chat Completions server is told the reasoning effort:
 * - `openai`: top-level `reasoning_effort` (OpenAI, OpenRouter, LM Studio, gpt-oss servers);
 * - `ollama`: `reasoning_effort` (none, low, medium, high) and `think` on/off;
 * - `vllm`: chat-template switches `chat_template_kwargs: {enable_thinking, thinking, reasoning_effort}` (vLLM, SGLang);
 * - `llama.cpp`: the same switches plus the per-request `thinking_budget_tokens` of llama-server;
 * - `none`: nothing is sent.
 */
export type ReasoningDialect = 'openai' | 'ollama' | 'vllm' | 'llama.cpp' | 'none';
export const REASONING_DIALECTS: readonly ReasoningDialect[] = ['openai', 'ollama', 'vllm', 'llama.cpp', 'none'];

const OLLAMA_EFFORTS: readonly ReasoningEffort[] = ['none', 'low', 'medium', 'high'];
const GPT_OSS_EFFORTS = new Set<ReasoningEffort>(['low', 'medium', 'high']);

/**
 * The body fields that carry `request.reasoning` in a dialect (merged into the body before `extraBody`).
 *
 * @example
 * reasoningFields({ effort: 'none' }, 'vllm', 'reasoning_effort')
 * // { chat_template_kwargs: { enable_thinking: false, thinking: false, reasoning_effort: 'none' } }
 */
export function reasoningFields(reasoning: ModelRequest['reasoning'], dialect: ReasoningDialect, effortField: string | false): Record<string, unknown> {
  const effort = reasoning?.effort;
  if (!effort) return {};
  const thinking = effort !== 'none';
  switch (dialect) {
    case 'openai':
      return effortField ? { [effortField]: effort } : {};
    case 'ollama':
      return { reasoning_effort: clampTo(effort, OLLAMA_EFFORTS), think: thinking };
    case 'vllm': {
      const fields: Record<string, unknown> = { chat_template_kwargs: { enable_thinking: thinking, thinking, reasoning_effort: effort } };
      // vLLM checks the top-level field against gpt-oss's three levels: other values would be a 400.
      if (GPT_OSS_EFFORTS.has(effort)) fields.reasoning_effort = effort;
      return fields;
    }
    case 'llama.cpp': {
      const fields: Record<string, unknown> = { chat_template_kwargs: { enable_thinking: thinking, reasoning_effort: effort } };
      if (!thinking) fields.thinking_budget_tokens = 0;
      else if (reasoning.budgetTokens !== undefined) fields.thinking_budget_tokens = reasoning.budgetTokens;
      return fields;
    }
    case 'none':
      return {};
  }
}

/** Effort levels a dialect accepts for `model`, when it limits them. */
export function dialectEfforts(dialect: ReasoningDialect, model: string): readonly ReasoningEffort[] | undefined {
  if (dialect === 'ollama') return OLLAMA_EFFORTS;
  if (dialect === 'openai') return openAIEfforts(model);
  return undefined;
}

/** Whether a dialect's servers continue a final assistant message (prefill), as budget forcing needs. */
export function dialectContinues(dialect: ReasoningDialect): boolean {
  return dialect === 'vllm' || dialect === 'llama.cpp';
}

/**
 * The final assistant message that continues a partial turn, and the flags the server needs for it
 * (vLLM: `continue_final_message`; llama-server prefills a final assistant message by itself).
 *
 * @example continuationMessage({ reasoning: 'Add them.', thinkingClosed: true }, 'vllm')
 * // { message: { role: 'assistant', content: '<think>\nAdd them.\n</think>\n\n' }, fields: { continue_final_message: true, add_generation_prompt: false } }
 */
export function continuationMessage(continuation: ModelContinuation, dialect: ReasoningDialect): { message: { role: 'assistant'; content: string }; fields: Record<string, unknown> } {
  const content = `<think>\n${continuation.reasoning}${continuation.thinkingClosed ? '\n</think>\n\n' : ''}`;
  const fields = dialect === 'vllm' ? { continue_final_message: true, add_generation_prompt: false } : {};
  return { message: { role: 'assistant', content }, fields };
}

/**
 * Guesses the dialect from `GET /models` (`owned_by`: vLLM says `vllm`, SGLang `sglang`, llama-server
 * `llamacpp`, Ollama `library` or the model's namespace), or undefined when it cannot tell.
 *
 * @example dialectFromListing({ data: [{ id: 'Qwen/Qwen3-8B', owned_by: 'vllm' }] }) // 'vllm'
 */
export function dialectFromListing(listing: unknown): ReasoningDialect | undefined {
  const data = listing && typeof listing === 'object' ? (listing as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) return undefined;
  for (const entry of data) {
    const owner = entry && typeof entry === 'object' ? (entry as { owned_by?: unknown }).owned_by : undefined;
    if (owner === 'vllm' || owner === 'sglang') return 'vllm';
    if (owner === 'llamacpp') return 'llama.cpp';
    if (owner === 'library' || owner === 'ollama') return 'ollama';
  }
  return undefined;
}

/** The dialect a base URL implies before anything was detected. */
export function dialectFromURL(baseURL: string): ReasoningDialect {
  if (/^https:\/\/api\.openai\.com(\/|$)/.test(baseURL)) return 'openai';
  if (/:11434(\/|$)/.test(baseURL)) return 'ollama';
  return 'openai';
}

function clampTo(effort: ReasoningEffort, levels: readonly ReasoningEffort[]): ReasoningEffort {
  if (levels.includes(effort)) return effort;
  const order: ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];
  const rank = order.indexOf(effort);
  // Below the range rounds up (some thinking was asked for), above it rounds down.
  return levels.find((level) => order.indexOf(level) >= rank) ?? levels[levels.length - 1];
}
