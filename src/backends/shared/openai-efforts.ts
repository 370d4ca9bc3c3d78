import type { ReasoningEffort } from '../types.js';

/**
 * Effort levels of OpenAI's reasoning models, by name (first match wins). Source: the OpenAI SDK's
 * effort enum and per-model lists as published in March 2026 (see shared/reference/responses-api.md §10).
 */
const OPENAI_EFFORTS: [RegExp, readonly ReasoningEffort[]][] = [
  [/^gpt-5(\.\d+)?-pro\b/, ['high']],
  [/^gpt-5\.[2-9]\d*-codex\b|^gpt-5\.1-codex-max\b/, ['low', 'medium', 'high', 'xhigh']],
  [/^gpt-5\.1-codex\b/, ['low', 'medium', 'high']],
  [/^gpt-5\.(?:[2-9]|\d{2,})/, ['none', 'low', 'medium', 'high', 'xhigh']],
  [/^gpt-5\.1\b/, ['none', 'low', 'medium', 'high']],
  [/^gpt-5\b/, ['minimal', 'low', 'medium', 'high']],
  [/^o[1-9]\b/, ['low', 'medium', 'high']],
];

/**
 * The effort levels an OpenAI model accepts, or undefined when the name is not a known reasoning model.
 *
 * @example openAIEfforts('gpt-5.4-mini') // ['none', 'low', 'medium', 'high', 'xhigh']
 */
export function openAIEfforts(model: string): readonly ReasoningEffort[] | undefined {
  const name = model.replace(/^openai\//, '');
  return OPENAI_EFFORTS.find(([pattern]) => pattern.test(name))?.[1];
}
