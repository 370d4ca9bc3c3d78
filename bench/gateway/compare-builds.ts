/**
 * Compares the CPU per request of two Kestrel builds side by side, in interleaved blocks, so that
 * the drift of a shared machine hits both alike (whole bench runs here differ by a third). Each
 * build runs from its own checkout's `bin/kestrel.js` (build both first), against one mock upstream.
 *
 * @example
 * git worktree add /tmp/base HEAD~1 && ln -s "$PWD/node_modules" /tmp/base/node_modules && (cd /tmp/base && npm run build)
 * npm run build && node --import tsx bench/gateway/compare-builds.ts --base /tmp/base --rounds 7 --block 2000 --scenarios responses,chat-stream
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { startKestrel, startService } from './child-process.js';
import { runLoad } from './load.js';
import { kestrelTarget, SCENARIOS } from './scenarios.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    block: { type: 'string', default: '2000' },
    scenarios: { type: 'string', default: SCENARIOS.map((s) => s.id).join(',') },
    concurrency: { type: 'string', default: '64' },
  },
});
if (!values.base) throw new Error('--base DIR (a built checkout of the build to compare against) is required');
const root = process.cwd();
const rounds = Number(values.rounds);
const block = Number(values.block);
const concurrency = Number(values.concurrency);
const scenarios = SCENARIOS.filter((s) => values.scenarios.split(',').includes(s.id));
const ready = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

const mock = await startService({ name: 'mock', args: ['--import', 'tsx', join(root, 'bench/gateway/mock-upstream.ts')], cwd: root, ready });
const dataDir = mkdtempSync(join(tmpdir(), 'kestrel-compare-'));
async function start(name: 'base' | 'this', checkout: string) {
  const { service } = await startKestrel(checkout, mock.match[1], { args: [join(checkout, 'bin/kestrel.js')], from: 'dist' }, join(dataDir, name));
  const target = kestrelTarget(service.match[1], service.pid);
  return { name, service, target, pool: new Pool(target.origin, { connections: concurrency, pipelining: 1 }) };
}
const builds = [await start('base', resolve(values.base)), await start('this', root)];
const cpu: Record<string, Record<string, number[]>> = {};
const load = (build: (typeof builds)[number], only: typeof scenarios, requests: number) =>
  runLoad(build.target, build.pool, { scenarios: only, requests, warmupRequests: 0, blockSize: requests, concurrency, maxMs: 300_000, sampleEveryMs: 60_000 });
try {
  for (const build of builds) await load(build, scenarios, 4_000 * scenarios.length); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      // Alternate which build goes first, so neither always follows the other.
      for (const build of round % 2 ? [...builds].reverse() : builds) {
        const run = await load(build, [scenario], block);
        const figures = run.perScenario[scenario.id]!;
        if (figures.errors) console.log(`${build.name} ${scenario.id}: ${figures.errors} errors (${run.errorSamples.slice(0, 2).join('; ')})`);
        ((cpu[scenario.id] ??= {})[build.name] ??= []).push(figures.cpuMs / figures.requests);
      }
    }
  }
} finally {
  for (const build of builds) {
    await build.pool.close();
    await build.service.stop(15_000);
  }
  await mock.stop(5_000);
  rmSync(dataDir, { recursive: true, force: true });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`CPU ms per request at concurrency ${concurrency}, median of ${rounds} interleaved blocks of ${block}:`);
for (const [id, byBuild] of Object.entries(cpu)) {
  const base = median(byBuild.base);
  const current = median(byBuild.this);
  console.log(`${id.padEnd(17)} base ${base.toFixed(3)}  this ${current.toFixed(3)}  this/base ${(current / base).toFixed(3)}`);
}
