import { describe, expect, it } from 'vitest';
import { pluralityVote } from './vote.js';

describe('pluralityVote', () => {
  it('the most frequent answer wins, pointing at its first candidate', () => {
    expect(pluralityVote(['41', '42', '40', '42'])).toEqual({
      key: '42',
      index: 1,
      counts: [{ key: '42', votes: 2 }, { key: '41', votes: 1 }, { key: '40', votes: 1 }],
      tie: false,
    });
  });

  it('a plurality below half still wins', () => {
    expect(pluralityVote(['a', 'b', 'c', 'a', 'd'])?.key).toBe('a');
  });

  it('a tie goes to the answer that appeared first', () => {
    const result = pluralityVote(['7', '8', '8', '7']);
    expect(result).toMatchObject({ key: '7', index: 0, tie: true });
  });

  it('null keys do not vote; no votes is null', () => {
    expect(pluralityVote([null, 'x', null])).toMatchObject({ key: 'x', index: 1 });
    expect(pluralityVote([null, null])).toBeNull();
    expect(pluralityVote([])).toBeNull();
  });
});
