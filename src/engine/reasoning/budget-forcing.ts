/**
 * s1-style budget forcing (Muennighoff et al. 2025) for models whose raw thought Kestrel sees:
 * - cap: once the thought reaches the budget, the call is stopped and continued with the thought
 *   closed, so the model writes its answer now;
 * - extension (xhigh, max): when the model ends its thought, the call is stopped and continued with
 *   "Wait" appended to the thought, so it thinks on, up to a fixed number of times.
 * Works over any backend that can continue a partial turn (`Backend.continuesReasoning`).
 */
import type { ModelContinuation, ModelEvent, ModelUsage } from '../../backends/types.js';
import type { BudgetForcingPolicy } from './effort.js';

/** Starts one model call; with a continuation, the model continues that partial turn. */
export type StartModelCall = (continuation: ModelContinuation | undefined, signal: AbortSignal) => AsyncIterable<ModelEvent>;

export interface BudgetForcingOptions {
  policy: BudgetForcingPolicy;
  /** Aborts everything (client disconnect, cancel). */
  signal: AbortSignal;
  /** Characters counted as one token of thought (default 4). */
  charsPerToken?: number;
  /** Appended to the thought to extend it (default "Wait"). */
  extensionText?: string;
}

/** Events that show the model has left its thought and started to answer. */
const ANSWER_EVENTS = new Set<ModelEvent['type']>(['text-delta', 'refusal-delta', 'tool-call-start']);

/**
 * Wraps model calls in budget forcing and yields one ordinary event stream: the thought as it was
 * cut or extended (the "Wait"s included), then the answer, then one `finish` whose usage sums every
 * call (calls stopped early add their streamed thought as output tokens, estimated).
 *
 * @example
 * const events = forceThinkingBudget((continuation, signal) => backend.stream({ ...request, continuation, signal }), {
 *   policy: { capTokens: 4096, maxExtensions: 0 }, signal: run.signal,
 * });
 */
export async function* forceThinkingBudget(start: StartModelCall, options: BudgetForcingOptions): AsyncGenerator<ModelEvent> {
  const charsPerToken = options.charsPerToken ?? 4;
  const capChars = options.policy.capTokens * charsPerToken;
  const extension = `\n${options.extensionText ?? 'Wait'}`;
  const usage: ModelUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 };
  let thought = '';
  let extensions = 0;
  let closed = false;
  let continuation: ModelContinuation | undefined;

  for (;;) {
    const call = new AbortController();
    const signal = AbortSignal.any([options.signal, call.signal]);
    let next: ModelContinuation | null = null;
    let inThought = continuation ? !continuation.thinkingClosed : false;
    let streamedChars = 0;
    let finish: Extract<ModelEvent, { type: 'finish' }> | null = null;
    const extend = (): ModelEvent => {
      extensions++;
      thought += extension;
      next = { reasoning: thought, thinkingClosed: false };
      return { type: 'reasoning-delta', text: extension };
    };
    const mayExtend = () => !closed && extensions < options.policy.maxExtensions && thought.length < capChars;

    for await (const event of start(continuation, signal)) {
      if (event.type === 'reasoning-delta' && !closed) {
        inThought = true;
        const room = capChars - thought.length;
        if (event.text.length > room) {
          const kept = event.text.slice(0, Math.max(0, room));
          if (kept) yield { type: 'reasoning-delta', text: kept };
          thought += kept;
          streamedChars += kept.length;
          closed = true;
          next = { reasoning: thought, thinkingClosed: true };
          break;
        }
        thought += event.text;
        streamedChars += event.text.length;
        yield event;
        // The backend cut the thought at the budget itself: it is over, not ended by the model.
        if (event.budgetReached) closed = true;
        continue;
      }
      if (ANSWER_EVENTS.has(event.type) && inThought) {
        if (mayExtend()) {
          yield extend();
          break;
        }
        inThought = false;
      }
      if (event.type === 'finish') {
        finish = event;
        continue;
      }
      yield event;
      if (event.type === 'error') return;
    }
    call.abort();
    if (options.signal.aborted) return;
    if (!next && finish && inThought && finish.reason === 'stop') {
      // The call ended inside the thought with no answer: think on if allowed, else answer now.
      if (mayExtend()) yield extend();
      else if (!closed) {
        closed = true;
        next = { reasoning: thought, thinkingClosed: true };
      }
    }
    if (finish?.usage) {
      usage.inputTokens += finish.usage.inputTokens;
      usage.outputTokens += finish.usage.outputTokens;
      usage.cachedInputTokens! += finish.usage.cachedInputTokens ?? 0;
      usage.reasoningTokens! += finish.usage.reasoningTokens ?? 0;
    } else if (next) {
      const estimated = Math.ceil(streamedChars / charsPerToken);
      usage.outputTokens += estimated;
      usage.reasoningTokens! += estimated;
    }
    if (next) {
      continuation = next;
      continue;
    }
    if (finish) yield { type: 'finish', reason: finish.reason, usage };
    return;
  }
}
