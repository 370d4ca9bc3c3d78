import type { ElementTarget } from './browser/browser-computer.js';
import type { ElementInfo } from './browser/page-scripts.js';
import { CoordinateSpace } from './coordinates.js';
import { ComputerActionError } from './errors.js';
import { mapKeys } from './keys.js';
import { performAction } from './perform.js';
import type { TrajectoryRecorder } from './recording/recorder.js';
import type { RecordedAction, RecordedTarget, SessionAction } from './recording/trajectory.js';
import { SafetyMonitor, type SafetyCheck, type SafetyOptions } from './safety/monitor.js';
import type { Computer, ComputerEvent, ImageFormat, Point, Screenshot, ScreenshotOptions, Size } from './types.js';

/** What a browser can tell about its page beyond pixels; the desktop cannot. */
export interface InspectableComputer {
  elementAt(x: number, y: number, options?: { selector?: boolean }): Promise<ElementTarget | undefined>;
  focusedElement(): Promise<ElementInfo | undefined>;
  visibleText(maxChars?: number): Promise<string>;
  /** A settled screenshot and the visible text of the same moment. */
  screenshotAndText(options: ScreenshotOptions, textChars?: number): Promise<{ screenshot: Screenshot; text?: string }>;
  maskedScreenshot(options?: ScreenshotOptions): Promise<Screenshot | undefined>;
}

/** Whether a computer can inspect its page (elements under points, text, secret fields). */
export function isInspectable(computer: Computer): computer is Computer & InspectableComputer {
  const candidate = computer as Partial<InspectableComputer>;
  return typeof candidate.elementAt === 'function' && typeof candidate.screenshotAndText === 'function';
}

export interface ComputerSessionOptions {
  /** How model coordinates map to the screen (default: the screenshot is the screen, 1:1). */
  coordinates?: { scale?: number; grid?: Size };
  /** Screenshot format for the model (default PNG). */
  screenshot?: { format?: ImageFormat; quality?: number };
  /** Safety checks (default on); `false` turns them off. A monitor can be shared with the caller. */
  safety?: SafetyOptions | SafetyMonitor | false;
  /** Saves every batch, screenshot and URL. */
  recorder?: TrajectoryRecorder;
}

export interface BatchResult {
  /** `completed`: every action ran; `needs_acknowledgement`: stopped before `remaining` until `checks` are acknowledged; `error`: an action was refused or failed (`error` says why, for the model). */
  status: 'completed' | 'needs_acknowledgement' | 'error';
  /** Actions run. */
  executed: number;
  /** Actions not run, as the model sent them. */
  remaining: SessionAction[];
  /** The settled screen after the actions run (absent when nothing ran because checks are pending). */
  screenshot?: Screenshot;
  url?: string;
  events: ComputerEvent[];
  checks: SafetyCheck[];
  error?: string;
  timing: { actionsMs: number; screenshotMs: number; totalMs: number };
}

const POINTER = new Set(['click', 'double_click', 'move', 'scroll']);
/** Page text read for the injected-instruction check, per frame. */
const TEXT_CHARS = 20_000;

function pressesEnter(action: SessionAction): boolean {
  if (action.type === 'type') return action.text.includes('\n');
  if (action.type !== 'keypress') return false;
  try {
    return mapKeys(action.keys).some((key) => key.playwright === 'Enter');
  } catch {
    return false;
  }
}

function recordedTarget(target: ElementTarget | undefined, point: Point): RecordedTarget | null {
  if (!target?.selector) return null;
  const { box } = target;
  const fraction = (value: number, start: number, size: number) => (size > 0 ? Math.min(1, Math.max(0, (value - start) / size)) : 0.5);
  return {
    frames: target.frames,
    selector: target.selector,
    role: target.info.role || undefined,
    name: target.info.name || undefined,
    offset: { x: Number(fraction(point.x, box.x, box.width).toFixed(3)), y: Number(fraction(point.y, box.y, box.height).toFixed(3)) },
  };
}

