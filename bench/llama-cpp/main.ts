/**
 * `npm run bench -- --only llama-cpp`: tokens per second of Kestrel's llama-cpp backend through
 * `POST /v1/responses` (streamed) against node-llama-cpp used directly, in the same run, on the
 * same generated GGUFs (random-weight llama models of 8M and 32M parameters, F32), the same prompt
 * and greedy decoding. Kestrel runs as its own process (`kestrel serve`, from source) with the bench
 * as its HTTP client; the direct baseline runs in the bench process. Rounds alternate between
 * the targets so that drift (other work on the machine) hits them alike.
 *
 * Checks: Kestrel ≥ 0.95 × direct at concurrency 1. Reported: aggregate throughput at concurrency 4,
 * and, at concurrency 1, node-llama-cpp on a context of one sequence (where it decodes each token as
 * soon as it is queued; with four sequences it waits a turn of the event loop, which Kestrel does not).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tinyParameterCount, writeTinyGguf, type TinyGgufOptions } from '../../src/backends/llama-cpp/__fixtures__/tiny-gguf.js';
import { startService } from '../gateway/child-process.js';
import { sampleProcess } from '../gateway/proc-stats.js';
import { startDirect, type Run } from './direct.js';
import { renderLlamaCppMarkdown, type LlamaCppResults, type ModelFigures, type TargetFigures } from './report.js';

export interface LlamaCppSuiteOptions {
  root: string;
  quick: boolean;
  strict: boolean;
  out?: string;
}

/** Two sizes: Kestrel's cost per token is about constant, so its share shrinks as the model grows. */
const MODELS: { id: string; options: TinyGgufOptions; rounds1: [quick: number, full: number]; rounds4: [quick: number, full: number] }[] = [
  { id: 'bench-8m', options: { embedding: 256, layers: 8, heads: 8, kvHeads: 4, feedForward: 1024, endless: true, name: 'Kestrel bench 8M' }, rounds1: [6, 30], rounds4: [2, 8] },
  { id: 'bench-32m', options: { embedding: 512, layers: 8, heads: 8, kvHeads: 4, feedForward: 2048, endless: true, name: 'Kestrel bench 32M', seed: 2 }, rounds1: [4, 14], rounds4: [1, 4] },
];
const INPUT = 'Tell me a long story about a lighthouse keeper and the storm that changed her life.';
const THREADS = 1;
const CONTEXT = 512;
const SEQUENCES = 4;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function figures(runs: Run[][]): TargetFigures {
  // One entry per round: the round's tokens over its wall time (the slowest of its parallel runs).
  const rates = runs.map((round) => round.reduce((sum, run) => sum + run.tokens, 0) / (Math.max(...round.map((run) => run.ms)) / 1000));
  return {
    rounds: runs.length,
    tokensPerRound: runs[0]?.reduce((sum, run) => sum + run.tokens, 0) ?? 0,
    tokensPerSecond: median(rates),
    tokensPerSecondMin: Math.min(...rates),
    tokensPerSecondMax: Math.max(...rates),
    firstTokenMs: median(runs.flat().map((run) => run.firstTokenMs)),
  };
}

/** Keep-alive connections for the bench's requests. */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/**
 * One streamed Responses request; the time to the first text delta and the output tokens of
 * `response.completed`. The client is `node:http`, which costs about half the CPU per SSE chunk of
 * `fetch` (0.09 against 0.19 ms here): the client shares the two cores with Kestrel and llama.cpp.
 */
