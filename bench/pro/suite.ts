import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderModelMarkdown, renderProMarkdown, runModelProBench, runSyntheticProBench } from './index.js';

export { PRO_OPTIONS } from './index.js';

export interface ProSuiteOptions {
  root: string;
  quick: boolean;
  strict: boolean;
  /** Reads an option of bench/run.ts (argv or BENCH_* environment variable). */
  option: (name: 'trials' | 'base-url' | 'model' | 'api-key' | 'samples' | 'out') => string | boolean | undefined;
}

/**
 * `npm run bench -- --only pro`: the synthetic grid, or with `--base-url` (and `--model`) the same
 * questions on a real model. Returns the exit code.
 */
export async function runProSuite(options: ProSuiteOptions): Promise<number> {
  const log = (line: string) => console.log(`[bench:pro] ${line}`);
  const out = options.option('out');
  const outDir = resolve(typeof out === 'string' ? out : options.quick ? join(tmpdir(), 'kestrel-bench') : join(options.root, 'bench/results'));
  mkdirSync(outDir, { recursive: true });
  const baseURL = options.option('base-url');
  if (typeof baseURL === 'string') {
    const model = options.option('model');
    if (typeof model !== 'string') throw new Error('--model is required with --base-url (the model name the server knows, e.g. qwen3:1.7b).');
    const samplesOption = options.option('samples');
    const samples = (typeof samplesOption === 'string' ? samplesOption : '1,4,8').split(',').map(Number);
    if (samples.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) throw new Error('--samples takes a comma-separated list of sample counts from 1 to 16.');
    const apiKey = options.option('api-key');
    const results = await runModelProBench({ root: options.root, baseURL: baseURL.replace(/\/+$/, ''), model, apiKey: typeof apiKey === 'string' ? apiKey : undefined, samples, log });
    writeFileSync(join(outDir, 'pro-model-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(outDir, 'pro-model-latest.md'), renderModelMarkdown(results));
    console.log(`\nsingle sample ${(results.singleSample * 100).toFixed(1)}%; ${results.rows.map((row) => `Pro@${row.n} ${(row.pro * 100).toFixed(1)}%`).join(', ')}; wrote ${join(outDir, 'pro-model-latest.md')}`);
    return 0;
  }
  const trialsOption = options.option('trials');
  const trials = typeof trialsOption === 'string' ? Number(trialsOption) : options.quick ? 1_000 : 10_000;
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials must be a whole number, got "${trialsOption}"`);
  const results = await runSyntheticProBench({ root: options.root, trials, latencyRounds: options.quick ? 10 : 40, log });
  writeFileSync(join(outDir, 'pro-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'pro-latest.md'), renderProMarkdown(results));
  console.log('');
  for (const check of results.checks) console.log(`${check.pass === null ? '  -  ' : check.pass ? ' pass' : ' FAIL'}  ${check.description}: ${check.value} (target ${check.target})`);
  console.log(`\nwrote ${join(outDir, 'pro-latest.json')} and ${join(outDir, 'pro-latest.md')} in ${results.durationSeconds} s`);
  return options.strict && results.checks.some((check) => check.pass === false) ? 1 : 0;
}
