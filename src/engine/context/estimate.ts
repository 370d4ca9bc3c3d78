/**
 * A tokenizer-free token estimate for models whose tokenizer Kestrel cannot run: a linear model
 * over character classes, fitted by `bench/context/calibrate-estimate.ts` on the corpus in
 * `__fixtures__/calibration/` (prose in eight languages, code, logs, CSV, numbers, random ids)
 * against the mean of the cl100k and o200k counts. Its measured error is in docs/context.md.
 */

/** Character-class counts of a text, the inputs of the estimate. */
export interface EstimateFeatures {
  /** Runs of ASCII letters (words). */
  words: number;
  /** Letters beyond the 7th in ASCII words (long words split into several tokens). */
  longWordExcess: number;
  /** Latin-script letters outside ASCII (é, ß, ñ) and the words holding them. */
  latinExtendedLetters: number;
  /** Cyrillic and Greek letters. */
  cyrillicGreekLetters: number;
  /** Letters of other alphabets and abugidas (Arabic, Hebrew, Devanagari, Thai…), with their marks. */
  otherScriptLetters: number;
  /** Han, kana and Hangul characters. */
  cjk: number;
  /** Digit groups of three (tokenizers split numbers every three digits). */
  digitGroups: number;
  /** Punctuation and symbol characters. */
  punctuation: number;
  /** Line breaks. */
  newlines: number;
  /** Runs of two or more spaces or tabs (indentation). */
  spaceRuns: number;
  /** Characters outside the Basic Multilingual Plane (emoji). */
  astral: number;
}

export const FEATURE_NAMES: readonly (keyof EstimateFeatures)[] = [
  'words',
  'longWordExcess',
  'latinExtendedLetters',
  'cyrillicGreekLetters',
  'otherScriptLetters',
  'cjk',
  'digitGroups',
  'punctuation',
  'newlines',
  'spaceRuns',
  'astral',
];

/** Tokens per unit of each feature (fitted; see the file comment). */
export const ESTIMATE_COEFFICIENTS: Readonly<Record<keyof EstimateFeatures, number>> = {
  words: 1.056,
  longWordExcess: 0.296,
  latinExtendedLetters: 0.574,
  cyrillicGreekLetters: 0.407,
  otherScriptLetters: 0.66,
  cjk: 1.021,
  digitGroups: 1.635,
  punctuation: 0.328,
  newlines: 1.012,
  spaceRuns: 1.215,
  astral: 2.407,
};

const PIECES = /([A-Za-z]+)|(\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul})|([\p{L}\p{M}]+)|(\d+)|(\n)|([ \t]{2,})|([^\s\p{L}\p{M}\d])/gu;
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/**
 * Counts the character classes the estimate is built on.
 *
 * @example estimateFeatures('Hello, world!').words // 2
 */
export function estimateFeatures(text: string): EstimateFeatures {
  const features: EstimateFeatures = {
    words: 0,
    longWordExcess: 0,
    latinExtendedLetters: 0,
    cyrillicGreekLetters: 0,
    otherScriptLetters: 0,
    cjk: 0,
    digitGroups: 0,
    punctuation: 0,
    newlines: 0,
    spaceRuns: 0,
    astral: 0,
  };
  for (const match of text.matchAll(PIECES)) {
    if (match[1] !== undefined) {
      features.words++;
      if (match[1].length > 7) features.longWordExcess += match[1].length - 7;
    } else if (match[2] !== undefined) features.cjk++;
    else if (match[3] !== undefined) {
      const run = match[3];
      const first = run[0];
      if (LATIN.test(first) || /[A-Za-z]/.test(first)) features.latinExtendedLetters += run.length;
      else if (CYRILLIC_GREEK.test(first)) features.cyrillicGreekLetters += run.length;
      else features.otherScriptLetters += run.length;
    } else if (match[4] !== undefined) features.digitGroups += Math.ceil(match[4].length / 3);
    else if (match[5] !== undefined) features.newlines++;
    else if (match[6] !== undefined) features.spaceRuns++;
    else if (match[7] !== undefined) {
      if (match[7].codePointAt(0)! > 0xffff) features.astral++;
      else features.punctuation++;
    }
  }
  return features;
}

/**
 * Estimates the tokens of `text` without a tokenizer (see the file comment for its calibration).
 *
 * @example estimateTokens('The quick brown fox jumps over the lazy dog.') // ≈ 10
 */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const features = estimateFeatures(text);
  let total = 0;
  for (const name of FEATURE_NAMES) total += features[name] * ESTIMATE_COEFFICIENTS[name];
  return Math.max(1, Math.round(total));
}
