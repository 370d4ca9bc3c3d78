import { describe, expect, it } from 'vitest';
import { RollingSummaries, type EvictedUnit } from './rolling-summary.js';

const units = (count: number, from = 0): EvictedUnit[] => Array.from({ length: count }, (_, index) => ({ uid: 10_000 + from + index, transcript: `turn ${from + index}`, tokens: 100 }));

describe('RollingSummaries', () => {
  it('catches up on the latest pieces only, at most maxCalls per request', async () => {
    const summaries = new RollingSummaries();
    const seen: string[] = [];
    const write = async (previous: string | null, pieces: string[]) => {
      seen.push(pieces[0]);
      return `${previous ?? ''}|${pieces[0].split('\n\n').length}`;
    };
    const result = await summaries.summaryFor({ scope: 's', units: units(50), base: 'base', lagTokens: 0, pieceTokens: 1_000, maxCalls: 2, write });
    expect(result.calls).toBe(2);
    expect(result.coveredUnits).toBe(50);
    // Five pieces of ten units; the last two are folded into the base summary.
    expect(seen[0].startsWith('turn 30')).toBe(true);
    expect(result.text).toBe('base|10|10');
  });

  it('splits one unit larger than a piece', async () => {
    const summaries = new RollingSummaries();
    const pieces: string[] = [];
    const big: EvictedUnit = { uid: 1, transcript: 'word '.repeat(2_000).trim(), tokens: 2_000 };
    await summaries.summaryFor({ scope: 's', units: [big], base: null, lagTokens: 0, pieceTokens: 800, maxCalls: 5, write: async (_previous, [piece]) => (pieces.push(piece), 'x') });
    expect(pieces.length).toBe(3);
  });

  it('shares one model call between concurrent requests for the same summary', async () => {
    const summaries = new RollingSummaries();
    let calls = 0;
    const write = async () => {
      calls++;
      await new Promise((resolve) => setImmediate(resolve));
      return 'shared';
    };
    const request = { scope: 's', units: units(5), base: null, lagTokens: 0, pieceTokens: 10_000, maxCalls: 2, write };
    const [a, b] = await Promise.all([summaries.summaryFor(request), summaries.summaryFor(request)]);
    expect(calls).toBe(1);
    expect(a.text).toBe('shared');
    expect(b.text).toBe('shared');
  });

  it('keeps scopes and compaction bases apart', async () => {
    const summaries = new RollingSummaries();
    await summaries.summaryFor({ scope: 'a', units: units(3), base: null, lagTokens: 0, pieceTokens: 10_000, maxCalls: 1, write: async () => 'for a' });
    const other = await summaries.summaryFor({ scope: 'b', units: units(3), base: null, lagTokens: 1_000, pieceTokens: 10_000, maxCalls: 1 });
    expect(other).toEqual({ text: null, coveredUnits: 0, calls: 0, due: false });
    const same = await summaries.summaryFor({ scope: 'a', units: units(3), base: null, lagTokens: 1_000, pieceTokens: 10_000, maxCalls: 1 });
    expect(same).toEqual({ text: 'for a', coveredUnits: 3, calls: 0, due: false });
    const behind = await summaries.summaryFor({ scope: 'a', units: units(30), base: null, lagTokens: 1_000, pieceTokens: 10_000, maxCalls: 1 });
    expect(behind).toEqual({ text: 'for a', coveredUnits: 3, calls: 0, due: true });
  });
});
