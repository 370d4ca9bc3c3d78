/** Small statistics used by the gateway bench: percentiles, summaries and a least-squares slope. */

export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** The finite values of a sample, sorted ascending (NaN marks a failed request and is left out). */
function finiteSorted(values: ArrayLike<number>): Float64Array {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) kept.push(values[i]);
  return Float64Array.from(kept).sort();
}

/**
 * Median of the pairwise differences a[i] - b[i], over the indexes where both are finite.
 *
 * @example pairedMedianDifference([3, 5, 9], [1, 2, 4]) // 3
 */
export function pairedMedianDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const differences: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = a[i] - b[i];
    if (Number.isFinite(difference)) differences.push(difference);
  }
  return percentile(differences, 0.5);
}

/**
 * The q-quantile (0..1) of the finite `values`, by linear interpolation between closest ranks.
 *
 * @example percentile([1, 2, 3, 4], 0.5) // 2.5
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = finiteSorted(values);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/**
 * Count (of finite values), p50/p90/p99, mean, min and max of a sample.
 *
 * @example summarize([3, 1, 2]).p50 // 2
 */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = finiteSorted(values);
  const count = sorted.length;
  if (count === 0) return { count, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, mean: Number.NaN, min: Number.NaN, max: Number.NaN };
  const at = (q: number) => {
    const rank = q * (count - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  };
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  return { count, p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: sum / count, min: sorted[0], max: sorted[count - 1] };
}

/**
 * Least-squares slope of y over x (units of y per unit of x); NaN with fewer than two distinct x.
 *
 * @example slope([0, 1, 2], [10, 12, 14]) // 2
 */
export function slope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (x[i] - mx) * (y[i] - my);
    den += (x[i] - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/**
 * Rounds to `digits` decimals, keeping NaN/Infinity as null so the result is valid JSON.
 *
 * @example round(1.23456, 2) // 1.23
 */
export function round(value: number, digits = 3): number | null {
  if (!Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
