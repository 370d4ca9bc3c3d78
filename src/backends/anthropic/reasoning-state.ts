import type { AnthropicRedactedThinkingBlock, AnthropicThinkingBlock } from './wire.js';

export type ThinkingBlock = AnthropicThinkingBlock | AnthropicRedactedThinkingBlock;

/**
 * The reasoning state this backend round-trips through Kestrel's sealed reasoning items.
 * `signature` + `thinking` hold the last signed thinking block, `redactedThinking` the last redacted
 * block's data; `blocks` lists every block in order, and is only present when there was more than one
 * (the common single-block case then carries the thinking text once, not twice).
 */
export type AnthropicReasoningState = {
  signature?: string;
  thinking?: string;
  redactedThinking?: string;
  blocks?: ThinkingBlock[];
};

/**
 * The state to emit after the thinking blocks seen so far in one reasoning segment.
 * The engine merges successive states with a shallow spread, so each emission is cumulative.
 *
 * @example reasoningStateOf([{ type: 'thinking', thinking: 'Hmm.', signature: 'EqQB…' }]) // { signature: 'EqQB…', thinking: 'Hmm.' }
 */
export function reasoningStateOf(blocks: ThinkingBlock[]): AnthropicReasoningState {
  const state: AnthropicReasoningState = {};
  for (const block of blocks) {
    if (block.type === 'thinking') {
      state.signature = block.signature;
      state.thinking = block.thinking;
    } else state.redactedThinking = block.data;
  }
  if (blocks.length > 1) state.blocks = blocks.map((block) => ({ ...block }));
  return state;
}

function isThinkingBlock(value: unknown): value is ThinkingBlock {
  if (!value || typeof value !== 'object') return false;
  const block = value as Record<string, unknown>;
  if (block.type === 'thinking') return typeof block.thinking === 'string' && typeof block.signature === 'string';
  return block.type === 'redacted_thinking' && typeof block.data === 'string';
}

/**
 * The thinking blocks to send back for an earlier assistant turn. Thinking without a signature
 * (another backend's reasoning, or none) cannot be sent: Anthropic verifies every thinking block.
 *
 * @example thinkingBlocksFrom({ signature: 'EqQB…', thinking: 'Hmm.' }, undefined) // [{ type: 'thinking', thinking: 'Hmm.', signature: 'EqQB…' }]
 */
export function thinkingBlocksFrom(state: Record<string, unknown> | undefined, reasoning: string | undefined): ThinkingBlock[] {
  if (!state) return [];
  if (Array.isArray(state.blocks) && state.blocks.length && state.blocks.every(isThinkingBlock)) {
    return state.blocks.map((block) => ({ ...block }));
  }
  const blocks: ThinkingBlock[] = [];
  if (typeof state.signature === 'string' && state.signature) {
    const thinking = typeof state.thinking === 'string' ? state.thinking : reasoning ?? '';
    blocks.push({ type: 'thinking', thinking, signature: state.signature });
  }
  if (typeof state.redactedThinking === 'string' && state.redactedThinking) blocks.push({ type: 'redacted_thinking', data: state.redactedThinking });
  return blocks;
}
