import type { ComputerAction, ComputerEvent, Size } from '../types.js';
import type { SafetyCheck } from '../safety/monitor.js';

/** Browser navigation done outside pixel actions (function tools for models without vision, or the caller). */
export type NavigationAction = { type: 'goto'; url: string } | { type: 'back' } | { type: 'forward' };

/** Anything a session runs: a computer action or a navigation. */
export type SessionAction = ComputerAction | NavigationAction;

/** Where a recorded pointer action landed, so a replay can find the element again after a layout change. */
export interface RecordedTarget {
  /** Selectors of the enclosing iframes, outermost first. */
  frames: string[];
  /** A Playwright selector that matched exactly this element when recorded. */
  selector: string;
  role?: string;
  name?: string;
  /** Where inside the element's box the point was, as fractions of its width and height. */
  offset: { x: number; y: number };
}

/** One action as recorded: screen coordinates (after scaling), plus element targets where one resolved. */
export type RecordedAction = SessionAction & {
  /** Target of click, double_click, move, scroll. */
  target?: RecordedTarget;
  /** Targets of a drag's first and last points. */
  targets?: (RecordedTarget | null)[];
  /** `type` text was not recorded (typed into a password or payment field). */
  redacted?: boolean;
};

export interface SessionRecord {
  type: 'session';
  version: 1;
  environment: 'browser' | 'desktop';
  display: Size;
  startUrl?: string;
  task?: string;
  model?: string;
  createdAt: string;
}

export interface BatchRecord {
  type: 'batch';
  index: number;
  at: string;
  actions: RecordedAction[];
  /** Top-level URL after the batch (browser). */
  url?: string;
  /** Screenshot file, relative to the trajectory folder. */
  screenshot?: string;
  events?: ComputerEvent[];
  /** Checks raised by this batch (it stopped before the rest of its actions). */
  checks?: SafetyCheck[];
  /** Actions not run because a check was pending. */
  stoppedBeforeAction?: number;
  error?: string;
}

export interface EndRecord {
  type: 'end';
  at: string;
  reason?: string;
}

export type TrajectoryRecord = SessionRecord | BatchRecord | EndRecord;

/** The JSONL file inside a trajectory folder. */
export const TRAJECTORY_FILE = 'trajectory.jsonl';
