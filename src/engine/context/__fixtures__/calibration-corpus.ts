import { readdirSync, readFileSync } from 'node:fs';

const DIR = new URL('./calibration/', import.meta.url);

/** One calibration sample: a window of a corpus file. */
export interface CalibrationSample {
  file: string;
  text: string;
}

/**
 * The calibration corpus cut into windows of about `windowChars` characters (at whitespace), so
 * the estimate is fitted and judged on prompt-sized pieces as well as on whole files.
 *
 * @example calibrationSamples(400).length // ≈ 60
 */
export function calibrationSamples(windowChars = 400): CalibrationSample[] {
  const samples: CalibrationSample[] = [];
  for (const file of readdirSync(DIR).filter((name) => name.endsWith('.txt')).sort()) {
    const text = readFileSync(new URL(file, DIR), 'utf8');
    samples.push({ file, text });
    let start = 0;
    while (start < text.length) {
      let end = Math.min(text.length, start + windowChars);
      const space = text.lastIndexOf(' ', end);
      const newline = text.lastIndexOf('\n', end);
      const cut = Math.max(space, newline);
      if (end < text.length && cut > start + windowChars / 2) end = cut;
      const piece = text.slice(start, end);
      if (piece.trim().length > 40 && end - start < text.length) samples.push({ file, text: piece });
      start = end;
    }
  }
  return samples;
}

export interface EstimateError {
  samples: number;
  /** Mean of |estimate − reference| / reference. */
  meanAbsolute: number;
  /** 95th percentile of the relative error's magnitude. */
  p95Absolute: number;
  /** Mean signed relative error (positive = over-estimate). */
  bias: number;
  /** Total estimated tokens / total reference tokens − 1, over the whole corpus. */
  aggregate: number;
  /** Worst file by mean absolute error. */
  worstFile: { file: string; meanAbsolute: number };
}

/** Relative errors of `estimate` against `reference` over the calibration samples. */
export function measureError(estimate: (text: string) => number, reference: (text: string) => number): EstimateError {
  const samples = calibrationSamples();
  const errors: number[] = [];
  const byFile = new Map<string, number[]>();
  let estimated = 0;
  let actual = 0;
  for (const sample of samples) {
    const want = reference(sample.text);
    const got = estimate(sample.text);
    estimated += got;
    actual += want;
    const error = (got - want) / want;
    errors.push(error);
    byFile.set(sample.file, [...(byFile.get(sample.file) ?? []), Math.abs(error)]);
  }
  const magnitudes = errors.map(Math.abs).sort((a, b) => a - b);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  let worstFile = { file: '', meanAbsolute: 0 };
  for (const [file, values] of byFile) if (mean(values) > worstFile.meanAbsolute) worstFile = { file, meanAbsolute: mean(values) };
  return {
    samples: samples.length,
    meanAbsolute: mean(magnitudes),
    p95Absolute: magnitudes[Math.min(magnitudes.length - 1, Math.floor(magnitudes.length * 0.95))],
    bias: mean(errors),
    aggregate: estimated / actual - 1,
    worstFile,
  };
}