/**
 * Runs model action batches on a computer: maps coordinates (refusing out-of-range ones), raises safety checks
 * and stops before anything that needs one, runs the actions, returns one settled screenshot, and records it all.
 *
 * @example
 * const session = new ComputerSession(computer, { safety: { relevantDomains: ['example.com'] } });
 * const result = await session.run([{ type: 'click', x: 10, y: 20 }]);
 * if (result.status === 'needs_acknowledgement') … ask the person, then session.run(result.remaining, { acknowledged: ids })
 */
export class ComputerSession {
  readonly space: CoordinateSpace;
  readonly monitor: SafetyMonitor | undefined;
  private readonly format: { format: ImageFormat; quality?: number };

  constructor(
    readonly computer: Computer,
    private readonly options: ComputerSessionOptions = {},
  ) {
    this.space = new CoordinateSpace({ screen: computer.display, ...options.coordinates });
    this.monitor = options.safety === false ? undefined : options.safety instanceof SafetyMonitor ? options.safety : new SafetyMonitor(options.safety ?? {});
    this.format = { format: options.screenshot?.format ?? 'png', quality: options.screenshot?.quality };
  }

  get recorder(): TrajectoryRecorder | undefined {
    return this.options.recorder;
  }

  /** A settled screenshot in the model's image size, without acting (the first observation of a run). */
  async observe(): Promise<{ screenshot: Screenshot; url: string | undefined; events: ComputerEvent[] }> {
    const { screenshot, text } = await this.look();
    const url = this.computer.currentUrl();
    this.monitor?.observe(url, text);
    return { screenshot, url, events: this.computer.drainEvents() };
  }

  /**
   * The checks a batch needs before it may start: pending observations, and sensitive targets of its clicks and
   * Enter presses judged on the current page. Nothing is executed.
   */
  async preflight(actions: SessionAction[]): Promise<SafetyCheck[]> {
    if (!this.monitor) return [];
    const checks = new Map<string, SafetyCheck>();
    for (const check of this.monitor.pending()) checks.set(check.id, check);
    if (isInspectable(this.computer)) {
      const where = this.computer.currentUrl() ?? '';
      for (const action of actions) {
        let check: SafetyCheck | undefined;
        if ((action.type === 'click' && action.button !== 'back' && action.button !== 'forward') || action.type === 'double_click') {
          let point: Point;
          try {
            point = this.space.toScreen(action);
          } catch {
            continue;
          }
          const target = await this.computer.elementAt(point.x, point.y);
          if (target) check = this.monitor.reviewAction(target.info, 'click', where, false);
        } else if (pressesEnter(action)) {
          const focused = await this.computer.focusedElement();
          if (focused) check = this.monitor.reviewAction(focused, 'enter', where, false);
        }
        if (check) checks.set(check.id, check);
      }
    }
    return [...checks.values()];
  }

