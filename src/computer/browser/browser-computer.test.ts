import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveTestPages, type TestSite } from '../test-support/pages.js';
import { BrowserComputer } from './browser-computer.js';
import { launchChromium } from './launch.js';

let browser: Browser;
let site: TestSite;
let computer: BrowserComputer | undefined;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchChromium(), serveTestPages({ slowMs: 500 })]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});
afterEach(async () => {
  await computer?.close();
  computer = undefined;
});

async function open(path: string, origin = site.origin): Promise<BrowserComputer> {
  computer = await BrowserComputer.launch({ browser, startUrl: `${origin}${path}` });
  await computer.screenshot();
  return computer;
}

const log = <T>(page: Page) => page.evaluate(() => (window as unknown as { log: T[] }).log);

function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(1, 4).toString()).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('BrowserComputer', () => {
  it('clicks with each button and held modifiers', async () => {
    const c = await open('/click');
    await c.click(80, 40);
    await c.click(260, 40, 'right');
    await c.click(260, 40, 'wheel');
    await c.click(80, 40, 'left', ['CTRL', 'SHIFT']);
    await c.doubleClick(260, 40);
    await c.screenshot();
    const events = await log<{ id: string; type: string; button: number; ctrl: boolean; shift: boolean }>(c.page);
    expect(events.map((e) => `${e.id}:${e.type}:${e.button}`)).toEqual([
      'a:click:0',
      'b:contextmenu:2',
      'b:auxclick:2',
      'b:auxclick:1',
      'a:click:0',
      'b:click:0',
      'b:click:0',
      'b:dblclick:0',
    ]);
    expect(events[4]).toMatchObject({ ctrl: true, shift: true });
    expect(events[5]).toMatchObject({ ctrl: false, shift: false });
  });

  it('types text and presses key combinations, releasing in reverse', async () => {
    const c = await open('/form');
    await c.click(100, 35);
    await c.type('Ada Lovelace');
    await c.keypress(['CTRL', 'A']);
    await c.keypress(['BACKSPACE']);
    await c.type('Grace');
    await c.click(100, 120);
    await c.type('line one\nline two');
    await c.screenshot();
    expect(await c.page.inputValue('#name')).toBe('Grace');
    expect(await c.page.inputValue('#notes')).toBe('line one\nline two');
    const keys = await log<{ key: string; ctrl: boolean }>(c.page);
    expect(keys.find((k) => k.key === 'a' && k.ctrl)).toBeTruthy();
  });

  it('chooses from a native select with the keyboard and from a custom dropdown with clicks', async () => {
    const c = await open('/form');
    await c.click(100, 215);
    await c.keypress(['ARROWDOWN']);
    await c.keypress(['ARROWDOWN']);
    await c.keypress(['ENTER']);
    await c.click(450, 35);
    await c.screenshot();
    await c.click(450, 95);
    await c.screenshot();
    expect(await c.page.inputValue('#color')).toBe('green');
    expect(await c.page.textContent('#fruit')).toBe('Banana');
  });

  it('scrolls inside an element and the page, and the screenshot shows the result', async () => {
    const c = await open('/scroll');
    await c.scroll(150, 100, 0, 300);
    await c.screenshot();
    expect(await c.page.$eval('#box', (el) => el.scrollTop)).toBe(300);
    expect(await c.page.evaluate(() => scrollY)).toBe(0);
    await c.scroll(600, 400, 0, 500);
    await c.screenshot();
    expect(await c.page.evaluate(() => scrollY)).toBe(500);
  });

  it('drags and drops (HTML5) and drags a pointer-driven slider', async () => {
    const c = await open('/drag');
    await c.drag([
      { x: 60, y: 60 },
      { x: 400, y: 120 },
    ]);
    await c.drag([
      { x: 35, y: 310 },
      { x: 135, y: 310 },
      { x: 235, y: 310 },
    ]);
    await c.screenshot();
    expect(await c.page.textContent('#zone')).toBe('dropped: item');
    expect(await c.page.textContent('#value')).toBe('200');
  });

  it('clicks and types into same-origin and cross-origin iframes through coordinates', async () => {
    const c = await open('/iframe', `http://localhost:${site.port}`);
    // Same-origin frame: content starts at (24, 64) after its 4 px border.
    await c.click(24 + 70, 64 + 30);
    await c.click(24 + 100, 64 + 80);
    await c.type('framed');
    // Cross-origin frame (127.0.0.1 vs localhost): content at (400, 60).
    await c.click(400 + 70, 60 + 30);
    await c.screenshot();
    const same = c.page.frameLocator('#same');
    const cross = c.page.frameLocator('#cross');
    expect(await same.locator('#state').textContent()).toBe('clicked');
    expect(await same.locator('#field').inputValue()).toBe('framed');
    expect(await cross.locator('#state').textContent()).toBe('clicked');
  });

  it('reaches into shadow DOM through coordinates', async () => {
    const c = await open('/shadow');
    await c.click(90, 40);
    await c.click(100, 90);
    await c.type('in the shadow');
    await c.screenshot();
    expect(await c.page.locator('#sp').textContent()).toBe('shadow clicked');
    expect(await c.page.locator('#si').inputValue()).toBe('in the shadow');
  });

  it('answers dialogs and reports them', async () => {
    const c = await open('/dialogs');
    await c.click(80, 40);
    await c.click(220, 40);
    await c.screenshot();
    expect(await c.page.textContent('#r')).toBe('confirmed');
    const events = c.drainEvents();
    expect(events.map((e) => e.kind)).toEqual(['dialog', 'dialog']);
    expect(events[0].message).toContain('Hello there');
  });

  it('follows new tabs and comes back when one closes', async () => {
    const c = await open('/tabs');
    await c.click(60, 35);
    await c.screenshot();
    expect(c.currentUrl()).toBe(`${site.origin}/newtab`);
    expect(await c.page.textContent('#title')).toBe('New tab page');
    expect(c.drainEvents().some((e) => e.kind === 'new-tab')).toBe(true);
    await c.click(80, 120);
    await c.screenshot();
    expect(c.currentUrl()).toBe(`${site.origin}/tabs`);
    expect(c.drainEvents().some((e) => e.kind === 'tab-closed')).toBe(true);
  });

  it('settles on slow responses, fetches and short timers without fixed sleeps', async () => {
    const c = await open('/slow');
    await c.click(100, 100); // fetch answered after 500 ms
    await c.screenshot();
    expect(await c.page.textContent('#data')).toBe('data arrived');
    await c.click(300, 100); // setTimeout(300)
    await c.screenshot();
    expect(await c.page.textContent('#data')).toBe('timer fired');
    await c.click(60, 35); // navigation answered after 500 ms
    await c.screenshot();
    expect(c.currentUrl()).toBe(`${site.origin}/slow-page`);
    expect(await c.page.textContent('#slow-title')).toBe('Slow page loaded');
  });

  it('takes PNG and JPEG screenshots in CSS pixels, and scaled ones', async () => {
    const c = await open('/bench');
    const png = await c.screenshot();
    expect(pngSize(png.data)).toEqual({ width: 1024, height: 768 });
    expect(png).toMatchObject({ mimeType: 'image/png', width: 1024, height: 768 });
    const jpeg = await c.screenshot({ format: 'jpeg', quality: 60 });
    expect(jpeg.mimeType).toBe('image/jpeg');
    expect(jpeg.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const half = await c.screenshot({ scale: 0.5 });
    expect(pngSize(half.data)).toEqual({ width: 512, height: 384 });
  });

  it('navigates with goto, back and forward', async () => {
    const c = await open('/');
    await c.goto(`${site.origin}/click`);
    await c.screenshot();
    await c.back();
    await c.screenshot();
    expect(c.currentUrl()).toBe(`${site.origin}/`);
    await c.forward();
    await c.screenshot();
    expect(c.currentUrl()).toBe(`${site.origin}/click`);
    await c.click(10, 10, 'back');
    await c.screenshot();
    expect(c.currentUrl()).toBe(`${site.origin}/`);
  });

  it('gives an AI snapshot with refs that resolve to points, and a Set-of-Marks overlay', async () => {
    const c = await open('/click');
    const snapshot = await c.ariaSnapshot();
    const ref = snapshot.match(/button "Button B" \[ref=(\w+)\]/)?.[1];
    expect(ref).toBeTruthy();
    const point = await c.refPoint(ref ?? '');
    expect(point).toEqual({ x: 260, y: 40 });
    await expect(c.refPoint('e999')).rejects.toThrow(/take a new snapshot/);
    const { screenshot, marks } = await c.setOfMarks();
    expect(screenshot.width).toBe(1024);
    expect(marks.map((m) => m.name)).toEqual(['Button A', 'Button B']);
    expect(marks[1].center).toEqual({ x: 260, y: 40 });
    expect(await c.page.locator('#__kestrel_marks').count()).toBe(0);
  });

  it('describes the element under a point with a selector that finds it again', async () => {
    const c = await open('/iframe', `http://localhost:${site.port}`);
    const target = await c.elementAt(400 + 70, 60 + 30, { selector: true });
    expect(target?.info).toMatchObject({ tag: 'button', role: 'button', name: 'Inner button' });
    expect(target?.frames).toEqual(['#cross']);
    expect(target?.selector).toBe('#inner');
    expect(target?.box).toEqual({ x: 410, y: 70, width: 120, height: 40 });
  });

  it('wraps a page the caller already has and leaves it open on close', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    try {
      const page = await context.newPage();
      await page.goto(`${site.origin}/click`);
      const wrapped = await BrowserComputer.wrap(page);
      expect(wrapped.display).toEqual({ width: 800, height: 600 });
      await wrapped.click(80, 40);
      const shot = await wrapped.screenshot();
      expect(shot.width).toBe(800);
      await wrapped.close();
      expect(page.isClosed()).toBe(false);
      expect(await page.textContent('#out')).toBe('a:click:0');
    } finally {
      await context.close();
    }
  });
});
