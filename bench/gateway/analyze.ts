/** Turns raw latency and load runs into the figures the gateway bench reports, and checks them against the targets. */
import type { LatencyRun, LatencySeries } from './latency.js';
import type { LoadRun } from './load.js';
import type { ScenarioId, TargetName } from './scenarios.js';
import { pairedMedianDifference, round, slope, summarize, type Summary } from './stats.js';

/** The targets of issue 2, and the Portkey figures it quotes for this kind of machine. */
export const TARGETS = {
  addedP50Ms: 0.3,
  addedTtfbMs: 1,
  cpuPerRequestMs: 0.2,
  /**
   * Memory counts as flat when the live heap after a full GC grew by at most this over the soak (about 100 bytes
   * per request over 100,000), or, when the heap cannot be read, when the RSS floor rose by at most this.
   * RSS keeps peaks V8 has not collected yet, so RSS is judged only right after a full GC (next line).
   */
  memoryGrowthMiB: 10,
  /** and RSS right after a full GC grew by at most this (native memory, e.g. SQLite or buffers, shows only in RSS) */
  rssAfterGcGrowthMiB: 32,
  betterThanPortkey: 5,
  portkeyQuoted: { addedP50Ms: 1.8, addedTtfbMs: 36, cpuPerRequestMs: '1.4–1.9' },
} as const;

type Gateway = Exclude<TargetName, 'direct'>;

export interface RoundedSummary {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  mean: number | null;
  max: number | null;
}

export interface LatencyFigures {
  scenario: ScenarioId;
  stream: boolean;
  rounds: number;
  targets: Partial<Record<TargetName, { total: RoundedSummary; ttfb?: RoundedSummary; firstToken?: RoundedSummary; errors: number; errorSamples: string[]; cpuPerRequestMs?: number | null }>>;
  /** what each gateway adds to the direct call, ms (p50 of gateway minus p50 of direct; paired = median of per-round differences) */
  added: Partial<Record<Gateway, { p50: number | null; p90: number | null; p99: number | null; pairedMedian: number | null; ttfbP50?: number | null; ttfbPairedMedian?: number | null; firstTokenP50?: number | null }>>;
}

export interface LoadFigures {
  target: Gateway;
  concurrency: number;
  warmupRequests: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  wallSeconds: number | null;
  truncated: boolean;
  /** requests the mock upstream served during the run (a gateway must not answer from a cache) */
  upstreamRequests?: number;
  perScenario: Partial<
    Record<
      ScenarioId,
      {
        requests: number;
        errors: number;
        cpuPerRequestMs: number | null;
        requestsPerCpuSecond: number | null;
        requestsPerSecond: number | null;
        clientCpuPerRequestMs: number | null;
        upstreamCpuPerRequestMs: number | null;
        latency: RoundedSummary;
      }
    >
  >;
  memory: {
    samples: number;
    firstMiB: number | null;
    lastMiB: number | null;
    maxMiB: number | null;
    slopeMiBPer10k: number | null;
    fittedGrowthMiB: number | null;
    /** lowest RSS in the first and in the last fifth of the samples: a leak lifts the floor, GC cycles do not */
    floorFirstMiB: number | null;
    floorLastMiB: number | null;
    floorGrowthMiB: number | null;
    anonFirstMiB: number | null;
    anonLastMiB: number | null;
    anonSlopeMiBPer10k: number | null;
    /** live heap after a full GC at the start and the end of the measured requests (null when unreadable) */
    heapStartMiB: number | null;
    heapEndMiB: number | null;
    heapGrowthMiB: number | null;
    /** RSS right after those GCs */
    rssAfterGcStartMiB: number | null;
    rssAfterGcEndMiB: number | null;
    heapError?: string;
  };
}

export interface Check {
  id: string;
  description: string;
  target: string;
  value: string;
  /** null when it could not be measured in this run */
  pass: boolean | null;
}

function roundSummary(summary: Summary): RoundedSummary {
  return { count: summary.count, p50: round(summary.p50), p90: round(summary.p90), p99: round(summary.p99), mean: round(summary.mean), max: round(summary.max) };
}

const isGateway = (name: TargetName): name is Gateway => name !== 'direct';

/**
 * Percentiles per target, and what each gateway adds over the direct call.
 *
 * @example const figures = latencyFigures(run, true);
 */
