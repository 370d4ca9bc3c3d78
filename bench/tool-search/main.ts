/** Runs the tool-search bench and writes `tool-search-<date>.json` and `tool-search-latest.md`; resolves to an exit code. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runToolSearchBench } from './index.js';
import { renderToolSearchMarkdown } from './report.js';

export interface ToolSearchSuiteOptions {
  root: string;
  quick: boolean;
  /** Output folder (default bench/results, or a temp folder with --quick). */
  out?: string;
  strict: boolean;
}

export async function runToolSearchSuite(options: ToolSearchSuiteOptions): Promise<number> {
  const url = process.env.BENCH_EMBEDDINGS_URL;
  const model = process.env.BENCH_EMBEDDINGS_MODEL;
  const results = await runToolSearchBench({
    latencyRounds: options.quick ? 2 : 10,
    maxResults: 5,
    abstainBelow: 0.5,
    embeddings: url && model ? { baseURL: url, model, apiKey: process.env.BENCH_EMBEDDINGS_API_KEY } : undefined,
    log: (line) => console.log(`[bench tool-search] ${line}`),
  });
  const outDir = resolve(options.out ?? (options.quick ? join(tmpdir(), 'kestrel-bench') : join(options.root, 'bench/results')));
  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, `tool-search-${results.startedAt.slice(0, 10)}.json`);
  const markdownPath = join(outDir, 'tool-search-latest.md');
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdownPath, renderToolSearchMarkdown(results));
  console.log('');
  for (const check of results.checks) console.log(`${check.pass === null ? '  -  ' : check.pass ? ' pass' : ' FAIL'}  ${check.description}: ${check.value} (target ${check.target})`);
  console.log(`\nwrote ${jsonPath} and ${markdownPath} in ${results.durationSeconds} s`);
  return options.strict && results.checks.some((check) => check.pass === false) ? 1 : 0;
}
