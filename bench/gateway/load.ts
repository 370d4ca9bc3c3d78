/**
 * Load and soak: many requests at a fixed concurrency through a keep-alive pool, in blocks that rotate over the
 * scenarios. Measures the server's CPU per request (its /proc CPU time over each block divided by the block's
 * requests), errors, throughput, and its resident memory sampled as the requests go by.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { HeapUsage } from './heap-probe.js';
import { timedRequest } from './http-client.js';
import { sampleMemory, sampleProcess } from './proc-stats.js';
import type { Scenario, ScenarioId, Target } from './scenarios.js';

export interface ScenarioLoad {
  requests: number;
  errors: number;
  /** server CPU time spent during this scenario's blocks, ms */
  cpuMs: number;
  /** CPU time of the load client (this process) and of the mock upstream over the same blocks, ms */
  clientCpuMs: number;
  upstreamCpuMs: number;
  wallMs: number;
  /** per-request latency under load, ms (a sample of at most `latencyKeep` values per block) */
  latencyMs: number[];
}

export interface MemoryPoint {
  /** requests completed (after warm-up) when the sample was taken */
  requests: number;
  elapsedMs: number;
  rssBytes: number;
  anonBytes: number;
}

export interface LoadRun {
  target: Target['name'];
  concurrency: number;
  warmupRequests: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  wallMs: number;
  /** the time limit stopped the run before all requests were sent */
  truncated: boolean;
  perScenario: Partial<Record<ScenarioId, ScenarioLoad>>;
  memory: MemoryPoint[];
  /** live heap after a full GC, and RSS just after it, at the start and at the end of the measured requests */
  heap?: { start: HeapUsage & { rssBytes: number }; end: HeapUsage & { rssBytes: number } };
  /** why the heap could not be read, when it could not */
  heapError?: string;
}

export interface LoadOptions {
  scenarios: readonly Scenario[];
  /** requests measured, after warm-up */
  requests: number;
  warmupRequests: number;
  /** requests per block; blocks rotate over the scenarios */
  blockSize: number;
  concurrency: number;
  maxMs: number;
  sampleEveryMs: number;
  /** the mock upstream's process, to show what the upstream costs beside the gateway */
  upstreamPid?: number;
  /** runs a full GC in the server and reads its live heap (see heap-probe.ts) */
  heapProbe?: () => Promise<HeapUsage>;
  /** called after each block with a one-line progress note */
  progress?: (line: string) => void;
}

interface BatchResult {
  done: number;
  errors: number;
  errorSamples: string[];
  latencyMs: number[];
}

