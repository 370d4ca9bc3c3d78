import type { ModelContentPart, ModelMessage, ModelTool, ModelToolCall, NativeToolHint } from '../../../backends/types.js';
import { parseAction } from '../../../computer/actions.js';
import type { BrowserComputer } from '../../../computer/browser/browser-computer.js';
import { ComputerActionError } from '../../../computer/errors.js';
import type { SessionAction } from '../../../computer/recording/trajectory.js';
import { screenshotUrl } from '../../../computer/responses-loop.js';
import type { SafetyCheck } from '../../../computer/safety/monitor.js';
import { ComputerSession, type BatchResult } from '../../../computer/session.js';
import type { Point, Size } from '../../../computer/types.js';
import type { InputItem, StoredItem } from '../../../protocol/index.js';
import type { HostedToolSession, ReplayTarget, StepContext, StepHook, StepOutcome } from '../types.js';
import { computerFunction, type Grounding } from './action-function.js';
import { readCallArguments } from './call-arguments.js';
import { replayComputerItem, type ComputerHistory } from './history.js';
import { computerCallItem, computerOutputItem } from './items.js';
import { mapPoints } from './model-actions.js';
import { SCREEN_MARKER } from './prune.js';
import type { ComputerSessionPool, HostedComputer, OpenOptions } from './session-pool.js';

export interface HostedRunOptions {
  pool: ComputerSessionPool;
  toolName: string;
  grounding: Grounding;
  /** Screenshot scale and grid of the model (see `models.<name>.computer`). */
  scale: number;
  grid?: Size;
  native?: NativeToolHint;
  history: ComputerHistory;
  vision: boolean;
  approvalTimeoutMs: number;
  /** A session to continue (checked at prepare), or how to open a new one. */
  existing?: HostedComputer;
  open: OpenOptions;
  pruning: StepHook;
}

const SNAPSHOT_CHARS = 40_000;

/** Whether a computer is a browser tab (checked by shape: the browser module loads only when a session opens). */
function isBrowser(computer: unknown): computer is BrowserComputer {
  return typeof (computer as Partial<BrowserComputer>).ariaSnapshot === 'function' && typeof (computer as Partial<BrowserComputer>).setOfMarks === 'function';
}

/**
 * A response whose computer Kestrel runs (the hosted extension): it opens or continues a session, shows the model
 * the screen, runs each computer call's actions there and answers with the new screen, streaming a `computer_call`
 * and a `computer_call_output` item per batch, until the model answers. A batch that needs a safety check ends the
 * response with its `computer_call` (`pending_safety_checks`); the client acknowledges it with a
 * `computer_call_output` (no screenshot needed) and the next response runs it, unless the approval came too late.
 */
export class HostedComputerRun implements HostedToolSession {
  readonly stepHooks: readonly StepHook[];
  private entry: HostedComputer | undefined;
  private session: ComputerSession | undefined;
  private aborted = false;

  constructor(private readonly options: HostedRunOptions) {
    this.stepHooks = [options.pruning];
  }

  private get environment(): 'browser' | 'desktop' {
    return this.options.existing?.environment ?? this.options.open.environment;
  }

  private get display(): Size {
    return this.options.existing?.display ?? this.options.open.display;
  }

  modelTools(): ModelTool[] {
    const { scale, grid, grounding } = this.options;
    const image = { width: Math.round(this.display.width * scale), height: Math.round(this.display.height * scale) };
    return [
      computerFunction({
        name: this.options.toolName,
        space: grid ? { kind: 'grid', size: grid } : { kind: 'pixels', size: image },
        grounding,
        navigation: this.environment === 'browser',
        native: this.options.native,
      }),
    ];
  }

  owns(name: string): boolean {
    return name === this.options.toolName;
  }

  replay(item: InputItem | StoredItem, _param: string | null, target: ReplayTarget): void {
    replayComputerItem(item, target, {
      toolName: this.options.toolName,
      history: this.options.history,
      vision: this.options.vision && this.options.grounding !== 'refs',
      // Hosted items carry screenshot-pixel coordinates; a grid model gets them back on its grid.
      toModel: (actions) => (this.options.grid ? actions.map((action) => mapPoints(action, (point) => this.imageToModel(point), '')) : actions),
      resumingCallId: this.options.history.acknowledgement?.callId,
    });
  }

  async begin(ctx: StepContext): Promise<StepOutcome> {
    try {
      return await this.start(ctx);
    } catch (error) {
      if (ctx.signal.aborted) return { messages: [] };
      throw error;
    }
  }

  async run(call: ModelToolCall, ctx: StepContext): Promise<StepOutcome> {
    try {
      return await this.step(call, ctx);
    } catch (error) {
      // Cancel and disconnect close the computer under a running action: that is expected, not a failure.
      if (ctx.signal.aborted || this.aborted) return { messages: [] };
      throw error;
    }
  }

