import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrowserComputer, type BrowserComputerOptions } from './browser/browser-computer.js';
import { launchChromium } from './browser/launch.js';
import { TrajectoryRecorder, readTrajectory } from './recording/recorder.js';
import { replayTrajectory } from './recording/replay.js';
import type { BatchRecord } from './recording/trajectory.js';
import { UrlPolicy } from './safety/url-policy.js';
import { ComputerSession, type ComputerSessionOptions } from './session.js';
import { serveTestPages, type TestSite } from './test-support/pages.js';

let browser: Browser;
let site: TestSite;
const open: BrowserComputer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  [browser, site] = await Promise.all([launchChromium(), serveTestPages()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((computer) => computer.close()));
  site.layout.shifted = false;
});

async function session(path: string | undefined, options: ComputerSessionOptions = {}, computerOptions: BrowserComputerOptions = {}) {
  const computer = await BrowserComputer.launch({ browser, startUrl: path === undefined ? undefined : `${site.origin}${path}`, ...computerOptions });
  open.push(computer);
  const s = new ComputerSession(computer, options);
  await s.observe();
  return { computer, session: s };
}

/** Made-up `.test` domains resolve to the test server (on loopback, which these policies allow). */
const testDomains = (options: ConstructorParameters<typeof UrlPolicy>[0] = {}) =>
  new UrlPolicy({ allowLoopback: true, resolveHost: async (host) => (host.endsWith('.test') ? ['127.0.0.1'] : []), ...options });

async function center(computer: BrowserComputer, selector: string) {
  const box = await computer.page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} not visible`);
  return { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) };
}

describe('ComputerSession: coordinates', () => {
  it('refuses out-of-range coordinates with a tool error and clicks nothing', async () => {
    const { computer, session: s } = await session('/click', { safety: false });
    const result = await s.run([
      { type: 'click', x: 80, y: 40 },
      { type: 'click', x: 1024, y: 40 },
      { type: 'click', x: 260, y: 40 },
    ]);
    expect(result.status).toBe('error');
    expect(result.executed).toBe(1);
    expect(result.error).toMatch(/actions\[1\].*outside the 1024×768 screenshot/);
    expect(result.remaining).toHaveLength(2);
    expect(result.screenshot).toBeDefined();
    expect(await computer.page.evaluate(() => (window as unknown as { log: { id: string }[] }).log.map((e) => e.id))).toEqual(['a']);
  });

  it('maps a 0–1000 grid and a downscaled screenshot back to the screen', async () => {
    const grid = await session('/click', { safety: false, coordinates: { grid: { width: 1000, height: 1000 } } });
    await grid.session.run([{ type: 'click', x: 78, y: 52 }]);
    expect(await grid.computer.page.textContent('#out')).toBe('a:click:0');
    const half = await session('/click', { safety: false, coordinates: { scale: 0.5 } });
    const result = await half.session.run([{ type: 'click', x: 130, y: 20 }]);
    expect(result.screenshot).toMatchObject({ width: 512, height: 384 });
    expect(await half.computer.page.textContent('#out')).toBe('b:click:0');
    const refused = await half.session.run([{ type: 'click', x: 600, y: 20 }]);
    expect(refused.error).toMatch(/outside the 512×384 screenshot/);
  });

  it('refuses unknown keys before doing anything', async () => {
    const { session: s } = await session('/form', { safety: false });
    const result = await s.run([{ type: 'keypress', keys: ['HYPER'] }]);
    expect(result).toMatchObject({ status: 'error', executed: 0 });
    expect(result.error).toMatch(/Unknown key "HYPER"/);
  });
});

describe('ComputerSession: network policy', () => {
  it('blocks a redirect to a domain off the allow list at the network layer', async () => {
    const policy = testDomains({ allowedDomains: ['allowed.test'] });
    const computer = await BrowserComputer.launch({ browser, policy });
    open.push(computer);
    const s = new ComputerSession(computer, { safety: false });
    const result = await s.run([{ type: 'goto', url: `http://allowed.test:${site.port}/redirect-out` }]);
    expect(result.status).toBe('completed');
    expect(result.events.some((e) => e.kind === 'navigation-blocked' && e.message.includes('blocked.test'))).toBe(true);
    expect(await computer.page.textContent('h1')).toBe('Blocked by Kestrel');
    expect(site.requests).toContain(`allowed.test:${site.port}/redirect-out`);
    expect(site.requests.some((r) => r.startsWith('blocked.test'))).toBe(false);
  });

  it('blocks loopback, private addresses and file: URLs in a hosted session by default', async () => {
    site.requests.length = 0;
    const computer = await BrowserComputer.launch({ browser, policy: new UrlPolicy() });
    open.push(computer);
    const s = new ComputerSession(computer, { safety: false });
    for (const url of [`${site.origin}/click`, 'http://169.254.169.254/latest/meta-data', 'file:///etc/hostname']) {
      const result = await s.run([{ type: 'goto', url }]);
      expect(result.status).toBe('error');
      expect(result.error).toMatch(/blocked/);
    }
    expect(computer.currentUrl()).toBe('about:blank');
    expect(site.requests.some((r) => r.endsWith('/click'))).toBe(false);
  });
});