function kestrelRun(url: string, model: string, maxTokens: number): Promise<Run & { inputTokens: number }> {
  const started = performance.now();
  const body = JSON.stringify({ model, input: INPUT, stream: true, max_output_tokens: maxTokens, temperature: 0 });
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/v1/responses`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.setEncoding('utf8');
      let firstTokenMs = 0;
      // Chunks are joined once at the end: the client's own work per token stays small.
      const chunks: string[] = [];
      response.on('data', (text: string) => {
        if (!firstTokenMs && text.includes('response.output_text.delta')) firstTokenMs = performance.now() - started;
        chunks.push(text);
      });
      response.on('error', reject);
      response.on('end', () => {
        const ms = performance.now() - started;
        const all = chunks.join('');
        if (response.statusCode !== 200) return reject(new Error(`Kestrel answered HTTP ${response.statusCode}: ${all}`));
        // The last event is response.completed, or response.incomplete when max_output_tokens cut the answer.
        const tail = all.slice(-65_536);
        const last = tail.lastIndexOf('data: {');
        if (last < 0 || !/response\.(completed|incomplete)/.test(tail.slice(Math.max(0, last - 40), last))) return reject(new Error(`the stream did not end with the response: ${tail.slice(-300)}`));
        const data = JSON.parse(tail.slice(last + 6).split('\n')[0]) as { response: { usage: { output_tokens: number; input_tokens: number } } };
        resolve({ tokens: data.response.usage.output_tokens, ms, firstTokenMs, inputTokens: data.response.usage.input_tokens });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function runLlamaCppBench(options: { root: string; quick: boolean; log: (line: string) => void }): Promise<LlamaCppResults> {
  const started = new Date();
  const work = mkdtempSync(join(tmpdir(), 'kestrel-bench-llama-'));
  const modelsDir = join(work, 'models');
  mkdirSync(modelsDir);
  for (const model of MODELS) {
    writeTinyGguf(join(modelsDir, `${model.id}.gguf`), model.options);
    options.log(`${model.id}: ${tinyParameterCount(model.options).toLocaleString('en')} parameters, ${(statSync(join(modelsDir, `${model.id}.gguf`)).size / 2 ** 20).toFixed(1)} MiB F32`);
  }
  const config = join(work, 'kestrel.json');
  writeFileSync(config, JSON.stringify({ backends: { local: { type: 'llama-cpp', modelsDir, gpu: false, threads: THREADS, contextSize: CONTEXT, parallelSequences: SEQUENCES, idleUnloadMs: 0, logLevel: 'error' } } }));
  const loadStart = loadavg()[0];
  const kestrel = await startService({
    name: 'kestrel',
    args: ['--import', 'tsx', 'bench/gateway/kestrel-from-source.ts', 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(work, 'data'), '--config', config],
    cwd: options.root,
    ready: /Kestrel listening on (http\S+)/,
    timeoutMs: 120_000,
  });
  const url = kestrel.match[1];
  const tokens = options.quick ? 64 : 128;
  const results: LlamaCppResults = {
    startedAt: started.toISOString(),
    durationSeconds: 0,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverageStart: loadStart, loadAverageEnd: 0, node: process.version },
    setup: { threads: THREADS, contextSize: CONTEXT, sequences: SEQUENCES, tokensPerRequest: tokens, input: INPUT },
    models: [],
    checks: [],
  };
  try {
    for (const spec of MODELS) {
      const modelPath = join(modelsDir, `${spec.id}.gguf`);
      const direct = await startDirect({ modelPath, input: INPUT, contextSize: CONTEXT, sequences: SEQUENCES, threads: THREADS });
      const single = await startDirect({ modelPath, input: INPUT, contextSize: CONTEXT, sequences: 1, threads: THREADS });
      try {
        const rounds1 = options.quick ? spec.rounds1[0] : spec.rounds1[1];
        const rounds4 = options.quick ? spec.rounds4[0] : spec.rounds4[1];
        const warm = await kestrelRun(url, spec.id, 16);
        if (warm.inputTokens !== direct.promptTokens) throw new Error(`the prompts differ: Kestrel ${warm.inputTokens} tokens, direct ${direct.promptTokens}`);
        for (let i = 0; i < 2; i++) {
          await direct.evaluate(1, tokens);
          await single.evaluate(1, tokens);
          await kestrelRun(url, spec.id, tokens);
        }
        const c1 = { direct: [] as Run[][], kestrel: [] as Run[][], single: [] as Run[][] };
        const pairs: number[] = [];
        const singlePairs: number[] = [];
        const cpu = { directMs: 0, directTokens: 0, kestrelMs: 0, kestrelTokens: 0 };
        // CPU time (all threads) is what each side spends per token, whatever else the machine runs.
        const timedDirect = async () => {
          const before = process.cpuUsage();
          const runs = await direct.evaluate(1, tokens);
          const used = process.cpuUsage(before);
          cpu.directMs += (used.user + used.system) / 1000;
          cpu.directTokens += runs[0].tokens;
          return runs;
        };
        const timedKestrel = async () => {
          const before = sampleProcess(kestrel.pid).cpuMs;
          const run = await kestrelRun(url, spec.id, tokens);
          cpu.kestrelMs += sampleProcess(kestrel.pid).cpuMs - before;
          cpu.kestrelTokens += run.tokens;
          return [run];
        };
        for (let round = 0; round < rounds1; round++) {
          // Each round runs the targets back to back, in alternating order, and yields paired ratios.
          const first = round % 2 === 0;
          const a = first ? await timedDirect() : await timedKestrel();
          const b = first ? await timedKestrel() : await timedDirect();
          const [d, k] = first ? [a, b] : [b, a];
          const s1 = await single.evaluate(1, tokens);
          c1.direct.push(d);
          c1.kestrel.push(k);
          c1.single.push(s1);
          const rate = (runs: Run[]) => runs[0].tokens / runs[0].ms;
          pairs.push(rate(k) / rate(d));
          singlePairs.push(rate(k) / rate(s1));
          options.log(`${spec.id}, concurrency 1, round ${round + 1}/${rounds1}: direct ${(rate(d) * 1000).toFixed(0)} tok/s (one-sequence context ${(rate(s1) * 1000).toFixed(0)}), kestrel ${(rate(k) * 1000).toFixed(0)} tok/s`);
        }
        const c4 = { direct: [] as Run[][], kestrel: [] as Run[][] };
        for (let round = 0; round < rounds4; round++) {
          c4.direct.push(await direct.evaluate(SEQUENCES, tokens));
          const begin = performance.now();
          const runs = await Promise.all(Array.from({ length: SEQUENCES }, () => kestrelRun(url, spec.id, tokens)));
          // The round's wall time is from the first request sent to the last answer done.
          const wall = performance.now() - begin;
          c4.kestrel.push(runs.map((run, index) => (index === 0 ? { ...run, ms: wall } : run)));
          options.log(`${spec.id}, concurrency 4, round ${round + 1}/${rounds4} done`);
        }
        const figuresOf: ModelFigures = {
          id: spec.id,
          parameters: tinyParameterCount(spec.options),
          fileBytes: statSync(modelPath).size,
          options: { ...spec.options },
          promptTokens: direct.promptTokens,
          concurrency1: {
            direct: figures(c1.direct),
            kestrel: figures(c1.kestrel),
            pairedRatios: pairs,
            directOneSequence: figures(c1.single),
            pairedRatiosOneSequence: singlePairs,
            cpuMsPerToken: { direct: cpu.directMs / cpu.directTokens, kestrel: cpu.kestrelMs / cpu.kestrelTokens },
          },
          concurrency4: { direct: figures(c4.direct), kestrel: figures(c4.kestrel) },
        };
        results.models.push(figuresOf);
        const ratio1 = median(pairs);
        const ratio4 = figuresOf.concurrency4.kestrel.tokensPerSecond / figuresOf.concurrency4.direct.tokensPerSecond;
        const size = `${(figuresOf.parameters / 1e6).toFixed(0)}M parameters`;
        results.checks.push(
          { description: `${size}: Kestrel /v1/responses tokens/s ÷ node-llama-cpp direct, concurrency 1 (median of paired rounds)`, value: ratio1.toFixed(3), target: '≥ 0.95', pass: ratio1 >= 0.95 },
          {
            description: `${size}: CPU time per token, Kestrel server process ÷ node-llama-cpp direct (all threads)`,
            value: `${(figuresOf.concurrency1.cpuMsPerToken.kestrel / figuresOf.concurrency1.cpuMsPerToken.direct).toFixed(3)} (${figuresOf.concurrency1.cpuMsPerToken.kestrel.toFixed(2)} vs ${figuresOf.concurrency1.cpuMsPerToken.direct.toFixed(2)} ms)`,
            target: 'reported',
            pass: null,
          },
          {
            description: `${size}: Kestrel ÷ node-llama-cpp direct on a one-sequence context, concurrency 1 (median of paired rounds)`,
            value: median(singlePairs).toFixed(3),
            target: 'reported',
            pass: null,
          },
          { description: `${size}: aggregate tokens/s at concurrency 4 (4 sequences of one model)`, value: `${figuresOf.concurrency4.kestrel.tokensPerSecond.toFixed(0)} tok/s, ${ratio4.toFixed(3)} × direct (${figuresOf.concurrency4.direct.tokensPerSecond.toFixed(0)})`, target: 'reported', pass: null },
        );
      } finally {
        await direct.close();
        await single.close();
      }
    }
    results.durationSeconds = Math.round((Date.now() - started.getTime()) / 1000);
    results.machine.loadAverageEnd = loadavg()[0];
    return results;
  } finally {
    agent.destroy();
    await kestrel.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the suite, writes `llama-cpp-<date>.json` and `llama-cpp-latest.md`; resolves to the exit code. */
export async function runLlamaCppSuite(options: LlamaCppSuiteOptions): Promise<number> {
  const outDir = resolve(options.out ?? (options.quick ? join(tmpdir(), 'kestrel-bench') : join(options.root, 'bench/results')));
  const results = await runLlamaCppBench({ root: options.root, quick: options.quick, log: (line) => console.log(`[bench:llama-cpp] ${line}`) });
  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, `llama-cpp-${results.startedAt.slice(0, 10)}.json`);
  const markdownPath = join(outDir, 'llama-cpp-latest.md');
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdownPath, renderLlamaCppMarkdown(results));
  console.log('');
  for (const check of results.checks) console.log(`${check.pass === null ? '  -  ' : check.pass ? ' pass' : ' FAIL'}  ${check.description}: ${check.value} (target ${check.target})`);
  console.log(`\nwrote ${jsonPath} and ${markdownPath} in ${results.durationSeconds} s`);
  return options.strict && results.checks.some((check) => check.pass === false) ? 1 : 0;
}
