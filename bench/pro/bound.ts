/**
 * What a perfect vote can reach when each sample is right with probability p and otherwise gives
 * one of k wrong answers, each equally likely ((1 − p) / k apiece).
 */

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/**
 * Exact probability that plurality voting over n independent samples picks the right answer, ties
 * broken uniformly at random among the tied answers.
 *
 * @example pluralityBound(0.5, 3, 4) // ≈ 0.594 (2 or 3 right votes; or 1, tied with two different wrong answers, won a third of the time)
 */
export function pluralityBound(p: number, n: number, k: number): number {
  let total = 0;
  for (let right = 0; right <= n; right++) {
    const wrong = n - right;
    const pRight = binomial(n, right) * p ** right * (1 - p) ** wrong;
    if (pRight === 0) continue;
    total += pRight * winChance(right, wrong, k);
  }
  return total;
}

/** Chance the right answer (with `right` votes) wins when `wrong` votes spread uniformly over k wrong answers. */
function winChance(right: number, wrong: number, k: number): number {
  if (k === 0) return wrong === 0 && right > 0 ? 1 : 0;
  let chance = 0;
  // Enumerate how the wrong votes split over the k answers, with the multinomial probability of each split.
  const counts: number[] = new Array(k).fill(0);
  const visit = (slot: number, left: number, ways: number) => {
    if (slot === k - 1) {
      counts[slot] = left;
      const probability = ways / k ** wrong;
      const top = Math.max(...counts);
      if (right > top) chance += probability;
      else if (right === top && right > 0) chance += probability / (1 + counts.filter((count) => count === top).length);
      return;
    }
    for (let take = 0; take <= left; take++) {
      counts[slot] = take;
      visit(slot + 1, left - take, ways * binomial(left, take));
    }
  };
  visit(0, wrong, 1);
  return chance;
}

/**
 * The classic binomial majority-vote figure: the chance that more than half of n samples are right.
 *
 * @example binomialMajority(0.7, 5) // ≈ 0.837
 */
export function binomialMajority(p: number, n: number): number {
  let total = 0;
  for (let right = Math.floor(n / 2) + 1; right <= n; right++) total += binomial(n, right) * p ** right * (1 - p) ** (n - right);
  return total;
}
