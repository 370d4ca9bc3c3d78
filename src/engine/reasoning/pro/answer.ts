/**
 * Short, closed-form final answers (numbers, yes/no, multiple-choice letters, short strings) and
 * the normal form majority voting compares: "1,000", "1000.0" and "**1000** apples" are one answer.
 */

/** Longest text (in words) read as a short answer by itself when it carries no answer marker. */
const MAX_ANSWER_WORDS = 6;

const MARKERS: RegExp[] = [
  /\\boxed\{((?:[^{}]|\{[^{}]*\})*)\}/g,
  /(?:^|\n)\s*(?:\*\*|__)?(?:final answer|answer)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?([^\n]+)/gi,
  /\b(?:the (?:final )?answer is|answer is)\s*[:：]?\s*([^\n]+?)(?:\.\s|\.?$|\n)/gim,
];

/**
 * The final answer stated in a model's text, or null when the text is not a short closed-form answer.
 * Looks for `\boxed{…}`, an `Answer:` line or "the answer is …" (the last one wins), else takes a
 * text of at most six words as the answer itself.
 *
 * @example
 * extractAnswer('17 × 3 = 51, so the answer is **51**.') // '**51**'
 * extractAnswer('Paris')                                 // 'Paris'
 * extractAnswer('Here is a long essay about …')          // null
 */
export function extractAnswer(text: string): string | null {
  for (const marker of MARKERS) {
    const found = [...text.matchAll(marker)];
    const last = found.at(-1)?.[1]?.trim();
    if (last && wordCount(last) <= MAX_ANSWER_WORDS * 2) return last;
  }
  const whole = text.trim();
  if (whole && wordCount(whole) <= MAX_ANSWER_WORDS && !whole.includes('\n')) return whole;
  return null;
}

const YES = new Set(['yes', 'y', 'true', 'correct', 'right', 'yeah', 'yep']);
const NO = new Set(['no', 'n', 'false', 'incorrect', 'wrong', 'nope']);
const NUMBER = /^[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?$/i;

/**
 * The normal form of a short answer: markdown, LaTeX wrappers, quotes and final punctuation go;
 * numbers become canonical decimals (`1,000.50` → `1000.5`, `3/4` → `0.75`, `$12` → `12`; a unit
 * word after a number is dropped), yes/no words become `yes`/`no`, choice letters `(B)`, `b)`,
 * `Option B` become `choice:b`, other text is lower-cased without leading articles.
 *
 * @example
 * normaliseAnswer('**1,000.0** apples') // '1000'
 * normaliseAnswer('(B)')                // 'choice:b'
 * normaliseAnswer('The Eiffel Tower.')  // 'eiffel tower'
 */
export function normaliseAnswer(answer: string): string {
  let text = answer
    .replace(/\\(?:text|mathrm|textbf|mathbf)\{([^{}]*)\}/g, '$1')
    .replace(/\\[,;!]/g, '')
    .replace(/[*_`$]/g, '')
    .replace(/\\%/g, '%')
    .trim();
  text = text.replace(/^["'“‘(\[]+(.*?)["'”’)\]]+$/s, (whole, inner: string) => (/^[a-e]$/i.test(inner) ? whole : inner));
  text = text.replace(/[.!?;:,]+$/, '').trim();

  // `x = 5` and `so 5` answer 5.
  text = text.replace(/^(?:[a-z]\s*=|=|(?:so|thus|hence|therefore)\b)\s*,?\s*(?=\S)/i, '');
  const choice = /^(?:(?:option|choice)\s+)?\(?([a-e])\)?$/i.exec(text) ?? /^\(?([a-e])\)\s/i.exec(text) ?? /^(?:option|choice)\s+\(?([a-e])\b/i.exec(text);
  if (choice) return `choice:${choice[1].toLowerCase()}`;

  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  if (YES.has(lower)) return 'yes';
  if (NO.has(lower)) return 'no';

  const number = numberValue(lower);
  if (number !== null) return number;

  return lower.replace(/^(?:the|a|an)\s+/, '').replace(/[,!?;:]/g, '').trim();
}

/** A canonical decimal for a numeric answer (an optional currency sign before it, one or two unit words after it). */
function numberValue(text: string): string | null {
  const match = /^(?:[$€£¥]\s?)?([-+−]?[\d.,]+(?:e[-+]?\d+)?)(?:\s*\/\s*([\d.]+))?\s*(%|[a-z°]+(?:\s+[a-z]+)?)?$/i.exec(text);
  if (!match) return null;
  const [, numerator, denominator, unit] = match;
  if (!NUMBER.test(numerator) && !/^[-+−]?\d*\.\d+$/.test(numerator)) return null;
  let value = Number(numerator.replace(/,/g, '').replace('−', '-'));
  if (denominator !== undefined) {
    const divisor = Number(denominator);
    if (!divisor) return null;
    value /= divisor;
  }
  if (!Number.isFinite(value)) return null;
  // Rounding to 12 significant digits makes 0.1 + 0.2 and 0.3 one answer.
  const canonical = String(Number(value.toPrecision(12)));
  return unit === '%' ? `${canonical}%` : canonical;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * The normalised final answer of a text, or null when it has no short closed-form answer.
 *
 * @example answerKey('So the answer is 1,000.') // '1000'
 */
export function answerKey(text: string): string | null {
  const answer = extractAnswer(text);
  if (answer === null) return null;
  const key = normaliseAnswer(answer);
  return key ? key : null;
}
