/**
 * `npm run bench` — Kestrel's benchmarks: every suite in turn (`all`, the default), or one with `--only NAME`.
 * `gateway`: added latency, CPU per request, errors under load and memory over a soak, against a local mock upstream,
 * beside Portkey's open-source gateway.
 *
 * Options (argv, or the same name as an environment variable: `--stream-rounds 50` ≡ `BENCH_STREAM_ROUNDS=50`):
 *   --quick                 short smoke run (about 40 s); results go to a temp folder unless --out is given
 *   --only all|gateway|pro|… the suite to run (default all, each in its own process; `pro`: Pro accuracy against the vote bound, see bench/pro/index.ts,
 *                           with --trials N, or on a real model with --base-url URL --model NAME [--samples 1,4,8] [--api-key KEY])
 *                           `computer`: computer-use runtime cost per step against raw playwright-core, bench/computer/
 *                           `llama-cpp`: tokens/s of the llama-cpp backend through /v1/responses against node-llama-cpp directly, bench/llama-cpp/
 *                           `context`: needle recall on a 32k window at 128k–1M tokens of history, and a 1,000-turn chain, bench/context/
 *                           `tool-search`: ranking quality on labelled requests beside plain BM25, search latency on 10,000 tools,
 *                           prompt tokens against loading every tool, bench/tool-search/ (BENCH_EMBEDDINGS_URL/_MODEL add embeddings)
 *   --gateways LIST         gateways to measure beside the direct baseline (default kestrel,portkey,floor; `floor` is a
 *                           minimal Node proxy, node:http → undici with bytes unchanged: the least any Node gateway adds here)
 *   --rounds N              latency rounds per non-stream scenario (default 1000)
 *   --stream-rounds N       latency rounds per stream scenario (default 400)
 *   --warmup-rounds N       unrecorded rounds before each scenario (default 100)
 *   --jit-warmup N          unrecorded requests of each scenario every gateway serves, 16 at a time, before the latency
 *                           rounds, so that V8 has optimised its hot path (default 2000; 0 to skip)
 *   --concurrency N         load concurrency (default 64)
 *   --load-warmup N         unrecorded requests at that concurrency before each gateway's load run (default 8000)
 *   --requests N            Kestrel soak requests after warm-up (default 100000)
 *   --portkey-requests N    Portkey soak requests (default 25000: Portkey serves ~500 req/s here, and the run must stay near 5 min)
 *   --floor-requests N      floor proxy soak requests, when it is measured (default 20000)
 *   --kestrel-from auto|dist|src   run the built CLI or the sources (default auto: dist when fresh)
 *   --profile               also profile Kestrel under load (node --cpu-prof) and list the top 15 self-time functions
 *   --out DIR               where to write gateway-<date>.json and gateway-latest.md (default bench/results)
 *   --strict                exit 1 when a check fails
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runGatewayBench, type GatewayBenchOptions } from './gateway/index.js';
import { renderMarkdown } from './gateway/report.js';
import { PRO_OPTIONS, runProSuite } from './pro/suite.js';

const root = resolve(import.meta.dirname, '..');

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    gateways: { type: 'string' },
    rounds: { type: 'string' },
    'stream-rounds': { type: 'string' },
    'warmup-rounds': { type: 'string' },
    'jit-warmup': { type: 'string' },
    'load-warmup': { type: 'string' },
    concurrency: { type: 'string' },
    requests: { type: 'string' },
    'portkey-requests': { type: 'string' },
    'floor-requests': { type: 'string' },
    'kestrel-from': { type: 'string' },
    profile: { type: 'boolean' },
    out: { type: 'string' },
    strict: { type: 'boolean' },
    ...PRO_OPTIONS,
  },
});

function option(name: keyof typeof values): string | boolean | undefined {
  const value = values[name];
  if (value !== undefined) return value;
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  if (env === undefined || env === '') return undefined;
  return env === '1' || env === 'true' ? true : env === '0' || env === 'false' ? false : env;
}

function count(name: keyof typeof values, fallback: number): number {
  const raw = option(name);
  if (raw === undefined || typeof raw === 'boolean') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return value;
}

const SUITES = ['gateway', 'tool-search', 'context', 'pro', 'computer', 'llama-cpp'] as const;
const suite = option('only') ?? 'all';
if (suite === 'all') {
  // Each suite runs in its own process, one after the other, so none measures under another's load.
  const rest = process.argv.slice(2).filter((arg, index, all) => arg !== '--only' && all[index - 1] !== '--only');
  let worst = 0;
  for (const name of SUITES) {
    console.log(`\n[bench] === ${name} ===`);
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--only', name, ...rest], { stdio: 'inherit', env: { ...process.env, BENCH_ONLY: name } });
    worst = Math.max(worst, child.status ?? 1);
  }
  process.exit(worst);
}
if (suite === 'pro') process.exit(await runProSuite({ root, quick: option('quick') === true, strict: option('strict') === true, option }));
// Suites in their own folders, loaded only when asked for.
type SuiteRunner = (options: { root: string; quick: boolean; strict: boolean; out?: string }) => Promise<number>;
const FOLDER_SUITES: Record<string, () => Promise<SuiteRunner>> = {
  computer: async () => (await import('./computer/main.js')).runComputerSuite,
  context: async () => (await import('./context/main.js')).runContextSuite,
  'llama-cpp': async () => (await import('./llama-cpp/main.js')).runLlamaCppSuite,
  'tool-search': async () => (await import('./tool-search/main.js')).runToolSearchSuite,
};
const folderSuite = FOLDER_SUITES[String(suite)];
if (folderSuite) {
  const out = option('out');
  const run = await folderSuite();
  process.exit(await run({ root, quick: option('quick') === true, strict: option('strict') === true, out: typeof out === 'string' ? out : undefined }));
}
if (suite !== 'gateway') {
  console.error(`bench: unknown suite "${suite}" (available: gateway, pro, computer, context, llama-cpp, tool-search)`);
  process.exit(2);
}
const quick = option('quick') === true;
const gateways = String(option('gateways') ?? 'kestrel,portkey,floor')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is 'kestrel' | 'portkey' | 'floor' => name === 'kestrel' || name === 'portkey' || name === 'floor');
const kestrelFrom = String(option('kestrel-from') ?? 'auto');
if (!['auto', 'dist', 'src'].includes(kestrelFrom)) throw new Error(`--kestrel-from must be auto, dist or src, got "${kestrelFrom}"`);

const options: GatewayBenchOptions = {
  root,
  gateways,
  latencyRounds: { nonStream: count('rounds', quick ? 150 : 1000), stream: count('stream-rounds', quick ? 60 : 400) },
  warmupRounds: count('warmup-rounds', quick ? 20 : 100),
  jitWarmupRequests: count('jit-warmup', quick ? 200 : 2_000),
  latencyMaxMs: quick ? 10_000 : 45_000,
  concurrency: count('concurrency', 64),
  loadRequests: {
    kestrel: count('requests', quick ? 4_000 : 100_000),
    portkey: count('portkey-requests', quick ? 2_000 : 25_000),
    floor: count('floor-requests', quick ? 2_000 : 20_000),
  },
  warmupRequests: count('load-warmup', quick ? 400 : 8_000),
  blockSize: quick ? 500 : 5_000,
  loadMaxMs: quick ? { kestrel: 30_000, portkey: 20_000, floor: 15_000 } : { kestrel: 180_000, portkey: 120_000, floor: 40_000 },
  kestrelFrom: kestrelFrom as GatewayBenchOptions['kestrelFrom'],
  profile: option('profile') === true,
  profileRequests: quick ? 4_000 : 40_000,
  log: (line) => console.log(`[bench] ${line}`),
};

const outDir = resolve(String(option('out') ?? (quick ? join(tmpdir(), 'kestrel-bench') : join(root, 'bench/results'))));
const results = await runGatewayBench(options);
mkdirSync(outDir, { recursive: true });
const jsonPath = join(outDir, `gateway-${results.startedAt.slice(0, 10)}.json`);
const markdownPath = join(outDir, 'gateway-latest.md');
writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(markdownPath, renderMarkdown(results));

const failed = results.checks.filter((check) => check.pass === false);
console.log('');
for (const check of results.checks) {
  const mark = check.pass === null ? '  -  ' : check.pass ? ' pass' : ' FAIL';
  console.log(`${mark}  ${check.description}: ${check.value} (target ${check.target})`);
}
console.log(`\n${results.checks.filter((c) => c.pass).length} passed, ${failed.length} failed; wrote ${jsonPath} and ${markdownPath} in ${results.durationSeconds} s`);
if (option('strict') === true && failed.length > 0) process.exitCode = 1;
