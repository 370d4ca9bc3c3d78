import { describe, expect, it } from 'vitest';
import type { ModelMessage } from '../../../backends/types.js';
import { selectCandidate, voteIsDecided, type Candidate } from './select.js';
import type { Verdict } from './verifier.js';

const conversation: ModelMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Question?' }] }];
const signal = new AbortController().signal;
const text = (value: string): Candidate => ({ text: value, toolCalls: [] });
const verdict = (passed: boolean): Verdict => ({ passed, exitCode: passed ? 0 : 1, timedOut: false, output: '', ms: 1 });

describe('selectCandidate', () => {
  it('one candidate is the answer', async () => {
    expect(await selectCandidate([text('anything')], { conversation, signal })).toEqual({ method: 'single', index: 0 });
  });

  it('votes over normalised closed-form answers', async () => {
    const selection = await selectCandidate([text('The answer is 41.'), text('Answer: 1,000'), text('**1000**'), text('so 1000.0')], { conversation, signal });
    expect(selection).toMatchObject({ method: 'vote', index: 1, vote: { key: '1000', counts: [{ key: '1000', votes: 3 }, { key: '41', votes: 1 }] } });
  });

  it('a verifier keeps the candidates that pass, even against the majority', async () => {
    const candidates = [text('```js\nwrong()\n```'), text('```js\nright()\n```'), text('```js\nwrong()\n```')];
    const selection = await selectCandidate(candidates, { conversation, signal, verify: async (candidate) => verdict(candidate.text.includes('right')) });
    expect(selection).toMatchObject({ method: 'verifier', index: 1 });
  });

  it('votes among the verified candidates', async () => {
    const candidates = [text('7'), text('8'), text('8'), text('9')];
    const selection = await selectCandidate(candidates, { conversation, signal, verify: async (candidate) => verdict(candidate.text !== '9') });
    expect(selection).toMatchObject({ method: 'verifier', index: 1, vote: { key: '8' } });
  });

  it('when nothing passes, falls back as if there were no verifier', async () => {
    const selection = await selectCandidate([text('3'), text('4'), text('4')], { conversation, signal, verify: async () => verdict(false) });
    expect(selection).toMatchObject({ method: 'vote', index: 1 });
  });

  it('long-form answers go to a synthesis pass', async () => {
    const essays = [text('A long answer about the causes of the war, in several sentences here.'), text('Another long answer about the causes of the war, differently put.')];
    expect(await selectCandidate(essays, { conversation, signal })).toEqual({ method: 'synthesis', among: [0, 1] });
  });

  it('candidates ending on tool calls go to the judge, which names one', async () => {
    const candidates: Candidate[] = [
      { text: '', toolCalls: [{ callId: 'c1', name: 'search', arguments: '{"q":"a"}', kind: 'function' }] },
      { text: '', toolCalls: [{ callId: 'c2', name: 'search', arguments: '{"q":"b"}', kind: 'function' }] },
    ];
    const seen: ModelMessage[][] = [];
    const selection = await selectCandidate(candidates, {
      conversation,
      signal,
      judge: async (messages) => {
        seen.push(messages);
        return 'BEST: 2';
      },
    });
    expect(selection).toEqual({ method: 'judge', index: 1, reply: 'BEST: 2' });
    expect(JSON.stringify(seen[0].at(-1))).toContain('{\\"q\\":\\"b\\"}');
  });

  it('a judge reply naming no candidate keeps the first one', async () => {
    const essays = [text('First long-form answer with many words in it, more than six.'), text('Second long-form answer with many words in it, more than six.')];
    const selection = await selectCandidate(essays, { conversation, signal, allowSynthesis: false, judge: async () => 'They are both fine.' });
    expect(selection).toEqual({ method: 'judge', index: 0, reply: 'They are both fine.' });
  });
});

describe('voteIsDecided', () => {
  it('is decided once the remaining samples cannot change the winner', () => {
    expect(voteIsDecided(['42', '42', '42'], 4)).toBe(true);
    expect(voteIsDecided(['42', '42'], 4)).toBe(false);
    expect(voteIsDecided(['42', '42', '41'], 4)).toBe(false);
    expect(voteIsDecided(['42', '42', '41'], 3)).toBe(true);
    expect(voteIsDecided([null, null], 2)).toBe(false);
  });
});
