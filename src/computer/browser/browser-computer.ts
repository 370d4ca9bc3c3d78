import type { Browser, BrowserContext, CDPSession, Dialog, Frame, Page } from 'playwright-core';
import { ComputerActionError } from '../errors.js';
import { mapKeys, mapModifiers } from '../keys.js';
import { blockedPageHtml, FilterProxy } from '../safety/filter-proxy.js';
import type { UrlPolicy } from '../safety/url-policy.js';
import type { BrowserControls, Computer, ComputerEvent, MouseButton, Point, Screenshot, ScreenshotOptions, Size } from '../types.js';
import { launchChromium, type LaunchOptions } from './launch.js';
import { PageActivity } from './page-activity.js';
import {
  AWAIT_SCROLL,
  COLLECT_MARKS,
  DESCRIBE_AT_POINT,
  DESCRIBE_ELEMENT,
  DRAW_MARKS,
  ELEMENT_AT_POINT,
  ACTIVE_ELEMENT,
  HAS_SECRET_FIELDS,
  MONITOR_SCRIPT,
  READ_CHANGES,
  REMOVE_MARKS,
  SECRET_FIELDS,
  SETTLE_IN_PAGE,
  VISIBLE_TEXT,
  type ElementInfo,
} from './page-scripts.js';

/** Caps of the settle after each batch. Each is a ceiling, not a wait: a quiet page returns at once. */
export interface SettleOptions {
  /** A main-frame navigation reaching `load` (default 10 000 ms). */
  navigationMs: number;
  /** Requests started by the batch finishing (default 3 000 ms). */
  networkMs: number;
  /** Timers, animations and DOM mutations going quiet (default 1 000 ms). */
  domMs: number;
}

export const DEFAULT_SETTLE: SettleOptions = { navigationMs: 10_000, networkMs: 3_000, domMs: 1_000 };

export interface BrowserComputerOptions {
  /** Viewport in CSS pixels (default 1024×768). */
  display?: Size;
  /** Opened before the first action. */
  startUrl?: string;
  /** Run headless (default true). */
  headless?: boolean;
  /** A browser to create the context in (kept open on close); by default one is launched and owned. */
  browser?: Browser;
  launch?: LaunchOptions;
  /** Network policy. Without one (or with an open one) nothing is filtered. */
  policy?: UrlPolicy;
  /** What to do with alert/confirm/prompt/beforeunload dialogs (default accept). */
  dialogs?: 'accept' | 'dismiss';
  settle?: Partial<SettleOptions>;
}

/** Where an element is and how to find it again. */
export interface ElementTarget {
  info: ElementInfo;
  /** Selectors of the iframes leading to the element, outermost first. */
  frames: string[];
  /** A Playwright selector that matched exactly one element when recorded (absent if none did). */
  selector?: string;
  /** The element's box in viewport coordinates of the top page. */
  box: { x: number; y: number; width: number; height: number };
}

export interface Mark {
  /** 1-based number drawn on the screenshot. */
  id: number;
  role: string;
  name: string;
  box: { x: number; y: number; width: number; height: number };
  center: Point;
}

const SNAPSHOT_MAX_CHARS = 40_000;

/**
 * A browser tab driven by pixel actions: playwright-core on the system Chromium, a fresh context (profile) per
 * session, new tabs followed, dialogs answered, every request filtered by the session's `UrlPolicy`.
 * Screenshots are CSS-pixel images of the viewport, taken once the page has settled.
 *
 * @example
 * const computer = await BrowserComputer.launch({ startUrl: 'http://127.0.0.1:8000' });
 * await computer.click(120, 40);
 * await computer.type('hello');
 * const shot = await computer.screenshot({ format: 'jpeg' });
 * await computer.close();
 */
