/**
 * `npm run bench -- --only context`: needle-in-a-haystack recall on a 32k-window model at 128k,
 * 512k and 1M tokens of history, and a 1,000-turn chain (assembly time, storage growth, memory).
 * Writes bench/results/context-latest.md and context-<date>.json (or to --out).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runChain, type ChainResult } from './chain.js';
import { runNeedleSize, type NeedleSizeResult } from './needle.js';
import { renderContextReport } from './report.js';
import { startBenchServer } from './server.js';

export interface ContextBenchResults {
  startedAt: string;
  durationSeconds: number;
  machine: { node: string; cpus: number };
  needles: NeedleSizeResult[];
  chain: ChainResult;
  checks: { description: string; value: string; target: string; pass: boolean | null }[];
}

/** Runs the suite; returns the process exit code. */
export async function runContextSuite(options: { root: string; quick: boolean; strict: boolean; out?: string }): Promise<number> {
  setFlagsFromString('--expose-gc');
  (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
  const log = (line: string) => console.log(`[bench] ${line}`);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const sizes = options.quick ? [131_072] : [131_072, 524_288, 1_048_576];
  const needles: NeedleSizeResult[] = [];
  for (const [index, size] of sizes.entries()) {
    // One server per size: each history starts from an empty store and cold caches.
    const server = await startBenchServer();
    try {
      log(`needles: ${size} tokens of history`);
      needles.push(await runNeedleSize(server, size, index + 1));
      const result = needles[needles.length - 1];
      log(`needles: ${size}: single ${result.singleFraction}, multi ${result.multiFraction}, assembly p50 ${result.assemblyMs.p50} ms`);
    } finally {
      await server.close();
    }
  }
  const server = await startBenchServer();
  let chain: ChainResult;
  try {
    chain = await runChain(server, { turns: options.quick ? 200 : 1_000, turnTokens: 1_050, log });
  } finally {
    await server.close();
  }

  const small = chain.assembly.filter((entry) => entry.window === 32_768);
  const slowest = small.reduce((worst, entry) => (entry.p50 > worst.p50 ? entry : worst));
  const growth = chain.bytesPerTurn.slice(1);
  const spread = growth.length ? Math.max(...growth) / Math.min(...growth) : 1;
  const checks: ContextBenchResults['checks'] = [
    ...needles.map((result) => ({ description: `single-needle recall, ${result.targetTokens} tokens of history, 32k window`, value: String(result.singleFraction), target: '≥ 0.95', pass: result.singleFraction >= 0.95 })),
    ...needles.map((result) => ({ description: `multi-needle recall, ${result.targetTokens} tokens (reported)`, value: String(result.multiFraction), target: 'report', pass: null })),
    ...needles.map((result) => ({ description: `every prompt fits the 32k window, ${result.targetTokens} tokens`, value: `${result.tokensSent.max} tokens max`, target: '≤ 28,672 (32k − 4k output)', pass: [...result.single, ...result.multi].every((query) => query.fits) })),
    { description: `assembly p50 at the last turn of a ${chain.turns}-turn chain (32k window, recall; the slower of a question and a full turn)`, value: `${slowest.p50} ms`, target: '< 50 ms', pass: slowest.p50 < 50 },
    { description: 'stored item rows per turn (no per-turn copies)', value: String(chain.rowsPerTurn), target: '2', pass: chain.rowsPerTurn === 2 },
    { description: 'storage per turn, largest / smallest quarter (linear growth)', value: String(Math.round(spread * 100) / 100), target: '≤ 1.25', pass: spread <= 1.25 },
    { description: 'heap growth over 50 requests at the last turn', value: `${Math.round((chain.heap.afterMiB - chain.heap.beforeMiB) * 10) / 10} MiB`, target: '≤ 32 MiB', pass: chain.heap.afterMiB - chain.heap.beforeMiB <= 32 },
  ];
  const results: ContextBenchResults = {
    startedAt,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    needles,
    chain,
    checks,
  };
  const outDir = resolve(options.out ?? join(options.root, 'bench/results'));
  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, `context-${startedAt.slice(0, 10)}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'context-latest.md'), renderContextReport(results));
  for (const check of checks) console.log(`${check.pass === null ? '  -  ' : check.pass ? ' pass' : ' FAIL'}  ${check.description}: ${check.value} (target ${check.target})`);
  console.log(`wrote ${jsonPath} and ${join(outDir, 'context-latest.md')} in ${results.durationSeconds} s`);
  return options.strict && checks.some((check) => check.pass === false) ? 1 : 0;
}
