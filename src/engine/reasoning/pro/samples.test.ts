import { describe, expect, it } from 'vitest';
import { runSamples } from './samples.js';

/** Resolves when `release` is called, or rejects when the signal aborts. */
function gate<T>(signal: AbortSignal, value: T): { promise: Promise<T>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<T>((resolve, reject) => {
    release = () => resolve(value);
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  return { promise, release };
}

describe('runSamples', () => {
  it('runs every sample at once and reports outcomes in the order they ended', async () => {
    const gates: ReturnType<typeof gate<string>>[] = [];
    const progress: string[] = [];
    const pending = runSamples(3, (index, signal) => {
      const g = gate(signal, `answer ${index}`);
      gates[index] = g;
      return g.promise;
    }, { signal: new AbortController().signal, onSettled: (outcome, done, total) => progress.push(`${outcome.index}:${done}/${total}`) });
    // All three started before any ended.
    await Promise.resolve();
    expect(gates).toHaveLength(3);
    gates[2].release();
    gates[0].release();
    gates[1].release();
    const outcomes = await pending;
    expect(outcomes.map((outcome) => outcome.index)).toEqual([2, 0, 1]);
    expect(outcomes.map((outcome) => outcome.value)).toEqual(['answer 2', 'answer 0', 'answer 1']);
    expect(progress).toEqual(['2:1/3', '0:2/3', '1:3/3']);
  });

  it('keeps failures as outcomes', async () => {
    const outcomes = await runSamples(2, async (index) => {
      if (index === 1) throw new Error('boom');
      return 'ok';
    }, { signal: new AbortController().signal });
    expect(outcomes.find((outcome) => outcome.index === 1)?.error).toBeInstanceOf(Error);
    expect(outcomes.find((outcome) => outcome.index === 0)?.value).toBe('ok');
  });

  it('a parent abort stops every sample', async () => {
    const parent = new AbortController();
    const signals: AbortSignal[] = [];
    const pending = runSamples(4, (_index, signal) => {
      signals.push(signal);
      return gate(signal, 'never').promise;
    }, { signal: parent.signal });
    await Promise.resolve();
    parent.abort();
    const outcomes = await pending;
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(outcomes.every((outcome) => outcome.stopped)).toBe(true);
  });

  it('stops the remaining samples once the outcome is decided', async () => {
    const gates: ReturnType<typeof gate<string>>[] = [];
    const pending = runSamples(3, (index, signal) => {
      const g = gate(signal, 'same');
      gates[index] = g;
      return g.promise;
    }, { signal: new AbortController().signal, decided: (finished) => finished.filter((outcome) => outcome.value === 'same').length >= 2 });
    await Promise.resolve();
    gates[0].release();
    gates[1].release();
    const outcomes = await pending;
    expect(outcomes.filter((outcome) => outcome.value === 'same')).toHaveLength(2);
    expect(outcomes.find((outcome) => outcome.index === 2)).toMatchObject({ stopped: true });
  });
});