  async close(): Promise<void> {
    const entry = this.entry;
    if (!entry) return;
    if (this.aborted) await this.options.pool.close(entry.id, 'response cancelled or client gone');
    else this.options.pool.release(entry);
  }

  private async start(ctx: StepContext): Promise<StepOutcome> {
    const pool = this.options.pool;
    const entry = this.options.existing ?? (await pool.open(this.options.open));
    this.entry = entry;
    if (!pool.claim(entry, ctx.responseId)) throw new ComputerActionError(`Computer session ${entry.id} is in use by another response.`);
    if (ctx.signal.aborted) this.aborted = true;
    ctx.signal.addEventListener('abort', () => (this.aborted = true), { once: true });
    this.session = new ComputerSession(entry.computer, {
      coordinates: { scale: this.options.scale, grid: this.options.grid },
      safety: entry.monitor,
      recorder: entry.recorder,
    });
    const messages: ModelMessage[] = [];
    const ack = this.options.history.acknowledgement;
    if (ack) {
      const paused = entry.paused?.callId === ack.callId ? entry.paused : undefined;
      entry.paused = undefined;
      if (!paused) {
        messages.push(this.toolText(ack.callId, 'Not run: Kestrel no longer holds these actions (the session restarted or they were already run).'));
      } else if (Date.now() - paused.at > this.options.approvalTimeoutMs) {
        messages.push(this.toolText(ack.callId, 'Not run: the approval came after the time allowed, so it counts as denied. Ask again if still needed.'));
      } else {
        messages.push(...(await this.execute(ack.callId, paused.actions, paused.checks.map((check) => check.id), ctx, true)));
      }
    }
    messages.push(await this.firstLook());
    return { messages };
  }

  private async step(call: ModelToolCall, ctx: StepContext): Promise<StepOutcome> {
    const entry = this.entry;
    const session = this.session;
    if (!entry || !session) throw new Error('The computer session did not start.');
    let actions: SessionAction[];
    try {
      actions = await this.sessionActions(readCallArguments(call.arguments).actions);
    } catch (error) {
      if (!(error instanceof ComputerActionError)) throw error;
      return { messages: [this.toolText(call.callId, `Error: ${error.message} Nothing was done.`)] };
    }
    const checks = await session.preflight(actions);
    if (checks.length > 0) {
      ctx.items.add(computerCallItem({ callId: call.callId, actions: this.wireActions(actions), checks, sessionId: entry.id }));
      entry.paused = { callId: call.callId, actions, checks, at: Date.now() };
      return { messages: [], stop: true };
    }
    return { messages: await this.execute(call.callId, actions, [], ctx, false) };
  }

  /** Runs a batch, streams its items, and returns the model's result message. */
  private async execute(callId: string, actions: SessionAction[], acknowledged: string[], ctx: StepContext, announced: boolean): Promise<ModelMessage[]> {
    const entry = this.entry!;
    const session = this.session!;
    const handle = announced ? undefined : ctx.items.open(computerCallItem({ callId, actions: this.wireActions(actions), checks: [], status: 'in_progress', sessionId: entry.id }));
    const result = await session.run(actions, { acknowledged });
    if (handle) {
      handle.item.status = 'completed';
      handle.done();
    }
    const notes = this.notes(result, actions);
    const view = await this.view(result.screenshot ? screenshotUrl(result.screenshot) : undefined, result.url);
    ctx.items.add({
      ...computerOutputItem({ callId, imageUrl: view.imageUrl, currentUrl: result.url, sessionId: entry.id, notes: [...notes, ...view.notes] }),
      ...(view.snapshot ? { snapshot: view.snapshot } : {}),
    });
    return [{ role: 'tool', callId, kind: 'function', content: [...this.textPart([...notes, ...view.notes]), ...view.parts] }];
  }

  /** The screen at the start of a response, as a user message. */
  private async firstLook(): Promise<ModelMessage> {
    const entry = this.entry!;
    const seen = await this.session!.observe();
    const where = seen.url && seen.url !== 'about:blank' ? ` at ${seen.url}` : '';
    const intro = `${SCREEN_MARKER} The ${entry.environment} (session ${entry.id}) is ready${where}.`;
    const view = await this.view(screenshotUrl(seen.screenshot), seen.url);
    const notes = [intro, ...seen.events.map((event) => event.message), ...view.notes];
    return { role: 'user', content: [{ type: 'text', text: notes.join('\n') }, ...view.parts] };
  }

