import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/launch.js';
import { ComputerSession } from '../session.js';
import { serveTestPages, type TestSite } from '../test-support/pages.js';
import { DesktopComputer } from './desktop-computer.js';

// One Xvfb desktop with a headful Chromium on it; xdotool acts, and the page itself (through Playwright) tells
// the test what happened.
let desktop: DesktopComputer;
let browser: Browser;
let page: Page;
let site: TestSite;

beforeAll(async () => {
  site = await serveTestPages();
  desktop = await DesktopComputer.start({ display: { width: 1024, height: 768 } });
  // Without --enable-automation there is no "controlled by automated software" bar to push the page down later.
  browser = await launchChromium({ headless: false, env: desktop.env, args: ['--window-position=0,0', '--window-size=1024,768'], ignoreDefaultArgs: ['--enable-automation'] });
  const context = await browser.newContext({ viewport: null });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await desktop?.close();
  await site?.close();
});

/** Where a page point is on the screen, from the window geometry read right before acting. */
async function at(x: number, y: number): Promise<{ x: number; y: number }> {
  const origin = await page.evaluate(() => {
    const border = (outerWidth - innerWidth) / 2;
    return { x: screenX + border, y: screenY + outerHeight - innerHeight - border };
  });
  return { x: Math.round(origin.x + x), y: Math.round(origin.y + y) };
}

describe('DesktopComputer (Xvfb + openbox + xdotool)', () => {
  it('takes PNG and JPEG screenshots of the whole screen', async () => {
    const png = await desktop.screenshot();
    expect(png).toMatchObject({ mimeType: 'image/png', width: 1024, height: 768 });
    expect(png.data.readUInt32BE(16)).toBe(1024);
    expect(png.data.readUInt32BE(20)).toBe(768);
    const jpeg = await desktop.screenshot({ format: 'jpeg' });
    expect(jpeg.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(desktop.currentUrl()).toBeUndefined();
  });

  it('clicks with buttons and held modifiers', async () => {
    await page.goto(`${site.origin}/click`);
    const a = await at(80, 40);
    const b = await at(260, 40);
    await desktop.click(a.x, a.y);
    await desktop.click(b.x, b.y, 'right');
    await desktop.click(a.x, a.y, 'left', ['SHIFT']);
    await desktop.doubleClick(b.x, b.y);
    // X input is asynchronous: wait for the page to have seen all of it.
    await page.waitForFunction(() => (window as unknown as { log: unknown[] }).log.length >= 7);
    const log = await page.evaluate(() => (window as unknown as { log: { id: string; type: string; button: number; shift: boolean }[] }).log);
    expect(log.map((e) => `${e.id}:${e.type}:${e.button}`)).toEqual(['a:click:0', 'b:contextmenu:2', 'b:auxclick:2', 'a:click:0', 'b:click:0', 'b:click:0', 'b:dblclick:0']);
    expect(log[3].shift).toBe(true);
  });

  it('types and presses combinations through a session', async () => {
    await page.goto(`${site.origin}/form`);
    const session = new ComputerSession(desktop);
    const field = await at(100, 35);
    const result = await session.run([
      { type: 'click', ...field },
      { type: 'type', text: 'hello desktop' },
      { type: 'keypress', keys: ['CTRL', 'A'] },
      { type: 'type', text: 'replaced' },
    ]);
    expect(result.status).toBe('completed');
    expect(result.screenshot?.width).toBe(1024);
    await page.waitForFunction(() => (document.getElementById('name') as HTMLInputElement).value === 'replaced');
  });

  it('scrolls inside an element with wheel notches', async () => {
    await page.goto(`${site.origin}/scroll`);
    const box = await at(150, 100);
    await desktop.scroll(box.x, box.y, 0, 240);
    await page.waitForFunction(() => (document.getElementById('box')?.scrollTop ?? 0) >= 240);
    expect(await page.evaluate(() => scrollY)).toBe(0);
  });

  it('drags a pointer-driven slider', async () => {
    await page.goto(`${site.origin}/drag`);
    const from = await at(35, 310);
    const to = await at(235, 310);
    await desktop.drag([from, to]);
    await page.waitForFunction(() => Number(document.getElementById('value')?.textContent) >= 195);
  });
});
