import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advantage, buildChecks, latencyFigures, loadFigures } from './analyze.js';
import type { LatencyRun } from './latency.js';
import type { LoadRun } from './load.js';

const series = (totalMs: number[], ttfbMs = totalMs) => ({ totalMs, ttfbMs, firstTokenMs: ttfbMs, errors: 0, errorSamples: [] });

test('latencyFigures subtracts the direct p50 and pairs rounds', () => {
  const run: LatencyRun = {
    scenario: 'chat',
    rounds: 3,
    series: { direct: series([1, 1.2, 1.1]), kestrel: { ...series([1.2, 1.5, 1.3]), cpuMs: 0.6 }, portkey: series([3, 3.1, 3.2]) },
  };
  const figures = latencyFigures(run, false);
  assert.equal(figures.added.kestrel?.p50, 0.2);
  assert.equal(figures.added.kestrel?.pairedMedian, 0.2);
  assert.equal(figures.added.portkey?.p50, 2);
  assert.equal(figures.targets.kestrel?.cpuPerRequestMs, 0.2);
});

test('loadFigures computes CPU per request and a memory slope per 10k requests', () => {
  const run: LoadRun = {
    target: 'kestrel',
    concurrency: 64,
    warmupRequests: 100,
    requests: 20_000,
    errors: 0,
    errorSamples: [],
    wallMs: 10_000,
    truncated: false,
    perScenario: { chat: { requests: 20_000, errors: 0, cpuMs: 2_000, clientCpuMs: 4_000, upstreamCpuMs: 1_000, wallMs: 10_000, latencyMs: [1, 2, 3] } },
    memory: [0, 10_000, 20_000].map((requests, i) => ({ requests, elapsedMs: i * 1000, rssBytes: (100 + i) * 2 ** 20, anonBytes: 50 * 2 ** 20 })),
  };
  const figures = loadFigures(run, 20_000);
  assert.equal(figures.perScenario.chat?.cpuPerRequestMs, 0.1);
  assert.equal(figures.perScenario.chat?.requestsPerCpuSecond, 10_000);
  assert.equal(figures.perScenario.chat?.clientCpuPerRequestMs, 0.2);
  assert.equal(figures.perScenario.chat?.upstreamCpuPerRequestMs, 0.05);
  assert.equal(figures.memory.slopeMiBPer10k, 1);
  assert.equal(figures.memory.fittedGrowthMiB, 2);
  assert.equal(figures.memory.anonSlopeMiBPer10k, 0);
  assert.equal(figures.memory.floorGrowthMiB, 2);
});

test('buildChecks passes and fails against the targets, and compares with Portkey', () => {
  const latency = [
    latencyFigures({ scenario: 'chat', rounds: 2, series: { direct: series([1, 1]), kestrel: series([1.1, 1.1]), portkey: series([3, 3]) } }, false),
    latencyFigures({ scenario: 'chat-stream', rounds: 2, series: { direct: series([2, 2], [1, 1]), kestrel: series([4, 4], [3, 3]), portkey: series([40, 40], [31, 31]) } }, true),
  ];
  const checks = buildChecks(latency, [], 64);
  const byId = new Map(checks.map((c) => [c.id, c]));
  assert.equal(byId.get('added-p50-chat')?.pass, true);
  assert.equal(byId.get('vs-portkey-p50-chat')?.pass, true);
  assert.equal(byId.get('added-ttfb-chat-stream')?.pass, false);
  assert.equal(byId.get('vs-portkey-ttfb-chat-stream')?.pass, true);
  assert.equal(byId.get('cpu-chat')?.pass, null);
  assert.equal(byId.get('errors-under-load')?.pass, null);
});

test('advantage is Infinity when Kestrel adds nothing measurable, unknown without figures', () => {
  assert.equal(advantage(0.2, 2), 10);
  assert.equal(advantage(-0.01, 2), Number.POSITIVE_INFINITY);
  assert.equal(advantage(null, 2), null);
});

test('the memory check judges the live heap and the RSS after a full GC, not the RSS peaks', () => {
  const base: LoadRun = {
    target: 'kestrel',
    concurrency: 64,
    warmupRequests: 0,
    requests: 100_000,
    errors: 0,
    errorSamples: [],
    wallMs: 1,
    truncated: false,
    perScenario: {},
    // RSS climbs 150 MiB (lazy heap growth) ...
    memory: [0, 50_000, 100_000].map((requests, i) => ({ requests, elapsedMs: i, rssBytes: (100 + 75 * i) * 2 ** 20, anonBytes: 0 })),
  };
  const mib = 2 ** 20;
  // ... but after a full GC the heap and RSS are back where they were: flat.
  const flat = loadFigures({ ...base, heap: { start: { usedBytes: 40 * mib, totalBytes: 60 * mib, rssBytes: 100 * mib }, end: { usedBytes: 42 * mib, totalBytes: 80 * mib, rssBytes: 110 * mib } } });
  assert.equal(buildChecks([], [flat], 64).find((c) => c.id === 'memory-flat')?.pass, true);
  const leaking = loadFigures({ ...base, heap: { start: { usedBytes: 40 * mib, totalBytes: 60 * mib, rssBytes: 100 * mib }, end: { usedBytes: 90 * mib, totalBytes: 120 * mib, rssBytes: 160 * mib } } });
  assert.equal(buildChecks([], [leaking], 64).find((c) => c.id === 'memory-flat')?.pass, false);
  const nativeLeak = loadFigures({ ...base, heap: { start: { usedBytes: 40 * mib, totalBytes: 60 * mib, rssBytes: 100 * mib }, end: { usedBytes: 41 * mib, totalBytes: 60 * mib, rssBytes: 180 * mib } } });
  assert.equal(buildChecks([], [nativeLeak], 64).find((c) => c.id === 'memory-flat')?.pass, false);
  // Without the heap, the RSS floor decides: here it rose 150 MiB.
  assert.equal(buildChecks([], [loadFigures(base)], 64).find((c) => c.id === 'memory-flat')?.pass, false);
});
