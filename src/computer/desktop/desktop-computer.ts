import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, CHROMIUM_ARGS } from '../browser/launch.js';
import { ComputerActionError } from '../errors.js';
import { mapKeys, mapModifiers } from '../keys.js';
import type { Computer, ComputerEvent, MouseButton, Point, Screenshot, ScreenshotOptions, Size } from '../types.js';
import { findScreenCapture, type ScreenCapture } from './screen-capture.js';
import { startVirtualDisplay, type VirtualDisplay } from './virtual-display.js';

const BUTTONS: Record<MouseButton, number> = { left: 1, wheel: 2, right: 3, back: 8, forward: 9 };

/** Pixels of scroll per wheel notch (X11 scroll buttons 4–7): what Chromium on X11 scrolls per notch. */
export const PIXELS_PER_NOTCH = 120;

export interface DesktopComputerOptions {
  /** Screen size (default 1024×768). */
  display?: Size;
  /** Open this URL in Chromium (a fresh profile) on the desktop once it is up. */
  startUrl?: string;
  /** Start openbox (default true when installed). */
  windowManager?: boolean;
  /** HTTP proxy for the Chromium opened here (e.g. a `FilterProxy` enforcing a network policy). */
  proxy?: string;
}

function xdotool(env: Record<string, string>, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('xdotool', args, { env: { ...process.env, ...env } }, (error, _stdout, stderr) => {
      if (error) reject(new ComputerActionError(`xdotool failed: ${String(stderr).trim() || error.message}`));
      else resolve();
    });
  });
}

/**
 * A Linux desktop driven by pixel actions: an Xvfb screen with openbox, input through xdotool (each action is one
 * xdotool call, its commands chained), screenshots through scrot or ImageMagick. The same actions as the browser.
 * There is no page to inspect here, so there are no element targets, text scans or masked fields.
 *
 * @example
 * const desktop = await DesktopComputer.start({ startUrl: 'http://127.0.0.1:8000' });
 * await desktop.click(200, 150);
 * const shot = await desktop.screenshot();
 * await desktop.close();
 */
