/**
 * The Pro benchmark (`npm run bench -- --only pro`).
 *
 * Synthetic (default): a stochastic backend answers each question of bench/pro/dataset.json right
 * with probability p, else with one of the item's wrong answers, uniformly. For p ∈ {0.3, 0.5, 0.7}
 * and N ∈ {1, 2, 4, 8, 16} it runs Pro (the engine's sampling and selection code) and compares its
 * accuracy with the exact plurality-vote bound for that distractor distribution (and the classic
 * binomial majority figure), then measures what selection adds to latency.
 *
 * Real model: `--base-url http://127.0.0.1:11434/v1 --model qwen3:1.7b` runs the same questions on a
 * real OpenAI-compatible server (Ollama, vLLM, llama.cpp server, …).
 */
import { readFileSync } from 'node:fs';
import type { ModelMessage } from '../../src/backends/types.js';
import { createOpenAIChatBackend } from '../../src/backends/openai-chat/index.js';
import { answerKey, normaliseAnswer, runVerifier, selectCandidate } from '../../src/engine/reasoning/pro/index.js';
import { binomialMajority, pluralityBound } from './bound.js';
import { chooseAnswer, drawSamples, proAnswer } from './pro-answer.js';
import { createStochasticBackend, seededRandom, type DatasetItem } from './stochastic-backend.js';