export function latencyFigures(run: LatencyRun, stream: boolean): LatencyFigures {
  const figures: LatencyFigures = { scenario: run.scenario, stream, rounds: run.rounds, targets: {}, added: {} };
  const direct = run.series.direct;
  for (const [name, series] of Object.entries(run.series) as Array<[TargetName, LatencySeries]>) {
    const requests = series.totalMs.length;
    figures.targets[name] = {
      total: roundSummary(summarize(series.totalMs)),
      ...(stream ? { ttfb: roundSummary(summarize(series.ttfbMs)), firstToken: roundSummary(summarize(series.firstTokenMs)) } : {}),
      errors: series.errors,
      errorSamples: series.errorSamples,
      ...(series.cpuMs !== undefined ? { cpuPerRequestMs: round(series.cpuMs / Math.max(requests, 1), 4) } : {}),
    };
    if (!direct || !isGateway(name)) continue;
    const own = summarize(series.totalMs);
    const base = summarize(direct.totalMs);
    figures.added[name] = {
      p50: round(own.p50 - base.p50),
      p90: round(own.p90 - base.p90),
      p99: round(own.p99 - base.p99),
      pairedMedian: round(pairedMedianDifference(series.totalMs, direct.totalMs)),
      ...(stream
        ? {
            ttfbP50: round(summarize(series.ttfbMs).p50 - summarize(direct.ttfbMs).p50),
            ttfbPairedMedian: round(pairedMedianDifference(series.ttfbMs, direct.ttfbMs)),
            firstTokenP50: round(summarize(series.firstTokenMs).p50 - summarize(direct.firstTokenMs).p50),
          }
        : {}),
    };
  }
  return figures;
}

/**
 * CPU per request, throughput, errors and the memory trend of one load run.
 *
 * @example const figures = loadFigures(run, upstreamDelta);
 */
export function loadFigures(run: LoadRun, upstreamRequests?: number): LoadFigures {
  const mib = (bytes: number) => bytes / 2 ** 20;
  const perScenario: LoadFigures['perScenario'] = {};
  for (const [id, entry] of Object.entries(run.perScenario) as Array<[ScenarioId, NonNullable<LoadRun['perScenario'][ScenarioId]>]>) {
    perScenario[id] = {
      requests: entry.requests,
      errors: entry.errors,
      cpuPerRequestMs: round(entry.cpuMs / Math.max(entry.requests, 1), 4),
      requestsPerCpuSecond: entry.cpuMs > 0 ? Math.round(entry.requests / (entry.cpuMs / 1000)) : null,
      requestsPerSecond: entry.wallMs > 0 ? Math.round(entry.requests / (entry.wallMs / 1000)) : null,
      clientCpuPerRequestMs: round(entry.clientCpuMs / Math.max(entry.requests, 1), 4),
      upstreamCpuPerRequestMs: round(entry.upstreamCpuMs / Math.max(entry.requests, 1), 4),
      latency: roundSummary(summarize(entry.latencyMs)),
    };
  }
  const points = run.memory;
  const x = points.map((p) => p.requests);
  const rss = points.map((p) => mib(p.rssBytes));
  const anon = points.map((p) => mib(p.anonBytes));
  const rssSlope = slope(x, rss);
  const fifth = Math.max(1, Math.floor(rss.length / 5));
  const floorFirst = rss.length ? Math.min(...rss.slice(0, fifth)) : Number.NaN;
  const floorLast = rss.length ? Math.min(...rss.slice(-fifth)) : Number.NaN;
  const anonSlope = slope(x, anon);
  return {
    target: run.target as Gateway,
    concurrency: run.concurrency,
    warmupRequests: run.warmupRequests,
    requests: run.requests,
    errors: run.errors,
    errorSamples: run.errorSamples,
    wallSeconds: round(run.wallMs / 1000, 1),
    truncated: run.truncated,
    ...(upstreamRequests !== undefined ? { upstreamRequests } : {}),
    perScenario,
    memory: {
      samples: points.length,
      firstMiB: round(rss[0] ?? Number.NaN, 1),
      lastMiB: round(rss[rss.length - 1] ?? Number.NaN, 1),
      maxMiB: round(rss.length ? Math.max(...rss) : Number.NaN, 1),
      slopeMiBPer10k: round(rssSlope * 10_000, 3),
      fittedGrowthMiB: round(rssSlope * run.requests, 2),
      floorFirstMiB: round(floorFirst, 1),
      floorLastMiB: round(floorLast, 1),
      floorGrowthMiB: round(floorLast - floorFirst, 1),
      anonFirstMiB: round(anon[0] ?? Number.NaN, 1),
      anonLastMiB: round(anon[anon.length - 1] ?? Number.NaN, 1),
      anonSlopeMiBPer10k: round(anonSlope * 10_000, 3),
      heapStartMiB: round(run.heap ? mib(run.heap.start.usedBytes) : Number.NaN, 1),
      heapEndMiB: round(run.heap ? mib(run.heap.end.usedBytes) : Number.NaN, 1),
      heapGrowthMiB: round(run.heap ? mib(run.heap.end.usedBytes - run.heap.start.usedBytes) : Number.NaN, 2),
      rssAfterGcStartMiB: round(run.heap ? mib(run.heap.start.rssBytes) : Number.NaN, 1),
      rssAfterGcEndMiB: round(run.heap ? mib(run.heap.end.rssBytes) : Number.NaN, 1),
      ...(run.heapError ? { heapError: run.heapError } : {}),
    },
  };
}