export class DesktopComputer implements Computer {
  readonly environment = 'desktop' as const;
  readonly display: Size;
  private events: ComputerEvent[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly tempDirs: string[] = [];
  private acted = false;
  private closed = false;

  private constructor(
    private readonly screen: VirtualDisplay,
    private readonly capture: ScreenCapture,
    private readonly proxy?: string,
  ) {
    this.display = screen.size;
  }

  /**
   * Starts a virtual desktop (and Chromium on it when `startUrl` is given).
   *
   * @example const desktop = await DesktopComputer.start({ display: { width: 1280, height: 800 } });
   */
  static async start(options: DesktopComputerOptions = {}): Promise<DesktopComputer> {
    const capture = findScreenCapture();
    const screen = await startVirtualDisplay(options.display ?? { width: 1024, height: 768 }, { windowManager: options.windowManager });
    const computer = new DesktopComputer(screen, capture, options.proxy);
    if (options.startUrl) await computer.openBrowser(options.startUrl);
    return computer;
  }

  /** `DISPLAY=:N`, for programs the caller starts on this desktop. */
  get env(): Record<string, string> {
    return this.screen.env;
  }

  /**
   * Starts a program on the desktop; it is stopped on `close()`.
   *
   * @example desktop.launch('xterm', []);
   */
  launch(program: string, args: string[]): ChildProcess {
    const child = spawn(program, args, { stdio: 'ignore', env: { ...process.env, ...this.screen.env } });
    child.on('error', (error) => this.events.push({ kind: 'note', message: `${program} did not start: ${error.message}` }));
    this.children.push(child);
    return child;
  }

  /** Opens Chromium with a fresh profile, maximised, at `url` (through the desktop's proxy, when it has one). */
  async openBrowser(url: string): Promise<ChildProcess> {
    const profile = await mkdtemp(join(tmpdir(), 'kestrel-desktop-profile-'));
    this.tempDirs.push(profile);
    const { width, height } = this.display;
    const proxy = this.proxy ? [`--proxy-server=${this.proxy}`, '--proxy-bypass-list=<-loopback>'] : [];
    return this.launch(chromiumPath(), [...CHROMIUM_ARGS, ...proxy, `--user-data-dir=${profile}`, '--window-position=0,0', `--window-size=${width},${height}`, '--start-maximized', url]);
  }

  currentUrl(): undefined {
    return undefined;
  }

  drainEvents(): ComputerEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  async click(x: number, y: number, button: MouseButton = 'left', keys?: string[]): Promise<void> {
    await this.run(['mousemove', '--sync', ...this.xy(x, y), ...this.holding(keys, ['click', String(BUTTONS[button])])]);
  }

  async doubleClick(x: number, y: number, keys?: string[]): Promise<void> {
    await this.run(['mousemove', '--sync', ...this.xy(x, y), ...this.holding(keys, ['click', '--repeat', '2', '--delay', '40', '1'])]);
  }

  async drag(path: Point[], keys?: string[]): Promise<void> {
    if (path.length < 2) throw new ComputerActionError('drag needs at least two points.');
    const moves: string[] = [];
    for (let i = 1; i < path.length; i++) {
      const from = path[i - 1];
      const to = path[i];
      const steps = Math.min(10, Math.max(2, Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) / 40)));
      for (let s = 1; s <= steps; s++) {
        moves.push('mousemove', '--sync', ...this.xy(from.x + ((to.x - from.x) * s) / steps, from.y + ((to.y - from.y) * s) / steps));
      }
    }
    await this.run(['mousemove', '--sync', ...this.xy(path[0].x, path[0].y), ...this.holding(keys, ['mousedown', '1', ...moves, 'mouseup', '1'])]);
  }

  async keypress(keys: string[]): Promise<void> {
    const mapped = mapKeys(keys).map((key) => key.xdotool);
    await this.run([...mapped.flatMap((key) => ['keydown', key]), ...[...mapped].reverse().flatMap((key) => ['keyup', key])]);
  }

  async move(x: number, y: number, keys?: string[]): Promise<void> {
    await this.run(this.holding(keys, ['mousemove', '--sync', ...this.xy(x, y)]));
  }

  async scroll(x: number, y: number, scrollX: number, scrollY: number, keys?: string[]): Promise<void> {
    const clicks: string[] = [];
    const notches = (pixels: number) => String(Math.max(1, Math.round(Math.abs(pixels) / PIXELS_PER_NOTCH)));
    if (scrollY) clicks.push('click', '--repeat', notches(scrollY), '--delay', '1', scrollY < 0 ? '4' : '5');
    if (scrollX) clicks.push('click', '--repeat', notches(scrollX), '--delay', '1', scrollX < 0 ? '6' : '7');
    await this.run(['mousemove', '--sync', ...this.xy(x, y), ...this.holding(keys, clicks)]);
  }

  async type(text: string): Promise<void> {
    if (!text) return;
    this.acted = true;
    // `type` takes the rest of the command line, so it gets a call of its own.
    await xdotool(this.screen.env, ['type', '--delay', '1', '--', text]);
  }

  async wait(maxMs = 1000): Promise<void> {
    this.acted = true;
    await this.stableCapture('png', 80, Date.now() + maxMs);
  }

  async screenshot(options: ScreenshotOptions = {}): Promise<Screenshot> {
    const format = options.format ?? 'png';
    if (options.scale !== undefined && options.scale !== 1) {
      throw new ComputerActionError('Desktop screenshots are not resized; start the desktop at the size the model wants instead.');
    }
    const quality = options.quality ?? 80;
    // No page events exist here: after actions, the screen is settled when two captures in a row are identical.
    const data = this.acted ? await this.stableCapture(format, quality, Date.now() + 1_000) : await this.capture(this.screen.env, format, quality);
    this.acted = false;
    return { data, mimeType: format === 'jpeg' ? 'image/jpeg' : 'image/png', width: this.display.width, height: this.display.height };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await this.screen.close();
    await Promise.all(this.tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }

  private async stableCapture(format: 'png' | 'jpeg', quality: number, deadline: number): Promise<Buffer> {
    let previous = await this.capture(this.screen.env, 'png', quality);
    for (;;) {
      const next = await this.capture(this.screen.env, 'png', quality);
      if (next.equals(previous) || Date.now() >= deadline) break;
      previous = next;
    }
    return format === 'png' ? previous : this.capture(this.screen.env, format, quality);
  }

  private xy(x: number, y: number): string[] {
    return [String(Math.round(x)), String(Math.round(y))];
  }

  /** Wraps commands in keydown/keyup of held modifiers (released in reverse). */
  private holding(keys: string[] | null | undefined, commands: string[]): string[] {
    const modifiers = mapModifiers(keys).map((key) => key.xdotool);
    return [...modifiers.flatMap((key) => ['keydown', key]), ...commands, ...[...modifiers].reverse().flatMap((key) => ['keyup', key])];
  }

  private async run(args: string[]): Promise<void> {
    if (this.closed) throw new ComputerActionError('This computer session is closed.');
    if (args.length === 0) return;
    this.acted = true;
    await xdotool(this.screen.env, args);
  }
}
