import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Mark } from '../../../computer/browser/browser-computer.js';
import { TrajectoryRecorder } from '../../../computer/recording/recorder.js';
import type { SessionAction } from '../../../computer/recording/trajectory.js';
import { FilterProxy } from '../../../computer/safety/filter-proxy.js';
import { SafetyMonitor, type SafetyCheck } from '../../../computer/safety/monitor.js';
import { UrlPolicy } from '../../../computer/safety/url-policy.js';
import type { Computer, Size } from '../../../computer/types.js';
import { newId } from '../../../protocol/ids.js';
import type { Owner } from '../../../store/types.js';
import type { ComputerSettings } from './settings.js';

/** A batch held until the client acknowledges its safety checks. */
export interface PausedBatch {
  callId: string;
  /** The actions in the model's coordinate space, as the model sent them (refs and marks resolved). */
  actions: SessionAction[];
  checks: SafetyCheck[];
  at: number;
}

/** One computer Kestrel runs for a client, kept between responses until it idles out. */
export interface HostedComputer {
  id: string;
  owner: Owner;
  environment: 'browser' | 'desktop';
  computer: Computer;
  display: Size;
  monitor: SafetyMonitor;
  recorder?: TrajectoryRecorder;
  /** The response using it now. */
  busyWith?: string;
  paused?: PausedBatch;
  /** Marks of the last Set-of-Marks screenshot, for `mark` actions. */
  marks?: Mark[];
  /** Closes what the session owns besides the computer (its filtering proxy). */
  extraClose?: () => Promise<void>;
  idleTimer?: NodeJS.Timeout;
  lastUsed: number;
}

export interface OpenOptions {
  owner: Owner;
  environment: 'browser' | 'desktop';
  display: Size;
  startUrl?: string;
  policy: UrlPolicy;
  relevantDomains: string[];
  task?: string;
  model?: string;
}

/**
 * The engine's hosted computers: ids (`cs_…`), one shared Chromium for browser sessions (a fresh context each),
 * an Xvfb desktop per desktop session, idle timeouts, a per-key limit. Sessions outlive a response so a client
 * can continue with `session`; cancel and disconnect close them.
 *
 * @example const entry = await pool.open({ owner, environment: 'browser', display, policy, relevantDomains: [] });
 */
export class ComputerSessionPool {
  private readonly sessions = new Map<string, HostedComputer>();
  private browser: Promise<Browser> | undefined;
  private closing = false;

  constructor(
    private readonly settings: ComputerSettings,
    private readonly dataDir: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Open sessions of an API key. */
  count(owner: Owner): number {
    let n = 0;
    for (const session of this.sessions.values()) if (session.owner === owner) n++;
    return n;
  }

  get(id: string, owner: Owner): HostedComputer | undefined {
    const session = this.sessions.get(id);
    return session && session.owner === owner ? session : undefined;
  }

  async open(options: OpenOptions): Promise<HostedComputer> {
    const id = newId('cs');
    const monitor = new SafetyMonitor({ relevantDomains: options.relevantDomains });
    let computer: Computer;
    let extraClose: (() => Promise<void>) | undefined;
    // playwright-core takes about a second to load: only servers that run a computer pay for it.
    if (options.environment === 'browser') {
      const { BrowserComputer } = await import('../../../computer/browser/browser-computer.js');
      computer = await BrowserComputer.launch({ browser: await this.sharedBrowser(), display: options.display, policy: options.policy, startUrl: options.startUrl });
    } else {
      const { DesktopComputer } = await import('../../../computer/desktop/desktop-computer.js');
      const proxy = options.policy.isOpen ? undefined : await FilterProxy.start(options.policy);
      try {
        computer = await DesktopComputer.start({ display: options.display, startUrl: options.startUrl, proxy: proxy?.url });
      } catch (error) {
        await proxy?.close();
        throw error;
      }
      extraClose = proxy ? () => proxy.close() : undefined;
    }
    const recorder = this.settings.record
      ? await TrajectoryRecorder.create(join(this.dataDir, 'computer', id), {
          environment: options.environment,
          display: options.display,
          startUrl: options.startUrl,
          task: options.task,
          model: options.model,
        }).catch((error: Error) => {
          this.log(`computer: recording of ${id} is off: ${error.message}`);
          return undefined;
        })
      : undefined;
    const session: HostedComputer = { id, owner: options.owner, environment: options.environment, computer, display: options.display, monitor, recorder, extraClose, lastUsed: Date.now() };
    this.sessions.set(id, session);
    return session;
  }

  /** Marks a session as used by a response; false when another response holds it. */
  claim(session: HostedComputer, responseId: string): boolean {
    if (session.busyWith && session.busyWith !== responseId) return false;
    session.busyWith = responseId;
    if (session.idleTimer) clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    return true;
  }

  /** Ends a response's use of a session; it closes after the idle timeout unless used again. */
  release(session: HostedComputer): void {
    session.busyWith = undefined;
    session.lastUsed = Date.now();
    if (!this.sessions.has(session.id)) return;
    if (session.idleTimer) clearTimeout(session.idleTimer);
    session.idleTimer = setTimeout(() => void this.close(session.id, 'idle timeout'), this.settings.idleTimeoutMs);
    session.idleTimer.unref();
  }

  async close(id: string, reason: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    if (session.idleTimer) clearTimeout(session.idleTimer);
    await session.recorder?.end(reason).catch(() => undefined);
    await session.computer.close().catch(() => undefined);
    await session.extraClose?.().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id, 'server stopped')));
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => undefined);
  }

  private sharedBrowser(): Promise<Browser> {
    if (this.closing) return Promise.reject(new Error('Kestrel is stopping.'));
    if (!this.browser) {
      const launching = import('../../../computer/browser/launch.js').then(({ launchChromium }) => launchChromium());
      this.browser = launching;
      launching.then(
        (browser) => browser.on('disconnected', () => {
          if (this.browser === launching) this.browser = undefined;
        }),
        () => {
          if (this.browser === launching) this.browser = undefined;
        },
      );
    }
    return this.browser;
  }
}