describe('ComputerSession: safety checks', () => {
  it('raises malicious_instructions on an injected-instruction page and waits for acknowledgement', async () => {
    const { session: s } = await session('/');
    const load = await s.run([{ type: 'goto', url: `${site.origin}/injected` }]);
    expect(load.status).toBe('completed');
    const checks = await s.preflight([{ type: 'click', x: 10, y: 10 }]);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ code: 'malicious_instructions' });
    expect(checks[0].id).toMatch(/^sc_/);
    expect(checks[0].message).toContain('ignore all previous instructions');
    const held = await s.run([{ type: 'click', x: 10, y: 10 }]);
    expect(held).toMatchObject({ status: 'needs_acknowledgement', executed: 0, checks: [{ id: checks[0].id }] });
    expect(held.screenshot).toBeUndefined();
    const go = await s.run([{ type: 'click', x: 10, y: 10 }], { acknowledged: [checks[0].id] });
    expect(go.status).toBe('completed');
    const again = await s.run([{ type: 'scroll', x: 10, y: 10, scroll_x: 0, scroll_y: 100 }]);
    expect(again.status).toBe('completed');
  });

  it('raises sensitive_action before paying, deleting or accepting terms, not before searching', async () => {
    const { computer, session: s } = await session('/checkout');
    const pay = await center(computer, '#paybtn');
    const del = await center(computer, '#delete');
    const terms = await center(computer, '#terms');
    const search = await center(computer, '#search');
    expect(await s.preflight([{ type: 'click', ...search }])).toEqual([]);
    const searched = await s.run([{ type: 'click', ...search }]);
    expect(searched.status).toBe('completed');
    const [payCheck] = await s.preflight([{ type: 'click', ...pay }]);
    expect(payCheck).toMatchObject({ code: 'sensitive_action' });
    expect(payCheck.message).toMatch(/Pay now.*payment/);
    for (const [point, pattern] of [[del, /deletes/], [terms, /terms/]] as const) {
      const result = await s.run([{ type: 'click', ...point }]);
      expect(result.status).toBe('needs_acknowledgement');
      expect(result.checks[0].message).toMatch(pattern);
    }
    expect(await computer.page.textContent('#delete')).toBe('Delete account');
    const held = await s.run([{ type: 'type', text: 'x' }, { type: 'click', ...pay }]);
    expect(held).toMatchObject({ status: 'needs_acknowledgement', executed: 1, checks: [{ id: payCheck.id }] });
    expect(held.remaining).toEqual([{ type: 'click', ...pay }]);
    const paid = await s.run(held.remaining, { acknowledged: [payCheck.id] });
    expect(paid.status).toBe('completed');
    expect(paid.url).toBe(`${site.origin}/paid`);
  });

  it('raises sensitive_action when Enter would submit a payment form', async () => {
    const { computer, session: s } = await session('/checkout');
    const card = await center(computer, 'input[name=card-number]');
    const result = await s.run([{ type: 'click', ...card }, { type: 'type', text: '4242424242424242' }, { type: 'keypress', keys: ['ENTER'] }]);
    expect(result).toMatchObject({ status: 'needs_acknowledgement', executed: 2 });
    expect(result.checks[0].code).toBe('sensitive_action');
    expect(computer.currentUrl()).toBe(`${site.origin}/checkout`);
  });

  it('raises irrelevant_domain once the page leaves the task domains', async () => {
    const policy = testDomains();
    const { session: s } = await session(undefined, { safety: { relevantDomains: ['shop.test'] } }, { policy });
    await s.run([{ type: 'goto', url: `http://shop.test:${site.port}/` }]);
    expect(await s.preflight([])).toEqual([]);
    await s.run([{ type: 'goto', url: `http://elsewhere.test:${site.port}/` }]);
    const checks = await s.preflight([]);
    expect(checks).toMatchObject([{ code: 'irrelevant_domain' }]);
    expect(checks[0].message).toContain('elsewhere.test');
    await s.run([], { acknowledged: checks.map((c) => c.id) });
    expect(await s.preflight([])).toEqual([]);
  });
});