/** Options this suite adds to `bench/run.ts` (argv or BENCH_* environment variables). */
export const PRO_OPTIONS = {
  trials: { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'api-key': { type: 'string' },
  samples: { type: 'string' },
} as const;

export const PROBABILITIES = [0.3, 0.5, 0.7];
export const SAMPLE_COUNTS = [1, 2, 4, 8, 16];
/** Pro must come within this many accuracy points of the plurality bound. */
export const TOLERANCE_POINTS = 2;

export interface ProCell {
  p: number;
  n: number;
  trials: number;
  /** Share of single samples that were right (every sample drawn in this cell). */
  singleSample: number;
  pro: number;
  /** Exact plurality-vote accuracy for this dataset's distractors, ties broken fairly (averaged over the questions drawn). */
  pluralityBound: number;
  /** Chance that more than half the samples are right. */
  binomialMajority: number;
  /** 95% interval half-width of `pro` (normal approximation), in accuracy points. */
  marginPoints: number;
  pass: boolean;
}

export interface ProLatencyRow {
  n: number;
  method: string;
  rounds: number;
  /** Median of (wall time − slowest sample), ms. */
  overheadP50: number;
  overheadP95: number;
  /** Median time of selection alone, ms. */
  selectP50: number;
  slowestP50: number;
  wallP50: number;
}

export interface ProBenchResults {
  suite: 'pro';
  startedAt: string;
  durationSeconds: number;
  dataset: { items: number; distractorsPerItem: Record<string, number> };
  cells: ProCell[];
  latency: ProLatencyRow[];
  checks: { description: string; value: string; target: string; pass: boolean | null }[];
  node: string;
}

export function loadDataset(root: string): DatasetItem[] {
  const items = (JSON.parse(readFileSync(`${root}/bench/pro/dataset.json`, 'utf8')) as { items: DatasetItem[] }).items;
  for (const item of items) {
    // Each wrong answer must stay apart from the right one and from each other after normalisation.
    const keys = [item.answer, ...item.distractors].map(normaliseAnswer);
    if (new Set(keys).size !== keys.length) throw new Error(`Dataset item ${item.id}: answers that normalise alike: ${keys.join(', ')}`);
  }
  return items;
}

const question = (item: DatasetItem): ModelMessage[] => [{ role: 'user', content: [{ type: 'text', text: item.question }] }];

/** Runs one (p, N) cell: `trials` Pro answers over the dataset, questions in a seeded random order. */
async function runCell(items: DatasetItem[], p: number, n: number, trials: number): Promise<ProCell> {
  const random = seededRandom(Math.round(p * 1000) * 100 + n);
  const backend = createStochasticBackend({ items, p, random });
  let right = 0;
  let singleRight = 0;
  let singleCount = 0;
  let bound = 0;
  for (let trial = 0; trial < trials; trial++) {
    const item = items[Math.floor(random() * items.length)];
    const truth = normaliseAnswer(item.answer);
    const result = await proAnswer({ backend, model: 'stochastic', messages: question(item), samples: n, signal: new AbortController().signal });
    if (answerKey(result.text) === truth) right++;
    for (const text of result.sampleTexts) {
      singleCount++;
      if (answerKey(text) === truth) singleRight++;
    }
    bound += pluralityBound(p, n, item.distractors.length);
  }
  const pro = right / trials;
  const pluralityMean = bound / trials;
  return {
    p,
    n,
    trials,
    singleSample: singleRight / singleCount,
    pro,
    pluralityBound: pluralityMean,
    binomialMajority: binomialMajority(p, n),
    marginPoints: 196 * Math.sqrt((pro * (1 - pro)) / trials),
    pass: pro >= pluralityMean - TOLERANCE_POINTS / 100,
  };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Pro with samples that take 20–80 ms each: how far the whole is from the slowest sample. */
async function runLatency(items: DatasetItem[], rounds: number): Promise<ProLatencyRow[]> {
  const rows: ProLatencyRow[] = [];
  for (const n of SAMPLE_COUNTS) {
    const random = seededRandom(7000 + n);
    const backend = createStochasticBackend({ items, p: 0.5, random, latencyMs: () => 20 + random() * 60 });
    const overhead: number[] = [];
    const select: number[] = [];
    const slowest: number[] = [];
    const wall: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const item = items[round % items.length];
      const result = await proAnswer({ backend, model: 'stochastic', messages: question(item), samples: n, signal: new AbortController().signal, earlyStop: false });
      overhead.push(result.wallMs - result.slowestMs);
      select.push(result.selectMs);
      slowest.push(result.slowestMs);
      wall.push(result.wallMs);
    }
    rows.push({
      n,
      method: n === 1 ? 'single' : 'vote',
      rounds,
      overheadP50: percentile(overhead, 0.5),
      overheadP95: percentile(overhead, 0.95),
      selectP50: percentile(select, 0.5),
      slowestP50: percentile(slowest, 0.5),
      wallP50: percentile(wall, 0.5),
    });
  }
  return rows;
}

/** Selection by a verifier: four code candidates, each checked by a Node test script in its own directory. */
async function runVerifierLatency(rounds: number): Promise<ProLatencyRow> {
  const config = {
    command: [process.execPath, 'check.mjs'],
    candidateFile: 'solution.mjs',
    files: { 'check.mjs': "import { add } from './solution.mjs';\nprocess.exit(add(2, 3) === 5 ? 0 : 1);\n" },
  };
  const candidates = ['a + b', 'a - b', 'a + b', 'b + a'].map((body) => ({ text: `\`\`\`js\nexport const add = (a, b) => ${body};\n\`\`\``, toolCalls: [] }));
  const select: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const selection = await selectCandidate(candidates, {
      conversation: [],
      signal: new AbortController().signal,
      verify: (candidate, signal) => runVerifier(config, candidate.text, signal),
    });
    if (selection.method !== 'verifier' || selection.index !== 0) throw new Error(`The verifier chose ${JSON.stringify(selection)}`);
    select.push(performance.now() - started);
  }
  const p50 = percentile(select, 0.5);
  return { n: 4, method: 'verifier (node test script)', rounds, overheadP50: p50, overheadP95: percentile(select, 0.95), selectP50: p50, slowestP50: 0, wallP50: p50 };
}

export interface SyntheticOptions {
  root: string;
  trials: number;
  latencyRounds: number;
  log: (line: string) => void;
}

