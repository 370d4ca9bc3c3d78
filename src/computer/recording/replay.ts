import type { FrameLocator, Page } from 'playwright-core';
import { performAction } from '../perform.js';
import type { Computer, Point } from '../types.js';
import { readTrajectory } from './recorder.js';
import type { BatchRecord, RecordedAction, RecordedTarget } from './trajectory.js';

export interface ReplayStep {
  batch: number;
  action: number;
  description: string;
  /** How the point was found: the recorded element (`selector`) or the recorded coordinates. */
  via: 'selector' | 'coordinates' | 'none';
  skipped?: string;
}

export interface ReplayReport {
  batches: number;
  actions: number;
  bySelector: number;
  byCoordinates: number;
  /** Actions that could not be replayed (e.g. redacted text). */
  skipped: number;
  /** Batches whose URL afterwards differs from the recorded one. */
  urlMismatches: { batch: number; expected: string; actual: string }[];
  steps: ReplayStep[];
}

export interface ReplayOptions {
  /** Prefer recorded element selectors over coordinates (default true). */
  preferSelectors?: boolean;
  /** Called after each action. */
  onStep?: (step: ReplayStep) => void;
  /** How long to wait for a recorded element to appear (default 5 000 ms). */
  selectorTimeoutMs?: number;
}

function hasPage(computer: Computer): computer is Computer & { page: Page } {
  return computer.environment === 'browser' && typeof (computer as { page?: unknown }).page === 'object';
}

async function locate(page: Page, target: RecordedTarget, timeoutMs: number): Promise<Point | undefined> {
  let scope: Page | FrameLocator = page;
  for (const frame of target.frames) scope = scope.frameLocator(frame);
  const locator = scope.locator(target.selector);
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
    if ((await locator.count()) !== 1) return undefined;
    await locator.scrollIntoViewIfNeeded({ timeout: timeoutMs });
    const box = await locator.boundingBox({ timeout: timeoutMs });
    if (!box) return undefined;
    return { x: Math.round(box.x + box.width * target.offset.x), y: Math.round(box.y + box.height * target.offset.y) };
  } catch {
    return undefined;
  }
}

/**
 * Re-runs a recorded trajectory with no model: each batch's actions in order, then a settled screenshot. Pointer
 * actions go to their recorded elements when a selector still finds exactly one (so a replay survives layout
 * changes), else to the recorded coordinates. Text typed into secret fields was never recorded and is skipped.
 *
 * @example
 * const report = await replayTrajectory('runs/1', await BrowserComputer.launch({ startUrl }));
 * console.log(`${report.bySelector} actions found their element again`);
 */
export async function replayTrajectory(dir: string, computer: Computer, options: ReplayOptions = {}): Promise<ReplayReport> {
  const records = await readTrajectory(dir);
  const session = records.find((record) => record.type === 'session');
  const batches = records.filter((record): record is BatchRecord => record.type === 'batch');
  const report: ReplayReport = { batches: 0, actions: 0, bySelector: 0, byCoordinates: 0, skipped: 0, urlMismatches: [], steps: [] };
  const preferSelectors = options.preferSelectors ?? true;
  const timeoutMs = options.selectorTimeoutMs ?? 5_000;
  if (session?.type === 'session' && session.startUrl && hasPage(computer) && computer.currentUrl() === 'about:blank') {
    await performAction(computer, { type: 'goto', url: session.startUrl });
  }
  for (const batch of batches) {
    report.batches++;
    for (let index = 0; index < batch.actions.length; index++) {
      const recorded = batch.actions[index];
      const step: ReplayStep = { batch: batch.index, action: index, description: recorded.type, via: 'none' };
      if (recorded.redacted) {
        step.skipped = 'text typed into a secret field was not recorded';
        report.skipped++;
      } else {
        const action = preferSelectors && hasPage(computer) ? await retarget(computer.page, recorded, timeoutMs, step) : strip(recorded);
        if (step.via === 'none' && 'x' in action) step.via = 'coordinates';
        if (action.type === 'drag' && step.via === 'none') step.via = 'coordinates';
        await performAction(computer, action);
        report.actions++;
        if (step.via === 'selector') report.bySelector++;
        else if (step.via === 'coordinates') report.byCoordinates++;
      }
      options.onStep?.(step);
      report.steps.push(step);
    }
    await computer.screenshot();
    computer.drainEvents();
    const actual = computer.currentUrl();
    if (batch.url && actual !== undefined && actual !== batch.url) report.urlMismatches.push({ batch: batch.index, expected: batch.url, actual });
  }
  return report;
}

/** The plain action, without recording fields. */
function strip(recorded: RecordedAction): RecordedAction {
  const { target: _target, targets: _targets, redacted: _redacted, ...action } = recorded;
  return action as RecordedAction;
}

async function retarget(page: Page, recorded: RecordedAction, timeoutMs: number, step: ReplayStep): Promise<RecordedAction> {
  const action = strip(recorded);
  if ('x' in action && recorded.target) {
    const point = await locate(page, recorded.target, timeoutMs);
    if (point) {
      step.via = 'selector';
      return { ...action, x: point.x, y: point.y } as RecordedAction;
    }
    step.via = 'coordinates';
    return action;
  }
  if (action.type === 'drag' && recorded.targets) {
    const path = [...action.path];
    const [first, last] = recorded.targets;
    const start = first ? await locate(page, first, timeoutMs) : undefined;
    const end = last ? await locate(page, last, timeoutMs) : undefined;
    if (start) path[0] = start;
    if (end) path[path.length - 1] = end;
    step.via = start || end ? 'selector' : 'coordinates';
    return { ...action, path };
  }
  return action;
}