const fmt = (value: number | null | undefined, unit = 'ms') => (value === null || value === undefined ? 'n/a' : `${value} ${unit}`);

function atMost(value: number | null | undefined, limit: number): boolean | null {
  return value === null || value === undefined ? null : value <= limit;
}

/** How many times smaller Kestrel's figure is than Portkey's; Infinity when Kestrel adds nothing measurable. */
export function advantage(kestrel: number | null | undefined, portkey: number | null | undefined): number | null {
  if (kestrel === null || kestrel === undefined || portkey === null || portkey === undefined) return null;
  if (kestrel <= 0) return portkey > 0 ? Number.POSITIVE_INFINITY : null;
  return portkey / kestrel;
}

const fmtRatio = (ratio: number | null) => (ratio === null ? 'n/a' : ratio === Number.POSITIVE_INFINITY ? '∞ (Kestrel adds ≤ 0)' : `${ratio.toFixed(1)}×`);

/**
 * Every pass/fail line of the report, for Kestrel against issue 2's targets and against Portkey.
 *
 * @example const checks = buildChecks(latency, load);
 */
export function buildChecks(latency: readonly LatencyFigures[], load: readonly LoadFigures[], concurrency: number): Check[] {
  const checks: Check[] = [];
  const kestrelLoad = load.find((l) => l.target === 'kestrel');
  const portkeyLoad = load.find((l) => l.target === 'portkey');
  for (const figures of latency) {
    const kestrel = figures.added.kestrel;
    const portkey = figures.added.portkey;
    if (!figures.stream) {
      checks.push({
        id: `added-p50-${figures.scenario}`,
        description: `${figures.scenario}: added latency p50 (sequential, interleaved)`,
        target: `≤ ${TARGETS.addedP50Ms} ms`,
        value: fmt(kestrel?.p50),
        pass: atMost(kestrel?.p50, TARGETS.addedP50Ms),
      });
      const ratio = advantage(kestrel?.p50, portkey?.p50);
      checks.push({
        id: `vs-portkey-p50-${figures.scenario}`,
        description: `${figures.scenario}: added p50, Portkey ÷ Kestrel (Portkey adds ${fmt(portkey?.p50)})`,
        target: `≥ ${TARGETS.betterThanPortkey}×`,
        value: fmtRatio(ratio),
        pass: ratio === null ? null : ratio >= TARGETS.betterThanPortkey,
      });
    } else {
      checks.push({
        id: `added-ttfb-${figures.scenario}`,
        description: `${figures.scenario}: added time to first byte, p50`,
        target: `≤ ${TARGETS.addedTtfbMs} ms`,
        value: fmt(kestrel?.ttfbP50),
        pass: atMost(kestrel?.ttfbP50, TARGETS.addedTtfbMs),
      });
      const ratio = advantage(kestrel?.ttfbP50, portkey?.ttfbP50);
      checks.push({
        id: `vs-portkey-ttfb-${figures.scenario}`,
        description: `${figures.scenario}: added TTFB p50, Portkey ÷ Kestrel (Portkey adds ${fmt(portkey?.ttfbP50)})`,
        target: `≥ ${TARGETS.betterThanPortkey}×`,
        value: fmtRatio(ratio),
        pass: ratio === null ? null : ratio >= TARGETS.betterThanPortkey,
      });
    }
  }
  const scenarioIds = latency.map((f) => f.scenario);
  for (const id of scenarioIds.length ? scenarioIds : (Object.keys(kestrelLoad?.perScenario ?? {}) as ScenarioId[])) {
    const kestrelCpu = kestrelLoad?.perScenario[id]?.cpuPerRequestMs;
    const portkeyCpu = portkeyLoad?.perScenario[id]?.cpuPerRequestMs;
    checks.push({
      id: `cpu-${id}`,
      description: `${id}: server CPU per request at concurrency ${concurrency}`,
      target: `≤ ${TARGETS.cpuPerRequestMs} ms`,
      value: fmt(kestrelCpu),
      pass: atMost(kestrelCpu, TARGETS.cpuPerRequestMs),
    });
    const ratio = advantage(kestrelCpu, portkeyCpu);
    checks.push({
      id: `vs-portkey-cpu-${id}`,
      description: `${id}: CPU per request, Portkey ÷ Kestrel (Portkey uses ${fmt(portkeyCpu)})`,
      target: `≥ ${TARGETS.betterThanPortkey}×`,
      value: fmtRatio(ratio),
      pass: ratio === null ? null : ratio >= TARGETS.betterThanPortkey,
    });
  }
  checks.push({
    id: 'errors-under-load',
    description: `errors at concurrency ${concurrency} over ${kestrelLoad?.requests ?? 0} requests${kestrelLoad?.truncated ? ' (cut short by the time limit)' : ''}`,
    target: '0',
    value: kestrelLoad ? String(kestrelLoad.errors) : 'n/a',
    pass: kestrelLoad ? kestrelLoad.errors === 0 && kestrelLoad.requests > 0 : null,
  });
  const memory = kestrelLoad?.memory;
  const heapKnown = memory?.heapGrowthMiB !== null && memory?.heapGrowthMiB !== undefined;
  const rssAfterGcGrowth =
    memory?.rssAfterGcStartMiB !== null && memory?.rssAfterGcStartMiB !== undefined && memory.rssAfterGcEndMiB !== null
      ? Math.round((memory.rssAfterGcEndMiB - memory.rssAfterGcStartMiB) * 10) / 10
      : null;
  const heapPass = atMost(heapKnown ? memory?.heapGrowthMiB : memory?.floorGrowthMiB, TARGETS.memoryGrowthMiB);
  const rssPass = heapKnown ? atMost(rssAfterGcGrowth, TARGETS.rssAfterGcGrowthMiB) : true;
  checks.push({
    id: 'memory-flat',
    description:
      `memory over ${kestrelLoad?.requests ?? 0} requests after warm-up: RSS first ${fmt(memory?.firstMiB, 'MiB')}, last ${fmt(memory?.lastMiB, 'MiB')}, ` +
      `max ${fmt(memory?.maxMiB, 'MiB')}, slope ${fmt(memory?.slopeMiBPer10k, 'MiB/10k requests')}; ` +
      (heapKnown
        ? `after a full GC: live heap ${fmt(memory?.heapStartMiB, 'MiB')} → ${fmt(memory?.heapEndMiB, 'MiB')}, RSS ${fmt(memory?.rssAfterGcStartMiB, 'MiB')} → ${fmt(memory?.rssAfterGcEndMiB, 'MiB')}`
        : `RSS floor first → last fifth ${fmt(memory?.floorFirstMiB, 'MiB')} → ${fmt(memory?.floorLastMiB, 'MiB')}`),
    target: heapKnown
      ? `heap growth ≤ ${TARGETS.memoryGrowthMiB} MiB and RSS-after-GC growth ≤ ${TARGETS.rssAfterGcGrowthMiB} MiB`
      : `RSS floor growth ≤ ${TARGETS.memoryGrowthMiB} MiB`,
    value: heapKnown ? `${fmt(memory?.heapGrowthMiB, 'MiB')} / ${fmt(rssAfterGcGrowth, 'MiB')}` : fmt(memory?.floorGrowthMiB, 'MiB'),
    pass: heapPass === null || rssPass === null ? null : heapPass && rssPass,
  });
  return checks;
}