export class BrowserComputer implements Computer, BrowserControls {
  readonly environment = 'browser' as const;
  readonly display: Size;
  private current!: Page;
  private activity!: PageActivity;
  private cdp: CDPSession | undefined;
  private events: ComputerEvent[] = [];
  private batchStartedAt: number | undefined;
  private lastCheckedUrl = '';
  private readonly settleOptions: SettleOptions;
  private readonly dialogs: 'accept' | 'dismiss';
  private readonly adopted = new WeakSet<Page>();
  private closed = false;
  /** The last visible text read, by page state. */
  private textCache: { key: string; text: string } | undefined;
  /** Set while a blank tab replaces the last one that closed. */
  private replacing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly context: BrowserContext,
    private readonly owned: { browser?: Browser; context: boolean; proxy?: FilterProxy },
    private readonly policy: UrlPolicy | undefined,
    options: BrowserComputerOptions,
    display: Size,
  ) {
    this.display = display;
    this.settleOptions = { ...DEFAULT_SETTLE, ...options.settle };
    this.dialogs = options.dialogs ?? 'accept';
  }

  /**
   * Opens a fresh browser context (and a browser, unless one is given) and its first tab.
   *
   * @example const computer = await BrowserComputer.launch({ display: { width: 1280, height: 800 } });
   */
  static async launch(options: BrowserComputerOptions = {}): Promise<BrowserComputer> {
    const display = options.display ?? { width: 1024, height: 768 };
    const browser = options.browser ?? (await launchChromium({ headless: options.headless, ...options.launch }));
    let proxy: FilterProxy | undefined;
    try {
      if (options.policy && !options.policy.isOpen) proxy = await FilterProxy.start(options.policy);
      const context = await browser.newContext({
        viewport: display,
        deviceScaleFactor: 1,
        serviceWorkers: 'block',
        acceptDownloads: false,
        ...(proxy ? { proxy: { server: proxy.url, bypass: '<-loopback>' } } : {}),
      });
      const computer = new BrowserComputer(context, { browser: options.browser ? undefined : browser, context: true, proxy }, options.policy, options, display);
      await context.addInitScript({ content: MONITOR_SCRIPT });
      proxy?.onBlocked((blocked) => computer.note('navigation-blocked', `Blocked ${blocked.url}: ${blocked.message}`));
      computer.adopt(await context.newPage());
      context.on('page', (page) => computer.follow(page, 'new-tab'));
      if (options.startUrl) await computer.goto(options.startUrl);
      return computer;
    } catch (error) {
      await proxy?.close();
      if (!options.browser) await browser.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Drives a page the caller already has (its context, profile and network are the caller's; a `policy` is only
   * checked on `goto` and after each batch). `close()` leaves the page open.
   *
   * @example const computer = await BrowserComputer.wrap(page);
   */
  static async wrap(page: Page, options: Omit<BrowserComputerOptions, 'browser' | 'launch' | 'headless'> = {}): Promise<BrowserComputer> {
    const viewport = page.viewportSize();
    const display = viewport ?? (await page.evaluate(() => ({ width: innerWidth, height: innerHeight })));
    const computer = new BrowserComputer(page.context(), { context: false }, options.policy, options, display);
    computer.adopt(page);
    await page.addInitScript({ content: MONITOR_SCRIPT });
    await page.evaluate(MONITOR_SCRIPT).catch(() => undefined);
    if (options.startUrl) await computer.goto(options.startUrl);
    return computer;
  }

  /** The tab being driven (it changes when a new tab opens). */
  get page(): Page {
    return this.current;
  }

  currentUrl(): string {
    return this.current.url();
  }

  drainEvents(): ComputerEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  // ---- actions ----

  async click(x: number, y: number, button: MouseButton = 'left', keys?: string[]): Promise<void> {
    this.begin();
    await this.holding(keys, async () => {
      if (button === 'back' || button === 'forward') {
        await this.current.mouse.move(x, y);
        await (button === 'back' ? this.back() : this.forward());
        return;
      }
      await this.current.mouse.click(x, y, { button: button === 'wheel' ? 'middle' : button });
    });
  }

  async doubleClick(x: number, y: number, keys?: string[]): Promise<void> {
    this.begin();
    await this.holding(keys, () => this.current.mouse.dblclick(x, y));
  }

  async drag(path: Point[], keys?: string[]): Promise<void> {
    if (path.length < 2) throw new ComputerActionError('drag needs at least two points.');
    this.begin();
    const mouse = this.current.mouse;
    await this.holding(keys, async () => {
      await mouse.move(path[0].x, path[0].y);
      await mouse.down();
      for (let i = 1; i < path.length; i++) {
        const distance = Math.hypot(path[i].x - path[i - 1].x, path[i].y - path[i - 1].y);
        // Intermediate moves let pages (and HTML5 drag and drop) see a real drag, not a jump.
        await mouse.move(path[i].x, path[i].y, { steps: Math.min(10, Math.max(2, Math.ceil(distance / 40))) });
      }
      await mouse.up();
    });
  }

  async keypress(keys: string[]): Promise<void> {
    const mapped = mapKeys(keys);
    this.begin();
    const keyboard = this.current.keyboard;
    const down: string[] = [];
    try {
      for (const key of mapped) {
        await keyboard.down(key.playwright);
        down.push(key.playwright);
      }
    } finally {
      for (const key of down.reverse()) await keyboard.up(key);
    }
  }

  async move(x: number, y: number, keys?: string[]): Promise<void> {
    this.begin();
    await this.holding(keys, () => this.current.mouse.move(x, y));
  }

  async scroll(x: number, y: number, scrollX: number, scrollY: number, keys?: string[]): Promise<void> {
    this.begin();
    await this.holding(keys, async () => {
      await this.current.mouse.move(x, y);
      const since = Date.now();
      await this.current.mouse.wheel(scrollX, scrollY);
      // The wheel is answered before the page scrolls; wait for the scroll event (a few frames at most).
      await this.current.evaluate(AWAIT_SCROLL, since).catch(() => false);
    });
  }

  async type(text: string): Promise<void> {
    this.begin();
    const keyboard = this.current.keyboard;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) await keyboard.press('Enter');
      const line = lines[i];
      // Real key events up to a few hundred characters (pages listen to keys); beyond that, one input event.
      if (line.length <= 300) await keyboard.type(line);
      else await keyboard.insertText(line);
    }
  }

  async wait(maxMs = 1000): Promise<void> {
    this.begin();
    await this.settle(Math.max(100, maxMs), 2);
  }

  async screenshot(options: ScreenshotOptions = {}): Promise<Screenshot> {
    return (await this.screenshotAndText(options)).screenshot;
  }

  /**
   * The settled screenshot, and (with `textChars`) the page's visible text read in the same quiet moment.
   *
   * Settling without sleeps: wait for requests the batch started and for a navigation's `load`; then, in the page,
   * for short timers the batch set and finite animations. The capture runs alongside that last check and is kept
   * only if no DOM mutation, scroll or request happened meanwhile; otherwise the page settles (quiet animation
   * frames) and is captured again. Every wait has a cap.
   */
  async screenshotAndText(options: ScreenshotOptions = {}, textChars?: number): Promise<{ screenshot: Screenshot; text?: string }> {
    const since = this.batchStartedAt ?? Date.now();
    this.batchStartedAt = undefined;
    const deadline = Date.now() + this.settleOptions.navigationMs;
    let shot: Screenshot | undefined;
    let text: string | undefined;
    let failure: unknown;
    for (let round = 0; round < 6; round++) {
      if (this.current.isClosed()) await this.replacing;
      const page = this.current;
      await this.enforcePolicy();
      await this.settleNetwork(deadline);
      const activityBefore = this.activity.count;
      const capMs = Math.max(0, Math.min(this.settleOptions.domMs, deadline - Date.now()));
      const settled = page.evaluate(SETTLE_IN_PAGE, { since, until: Date.now(), capMs, frames: round === 0 ? 0 : 1 }).catch(() => undefined);
      const reading = textChars ? settled.then((probe) => this.textAt(page, probe?.changes, textChars)) : undefined;
      // A capture can fail mid-navigation; the next round waits for the new document and tries again.
      const attempt = () =>
        this.capture(options).catch((error: unknown) => {
          failure = error;
          return undefined;
        });
      // First round: capture while the page confirms it is quiet (the common case costs no extra wait).
      const early = round === 0 ? attempt() : undefined;
      const probe = await settled;
      let captured = early ? await early : undefined;
      if (page.isClosed()) continue; // the batch closed its tab: look at the one that takes over
      if (probe === undefined) {
        // The document went away mid-evaluate (a navigation): wait for the new one.
        await page.waitForLoadState('domcontentloaded', { timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
      }
      captured ??= await attempt();
      text = await reading;
      if (!captured) {
        if (Date.now() >= deadline) break;
        continue;
      }
      shot = captured;
      const after = await page.evaluate(READ_CHANGES).catch(() => -2);
      const stable = page === this.current && probe !== undefined && after === probe.changes && this.activity.count === activityBefore && this.activity.pending === 0;
      if (stable || Date.now() >= deadline) break;
    }
    if (!shot) throw failure instanceof Error ? failure : new Error('The screen could not be captured.');
    this.activity.reset();
    return { screenshot: shot, text };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.activity?.detach();
    if (this.owned.context) await this.context.close().catch(() => undefined);
    if (this.owned.browser) await this.owned.browser.close().catch(() => undefined);
    await this.owned.proxy?.close();
  }

  // ---- browser controls ----

  async goto(url: string): Promise<void> {
    if (this.policy) {
      const verdict = await this.policy.checkUrl(url);
      if (!verdict.allowed) throw new ComputerActionError(`Navigation to ${url} is blocked: ${verdict.message}`);
    }
    this.begin();
    try {
      await this.current.goto(url, { waitUntil: 'commit', timeout: this.settleOptions.navigationMs });
    } catch (error) {
      throw new ComputerActionError(`Could not open ${url}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
  }

  async back(): Promise<void> {
    this.begin();
    const response = await this.current.goBack({ waitUntil: 'commit', timeout: this.settleOptions.navigationMs }).catch(() => null);
    if (response === null && !this.activity.navigated) this.note('note', 'There is no earlier page to go back to.');
  }

  async forward(): Promise<void> {
    this.begin();
    const response = await this.current.goForward({ waitUntil: 'commit', timeout: this.settleOptions.navigationMs }).catch(() => null);
    if (response === null && !this.activity.navigated) this.note('note', 'There is no later page to go forward to.');
  }

  /**
   * Playwright's AI snapshot of the page: an ARIA tree with `[ref=eN]` element refs (iframes included), capped in
   * size. Refs resolve with `refPoint`.
   *
   * @example const text = await computer.ariaSnapshot(); // '- button "Submit" [ref=e2]'
   */
  async ariaSnapshot(options: { maxChars?: number; boxes?: boolean } = {}): Promise<string> {
    const text = await this.current.ariaSnapshot({ mode: 'ai', boxes: options.boxes, timeout: 10_000 });
    const max = options.maxChars ?? SNAPSHOT_MAX_CHARS;
    return text.length > max ? `${text.slice(0, max)}\n# … snapshot cut at ${max} characters` : text;
  }

  /**
   * The centre of the element a snapshot ref names, scrolled into view first. Unknown or stale refs are refused.
   *
   * @example const { x, y } = await computer.refPoint('e5'); await computer.click(x, y);
   */
  async refPoint(ref: string): Promise<Point> {
    if (!/^(f\d+)?e\d+$/.test(ref)) throw new ComputerActionError(`"${ref}" is not an element ref; refs look like e12 or f1e3.`);
    const locator = this.current.getByRef(ref);
    try {
      if ((await locator.count()) !== 1) throw new Error('no such ref');
      await locator.scrollIntoViewIfNeeded({ timeout: 2_000 });
      const box = await locator.boundingBox({ timeout: 2_000 });
      if (!box) throw new Error('not visible');
      return { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) };
    } catch (error) {
      throw new ComputerActionError(`Element ref ${ref} is not in the current page; take a new snapshot.`, { cause: error });
    }
  }

  /**
   * A screenshot with numbered boxes drawn over the visible interactive elements (Set-of-Marks), and the marks.
   *
   * @example const { screenshot, marks } = await computer.setOfMarks();
   */
  async setOfMarks(options: ScreenshotOptions & { limit?: number } = {}): Promise<{ screenshot: Screenshot; marks: Mark[] }> {
    await this.screenshot({ ...options });
    const candidates = await this.current.evaluate(COLLECT_MARKS, options.limit ?? 100);
    await this.current.evaluate(DRAW_MARKS, candidates);
    try {
      const screenshot = await this.capture(options);
      const marks = candidates.map((mark, index) => ({
        id: index + 1,
        role: mark.role,
        name: mark.name,
        box: mark.box,
        center: { x: Math.round(mark.box.x + mark.box.width / 2), y: Math.round(mark.box.y + mark.box.height / 2) },
      }));
      return { screenshot, marks };
    } finally {
      await this.current.evaluate(REMOVE_MARKS).catch(() => undefined);
    }
  }

  /**
   * The element under a viewport point (through shadow roots and iframes, cross-origin ones included), described
   * for safety checks; with `selector: true`, also a selector that matches exactly it, for recordings.
   *
   * @example const target = await computer.elementAt(120, 40, { selector: true });
   */
  async elementAt(x: number, y: number, options: { selector?: boolean } = {}): Promise<ElementTarget | undefined> {
    if (!options.selector) {
      // One round trip for the common case (a safety check on a main-frame element).
      const info = await this.current.evaluate(DESCRIBE_AT_POINT, { x, y, secret: SECRET_FIELDS }).catch(() => undefined);
      if (info === null) return undefined;
      if (info && !info.isFrame) return { info, frames: [], box: info.box };
    }
    let frame: Frame = this.current.mainFrame();
    let offsetX = 0;
    let offsetY = 0;
    const frames: string[] = [];
    for (let depth = 0; depth < 6; depth++) {
      const handle = await frame.evaluateHandle(ELEMENT_AT_POINT, { x: x - offsetX, y: y - offsetY }).catch(() => undefined);
      const element = handle?.asElement();
      if (!element) {
        await handle?.dispose();
        return undefined;
      }
      try {
        const info = await element.evaluate(DESCRIBE_ELEMENT, { secret: SECRET_FIELDS, selectors: options.selector === true });
        const child = info.isFrame ? await element.contentFrame() : null;
        if (child) {
          if (options.selector) frames.push((await this.pickSelector(frame, info.selectors)) ?? info.selectors[info.selectors.length - 1] ?? 'iframe');
          offsetX += info.box.x + info.frameInset.x;
          offsetY += info.box.y + info.frameInset.y;
          frame = child;
          continue;
        }
        const box = { x: info.box.x + offsetX, y: info.box.y + offsetY, width: info.box.width, height: info.box.height };
        const selector = options.selector ? await this.pickSelector(frame, info.selectors) : undefined;
        return { info, frames, selector, box };
      } finally {
        await element.dispose();
      }
    }
    return undefined;
  }

  /** The focused element (through shadow roots and iframes), described. */
  async focusedElement(): Promise<ElementInfo | undefined> {
    let frame: Frame = this.current.mainFrame();
    for (let depth = 0; depth < 6; depth++) {
      const handle = await frame.evaluateHandle(ACTIVE_ELEMENT, undefined).catch(() => undefined);
      const element = handle?.asElement();
      if (!element) {
        await handle?.dispose();
        return undefined;
      }
      try {
        const info = await element.evaluate(DESCRIBE_ELEMENT, { secret: SECRET_FIELDS, selectors: false });
        const child = info.isFrame ? await element.contentFrame() : null;
        if (!child) return info;
        frame = child;
      } finally {
        await element.dispose();
      }
    }
    return undefined;
  }

  /** Visible text of every frame of the page (open shadow roots included), for the injected-instruction check. */
  async visibleText(maxChars = 20_000): Promise<string> {
    const texts = await Promise.all(this.current.frames().map((frame) => frame.evaluate(VISIBLE_TEXT, maxChars).catch(() => '')));
    return texts.filter(Boolean).join('\n').slice(0, maxChars * 2);
  }

  /**
   * The same screenshot with password and payment-card fields painted over, when the page has any; undefined when
   * it has none (the ordinary screenshot is then safe to log).
   */
  async maskedScreenshot(options: ScreenshotOptions = {}): Promise<Screenshot | undefined> {
    const frames = this.current.frames();
    const has = await Promise.all(frames.map((frame) => frame.evaluate(HAS_SECRET_FIELDS, SECRET_FIELDS).catch(() => false)));
    const masked = frames.filter((_, index) => has[index]);
    if (masked.length === 0) return undefined;
    const data = await this.current.screenshot({
      type: options.format ?? 'png',
      quality: options.format === 'jpeg' ? (options.quality ?? 80) : undefined,
      scale: 'css',
      caret: 'initial',
      mask: masked.map((frame) => frame.locator(SECRET_FIELDS)),
      maskColor: '#000',
    });
    return this.asScreenshot(data, options);
  }

  // ---- internals ----

  private begin(): void {
    if (this.closed) throw new ComputerActionError('This computer session is closed.');
    this.batchStartedAt ??= Date.now();
  }

  private note(kind: ComputerEvent['kind'], message: string): void {
    if (this.events.some((event) => event.kind === kind && event.message === message)) return;
    this.events.push({ kind, message });
  }

  private async holding(keys: string[] | null | undefined, action: () => Promise<void>): Promise<void> {
    const modifiers = mapModifiers(keys);
    const page = this.current;
    const keyboard = page.keyboard;
    const down: string[] = [];
    try {
      for (const key of modifiers) {
        await keyboard.down(key.playwright);
        down.push(key.playwright);
      }
      await action();
    } catch (error) {
      // The action closed its own tab (window.close() on click): that is its effect, not a failure.
      if (!page.isClosed()) throw error;
    } finally {
      if (!page.isClosed()) for (const key of down.reverse()) await keyboard.up(key);
    }
  }

  private adopt(page: Page): void {
    this.activity?.detach();
    this.current = page;
    this.cdp = undefined;
    this.activity = new PageActivity(page);
    if (this.adopted.has(page)) return;
    this.adopted.add(page);
    page.on('dialog', (dialog) => void this.answer(dialog));
    page.on('close', () => this.onClosed(page));
    page.on('download', (download) => this.note('download', `A download of ${download.suggestedFilename()} was blocked.`));
    if (!this.owned.context) page.on('popup', (popup) => this.follow(popup, 'new-tab'));
  }

  private follow(page: Page, kind: 'new-tab'): void {
    if (this.closed || this.adopted.has(page)) return;
    this.adopt(page);
    this.note(kind, `A new tab opened${page.url() && page.url() !== 'about:blank' ? ` (${page.url()})` : ''}; actions now go to it.`);
    this.batchStartedAt ??= Date.now();
  }

  private onClosed(page: Page): void {
    if (this.closed || page !== this.current) return;
    const remaining = this.context.pages().filter((other) => other !== page && !other.isClosed());
    const next = remaining[remaining.length - 1];
    if (next) {
      this.adopt(next);
      this.note('tab-closed', `The tab closed; actions now go to ${next.url()}.`);
    } else if (this.owned.context) {
      this.note('tab-closed', 'The last tab closed; a blank one was opened.');
      this.replacing = this.context.newPage().then((fresh) => this.adopt(fresh), () => undefined);
    }
  }

  private async answer(dialog: Dialog): Promise<void> {
    const type = dialog.type();
    const accept = this.dialogs === 'accept' || type === 'alert';
    this.note('dialog', `A ${type} dialog said "${dialog.message().slice(0, 300)}"; it was ${accept ? 'accepted' : 'dismissed'}.`);
    await (accept ? dialog.accept() : dialog.dismiss()).catch(() => undefined);
  }

  /** The page's visible text, read again only when the URL, the frames or the DOM changed since the last read. */
  private async textAt(page: Page, changes: number | undefined, maxChars: number): Promise<string> {
    const key = `${page.url()}|${page.frames().length}|${changes}|${maxChars}`;
    if (changes !== undefined && changes >= 0 && this.textCache?.key === key) return this.textCache.text;
    const text = await this.visibleText(maxChars);
    if (changes !== undefined && changes >= 0) this.textCache = { key, text };
    return text;
  }

  /** Waits for requests in flight and, after a navigation, for its `load` (each capped). */
  private async settleNetwork(deadline: number): Promise<void> {
    const { networkMs } = this.settleOptions;
    await this.activity.idle(Math.min(deadline, Date.now() + networkMs));
    if (this.activity.navigated) {
      await this.current.waitForLoadState('load', { timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
      await this.activity.idle(Math.min(deadline, Date.now() + networkMs));
    }
  }

  private async settle(capMs: number, frames: number): Promise<void> {
    const since = this.batchStartedAt ?? Date.now();
    const deadline = Date.now() + capMs;
    await this.activity.idle(deadline);
    if (this.activity.navigated) await this.current.waitForLoadState('load', { timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
    await this.current
      .evaluate(SETTLE_IN_PAGE, { since, until: Date.now(), capMs: Math.max(0, deadline - Date.now()), frames })
      .catch(() => undefined);
  }

  /** Re-checks the top-level URL against the policy after a batch; a disallowed page is replaced by a notice. */
  private async enforcePolicy(): Promise<void> {
    if (!this.policy) return;
    const url = this.current.url();
    if (url === this.lastCheckedUrl) return;
    const verdict = await this.policy.checkUrl(url);
    if (verdict.allowed) {
      this.lastCheckedUrl = url;
      return;
    }
    const isNotice = await this.current.evaluate(() => document.body?.hasAttribute('data-kestrel-blocked') ?? false).catch(() => false);
    this.note('navigation-blocked', `Blocked ${url}: ${verdict.message}`);
    if (isNotice) return;
    await this.current.goto('about:blank').catch(() => undefined);
    await this.current.setContent(blockedPageHtml(url, verdict.message)).catch(() => undefined);
    this.lastCheckedUrl = this.current.url();
  }

  private async capture(options: ScreenshotOptions): Promise<Screenshot> {
    const scale = options.scale ?? 1;
    if (!(scale > 0 && scale <= 1)) throw new RangeError(`screenshot scale must be in (0, 1], got ${scale}`);
    const format = options.format ?? 'png';
    const quality = format === 'jpeg' ? (options.quality ?? 80) : undefined;
    if (scale === 1) {
      const data = await this.current.screenshot({ type: format, quality, scale: 'css', caret: 'initial', timeout: 10_000 });
      return this.asScreenshot(data, options);
    }
    // Chromium scales the capture itself: no image library, one encode.
    this.cdp ??= await this.context.newCDPSession(this.current);
    const origin = await this.current.evaluate(() => ({ x: visualViewport?.pageLeft ?? scrollX, y: visualViewport?.pageTop ?? scrollY }));
    const result = (await this.cdp.send('Page.captureScreenshot', {
      format,
      quality,
      clip: { x: origin.x, y: origin.y, width: this.display.width, height: this.display.height, scale },
    })) as { data: string };
    return this.asScreenshot(Buffer.from(result.data, 'base64'), options);
  }

  private asScreenshot(data: Buffer, options: ScreenshotOptions): Screenshot {
    const scale = options.scale ?? 1;
    return {
      data,
      mimeType: (options.format ?? 'png') === 'jpeg' ? 'image/jpeg' : 'image/png',
      width: Math.round(this.display.width * scale),
      height: Math.round(this.display.height * scale),
    };
  }

  private async pickSelector(frame: Frame, candidates: string[]): Promise<string | undefined> {
    for (const candidate of candidates) {
      const count = await frame.locator(candidate).count().catch(() => 0);
      if (count === 1) return candidate;
    }
    return undefined;
  }
}
