import type { ModelContentPart, ModelMessage } from '../../../backends/types.js';
import type { StepHook } from '../types.js';
import { imageDimensions } from '../../context/image-tokens.js';

/** Starts the text of a user message that carries a computer screenshot (not a tool result). */
export const SCREEN_MARKER = '[computer screen]';

const prunedText = (tokens: number) => `[An older screenshot (about ${tokens} tokens) was left out to keep the context small.]`;
const PRUNED = /^\[An older screenshot \(about (\d+) tokens\) was left out/;

/** Input tokens an image costs, estimated as width × height / 750 (Anthropic's rule; OpenAI's tiles land close). */
function imageTokens(part: Extract<ModelContentPart, { type: 'image' }>): number {
  const size = imageDimensions(part.url) ?? { width: 1024, height: 768 };
  return Math.ceil((size.width * size.height) / 750);
}

export interface PruneResult {
  messages: ModelMessage[];
  /** Screenshots left out by this call. */
  pruned: number;
  /** Input tokens this model call is spared, counting screenshots left out before (they stay out). */
  tokensSaved: number;
}

/**
 * Leaves out all but the most recent screenshots of a computer-use conversation: images in results of the
 * computer tool (`toolName`) and in user messages starting with `SCREEN_MARKER`. Older ones go in whole chunks of
 * `chunk`, so the prompt prefix stays the same for several steps and provider prompt caches stay warm (between
 * prunings up to `keep + chunk - 1` screenshots remain). Messages are copied, never changed in place.
 *
 * @example pruneScreenshots(messages, { toolName: 'computer', keep: 3, chunk: 3 }).pruned
 */
export function pruneScreenshots(messages: readonly ModelMessage[], options: { toolName: string; keep: number; chunk: number }): PruneResult {
  const calls = new Set<string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls ?? []) if (call.name === options.toolName) calls.add(call.callId);
  }
  const carriesScreens = (message: ModelMessage) =>
    (message.role === 'tool' && calls.has(message.callId)) ||
    (message.role === 'user' && message.content[0]?.type === 'text' && message.content[0].text.startsWith(SCREEN_MARKER));
  const images: { message: number; part: number }[] = [];
  let tokensSaved = 0;
  messages.forEach((message, index) => {
    if (!carriesScreens(message) || message.role === 'system' || message.role === 'assistant') return;
    message.content.forEach((part, partIndex) => {
      if (part.type === 'image') images.push({ message: index, part: partIndex });
      else if (part.type === 'text') tokensSaved += Number(PRUNED.exec(part.text)?.[1] ?? 0);
    });
  });
  const excess = images.length - options.keep;
  const remove = excess > 0 ? Math.floor(excess / options.chunk) * options.chunk : 0;
  if (remove === 0) return { messages: [...messages], pruned: 0, tokensSaved };
  const out = [...messages];
  for (const { message, part } of images.slice(0, remove)) {
    const original = out[message] as Extract<ModelMessage, { role: 'user' | 'tool' }>;
    const content = [...original.content];
    const image = content[part] as Extract<ModelContentPart, { type: 'image' }>;
    const tokens = imageTokens(image);
    tokensSaved += tokens;
    content[part] = { type: 'text', text: prunedText(tokens) };
    out[message] = { ...original, content } as ModelMessage;
  }
  return { messages: out, pruned: remove, tokensSaved };
}

/**
 * The step hook that prunes screenshots before every model call and adds what it saved to
 * `usage.computer_details`.
 */
export function screenshotPruningHook(options: { toolName: string; keep: number; chunk: number }): StepHook {
  return {
    name: 'computer-screenshots',
    async beforeModelCall({ messages, ctx }) {
      const result = pruneScreenshots(messages, options);
      if (result.tokensSaved === 0) return undefined;
      if (ctx.usage) {
        const details = (ctx.usage.computer_details ??= { screenshots_pruned: 0, input_tokens_saved: 0 });
        details.screenshots_pruned += result.pruned;
        details.input_tokens_saved += result.tokensSaved;
      }
      return result.pruned ? result.messages : undefined;
    },
  };
}
