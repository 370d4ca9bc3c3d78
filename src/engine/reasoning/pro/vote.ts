/** The outcome of a plurality vote over normalised answers. */
export interface VoteResult {
  /** The winning normal form. */
  key: string;
  /** Position (in the order given) of the first candidate with the winning answer. */
  index: number;
  /** Votes per normal form, most first. */
  counts: { key: string; votes: number }[];
  /** True when another answer had as many votes (the one listed first won). */
  tie: boolean;
}

/**
 * Plurality vote: the answer most candidates gave wins; among answers with equally many votes, the
 * one that appears first in `keys` wins. Pro lists candidates by sample number, which says nothing
 * about their answers, so for independent samples this tie-break is a fair coin (finishing order
 * would not be: short answers finish first). Null keys (no closed-form answer) do not vote; with
 * no votes at all the result is null.
 *
 * @example
 * pluralityVote(['42', '41', '42', null]) // { key: '42', index: 0, counts: [{ key: '42', votes: 2 }, { key: '41', votes: 1 }], tie: false }
 */
export function pluralityVote(keys: readonly (string | null)[]): VoteResult | null {
  const tally = new Map<string, { votes: number; first: number }>();
  keys.forEach((key, index) => {
    if (key === null) return;
    const entry = tally.get(key);
    if (entry) entry.votes++;
    else tally.set(key, { votes: 1, first: index });
  });
  if (tally.size === 0) return null;
  const ranked = [...tally.entries()].sort((a, b) => b[1].votes - a[1].votes || a[1].first - b[1].first);
  const [key, winner] = ranked[0];
  return {
    key,
    index: winner.first,
    counts: ranked.map(([name, entry]) => ({ key: name, votes: entry.votes })),
    tie: ranked.length > 1 && ranked[1][1].votes === winner.votes,
  };
}