async function runBatch(
  pool: Dispatcher,
  target: Target,
  scenario: Scenario,
  count: number,
  concurrency: number,
  deadline: number,
  onDone: () => void,
): Promise<BatchResult> {
  let issued = 0;
  const result: BatchResult = { done: 0, errors: 0, errorSamples: [], latencyMs: [] };
  // Keep about 500 latencies per block: enough for percentiles, bounded in memory.
  const keepEvery = Math.max(1, Math.floor(count / 500));
  const worker = async () => {
    while (issued < count && performance.now() < deadline) {
      issued++;
      const timing = await timedRequest(pool, scenario, target.headers);
      result.done++;
      onDone();
      if (!timing.ok) {
        result.errors++;
        if (result.errorSamples.length < 5) result.errorSamples.push(timing.error ?? 'unknown');
      } else if (result.done % keepEvery === 0) {
        result.latencyMs.push(timing.totalMs);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return result;
}

/**
 * Warms `target` up, then sends `options.requests` requests at `options.concurrency`, sampling its CPU and memory.
 *
 * @example
 * const pool = new Pool(kestrel.origin, { connections: 64 });
 * const run = await runLoad(kestrel, pool, { scenarios: SCENARIOS, requests: 100_000, warmupRequests: 4_000, blockSize: 5_000, concurrency: 64, maxMs: 120_000, sampleEveryMs: 250 });
 */
export async function runLoad(target: Target, pool: Dispatcher, options: LoadOptions): Promise<LoadRun> {
  if (!target.pid) throw new Error(`runLoad needs a server process to measure; ${target.name} has none`);
  const pid = target.pid;
  const start = performance.now();
  const deadline = start + options.maxMs;
  const noop = () => {};
  const warmupEach = Math.ceil(options.warmupRequests / options.scenarios.length);
  for (const scenario of options.scenarios) await runBatch(pool, target, scenario, warmupEach, options.concurrency, deadline, noop);

  const run: LoadRun = {
    target: target.name,
    concurrency: options.concurrency,
    warmupRequests: warmupEach * options.scenarios.length,
    requests: 0,
    errors: 0,
    errorSamples: [],
    wallMs: 0,
    truncated: false,
    perScenario: {},
    memory: [],
  };
  const probe = async () => {
    if (!options.heapProbe) return undefined;
    const usage = await options.heapProbe();
    return { ...usage, rssBytes: sampleMemory(pid).rssBytes };
  };
  let heapStart: Awaited<ReturnType<typeof probe>>;
  try {
    heapStart = await probe();
  } catch (error) {
    run.heapError = (error as Error).message;
  }
  // The probe's full GC also drops compiled code, and the next few thousand requests then paid V8
  // recompiling (measured: Kestrel's next chat block cost 0.60 ms a request against 0.28–0.32 ms before
  // and after). Warm up again, so the measured blocks see the server as it runs, not as it recovers.
  if (heapStart) {
    const rewarmEach = Math.min(warmupEach, 2_500);
    for (const scenario of options.scenarios) await runBatch(pool, target, scenario, rewarmEach, options.concurrency, deadline, noop);
    run.warmupRequests += rewarmEach * options.scenarios.length;
  }
  const measuredStart = performance.now();
  let completed = 0;
  const sample = () => {
    const memory = sampleMemory(pid);
    run.memory.push({ requests: completed, elapsedMs: performance.now() - measuredStart, rssBytes: memory.rssBytes, anonBytes: memory.anonBytes });
  };
  sample();
  const sampler = setInterval(sample, options.sampleEveryMs);
  try {
    let block = 0;
    while (run.requests < options.requests && performance.now() < deadline) {
      const scenario = options.scenarios[block % options.scenarios.length];
      const count = Math.min(options.blockSize, options.requests - run.requests);
      const upstreamCpu = () => (options.upstreamPid ? sampleProcess(options.upstreamPid).cpuMs : 0);
      const cpuBefore = sampleProcess(pid).cpuMs;
      const clientBefore = process.cpuUsage();
      const upstreamBefore = upstreamCpu();
      const blockStart = performance.now();
      const batch = await runBatch(pool, target, scenario, count, options.concurrency, deadline, () => completed++);
      const wallMs = performance.now() - blockStart;
      const cpuMs = sampleProcess(pid).cpuMs - cpuBefore;
      const client = process.cpuUsage(clientBefore);
      const entry = (run.perScenario[scenario.id] ??= { requests: 0, errors: 0, cpuMs: 0, clientCpuMs: 0, upstreamCpuMs: 0, wallMs: 0, latencyMs: [] });
      entry.requests += batch.done;
      entry.errors += batch.errors;
      entry.cpuMs += cpuMs;
      entry.clientCpuMs += (client.user + client.system) / 1000;
      entry.upstreamCpuMs += upstreamCpu() - upstreamBefore;
      entry.wallMs += wallMs;
      entry.latencyMs.push(...batch.latencyMs);
      run.requests += batch.done;
      run.errors += batch.errors;
      for (const error of batch.errorSamples) if (run.errorSamples.length < 10) run.errorSamples.push(`${scenario.id}: ${error}`);
      sample();
      options.progress?.(
        `${target.name} ${scenario.id}: ${run.requests}/${options.requests} requests, ` +
          `${Math.round(batch.done / (wallMs / 1000))} req/s, ${(cpuMs / Math.max(batch.done, 1)).toFixed(3)} ms CPU/req, ` +
          `RSS ${(run.memory[run.memory.length - 1].rssBytes / 2 ** 20).toFixed(1)} MiB, errors ${run.errors}`,
      );
      block++;
    }
  } finally {
    clearInterval(sampler);
  }
  run.wallMs = performance.now() - measuredStart;
  run.truncated = run.requests < options.requests;
  if (heapStart) {
    try {
      const heapEnd = await probe();
      if (heapEnd) run.heap = { start: heapStart, end: heapEnd };
    } catch (error) {
      run.heapError = (error as Error).message;
    }
  }
  return run;
}
