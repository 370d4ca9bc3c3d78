import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeProfile } from './profile-summary.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });

test('summarizeProfile sums self time per function and per package, leaving idle time out of the shares', () => {
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('parse', 'file:///repo/node_modules/fastify/lib/parse.js', 9) },
      { id: 4, callFrame: frame('handle', 'file:///repo/src/server/app.ts', 41) },
      { id: 5, callFrame: frame('handle', 'file:///repo/src/server/app.ts', 41) },
      { id: 6, callFrame: frame('writev', 'node:internal/stream_base_commons', 3) },
    ],
    samples: [2, 3, 4, 5, 6, 3],
    timeDeltas: [5000, 1000, 2000, 1000, 500, 500],
  };
  const summary = summarizeProfile(JSON.stringify(profile), 2);
  assert.equal(summary.idleMs, 5);
  assert.equal(summary.busyMs, 5);
  assert.deepEqual(summary.topSelf, [
    { name: 'handle', where: 'src/server/app.ts:42', selfMs: 3, percent: 60 },
    { name: 'parse', where: 'fastify/lib/parse.js:10', selfMs: 1.5, percent: 30 },
  ]);
  assert.deepEqual(summary.byPackage[0], { package: 'kestrel src/server', selfMs: 3, percent: 60 });
  assert.equal(summary.byPackage[1].package, 'fastify');
});
