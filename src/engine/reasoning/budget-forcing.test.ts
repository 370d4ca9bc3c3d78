import { describe, expect, it } from 'vitest';
import type { ModelContinuation, ModelEvent } from '../../backends/types.js';
import { forceThinkingBudget, type StartModelCall } from './budget-forcing.js';

/** A model double: each call plays the next scripted list of events; records continuations and aborts. */
function scriptedCalls(calls: ModelEvent[][]) {
  const seen: { continuation: ModelContinuation | undefined; aborted: () => boolean }[] = [];
  const start: StartModelCall = async function* (continuation, signal) {
    seen.push({ continuation, aborted: () => signal.aborted });
    for (const event of calls[seen.length - 1] ?? []) {
      if (signal.aborted) return;
      yield event;
    }
  };
  return { start, seen };
}

const thought = (text: string): ModelEvent => ({ type: 'reasoning-delta', text });
const answer = (text: string): ModelEvent => ({ type: 'text-delta', text });
const finish = (outputTokens = 10): ModelEvent => ({ type: 'finish', reason: 'stop', usage: { inputTokens: 100, outputTokens } });

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const joined = (events: ModelEvent[], type: 'reasoning-delta' | 'text-delta') => events.flatMap((event) => (event.type === type ? [event.text] : [])).join('');

describe('forceThinkingBudget', () => {
  it('passes a thought within the cap through unchanged, one call', async () => {
    const model = scriptedCalls([[thought('short thought'), answer('42'), finish()]]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 100, maxExtensions: 0 }, signal: new AbortController().signal }));
    expect(model.seen).toHaveLength(1);
    expect(events).toEqual([thought('short thought'), answer('42'), { type: 'finish', reason: 'stop', usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0, reasoningTokens: 0 } }]);
  });

  it('cap: stops the thought at the budget and continues with it closed, so the model answers', async () => {
    // 3 tokens × 4 characters = 12 characters of thought at most.
    const model = scriptedCalls([
      [thought('abcdefgh'), thought('ijklmnop'), thought('never seen')],
      [answer('The answer.'), finish(5)],
    ]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 3, maxExtensions: 0 }, signal: new AbortController().signal }));
    expect(joined(events, 'reasoning-delta')).toBe('abcdefghijkl');
    expect(joined(events, 'text-delta')).toBe('The answer.');
    expect(model.seen.map((call) => call.continuation)).toEqual([undefined, { reasoning: 'abcdefghijkl', thinkingClosed: true }]);
    expect(model.seen[0].aborted()).toBe(true);
    // The stopped call's 12 characters count as 3 output tokens.
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', usage: { inputTokens: 100, outputTokens: 8, cachedInputTokens: 0, reasoningTokens: 3 } });
  });

  it('a cap of 0 answers at the first token of thought', async () => {
    const model = scriptedCalls([[thought('hmm'), answer('x')], [answer('Direct.'), finish()]]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 0, maxExtensions: 0 }, signal: new AbortController().signal }));
    expect(joined(events, 'reasoning-delta')).toBe('');
    expect(joined(events, 'text-delta')).toBe('Direct.');
    expect(model.seen[1].continuation).toEqual({ reasoning: '', thinkingClosed: true });
  });

  it('extension: when the thought ends early, appends "Wait" and continues, up to the limit', async () => {
    const model = scriptedCalls([
      [thought('First idea.'), answer('too early')],
      [thought(' Check again.'), answer('still early')],
      [thought(' Sure now.'), answer('Final.'), finish(7)],
    ]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 1000, maxExtensions: 2 }, signal: new AbortController().signal }));
    expect(joined(events, 'reasoning-delta')).toBe('First idea.\nWait Check again.\nWait Sure now.');
    expect(joined(events, 'text-delta')).toBe('Final.');
    expect(model.seen.map((call) => call.continuation)).toEqual([
      undefined,
      { reasoning: 'First idea.\nWait', thinkingClosed: false },
      { reasoning: 'First idea.\nWait Check again.\nWait', thinkingClosed: false },
    ]);
    expect(events.filter((event) => event.type === 'finish')).toHaveLength(1);
  });

  it('a thought the backend cut at the budget itself (budgetReached) is not extended', async () => {
    const model = scriptedCalls([[thought('abc'), { type: 'reasoning-delta', text: 'd', budgetReached: true }, answer('Answer.'), finish()]]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 1000, maxExtensions: 2 }, signal: new AbortController().signal }));
    expect(model.seen).toHaveLength(1);
    expect(joined(events, 'reasoning-delta')).toBe('abcd');
    expect(joined(events, 'text-delta')).toBe('Answer.');
  });

  it('a tool call also ends the thought, and no extension happens past the cap', async () => {
    const model = scriptedCalls([[thought('x'.repeat(40)), { type: 'tool-call-start', index: 0, callId: 'c', name: 'f', kind: 'function' }, { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' }, finish()]]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 10, maxExtensions: 2 }, signal: new AbortController().signal }));
    expect(model.seen).toHaveLength(1);
    expect(events.map((event) => event.type)).toEqual(['reasoning-delta', 'tool-call-start', 'tool-call-delta', 'finish']);
  });

  it('a model that never thinks is never extended', async () => {
    const model = scriptedCalls([[answer('Hi'), finish()]]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 100, maxExtensions: 2 }, signal: new AbortController().signal }));
    expect(model.seen).toHaveLength(1);
    expect(joined(events, 'text-delta')).toBe('Hi');
  });

  it('a call that stops inside its thought without answering is made to answer', async () => {
    const model = scriptedCalls([[thought('Thinking…'), finish()], [answer('Answer.'), finish()]]);
    const events = await collect(forceThinkingBudget(model.start, { policy: { capTokens: 100, maxExtensions: 0 }, signal: new AbortController().signal }));
    expect(model.seen[1].continuation).toEqual({ reasoning: 'Thinking…', thinkingClosed: true });
    expect(joined(events, 'text-delta')).toBe('Answer.');
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 200, outputTokens: 20 } });
  });

  it('errors end the stream; an abort stops it without a finish', async () => {
    const failing = scriptedCalls([[thought('a'), { type: 'error', error: new Error('boom') as never }]]);
    const failed = await collect(forceThinkingBudget(failing.start, { policy: { capTokens: 100, maxExtensions: 2 }, signal: new AbortController().signal }));
    expect(failed.at(-1)?.type).toBe('error');

    const parent = new AbortController();
    const model = scriptedCalls([[thought('a'), thought('b'), answer('c'), finish()]]);
    const seen: ModelEvent[] = [];
    for await (const event of forceThinkingBudget(model.start, { policy: { capTokens: 100, maxExtensions: 2 }, signal: parent.signal })) {
      seen.push(event);
      parent.abort();
    }
    expect(seen).toHaveLength(1);
    expect(model.seen[0].aborted()).toBe(true);
  });
});
