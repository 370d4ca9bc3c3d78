import { describe, expect, it } from 'vitest';
import { busySequencesSchedule, queuedSequences } from './batch-dispatch.js';

describe('busySequencesSchedule', () => {
  it('dispatches at once when every sequence in use has its token queued', () => {
    let busy = 1;
    let queued: number | undefined = 1;
    const schedule = busySequencesSchedule(() => busy, () => queued);
    const calls: string[] = [];
    schedule(() => calls.push('one of one'));
    busy = 3;
    queued = 3;
    schedule(() => calls.push('three of three'));
    expect(calls).toEqual(['one of one', 'three of three']);
  });

  it('waits a turn of the event loop while others in use have not queued theirs, or when the count is unknown', async () => {
    let queued: number | undefined = 2;
    const schedule = busySequencesSchedule(() => 3, () => queued);
    const calls: string[] = [];
    schedule(() => calls.push('two of three'));
    queued = undefined;
    schedule(() => calls.push('unknown'));
    expect(calls).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['two of three', 'unknown']);
  });

  it("reads node-llama-cpp's queued sequences, or nothing when the context does not keep them", () => {
    expect(queuedSequences({ _queuedDecodeSequenceIds: new Set([0, 2]) } as never)).toBe(2);
    expect(queuedSequences({} as never)).toBeUndefined();
    expect(queuedSequences(null)).toBeUndefined();
  });
});
