/**
 * Added latency, measured one request at a time in interleaved rounds (direct, kestrel, portkey, direct, …), so
 * that drift on the machine (other work, CPU frequency) hits every target alike and cancels in the differences.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { timedRequest } from './http-client.js';
import { sampleProcess } from './proc-stats.js';
import type { Scenario, Target, TargetName } from './scenarios.js';

export interface LatencySeries {
  /** one value per round; NaN where the request failed */
  totalMs: number[];
  ttfbMs: number[];
  firstTokenMs: number[];
  errors: number;
  errorSamples: string[];
  /** server CPU over the recorded rounds (gateways only), ms */
  cpuMs?: number;
}

export interface LatencyRun {
  scenario: Scenario['id'];
  /** rounds recorded (may be fewer than asked when the time limit was reached) */
  rounds: number;
  series: Partial<Record<TargetName, LatencySeries>>;
}

export interface LatencyOptions {
  rounds: number;
  warmupRounds: number;
  /** stop recording after this long even if rounds remain */
  maxMs: number;
}

/**
 * Runs `options.rounds` interleaved rounds of `scenario` over `targets`, each over its own one-connection pool.
 *
 * @example
 * const run = await measureLatency([direct, kestrel], pools, SCENARIOS[0], { rounds: 500, warmupRounds: 50, maxMs: 20_000 });
 */
export async function measureLatency(
  targets: readonly Target[],
  pools: ReadonlyMap<TargetName, Dispatcher>,
  scenario: Scenario,
  options: LatencyOptions,
): Promise<LatencyRun> {
  const poolOf = (target: Target) => {
    const pool = pools.get(target.name);
    if (!pool) throw new Error(`no pool for ${target.name}`);
    return pool;
  };
  for (let round = 0; round < options.warmupRounds; round++) {
    for (const target of targets) await timedRequest(poolOf(target), scenario, target.headers);
  }
  const series: Partial<Record<TargetName, LatencySeries>> = {};
  for (const target of targets) series[target.name] = { totalMs: [], ttfbMs: [], firstTokenMs: [], errors: 0, errorSamples: [] };
  const cpuBefore = new Map(targets.filter((t) => t.pid).map((t) => [t.name, sampleProcess(t.pid as number).cpuMs]));
  const deadline = performance.now() + options.maxMs;
  let rounds = 0;
  while (rounds < options.rounds && performance.now() < deadline) {
    for (const target of targets) {
      const timing = await timedRequest(poolOf(target), scenario, target.headers);
      const s = series[target.name] as LatencySeries;
      // A failed request leaves NaN in its slot, so index i is round i in every series (for paired differences).
      if (!timing.ok) {
        s.errors++;
        if (s.errorSamples.length < 3) s.errorSamples.push(timing.error ?? 'unknown');
      }
      s.totalMs.push(timing.ok ? timing.totalMs : Number.NaN);
      s.ttfbMs.push(timing.ok ? timing.ttfbMs : Number.NaN);
      s.firstTokenMs.push(timing.ok && scenario.stream ? timing.firstTokenMs : Number.NaN);
    }
    rounds++;
  }
  for (const target of targets) {
    const before = cpuBefore.get(target.name);
    if (before !== undefined && target.pid) (series[target.name] as LatencySeries).cpuMs = sampleProcess(target.pid).cpuMs - before;
  }
  return { scenario: scenario.id, rounds, series };
}
