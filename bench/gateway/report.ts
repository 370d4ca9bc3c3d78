/** Renders gateway bench results as a Markdown page: verdicts first, then the figures behind them. */
import { TARGETS } from './analyze.js';
import type { GatewayResults } from './index.js';
import type { TargetName } from './scenarios.js';

const cell = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? '–' : Number(value.toFixed(digits)).toString());
const verdict = (pass: boolean | null) => (pass === null ? '– not measured' : pass ? '✅ pass' : '❌ FAIL');

/**
 * The Markdown report (`bench/results/gateway-latest.md`) for one run.
 *
 * @example writeFileSync('gateway-latest.md', renderMarkdown(results));
 */
export function renderMarkdown(results: GatewayResults): string {
  const out: string[] = [];
  const { machine, versions, options } = results;
  const failed = results.checks.filter((c) => c.pass === false).length;
  const passed = results.checks.filter((c) => c.pass === true).length;
  out.push(`# Gateway benchmark — ${results.startedAt.slice(0, 10)}`, '');
  out.push(
    `Kestrel ${versions.kestrelCommit}${versions.kestrelDirty ? ' (with uncommitted changes in src/)' : ''}, run from ${versions.kestrelFrom}, ` +
      `SQLite store on, against Portkey gateway ${versions.portkey} (@hono/node-server ${versions.portkeyHonoNodeServer}). ` +
      `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, Linux ${machine.kernel}. ` +
      `Took ${results.durationSeconds} s. Rerun: \`npm run bench\` (see bench/README.md).`,
    '',
  );
  if (machine.loadAverageAtStart[0] > 0.5) {
    out.push(
      `> The machine was not idle: load average ${machine.loadAverageAtStart.join(' / ')} (1/5/15 min) at the start, ${machine.loadAverageAtEnd.join(' / ')} at the end. ` +
        'Interleaved rounds spread that noise over every target alike, and CPU per request is counted per process, but wall-clock figures are noisier than on an idle machine.',
      '',
    );
  }
  for (const [name, reason] of Object.entries(results.skipped)) out.push(`> **${name} was not measured**: ${reason}`, '');
  out.push(`**${passed} passed, ${failed} failed** of ${results.checks.length} checks (Kestrel against issue 2's targets).`, '');
  out.push('| Check | Target | Kestrel | Verdict |', '|---|---|---|---|');
  for (const check of results.checks) out.push(`| ${check.description} | ${check.target} | ${check.value} | ${verdict(check.pass)} |`);
  out.push('');

  out.push('## Added latency, one request at a time', '');
  out.push(
    `Interleaved rounds (direct, kestrel, portkey, direct, …) over one keep-alive connection per target; ` +
      `first every gateway serves ${options.jitWarmupRequests ?? 0} unrecorded requests of each scenario (16 at a time) so that V8 runs its optimised code, ` +
      `then ${options.warmupRounds} warm-up rounds per scenario. Non-stream: time to the end of the body. ` +
      `Stream: time to the first body byte (TTFB) and to the chunk carrying the first answer token. ` +
      `"Added" = p50 of the target − p50 of direct; "paired" = median of the per-round differences. All in ms.`,
    '',
  );
  out.push('| Scenario | Target | Rounds | p50 | p90 | p99 | Added p50 | Added (paired) | TTFB p50 | Added TTFB | Added first token | Server CPU ms/request | Errors |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const figures of results.latency) {
    for (const [name, t] of Object.entries(figures.targets)) {
      if (!t) continue;
      const added = name === 'direct' ? undefined : figures.added[name as Exclude<TargetName, 'direct'>];
      out.push(
        `| ${figures.scenario} | ${name} | ${figures.rounds} | ${cell(t.total.p50)} | ${cell(t.total.p90)} | ${cell(t.total.p99)} | ` +
          `${cell(added?.p50)} | ${cell(figures.stream ? added?.ttfbPairedMedian : added?.pairedMedian)} | ${cell(t.ttfb?.p50)} | ${cell(added?.ttfbP50)} | ${cell(added?.firstTokenP50)} | ${cell(t.cpuPerRequestMs, 3)} | ${t.errors} |`,
      );
    }
  }
  out.push(
    '',
    'The "Added (paired)" column is the per-round median of the total time for non-stream rows and of the TTFB for stream rows. ' +
      'Server CPU here is the gateway’s CPU over the recorded rounds ÷ requests, one request at a time (no batching of wake-ups, so higher than under load).',
    '',
  );

  out.push(`## Server CPU, throughput and errors at concurrency ${options.concurrency}`, '');
  out.push(
    'CPU = user + system time of the gateway process (all its threads, from /proc/<pid>/stat) over each block of requests, ÷ requests. ' +
      'Requests per CPU-second is the throughput one fully busy core would give. Wall req/s is limited by the machine also running the load client and the mock upstream, ' +
      'whose CPU per request is shown beside it.',
    '',
  );
  out.push(
    '| Gateway | Scenario | Requests | CPU ms/request | Requests per CPU-second | Wall req/s | p50 ms | p99 ms | Errors | Client CPU ms/req | Mock CPU ms/req |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const run of results.load) {
    for (const [id, s] of Object.entries(run.perScenario)) {
      if (!s) continue;
      out.push(`| ${run.target} | ${id} | ${s.requests} | ${cell(s.cpuPerRequestMs, 4)} | ${s.requestsPerCpuSecond ?? '–'} | ${s.requestsPerSecond ?? '–'} | ${cell(s.latency.p50, 2)} | ${cell(s.latency.p99, 2)} | ${s.errors} | ${cell(s.clientCpuPerRequestMs, 3)} | ${cell(s.upstreamCpuPerRequestMs, 3)} |`);
    }
  }
  out.push('');
  for (const run of results.load) {
    const upstream = run.upstreamRequests === undefined ? '' : `; the mock served ${run.upstreamRequests} upstream requests for them`;
    out.push(`- ${run.target}: ${run.requests} requests after ${run.warmupRequests} warm-up, ${run.errors} errors, ${run.wallSeconds} s${run.truncated ? ' (cut short by the time limit)' : ''}${upstream}.`);
    for (const sample of run.errorSamples.slice(0, 3)) out.push(`  - error: \`${sample.replace(/`/g, "'").slice(0, 200)}\``);
  }
  out.push('');

  out.push('## Memory over the soak', '');
  out.push(
    `RSS of the gateway process sampled every 250 ms and after every block of requests, after warm-up. ` +
      `Slope = least-squares fit of RSS against requests served; fitted growth = slope × requests. Floor = lowest RSS in the first and in the last fifth of the samples. ` +
      `RSS alone cannot tell a leak from V8 growing its heap lazily, so the live heap is also read through the inspector after a full GC, ` +
      `at the start and at the end of the measured requests: a leak shows there, and RSS right after that GC shows native memory too. ` +
      `Flat means the live heap grew ≤ ${TARGETS.memoryGrowthMiB} MiB and RSS after GC ≤ ${TARGETS.rssAfterGcGrowthMiB} MiB.`,
    '',
  );
  out.push(
    '| Gateway | Requests | Samples | RSS first MiB | RSS last MiB | RSS max MiB | Slope MiB/10k req | RSS floor first → last MiB | Live heap after GC start → end MiB | RSS after GC start → end MiB |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const run of results.load) {
    const m = run.memory;
    out.push(
      `| ${run.target} | ${run.requests} | ${m.samples} | ${cell(m.firstMiB, 1)} | ${cell(m.lastMiB, 1)} | ${cell(m.maxMiB, 1)} | ${cell(m.slopeMiBPer10k)} | ` +
        `${cell(m.floorFirstMiB, 1)} → ${cell(m.floorLastMiB, 1)} | ${cell(m.heapStartMiB, 1)} → ${cell(m.heapEndMiB, 1)} | ${cell(m.rssAfterGcStartMiB, 1)} → ${cell(m.rssAfterGcEndMiB, 1)} |`,
    );
  }
  for (const run of results.load) if (run.memory.heapError) out.push('', `- ${run.target}: live heap not read (${run.memory.heapError}).`);
  out.push('');

  const floor = results.latency.map((f) => ({ id: f.scenario, stream: f.stream, added: f.added.floor })).filter((f) => f.added);
  if (floor.length) {
    const floorLoad = results.load.find((l) => l.target === 'floor');
    out.push('## The floor: a minimal Node proxy on this machine', '');
    out.push(
      'node:http in, undici out over keep-alive, bytes piped unchanged (`bench/gateway/minimal-proxy.ts`): no JSON parsing, no translation, no store. ' +
        'What it adds is what any Node gateway pays here before doing any work of its own.',
      '',
    );
    out.push('| Scenario | Floor added p50 (stream: TTFB) ms | Kestrel added ms | Floor CPU ms/request at c64 | Kestrel CPU ms/request at c64 |', '|---|---|---|---|---|');
    const kestrelLoad = results.load.find((l) => l.target === 'kestrel');
    for (const f of floor) {
      const kestrel = results.latency.find((l) => l.scenario === f.id)?.added.kestrel;
      out.push(
        `| ${f.id} | ${cell(f.stream ? f.added?.ttfbP50 : f.added?.p50)} | ${cell(f.stream ? kestrel?.ttfbP50 : kestrel?.p50)} | ` +
          `${cell(floorLoad?.perScenario[f.id]?.cpuPerRequestMs, 4)} | ${cell(kestrelLoad?.perScenario[f.id]?.cpuPerRequestMs, 4)} |`,
      );
    }
    out.push('');
  }

  const portkey = results.load.find((l) => l.target === 'portkey');
  const portkeyLatency = results.latency.map((f) => ({ id: f.scenario, stream: f.stream, added: f.added.portkey })).filter((f) => f.added);
  if (portkey || portkeyLatency.length) {
    out.push('## Portkey: measured here vs the figures quoted in issue 2', '');
    out.push('| Scenario | Added p50 (quoted ≈ 1.8 ms) | Added stream TTFB (quoted ≈ 36 ms) | CPU ms/request (quoted 1.4–1.9) |', '|---|---|---|---|');
    for (const f of portkeyLatency) {
      const cpu = portkey?.perScenario[f.id]?.cpuPerRequestMs;
      out.push(`| ${f.id} | ${f.stream ? '–' : cell(f.added?.p50)} | ${f.stream ? cell(f.added?.ttfbP50) : '–'} | ${cell(cpu, 4)} |`);
    }
    out.push('');
  }

  if (results.profile) {
    const p = results.profile;
    out.push('## Where Kestrel’s CPU goes (V8 profile under load)', '');
    out.push(`Busy ${p.busyMs} ms, idle ${p.idleMs} ms. Top self-time functions:`, '');
    out.push('| # | Function | Where | Self ms | % of busy |', '|---|---|---|---|---|');
    p.topSelf.forEach((e, i) => out.push(`| ${i + 1} | \`${e.name}\` | ${e.where} | ${e.selfMs} | ${e.percent} |`));
    out.push('', 'By package:', '', '| Package | Self ms | % of busy |', '|---|---|---|');
    for (const e of p.byPackage) out.push(`| ${e.package} | ${e.selfMs} | ${e.percent} |`);
    out.push('');
  }

  out.push('## Notes', '');
  for (const target of results.targets) {
    for (const [scenario, note] of Object.entries(target.notes)) out.push(`- ${target.name}, ${scenario}: ${note}.`);
  }
  out.push(
    '- Portkey sleeps 25 ms before it forwards the first chunk of every stream (its stream reader in `start-server.js`: `setTimeout(…, 25)` on the first chunk), which is most of its TTFB.',
    '- Portkey runs with `--headless` and `NODE_ENV=production`, bound to 127.0.0.1 by a preload (`bench/gateway/loopback-only.mjs`) that changes nothing else.',
    '- Portkey 1.15.2 breaks every stream on Node with `@hono/node-server` ≥ 1.14.2 (`TypeError: immutable`, Portkey-AI/gateway#1389), so package.json pins it to 1.14.1 for Portkey only.',
    '',
  );
  return out.join('\n');
}
