/** Runs the computer bench and writes `computer-<date>.json` and `computer-latest.md`; resolves to an exit code. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderComputerMarkdown, runComputerBench } from './index.js';

export interface ComputerSuiteOptions {
  root: string;
  quick: boolean;
  /** Output folder (default bench/results, or a temp folder with --quick). */
  out?: string;
  strict: boolean;
}

function commit(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function runComputerSuite(options: ComputerSuiteOptions): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'kestrel-bench-computer-'));
  try {
    const results = await runComputerBench({
      episodes: options.quick ? 3 : 12,
      steps: options.quick ? 9 : 15,
      warmup: options.quick ? 3 : 10,
      scratchDir: scratch,
      log: (line) => console.log(`[bench computer] ${line}`),
    });
    const outDir = resolve(options.out ?? (options.quick ? join(tmpdir(), 'kestrel-bench') : join(options.root, 'bench/results')));
    mkdirSync(outDir, { recursive: true });
    const jsonPath = join(outDir, `computer-${results.startedAt.slice(0, 10)}.json`);
    const markdownPath = join(outDir, 'computer-latest.md');
    writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(markdownPath, renderComputerMarkdown(results, commit(options.root)));
    console.log('');
    for (const runner of results.runners) console.log(`  ${runner.name.padEnd(18)} p50 ${runner.stepMs.p50.toFixed(1)} ms  p90 ${runner.stepMs.p90.toFixed(1)} ms`);
    for (const check of results.checks) console.log(`${check.pass ? ' pass' : ' FAIL'}  ${check.description}: ${check.value} (target ${check.target})`);
    console.log(`wrote ${jsonPath} and ${markdownPath} in ${results.durationSeconds} s`);
    return options.strict && results.checks.some((check) => check.pass === false) ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
