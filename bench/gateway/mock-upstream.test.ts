import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Pool } from 'undici';
import { startService, type Service } from './child-process.js';
import { timedRequest } from './http-client.js';
import { SCENARIOS } from './scenarios.js';

let mock: Service;
let pool: Pool;

before(async () => {
  const root = join(import.meta.dirname, '../..');
  mock = await startService({ name: 'mock', args: ['--import', 'tsx', join(root, 'bench/gateway/mock-upstream.ts')], cwd: root, ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/ });
  pool = new Pool(mock.match[1], { connections: 1 });
});

after(async () => {
  await pool.close();
  await mock.stop();
});

for (const scenario of SCENARIOS) {
  test(`mock answers ${scenario.id} completely, and the client times it`, async () => {
    const timing = await timedRequest(pool, scenario, { 'content-type': 'application/json' });
    assert.equal(timing.ok, true, timing.error);
    assert.ok(timing.ttfbMs > 0 && timing.ttfbMs <= timing.totalMs);
    if (scenario.stream) assert.ok(timing.firstTokenMs >= timing.ttfbMs && timing.firstTokenMs <= timing.totalMs);
    else assert.ok(Number.isNaN(timing.firstTokenMs));
  });
}

test('the client reports a wrong status and an incomplete body as failures', async () => {
  const missing = await timedRequest(pool, { ...SCENARIOS[0], path: '/v1/nothing' as '/v1/responses' }, {});
  assert.equal(missing.ok, false);
  assert.equal(missing.status, 404);
  const wrongMarker = await timedRequest(pool, { ...SCENARIOS[0], completeMarker: 'never in the body' }, {});
  assert.equal(wrongMarker.ok, false);
  assert.match(wrongMarker.error ?? '', /incomplete body/);
});

test('the mock counts what it served', async () => {
  const { body } = await pool.request({ method: 'GET', path: '/__stats' });
  const counts = (await body.json()) as Record<string, number>;
  assert.ok(counts.chat >= 1 && counts.chatStream >= 1 && counts.responses >= 1 && counts.responsesStream >= 1);
  assert.ok(counts.other >= 1);
});