  /** What the model sees of the screen in its grounding mode. */
  private async view(imageUrl: string | undefined, url: string | undefined): Promise<{ parts: ModelContentPart[]; imageUrl: string; notes: string[]; snapshot?: string }> {
    const entry = this.entry!;
    const computer = entry.computer;
    let image = imageUrl ?? screenshotUrl(await computer.screenshot());
    if (this.options.grounding === 'refs' && isBrowser(computer)) {
      const snapshot = `URL: ${url ?? computer.currentUrl()}\n${await computer.ariaSnapshot({ maxChars: SNAPSHOT_CHARS })}`;
      return { parts: [{ type: 'text', text: snapshot }], imageUrl: image, notes: [], snapshot };
    }
    if (this.options.grounding === 'marks' && isBrowser(computer)) {
      const { screenshot, marks } = await computer.setOfMarks({ scale: this.options.scale });
      entry.marks = marks;
      image = screenshotUrl(screenshot);
      const list = marks.map((mark) => `${mark.id}: ${mark.role}${mark.name ? ` "${mark.name}"` : ''}`).join('\n');
      return { parts: [{ type: 'image', url: image, detail: 'original' }], imageUrl: image, notes: marks.length ? [`Marked elements:\n${list}`] : [] };
    }
    return { parts: [{ type: 'image', url: image, detail: 'original' }], imageUrl: image, notes: [] };
  }

  private notes(result: BatchResult, actions: SessionAction[]): string[] {
    const notes: string[] = [];
    if (result.url) notes.push(`URL: ${result.url}`);
    for (const event of result.events) notes.push(event.message);
    if (result.error) notes.push(`Error: ${result.error} The actions after it were not run.`);
    if (result.status === 'needs_acknowledgement') {
      const index = actions.length - result.remaining.length;
      notes.push(`Stopped before action ${index + 1}: ${result.checks.map((check: SafetyCheck) => check.message).join(' ')} It needs the user's approval: ask for it, or do something else.`);
    }
    return notes;
  }

  private textPart(lines: string[]): ModelContentPart[] {
    return lines.length ? [{ type: 'text', text: lines.join('\n') }] : [];
  }

  private toolText(callId: string, text: string): ModelMessage {
    return { role: 'tool', callId, kind: 'function', content: [{ type: 'text', text }] };
  }

  /** Model actions → session actions: refs and marks become points in the model's space, goto/back/forward pass. */
  private async sessionActions(raw: Record<string, unknown>[]): Promise<SessionAction[]> {
    const session = this.session!;
    const computer = this.entry!.computer;
    const out: SessionAction[] = [];
    for (let index = 0; index < raw.length; index++) {
      const where = raw.length > 1 ? `actions[${index}]` : 'the action';
      let entry = raw[index];
      if (entry.type === 'goto' || entry.type === 'back' || entry.type === 'forward') {
        if (this.environment !== 'browser') throw new ComputerActionError(`${where}: ${entry.type} needs a browser.`);
        if (entry.type === 'goto') {
          if (typeof entry.url !== 'string' || !entry.url) throw new ComputerActionError(`${where}.url must be an absolute URL.`);
          out.push({ type: 'goto', url: entry.url });
        } else out.push({ type: entry.type });
        continue;
      }
      let screenPoint: Point | undefined;
      if (typeof entry.ref === 'string') {
        if (!(isBrowser(computer))) throw new ComputerActionError(`${where}: refs need a browser.`);
        screenPoint = await computer.refPoint(entry.ref);
      } else if (entry.mark !== undefined) {
        const mark = this.entry!.marks?.find((candidate) => candidate.id === Number(entry.mark));
        if (!mark) throw new ComputerActionError(`${where}: there is no mark ${String(entry.mark)} on the latest screenshot.`);
        screenPoint = mark.center;
      }
      if (screenPoint) entry = { ...entry, ...session.space.toModel(screenPoint) };
      out.push(parseAction(entry, where));
    }
    return out;
  }

  /** Actions as the client sees them in `computer_call` items: pixels of the screenshots it is shown. */
  private wireActions(actions: SessionAction[]): Record<string, unknown>[] {
    const space = this.session!.space;
    return actions.map((action) => {
      const plain = Object.fromEntries(Object.entries(action).filter(([, value]) => value !== undefined));
      if (!space.grid) return plain;
      return mapPoints(plain, (point) => {
        const screen = space.toScreen(point);
        return { x: Math.round(screen.x * space.scale), y: Math.round(screen.y * space.scale) };
      }, '');
    });
  }

  /** Screenshot pixels → the model's grid. */
  private imageToModel(point: Point): Point {
    const grid = this.options.grid!;
    const image = { width: this.display.width * this.options.scale, height: this.display.height * this.options.scale };
    return { x: Math.round((point.x / image.width) * grid.width), y: Math.round((point.y / image.height) * grid.height) };
  }
}