/** The synthetic grid, latency and checks. */
export async function runSyntheticProBench(options: SyntheticOptions): Promise<ProBenchResults> {
  const started = Date.now();
  const items = loadDataset(options.root);
  const cells: ProCell[] = [];
  for (const p of PROBABILITIES) {
    for (const n of SAMPLE_COUNTS) {
      const cell = await runCell(items, p, n, options.trials);
      cells.push(cell);
      options.log(`p=${p} N=${n}: Pro ${(cell.pro * 100).toFixed(1)}% vs bound ${(cell.pluralityBound * 100).toFixed(1)}% (single ${(cell.singleSample * 100).toFixed(1)}%)`);
    }
  }
  const latency = await runLatency(items, options.latencyRounds);
  latency.push(await runVerifierLatency(Math.max(3, Math.round(options.latencyRounds / 4))));
  const worst = cells.reduce((low, cell) => (cell.pro - cell.pluralityBound < low.pro - low.pluralityBound ? cell : low));
  const voteOverhead = Math.max(...latency.filter((row) => row.method === 'vote').map((row) => row.overheadP50));
  const distractorsPerItem: Record<string, number> = {};
  for (const item of items) distractorsPerItem[item.distractors.length] = (distractorsPerItem[item.distractors.length] ?? 0) + 1;
  return {
    suite: 'pro',
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    dataset: { items: items.length, distractorsPerItem },
    cells,
    latency,
    checks: [
      {
        description: `Pro accuracy within ${TOLERANCE_POINTS} points of the plurality-vote bound in every cell (worst: p=${worst.p}, N=${worst.n})`,
        value: `${((worst.pro - worst.pluralityBound) * 100).toFixed(2)} points`,
        target: `≥ −${TOLERANCE_POINTS} points`,
        pass: cells.every((cell) => cell.pass),
      },
      { description: 'Latency added to the slowest sample by voting (p50, worst N)', value: `${voteOverhead.toFixed(2)} ms`, target: 'report', pass: null },
    ],
    node: process.version,
  };
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The Markdown report of a synthetic run. */
export function renderProMarkdown(results: ProBenchResults): string {
  const lines = [
    '# Pro benchmark (synthetic)',
    '',
    `Run ${results.startedAt}, ${results.durationSeconds} s, Node ${results.node}. Command: \`npm run bench -- --only pro\`.`,
    '',
    `A stochastic backend answers each of the ${results.dataset.items} questions of \`bench/pro/dataset.json\` right with probability p, otherwise with one of that question's wrong answers, all equally likely (${Object.entries(results.dataset.distractorsPerItem).map(([k, count]) => `${count} questions with ${k} wrong answer${k === '1' ? '' : 's'}`).join(', ')}), written in five different forms (\`Answer: 1,000\`, \`**1000**\`, \`\\boxed{1000}\`, …). Pro runs N samples at once with the engine's own code (\`src/engine/reasoning/pro\`) and picks the plurality of normalised answers.`,
    '',
    '**Plurality bound**: the exact chance that a plurality vote over N independent samples picks the right answer for this distribution (uniform wrong answers, ties broken fairly), averaged over the questions drawn. **Binomial majority**: the chance that more than half the samples are right, the classic figure. Pro passes a cell when it comes within 2 points of the plurality bound; ± is the 95% interval of the measured accuracy.',
    '',
    '## Checks',
    '',
    '| Check | Value | Target | Result |',
    '|---|---|---|---|',
    ...results.checks.map((check) => `| ${check.description} | ${check.value} | ${check.target} | ${check.pass === null ? '–' : check.pass ? 'pass' : 'FAIL'} |`),
    '',
    '## Accuracy',
    '',
    '| p | N | trials | single sample | Pro | plurality bound | Pro − bound | binomial majority | |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.cells.map(
      (cell) =>
        `| ${cell.p} | ${cell.n} | ${cell.trials} | ${pct(cell.singleSample)} | ${pct(cell.pro)} ± ${cell.marginPoints.toFixed(1)} | ${pct(cell.pluralityBound)} | ${((cell.pro - cell.pluralityBound) * 100).toFixed(2)} | ${pct(cell.binomialMajority)} | ${cell.pass ? 'pass' : 'FAIL'} |`,
    ),
    '',
    '## Latency of selection',
    '',
    'Each sample takes 20–80 ms (uniform), all N at once; early stopping is off here. Overhead is wall time minus the slowest sample: what sampling in parallel and choosing add.',
    '',
    '| N | selection | rounds | slowest sample p50 | wall p50 | overhead p50 | overhead p95 | selection alone p50 |',
    '|---|---|---|---|---|---|---|---|',
    ...results.latency.map(
      (row) =>
        `| ${row.n} | ${row.method} | ${row.rounds} | ${row.slowestP50 ? `${row.slowestP50.toFixed(1)} ms` : '–'} | ${row.wallP50.toFixed(1)} ms | ${row.overheadP50.toFixed(2)} ms | ${row.overheadP95.toFixed(2)} ms | ${row.selectP50.toFixed(3)} ms |`,
    ),
    '',
    'A judge or synthesis pass (long-form answers) costs one more model call: its latency is that call\'s, measured on a real model with `--base-url` (see bench/README.md).',
    '',
  ];
  return lines.join('\n');
}

