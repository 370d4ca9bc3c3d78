/**
 * GBNF for the decimal integers of a range, digit by digit (as llama.cpp's JSON Schema converter
 * does), so `minimum`/`maximum` of integers are kept exactly by the grammar.
 */

/** Integers are at most 15 digits long in Kestrel's JSON grammars (exact as JavaScript numbers). */
export const MAX_INTEGER = 10 ** 15 - 1;

/** Same-length decimal strings from `low` to `high` (equal lengths, low <= high). */
function sameLength(low: string, high: string): string {
  if (low === high) return `"${low}"`;
  let common = 0;
  while (low[common] === high[common]) common++;
  const prefix = low.slice(0, common) ? `"${low.slice(0, common)}" ` : '';
  const a = Number(low[common]);
  const b = Number(high[common]);
  const rest = low.length - common - 1;
  if (rest === 0) return `${prefix}[${a}-${b}]`;
  const lowRest = low.slice(common + 1);
  const highRest = high.slice(common + 1);
  const lowFull = lowRest === '0'.repeat(rest);
  const highFull = highRest === '9'.repeat(rest);
  const options: string[] = [];
  // The lowest first digit followed by low's rest or more, the digits between followed by
  // anything, the highest first digit followed by up to high's rest.
  if (!lowFull) options.push(`"${a}" (${sameLength(lowRest, '9'.repeat(rest))})`);
  const from = lowFull ? a : a + 1;
  const to = highFull ? b : b - 1;
  if (from <= to) options.push(`${from === to ? `"${from}"` : `[${from}-${to}]`} [0-9]{${rest}}`);
  if (!highFull) options.push(`"${b}" (${sameLength('0'.repeat(rest), highRest)})`);
  if (options.length === 1) return `${prefix}${options[0]}`;
  return `${prefix}(${options.join(' | ')})`;
}

/** Non-negative integers from `low` to `high` without leading zeros. */
function naturalRange(low: number, high: number): string[] {
  const options: string[] = [];
  for (let digits = String(low).length; digits <= String(high).length; digits++) {
    const from = Math.max(low, digits === 1 ? 0 : 10 ** (digits - 1));
    const to = Math.min(high, 10 ** digits - 1);
    if (from <= to) options.push(sameLength(String(from), String(to)));
  }
  return options;
}

/**
 * A GBNF expression matching exactly the integers from `low` to `high` (each clamped to ±{@link MAX_INTEGER}).
 *
 * @example integerRange(1, 12) // '([1-9] | "1" [0-2])'
 */
export function integerRange(low: number, high: number): string {
  low = Math.max(Math.ceil(low), -MAX_INTEGER);
  high = Math.min(Math.floor(high), MAX_INTEGER);
  if (low > high) return '[^\\x00-\\U0010ffff]';
  const options: string[] = [];
  if (low < 0) {
    const negatives = naturalRange(Math.max(1, -high), -low);
    options.push(...negatives.map((option) => `"-" ${option.includes(' ') && !option.startsWith('(') ? `(${option})` : option}`));
  }
  if (high >= 0) options.push(...naturalRange(Math.max(0, low), high));
  return options.length === 1 ? options[0] : `(${options.join(' | ')})`;
}
