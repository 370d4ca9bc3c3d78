/**
 * The gateway speed bench: a mock upstream, Kestrel and Portkey each in their own process, an undici client here.
 * Phases: sanity check → interleaved sequential latency rounds → load + memory soak per gateway → (optional) profile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool, request, type Dispatcher } from 'undici';
import { buildChecks, latencyFigures, loadFigures, type Check, type LatencyFigures, type LoadFigures } from './analyze.js';
import { freePort, startKestrel, startService, type Service } from './child-process.js';
import { heapAfterGc } from './heap-probe.js';
import { timedRequest } from './http-client.js';
import { measureLatency } from './latency.js';
import { runLoad, type LoadRun } from './load.js';
import { summarizeProfile, type ProfileSummary } from './profile-summary.js';
import { directTarget, floorTarget, kestrelTarget, portkeyTarget, SCENARIOS, type Target, type TargetName } from './scenarios.js';

export interface GatewayBenchOptions {
  root: string;
  /** gateways to measure besides the direct baseline */
  gateways: Array<Exclude<TargetName, 'direct'>>;
  latencyRounds: { nonStream: number; stream: number };
  warmupRounds: number;
  /** unrecorded requests of every scenario each gateway serves (16 at a time) before the latency rounds, so V8 has optimised its hot path */
  jitWarmupRequests: number;
  /** time limit of each scenario's latency rounds, ms */
  latencyMaxMs: number;
  concurrency: number;
  loadRequests: Record<Exclude<TargetName, 'direct'>, number>;
  warmupRequests: number;
  /** largest block of one scenario in the load run */
  blockSize: number;
  /** time limit of each gateway's load run, warm-up included, ms */
  loadMaxMs: Record<Exclude<TargetName, 'direct'>, number>;
  /** `auto` runs `dist/` when it is newer than every file in `src/`, otherwise `src/` through tsx */
  kestrelFrom: 'auto' | 'dist' | 'src';
  /** profile Kestrel under load with --cpu-prof and summarise the top self-time functions */
  profile: boolean;
  profileRequests: number;
  log: (line: string) => void;
}

export interface GatewayResults {
  suite: 'gateway';
  startedAt: string;
  durationSeconds: number;
  /** load averages (1, 5, 15 min) when the run started and ended: above ~0.5 at the start, something else was using the CPU */
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; kernel: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  versions: { kestrelCommit: string; kestrelDirty: boolean; kestrelFrom: string; portkey: string; portkeyHonoNodeServer: string };
  options: Omit<GatewayBenchOptions, 'log' | 'root'>;
  targets: Array<Pick<Target, 'name' | 'notes'>>;
  skipped: Partial<Record<TargetName, string>>;
  latency: LatencyFigures[];
  load: LoadFigures[];
  profile?: ProfileSummary;
  checks: Check[];
}

/** Sends `perScenario` requests of every scenario to `target`, 16 at a time; returns how many failed. */
async function warmUp(target: Target, perScenario: number): Promise<number> {
  const pool = new Pool(target.origin, { connections: 16, pipelining: 1 });
  let failed = 0;
  try {
    for (const scenario of SCENARIOS) {
      let left = perScenario;
      const worker = async () => {
        while (left-- > 0) if (!(await timedRequest(pool, scenario, target.headers)).ok) failed++;
      };
      await Promise.all(Array.from({ length: 16 }, worker));
    }
  } finally {
    await pool.close();
  }
  return failed;
}

/** Every measured server gets an inspector on a free loopback port, to read its heap after a full GC; nothing attaches otherwise. */
const INSPECT = '--inspect=127.0.0.1:0';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** How to start Kestrel: the built CLI when it is fresh, otherwise the sources through tsx. */
function kestrelCommand(root: string, from: GatewayBenchOptions['kestrelFrom']): { args: string[]; from: 'dist' | 'src' } {
  const built = join(root, 'dist/cli/index.js');
  const useDist = from === 'dist' || (from === 'auto' && existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(root, 'src')));
  return useDist ? { args: [join(root, 'bin/kestrel.js')], from: 'dist' } : { args: ['--import', 'tsx', join(root, 'bench/gateway/kestrel-from-source.ts')], from: 'src' };
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function packageVersion(root: string, name: string): string {
  const candidates = [join(root, 'node_modules', name, 'package.json'), join(root, 'node_modules/@portkey-ai/gateway/node_modules', name, 'package.json')];
  for (const path of candidates.reverse()) if (existsSync(path)) return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  return 'missing';
}

async function upstreamCount(mockOrigin: string): Promise<number> {
  const { body } = await request(`${mockOrigin}/__stats`);
  const counts = (await body.json()) as Record<string, number>;
  return counts.chat + counts.chatStream + counts.responses + counts.responsesStream;
}