export interface ModelBenchOptions {
  root: string;
  baseURL: string;
  model: string;
  apiKey?: string;
  samples: number[];
  log: (line: string) => void;
}

export interface ModelBenchResults {
  suite: 'pro-model';
  startedAt: string;
  durationSeconds: number;
  baseURL: string;
  model: string;
  items: number;
  singleSample: number;
  rows: { n: number; pro: number; methods: Record<string, number>; selectP50: number; wallP50: number }[];
}

const SYSTEM = 'Answer the question. Think briefly if you need to, then give the final answer on the last line as "Answer: <answer>".';

/**
 * Pro on a real model: for each question, max(N) samples are drawn once and Pro@N selects among the
 * first N of them (the same as running N samples, at a fraction of the cost).
 */
export async function runModelProBench(options: ModelBenchOptions): Promise<ModelBenchResults> {
  const started = Date.now();
  const items = loadDataset(options.root);
  const backend = createOpenAIChatBackend('bench', { type: 'openai-chat', baseURL: options.baseURL, apiKey: options.apiKey });
  await backend.listModels?.().catch(() => []);
  const most = Math.max(...options.samples);
  let singleRight = 0;
  let singleCount = 0;
  const perN = new Map(options.samples.map((n) => [n, { right: 0, methods: {} as Record<string, number>, select: [] as number[], wall: [] as number[] }]));
  for (const item of items) {
    const messages: ModelMessage[] = [{ role: 'system', content: SYSTEM }, ...question(item)];
    const truth = normaliseAnswer(item.answer);
    const drawn = await drawSamples({ backend, model: options.model, messages, samples: most, signal: new AbortController().signal, earlyStop: false });
    for (const text of drawn.texts) {
      singleCount++;
      if (answerKey(text) === truth) singleRight++;
    }
    for (const n of options.samples) {
      const selectStarted = performance.now();
      const { text, selection } = await chooseAnswer({ backend, model: options.model, messages, signal: new AbortController().signal }, drawn.texts.slice(0, n));
      const row = perN.get(n)!;
      row.select.push(performance.now() - selectStarted);
      row.wall.push(drawn.slowestMs + (performance.now() - selectStarted));
      row.methods[selection.method] = (row.methods[selection.method] ?? 0) + 1;
      if (answerKey(text) === truth) row.right++;
    }
    options.log(`${item.id}: ${drawn.texts.map((text) => answerKey(text) ?? '?').join(' | ')} (right: ${truth})`);
  }
  return {
    suite: 'pro-model',
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    baseURL: options.baseURL,
    model: options.model,
    items: items.length,
    singleSample: singleRight / Math.max(1, singleCount),
    rows: options.samples.map((n) => {
      const row = perN.get(n)!;
      return { n, pro: row.right / items.length, methods: row.methods, selectP50: percentile(row.select, 0.5), wallP50: percentile(row.wall, 0.5) };
    }),
  };
}

/** The Markdown report of a real-model run. */
export function renderModelMarkdown(results: ModelBenchResults): string {
  return [
    `# Pro benchmark on ${results.model}`,
    '',
    `Run ${results.startedAt} against ${results.baseURL}, ${results.durationSeconds} s, ${results.items} questions. Single-sample accuracy: ${pct(results.singleSample)}.`,
    '',
    '| N | Pro accuracy | selection methods | selection p50 | slowest sample + selection p50 |',
    '|---|---|---|---|---|',
    ...results.rows.map((row) => `| ${row.n} | ${pct(row.pro)} | ${Object.entries(row.methods).map(([method, count]) => `${method} ${count}`).join(', ')} | ${row.selectP50.toFixed(1)} ms | ${row.wallP50.toFixed(0)} ms |`),
    '',
  ].join('\n');
}