describe('ComputerSession: recording and replay', () => {
  it('records batches, URLs, element selectors and masked screenshots, without typed passwords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-trajectory-'));
    dirs.push(dir);
    const recorder = await TrajectoryRecorder.create(dir, { environment: 'browser', display: { width: 1024, height: 768 }, startUrl: `${site.origin}/login`, task: 'log in' });
    const { computer, session: s } = await session('/login', { recorder });
    const user = await center(computer, '#user');
    const pw = await center(computer, '#pw');
    await s.run([{ type: 'click', ...user }, { type: 'type', text: 'ada' }]);
    const second = await s.run([{ type: 'click', ...pw }, { type: 'type', text: 'hunter2' }]);
    await recorder.end('done');
    const records = await readTrajectory(dir);
    expect(records.map((r) => r.type)).toEqual(['session', 'batch', 'batch', 'end']);
    const [first, withPassword] = records.filter((r): r is BatchRecord => r.type === 'batch');
    expect(first.url).toBe(`${site.origin}/login`);
    expect(first.actions[0].target).toMatchObject({ selector: '#user', frames: [] });
    expect(first.actions[1]).toEqual({ type: 'type', text: 'ada' });
    expect(withPassword.actions[0].target?.selector).toBe('#pw');
    expect(withPassword.actions[1]).toEqual({ type: 'type', text: '', redacted: true });
    expect(await readFile(join(dir, 'trajectory.jsonl'), 'utf8')).not.toContain('hunter2');
    expect(await readdir(join(dir, 'screenshots'))).toEqual(['0001.png', '0002.png']);
    const logged = await readFile(join(dir, withPassword.screenshot ?? ''));
    expect(logged.equals(second.screenshot?.data ?? Buffer.alloc(0))).toBe(false);
    expect(await computer.page.inputValue('#pw')).toBe('hunter2');
  });

  it('replays a trajectory with no model, finding moved elements by selector', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-trajectory-'));
    dirs.push(dir);
    const recorder = await TrajectoryRecorder.create(dir, { environment: 'browser', display: { width: 1024, height: 768 } });
    const { session: s } = await session('/', { recorder, safety: false });
    await s.run([{ type: 'goto', url: `${site.origin}/moving` }]);
    await s.run([{ type: 'click', x: 90, y: 40 }]);
    await recorder.end();

    site.layout.shifted = true;
    const replayer = await BrowserComputer.launch({ browser });
    open.push(replayer);
    const report = await replayTrajectory(dir, replayer);
    expect(report).toMatchObject({ batches: 2, actions: 2, bySelector: 1, byCoordinates: 0, skipped: 0, urlMismatches: [] });
    expect(await replayer.page.evaluate(() => (window as unknown as { log: string[] }).log)).toEqual(['target']);

    const blind = await BrowserComputer.launch({ browser });
    open.push(blind);
    const coordinates = await replayTrajectory(dir, blind, { preferSelectors: false });
    expect(coordinates.byCoordinates).toBe(1);
    expect(await blind.page.evaluate(() => (window as unknown as { log: string[] }).log)).toEqual(['decoy']);
  });
});