  /**
   * Runs a batch. `acknowledged` lists safety-check ids the person approved.
   *
   * @example const result = await session.run(call.actions, { acknowledged: ['sc_…'] });
   */
  async run(actions: SessionAction[], options: { acknowledged?: Iterable<string> } = {}): Promise<BatchResult> {
    const started = Date.now();
    const monitor = this.monitor;
    if (monitor && options.acknowledged) monitor.acknowledge(options.acknowledged);
    const pending = monitor?.pending() ?? [];
    if (pending.length > 0) {
      return { status: 'needs_acknowledgement', executed: 0, remaining: actions, events: [], checks: pending, timing: { actionsMs: 0, screenshotMs: 0, totalMs: Date.now() - started } };
    }
    const inspect = isInspectable(this.computer) ? this.computer : undefined;
    const recording = this.options.recorder !== undefined;
    const recorded: RecordedAction[] = [];
    let status: BatchResult['status'] = 'completed';
    let error: string | undefined;
    const checks: SafetyCheck[] = [];
    let executed = 0;
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i];
      try {
        const screenAction = this.toScreen(action, actions.length > 1 ? `actions[${i}]` : 'the action');
        const entry: RecordedAction = { ...screenAction };
        const where = this.computer.currentUrl() ?? '';
        if (inspect && (POINTER.has(screenAction.type) || screenAction.type === 'drag') && (recording || monitor)) {
          const needsClickReview = monitor && ((screenAction.type === 'click' && screenAction.button !== 'back' && screenAction.button !== 'forward') || screenAction.type === 'double_click');
          if (screenAction.type === 'drag') {
            if (recording) {
              const first = screenAction.path[0];
              const last = screenAction.path[screenAction.path.length - 1];
              const [a, b] = [await inspect.elementAt(first.x, first.y, { selector: true }), await inspect.elementAt(last.x, last.y, { selector: true })];
              entry.targets = [recordedTarget(a, first), recordedTarget(b, last)];
            }
          } else if (recording || needsClickReview) {
            const point = screenAction as Point;
            const target = await inspect.elementAt(point.x, point.y, { selector: recording });
            if (recording) {
              const recordedOne = recordedTarget(target, point);
              if (recordedOne) entry.target = recordedOne;
            }
            const check = needsClickReview && target ? monitor.reviewAction(target.info, 'click', where) : undefined;
            if (check) {
              checks.push(check);
              status = 'needs_acknowledgement';
              break;
            }
          }
        }
        if (inspect && (pressesEnter(screenAction) || (recording && screenAction.type === 'type'))) {
          const focused = await inspect.focusedElement();
          if (focused && monitor && pressesEnter(screenAction)) {
            const check = monitor.reviewAction(focused, 'enter', where);
            if (check) {
              checks.push(check);
              status = 'needs_acknowledgement';
              break;
            }
          }
          if (recording && screenAction.type === 'type' && focused?.secret) {
            (entry as { text: string }).text = '';
            entry.redacted = true;
          }
        }
        await performAction(this.computer, screenAction);
        recorded.push(entry);
        executed++;
      } catch (caught) {
        status = 'error';
        error = caught instanceof ComputerActionError ? caught.message : `The action failed: ${(caught as Error).message.split('\n')[0]}`;
        break;
      }
    }
    const actionsDone = Date.now();
    const nothingRan = executed === 0 && status === 'needs_acknowledgement';
    const seen = nothingRan ? undefined : await this.look();
    const screenshot = seen?.screenshot;
    const shotDone = Date.now();
    const url = this.computer.currentUrl();
    const events = this.computer.drainEvents();
    if (seen) this.monitor?.observe(url, seen.text);
    if (this.options.recorder) {
      const logged = screenshot && inspect ? ((await inspect.maskedScreenshot({ ...this.format, scale: this.space.scale })) ?? screenshot) : screenshot;
      await this.options.recorder.batch(
        {
          actions: recorded,
          url,
          events: events.length ? events : undefined,
          checks: checks.length ? checks : undefined,
          stoppedBeforeAction: status === 'completed' ? undefined : executed,
          error,
        },
        logged,
      );
    }
    return {
      status,
      executed,
      remaining: status === 'completed' ? [] : actions.slice(executed),
      screenshot,
      url,
      events,
      checks,
      error,
      timing: { actionsMs: actionsDone - started, screenshotMs: shotDone - actionsDone, totalMs: Date.now() - started },
    };
  }

  /** The settled screenshot, with the page text when the injection check needs it. */
  private async look(): Promise<{ screenshot: Screenshot; text?: string }> {
    const options = { ...this.format, scale: this.space.scale };
    if (this.monitor && isInspectable(this.computer)) return this.computer.screenshotAndText(options, TEXT_CHARS);
    return { screenshot: await this.computer.screenshot(options) };
  }

  /** Maps an action's model coordinates to the screen (refusing out-of-range ones) and checks its keys. */
  private toScreen(action: SessionAction, label: string): SessionAction {
    const space = this.space;
    switch (action.type) {
      case 'click':
      case 'double_click':
      case 'move':
      case 'scroll':
        return { ...action, ...space.toScreen(action, label) };
      case 'drag':
        return { ...action, path: action.path.map((point, index) => space.toScreen(point, `${label} path[${index}]`)) };
      case 'keypress':
        mapKeys(action.keys);
        return action;
      default:
        return action;
    }
  }
}
