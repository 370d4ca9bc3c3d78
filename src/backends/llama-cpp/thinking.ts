import { Gemma4ChatWrapper, HarmonyChatWrapper, JinjaTemplateChatWrapper, MuseChatWrapper, QwenChatWrapper, SeedChatWrapper, type ChatWrapper } from 'node-llama-cpp';
import { EFFORT_LEVELS, nearestEffort } from '../../engine/reasoning/effort.js';
import type { ReasoningEffort } from '../types.js';

/**
 * How `reasoning.effort` reaches a local model: the switches its chat wrapper has (Qwen `thoughts`,
 * Gemma 4 `reasoning`, Seed `thinkingBudget`, Harmony `reasoningEffort`, Muse `reasoningStrength`),
 * or, for the GGUF's own Jinja template, what the template writes after the turn's header when
 * `enable_thinking` is false (Qwen3-style templates: an empty `<think>\n\n</think>\n\n`).
 */

/** The wrapper and prompt tail of one call. */
export interface ThinkingSetup {
  wrapper: ChatWrapper;
  /** Text (special tokens allowed) appended after the open turn's header: the template's own "no thinking" start. */
  prefill: string | null;
  /** False when thinking is off for this call: no thought is opened at the start of the turn. */
  thinking: boolean;
}

/** One loaded model's thinking switches. */
export interface ThinkingControl {
  /** The wrapper has a thought segment (the model marks its thoughts, e.g. `<think>…</think>`). */
  readonly marksThoughts: boolean;
  /** The levels the model has; undefined when every level applies (or none matters: the model does not think). */
  readonly levels: readonly ReasoningEffort[] | undefined;
  /** The wrapper and prompt tail for a level (undefined: the model's default). */
  forEffort(effort: ReasoningEffort | undefined, budgetTokens: number | undefined): ThinkingSetup;
}

const HARMONY_LEVELS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];
const MUSE_LEVELS: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh'];
const THINKING_LEVELS: readonly ReasoningEffort[] = EFFORT_LEVELS.filter((level) => level !== 'none');

/** A copy of a wrapper with other values for options its render reads (they are plain fields, read per render). */
function variant<T extends ChatWrapper>(base: T, overrides: Record<string, unknown>): T {
  return Object.assign(Object.create(Object.getPrototypeOf(base) as object) as T, base, overrides);
}

/**
 * What the model's Jinja template writes after the open turn's header when `enable_thinking` is
 * false and not when it is true, provided the wrapper renders that header as the template does
 * (null otherwise). node-llama-cpp renders the last turn as an assistant message, never as the
 * template's generation prompt, which is where such templates switch thinking off.
 */
export function jinjaThinkingOffPrefill(wrapper: JinjaTemplateChatWrapper): string | null {
  const engine = (wrapper as unknown as { _jinjaTemplate?: { render?: (params: Record<string, unknown>) => string } })._jinjaTemplate;
  if (typeof engine?.render !== 'function' || !wrapper.template.includes('enable_thinking')) return null;
  const marker = 'Kestrel probe 7f3a';
  try {
    const generation = (enable: boolean): string => {
      const text = engine.render!({ messages: [{ role: 'user', content: marker }], add_generation_prompt: true, bos_token: '', eos_token: '', enable_thinking: enable });
      return text.slice(text.lastIndexOf(marker) + marker.length);
    };
    const rendered = wrapper.generateContextState({ chatHistory: [{ type: 'user', text: marker }, { type: 'model', response: [] }] }).contextText.toString();
    const header = rendered.slice(rendered.lastIndexOf(marker) + marker.length);
    const on = generation(true);
    const off = generation(false);
    if (!off.startsWith(header) || !on.startsWith(header)) return null;
    const prefill = off.slice(header.length);
    return prefill && prefill !== on.slice(header.length) ? prefill : null;
  } catch {
    return null;
  }
}

/**
 * Reads a loaded model's thinking switches from its chat wrapper.
 *
 * @example
 * const control = thinkingControl(wrapper);
 * const { wrapper: used, prefill, thinking } = control.forEffort('none', 0); // Qwen: thoughts "discourage"
 */
export function thinkingControl(wrapper: ChatWrapper): ThinkingControl {
  const marksThoughts = wrapper.settings.segments?.thought?.suffix !== undefined;
  const plain = (effort: ReasoningEffort | undefined): ThinkingSetup => ({ wrapper, prefill: null, thinking: effort !== 'none' });
  if (wrapper instanceof HarmonyChatWrapper) {
    return {
      marksThoughts,
      levels: HARMONY_LEVELS,
      forEffort: (effort) => (effort ? { wrapper: variant(wrapper, { reasoningEffort: nearestEffort(effort, HARMONY_LEVELS) }), prefill: null, thinking: true } : plain(effort)),
    };
  }
  if (wrapper instanceof MuseChatWrapper) {
    return {
      marksThoughts,
      levels: MUSE_LEVELS,
      forEffort: (effort) => (effort ? { wrapper: variant(wrapper, { reasoningStrength: nearestEffort(effort, MUSE_LEVELS) }), prefill: null, thinking: true } : plain(effort)),
    };
  }
  if (wrapper instanceof SeedChatWrapper) {
    // Seed models are told their budget in the system prompt; 0 turns thinking off.
    return {
      marksThoughts,
      levels: undefined,
      forEffort: (effort, budget) => (effort ? { wrapper: variant(wrapper, { thinkingBudget: effort === 'none' ? 0 : (budget ?? null) }), prefill: null, thinking: effort !== 'none' } : plain(effort)),
    };
  }
  if (wrapper instanceof QwenChatWrapper || wrapper instanceof Gemma4ChatWrapper) {
    const off = wrapper instanceof QwenChatWrapper ? variant(wrapper, { thoughts: 'discourage' }) : variant(wrapper, { reasoning: false });
    return { marksThoughts, levels: undefined, forEffort: (effort) => (effort === 'none' ? { wrapper: off, prefill: null, thinking: false } : plain(effort)) };
  }
  const prefill = marksThoughts && wrapper instanceof JinjaTemplateChatWrapper ? jinjaThinkingOffPrefill(wrapper) : null;
  if (prefill) return { marksThoughts, levels: undefined, forEffort: (effort) => (effort === 'none' ? { wrapper, prefill, thinking: false } : plain(effort)) };
  // A model that thinks with no way to stop it has every level but none (the engine uses the nearest, minimal).
  return { marksThoughts, levels: marksThoughts ? THINKING_LEVELS : undefined, forEffort: plain };
}
