/**
 * Fits and measures the tokenizer-free estimate (src/engine/context/estimate.ts).
 *
 *   node --import tsx bench/context/calibrate-estimate.ts          # error of the coefficients in use
 *   node --import tsx bench/context/calibrate-estimate.ts --fit    # also fit new coefficients (relative least squares, non-negative)
 *   node --import tsx bench/context/calibrate-estimate.ts --cross-validate   # leave-one-file-out error of the fitting method
 *
 * The reference is the mean of the cl100k and o200k counts of each sample; errors are reported
 * against each tokenizer separately too.
 */
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { calibrationSamples, measureError, type EstimateError } from '../../src/engine/context/__fixtures__/calibration-corpus.js';
import { ESTIMATE_COEFFICIENTS, estimateFeatures, FEATURE_NAMES, type EstimateFeatures } from '../../src/engine/context/estimate.js';

/** Non-negative least squares on relative error: minimises Σ ((x·c − y) / y)², by projected coordinate descent. */
function fit(rows: number[][], targets: number[]): number[] {
  const n = rows[0].length;
  const weighted = rows.map((row, index) => row.map((value) => value / targets[index]));
  const ones = targets.map(() => 1);
  const coefficients = new Array<number>(n).fill(0.5);
  for (let iteration = 0; iteration < 5000; iteration++) {
    for (let j = 0; j < n; j++) {
      let numerator = 0;
      let denominator = 0;
      for (let i = 0; i < weighted.length; i++) {
        const row = weighted[i];
        let rest = 0;
        for (let k = 0; k < n; k++) if (k !== j) rest += row[k] * coefficients[k];
        numerator += row[j] * (ones[i] - rest);
        denominator += row[j] * row[j];
      }
      coefficients[j] = denominator > 0 ? Math.max(0, numerator / denominator) : coefficients[j];
    }
  }
  return coefficients;
}

const reference = (text: string) => (cl100k(text) + o200k(text)) / 2;
const withCoefficients = (coefficients: Record<keyof EstimateFeatures, number>) => (text: string) => {
  const features = estimateFeatures(text);
  let total = 0;
  for (const name of FEATURE_NAMES) total += features[name] * coefficients[name];
  return Math.max(1, Math.round(total));
};

function report(label: string, estimate: (text: string) => number): void {
  const format = (error: EstimateError) =>
    `mean |err| ${(error.meanAbsolute * 100).toFixed(1)}%, p95 ${(error.p95Absolute * 100).toFixed(1)}%, bias ${(error.bias * 100).toFixed(1)}%, corpus total ${(error.aggregate * 100).toFixed(1)}%, worst ${error.worstFile.file} ${(error.worstFile.meanAbsolute * 100).toFixed(1)}%`;
  console.log(`${label}`);
  console.log(`  vs mean(cl100k, o200k): ${format(measureError(estimate, reference))}`);
  console.log(`  vs cl100k:              ${format(measureError(estimate, cl100k))}`);
  console.log(`  vs o200k:               ${format(measureError(estimate, o200k))}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const samples = calibrationSamples();
  console.log(`${samples.length} samples`);
  report('coefficients in use', withCoefficients({ ...ESTIMATE_COEFFICIENTS }));
  if (process.argv.includes('--fit')) {
    const rows = samples.map((sample) => {
      const features = estimateFeatures(sample.text);
      return FEATURE_NAMES.map((name) => features[name]);
    });
    const fitted = fit(rows, samples.map((sample) => reference(sample.text)));
    const coefficients = Object.fromEntries(FEATURE_NAMES.map((name, index) => [name, Math.round(fitted[index] * 1000) / 1000])) as Record<keyof EstimateFeatures, number>;
    console.log('fitted:', JSON.stringify(coefficients));
    report('fitted coefficients', withCoefficients(coefficients));
  }
  if (process.argv.includes('--cross-validate')) {
    // Leave one file out: fit on the other files, measure on the held-out one (the honest figure).
    const files = [...new Set(samples.map((sample) => sample.file))];
    const heldOut: number[] = [];
    for (const file of files) {
      const train = samples.filter((sample) => sample.file !== file);
      const rows = train.map((sample) => FEATURE_NAMES.map((name) => estimateFeatures(sample.text)[name]));
      const fitted = fit(rows, train.map((sample) => reference(sample.text)));
      const coefficients = Object.fromEntries(FEATURE_NAMES.map((name, index) => [name, fitted[index]])) as Record<keyof EstimateFeatures, number>;
      const estimate = withCoefficients(coefficients);
      for (const sample of samples.filter((sample) => sample.file === file)) heldOut.push(Math.abs(estimate(sample.text) - reference(sample.text)) / reference(sample.text));
    }
    heldOut.sort((a, b) => a - b);
    const mean = heldOut.reduce((sum, value) => sum + value, 0) / heldOut.length;
    console.log(`leave-one-file-out vs mean(cl100k, o200k): mean |err| ${(mean * 100).toFixed(1)}%, p95 ${(heldOut[Math.floor(heldOut.length * 0.95)] * 100).toFixed(1)}%`);
  }
}