async function startPortkey(root: string): Promise<{ service: Service; origin: string }> {
  const port = await freePort();
  const service = await startService({
    name: 'portkey',
    args: [INSPECT, '--import', join(root, 'bench/gateway/loopback-only.mjs'), join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js'), `--port=${port}`, '--headless'],
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    ready: /Ready for connections/,
    timeoutMs: 30_000,
  });
  return { service, origin: `http://127.0.0.1:${port}` };
}

/** Throws if a server the run still needs has died, with how it ended and what it printed last. */
function assertAlive(services: readonly Service[], phase: string): void {
  for (const service of services) {
    if (!service.exited()) continue;
    const tail = service.output().split('\n').slice(-12).join('\n');
    throw new Error(`${service.name} (pid ${service.pid}) stopped during ${phase} (${service.exitReason()}); its last output:\n${tail}`);
  }
}

/** Sends each scenario once to each target; returns the targets that failed one, with the reason. */
async function sanityCheck(targets: readonly Target[], log: (line: string) => void): Promise<Map<TargetName, string>> {
  const failed = new Map<TargetName, string>();
  for (const target of targets) {
    const pool = new Pool(target.origin, { connections: 1 });
    for (const scenario of SCENARIOS) {
      const timing = await timedRequest(pool, scenario, target.headers);
      if (!timing.ok && !failed.has(target.name)) failed.set(target.name, `${scenario.id}: ${timing.error}`);
    }
    await pool.close();
    log(`sanity ${target.name}: ${failed.get(target.name) ?? 'all four scenarios answer'}`);
  }
  return failed;
}

/**
 * Runs the whole gateway bench and returns its results (the caller writes them out).
 *
 * @example const results = await runGatewayBench({ ...defaults, root: process.cwd(), log: console.log });
 */
export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayResults> {
  const { root, log } = options;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
  const services: Service[] = [];
  const skipped: GatewayResults['skipped'] = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'kestrel-bench-'));
  let kestrelFrom = 'nowhere (not started)';
  const latency: LatencyFigures[] = [];
  const load: LoadFigures[] = [];
  let profile: ProfileSummary | undefined;
  try {
    const mock = await startService({ name: 'mock', args: ['--import', 'tsx', join(root, 'bench/gateway/mock-upstream.ts')], cwd: root, ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/ });
    services.push(mock);
    const mockOrigin = mock.match[1];
    const targets: Target[] = [directTarget(mockOrigin)];
    log(`mock upstream at ${mockOrigin}`);

    if (options.gateways.includes('kestrel')) {
      try {
        const kestrel = await startKestrel(root, mockOrigin, kestrelCommand(root, options.kestrelFrom), join(dataDir, 'data'), [INSPECT]);
        services.push(kestrel.service);
        kestrelFrom = kestrel.from;
        targets.push({ ...kestrelTarget(kestrel.origin, kestrel.service.pid), inspectorUrl: kestrel.service.inspectorUrl() });
        log(`kestrel (${kestrel.from}) at ${kestrel.origin}, pid ${kestrel.service.pid}, store in ${join(dataDir, 'data')}`);
      } catch (error) {
        skipped.kestrel = `did not start: ${(error as Error).message.split('\n').slice(0, 6).join(' | ')}`;
        log(`kestrel skipped: ${skipped.kestrel}`);
      }
    }
    if (options.gateways.includes('portkey')) {
      try {
        const portkey = await startPortkey(root);
        services.push(portkey.service);
        targets.push({ ...portkeyTarget(portkey.origin, portkey.service.pid, mockOrigin), inspectorUrl: portkey.service.inspectorUrl() });
        log(`portkey at ${portkey.origin}, pid ${portkey.service.pid}`);
      } catch (error) {
        skipped.portkey = `did not start: ${(error as Error).message.split('\n').slice(0, 6).join(' | ')}`;
        log(`portkey skipped: ${skipped.portkey}`);
      }
    }

    if (options.gateways.includes('floor')) {
      const floor = await startService({
        name: 'floor',
        args: [INSPECT, '--import', 'tsx', join(root, 'bench/gateway/minimal-proxy.ts')],
        cwd: root,
        env: { ...process.env, UPSTREAM: mockOrigin },
        ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      });
      services.push(floor);
      targets.push({ ...floorTarget(floor.match[1], floor.pid), inspectorUrl: floor.inspectorUrl() });
      log(`floor (minimal Node proxy) at ${floor.match[1]}, pid ${floor.pid}`);
    }

    const failed = await sanityCheck(targets, log);
    if (failed.has('direct')) throw new Error(`the mock upstream does not answer: ${failed.get('direct')}`);
    for (const [name, reason] of failed) log(`warning: ${name} failed a sanity request (${reason}); its errors will show in the results`);

    // Phase 1: added latency, one request at a time, interleaved, once every gateway runs its
    // optimised code: a few hundred sequential rounds leave a deep request path partly in V8's lower
    // tiers, and its background compiler then shows up as latency and server CPU.
    for (const target of targets) {
      if (target.name === 'direct' || options.jitWarmupRequests <= 0) continue;
      const started = performance.now();
      const errors = await warmUp(target, options.jitWarmupRequests);
      log(`JIT warm-up ${target.name}: ${options.jitWarmupRequests} requests of each scenario in ${Math.round(performance.now() - started)} ms${errors ? `, ${errors} failed` : ''}`);
    }
    const pools = new Map<TargetName, Dispatcher>(targets.map((t) => [t.name, new Pool(t.origin, { connections: 1, pipelining: 1 })]));
    for (const scenario of SCENARIOS) {
      const rounds = scenario.stream ? options.latencyRounds.stream : options.latencyRounds.nonStream;
      const run = await measureLatency(targets, pools, scenario, { rounds, warmupRounds: options.warmupRounds, maxMs: options.latencyMaxMs });
      assertAlive(services, `the ${scenario.id} latency rounds`);
      const figures = latencyFigures(run, scenario.stream);
      latency.push(figures);
      const added = Object.entries(figures.added)
        .map(([name, a]) => `${name} +${scenario.stream ? `${a.ttfbP50} ms TTFB` : `${a.p50} ms`}`)
        .join(', ');
      log(`latency ${scenario.id}: ${run.rounds} rounds, direct p50 ${scenario.stream ? figures.targets.direct?.ttfb?.p50 : figures.targets.direct?.total.p50} ms; ${added}`);
    }
    await Promise.all([...pools.values()].map((pool) => pool.close()));

    // Phase 2: load and memory soak, one gateway at a time so they do not share the CPU.
    for (const target of targets) {
      if (target.name === 'direct') continue;
      const requests = options.loadRequests[target.name];
      if (requests <= 0) continue;
      // Whole rotations over the four scenarios, blocks of at most options.blockSize requests.
      const rotations = Math.max(1, Math.ceil(requests / (SCENARIOS.length * options.blockSize)));
      const blockSize = Math.ceil(requests / (SCENARIOS.length * rotations));
      const pool = new Pool(target.origin, { connections: options.concurrency, pipelining: 1 });
      const upstreamBefore = await upstreamCount(mockOrigin);
      let run: LoadRun;
      try {
        run = await runLoad(target, pool, {
          scenarios: SCENARIOS,
          requests,
          warmupRequests: options.warmupRequests,
          blockSize,
          concurrency: options.concurrency,
          maxMs: options.loadMaxMs[target.name],
          sampleEveryMs: 250,
          upstreamPid: mock.pid,
          heapProbe: target.inspectorUrl ? () => heapAfterGc(target.inspectorUrl as string) : undefined,
          progress: log,
        });
      } catch (error) {
        // A server that died mid-run explains the error better than the error does.
        assertAlive(services, `the ${target.name} load run`);
        throw error;
      }
      await pool.close();
      assertAlive(services, `the ${target.name} load run`);
      const upstreamRequests = (await upstreamCount(mockOrigin)) - upstreamBefore - run.warmupRequests;
      load.push(loadFigures(run, upstreamRequests));
    }

    // Phase 3 (optional): where Kestrel's CPU goes, from a V8 CPU profile under load.
    const kestrelService = services.find((s) => s.name === 'kestrel');
    if (options.profile && kestrelService) {
      await kestrelService.stop();
      const profileDir = join(dataDir, 'profile');
      // The same build as the measured run, even if src/ changed meanwhile.
      const command = kestrelFrom === 'dist' ? kestrelCommand(root, 'dist') : kestrelCommand(root, 'src');
      const profiled = await startKestrel(root, mockOrigin, command, join(dataDir, 'data-profile'), ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
      services.push(profiled.service);
      const target = kestrelTarget(profiled.origin, profiled.service.pid);
      const pool = new Pool(target.origin, { connections: options.concurrency, pipelining: 1 });
      await runLoad(target, pool, {
        scenarios: SCENARIOS,
        requests: options.profileRequests,
        warmupRequests: Math.min(options.warmupRequests, 2_000),
        blockSize: Math.ceil(options.profileRequests / SCENARIOS.length),
        concurrency: options.concurrency,
        maxMs: options.loadMaxMs.kestrel,
        sampleEveryMs: 1_000,
      });
      await pool.close();
      await profiled.service.stop(15_000);
      const file = existsSync(profileDir) ? readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')) : undefined;
      if (file) {
        profile = summarizeProfile(readFileSync(join(profileDir, file), 'utf8'), 15);
        log(`profile: ${profile.topSelf.length} top functions from ${file}`);
      } else {
        log('profile: Kestrel wrote no .cpuprofile (it must exit cleanly on SIGTERM for V8 to write one)');
      }
    }

    return {
      suite: 'gateway',
      startedAt,
      durationSeconds: Math.round((performance.now() - started) / 1000),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, kernel: release(), loadAverageAtStart, loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
      versions: {
        kestrelCommit: git(root, ['rev-parse', '--short', 'HEAD']),
        kestrelDirty: git(root, ['status', '--porcelain', '--', 'src']) !== '',
        kestrelFrom,
        portkey: packageVersion(root, '@portkey-ai/gateway'),
        portkeyHonoNodeServer: packageVersion(root, '@hono/node-server'),
      },
      options: (({ log: _log, root: _root, ...rest }) => rest)(options),
      targets: targets.map((t) => ({ name: t.name, notes: t.notes })),
      skipped,
      latency,
      load,
      ...(profile ? { profile } : {}),
      checks: buildChecks(latency, load, options.concurrency),
    };
  } finally {
    for (const service of services.reverse()) await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
