import { actionsOfCall, describeAction } from './actions.js';
import { ComputerActionError } from './errors.js';
import { hasBrowserControls } from './perform.js';
import type { SessionAction } from './recording/trajectory.js';
import type { SafetyCheck } from './safety/monitor.js';
import type { BatchResult, ComputerSession } from './session.js';
import type { ComputerAction, ComputerEvent, Screenshot } from './types.js';

/** A check as the endpoint or Kestrel's runtime raised it (`code`/`message` may be absent on the wire). */
export interface PendingCheck {
  id: string;
  code?: string | null;
  message?: string | null;
  /** Who raised it: the Responses endpoint (echoed back) or this machine's runtime. */
  source: 'endpoint' | 'runtime';
}

export type LoopProgress =
  | { kind: 'request'; step: number }
  | { kind: 'actions'; step: number; actions: string[] }
  | { kind: 'result'; step: number; status: BatchResult['status']; url?: string; ms: number; error?: string; events: ComputerEvent[] }
  | { kind: 'function'; step: number; name: string; output: string }
  | { kind: 'checks'; step: number; checks: PendingCheck[]; approved: boolean }
  | { kind: 'message'; text: string };

export interface ResponsesLoopOptions {
  /** Base URL of a Responses endpoint, e.g. `http://127.0.0.1:8080/v1` (Kestrel) or `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  task: string;
  session: ComputerSession;
  /** Ask the person about safety checks; anything but `true` (or a throw) denies. */
  approve: (checks: PendingCheck[]) => Promise<boolean>;
  onProgress?: (progress: LoopProgress) => void;
  /** Offer `goto`/`back`/`forward` functions for a browser (default true). */
  browserFunctions?: boolean;
  /** Stop after this many model turns (default 50). */
  maxSteps?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Extra request fields (e.g. `reasoning`). */
  extraBody?: Record<string, unknown>;
}

export interface ResponsesLoopResult {
  status: 'completed' | 'denied' | 'max_steps' | 'incomplete';
  /** The model's last message. */
  text: string;
  steps: number;
  responseIds: string[];
}

interface OutputItem {
  type: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  actions?: unknown;
  action?: unknown;
  pending_safety_checks?: { id: string; code?: string | null; message?: string | null }[];
  content?: { type: string; text?: string }[];
}

interface ResponseBody {
  id: string;
  status?: string;
  output?: OutputItem[];
  error?: { message?: string } | null;
  incomplete_details?: { reason?: string } | null;
}

const FUNCTIONS = [
  {
    type: 'function',
    name: 'goto',
    description: 'Open a URL in the browser (the address bar is not always visible in screenshots).',
    parameters: { type: 'object', properties: { url: { type: 'string', description: 'Absolute URL' } }, required: ['url'], additionalProperties: false },
    strict: true,
  },
  { type: 'function', name: 'back', description: 'Go back to the previous page.', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true },
  { type: 'function', name: 'forward', description: 'Go forward to the next page.', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true },
];

/** A data URL for a screenshot. */
export function screenshotUrl(screenshot: Screenshot): string {
  return `data:${screenshot.mimeType};base64,${screenshot.data.toString('base64')}`;
}

function computerTool(model: string, session: ComputerSession): Record<string, unknown> {
  // The preview model only knows the preview tool, which needs the display and environment.
  if (model.startsWith('computer-use-preview')) {
    const { width, height } = session.space.image;
    return { type: 'computer_use_preview', display_width: width, display_height: height, environment: session.computer.environment === 'browser' ? 'browser' : 'linux' };
  }
  return { type: 'computer' };
}

function noteText(events: ComputerEvent[], error: string | undefined): string | undefined {
  const lines = [...events.map((event) => event.message), ...(error ? [`The last action failed: ${error}`] : [])];
  return lines.length ? `Note from the computer: ${lines.join(' ')}` : undefined;
}

/**
 * The client side of computer use against any Responses endpoint: sends the task with a first screenshot and the
 * `computer` tool, runs each `computer_call`'s actions locally, answers with `computer_call_output` screenshots,
 * asks the person about safety checks (the endpoint's and this runtime's own), until the model stops calling.
 * Uses `fetch` only.
 *
 * @example
 * const result = await runResponsesLoop({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'gpt-5.4', task: 'Find the price',
 *   session, approve: async () => false });
 */
export async function runResponsesLoop(options: ResponsesLoopOptions): Promise<ResponsesLoopResult> {
  const { session } = options;
  const doFetch = options.fetch ?? fetch;
  const maxSteps = options.maxSteps ?? 50;
  const progress = options.onProgress ?? (() => undefined);
  const tools: Record<string, unknown>[] = [computerTool(options.model, session)];
  if ((options.browserFunctions ?? true) && hasBrowserControls(session.computer)) tools.push(...FUNCTIONS);
  const responseIds: string[] = [];
  const first = await session.observe();
  let input: unknown[] = [
    {
      role: 'user',
      content: [
        { type: 'input_text', text: options.task },
        { type: 'input_image', image_url: screenshotUrl(first.screenshot), detail: 'original' },
      ],
    },
  ];
  let previous: string | undefined;
  let text = '';

  for (let step = 1; step <= maxSteps; step++) {
    progress({ kind: 'request', step });
    const body = { ...options.extraBody, model: options.model, tools, input, truncation: 'auto', parallel_tool_calls: false, ...(previous ? { previous_response_id: previous } : {}) };
    const response = await post(doFetch, options, body);
    responseIds.push(response.id);
    previous = response.id;
    const output = response.output ?? [];
    for (const item of output) {
      if (item.type !== 'message') continue;
      const said = (item.content ?? []).map((part) => part.text ?? '').join('');
      if (said) {
        text = said;
        progress({ kind: 'message', text: said });
      }
    }
    if (response.status && response.status !== 'completed') {
      return { status: 'incomplete', text: text || response.error?.message || response.incomplete_details?.reason || response.status, steps: step, responseIds };
    }
    const calls = output.filter((item) => item.type === 'computer_call' || item.type === 'function_call');
    if (calls.length === 0) return { status: 'completed', text, steps: step, responseIds };

    const next: unknown[] = [];
    for (const call of calls) {
      if (call.type === 'function_call') {
        const outcome = await runFunction(session, call, step, options);
        if (outcome === 'denied') return { status: 'denied', text, steps: step, responseIds };
        next.push({ type: 'function_call_output', call_id: call.call_id, output: outcome });
        continue;
      }
      let actions: ComputerAction[];
      let parseError: string | undefined;
      try {
        actions = actionsOfCall(call);
      } catch (error) {
        actions = [];
        parseError = error instanceof ComputerActionError ? error.message : String(error);
      }
      progress({ kind: 'actions', step, actions: actions.map(describeAction) });
      const endpointChecks: PendingCheck[] = (call.pending_safety_checks ?? []).map((check) => ({ ...check, source: 'endpoint' }));
      const runtimeChecks = (await session.preflight(actions)).map((check): PendingCheck => ({ ...check, source: 'runtime' }));
      const upfront = [...endpointChecks, ...runtimeChecks];
      if (upfront.length > 0) {
        const approved = await options.approve(upfront).catch(() => false);
        progress({ kind: 'checks', step, checks: upfront, approved });
        if (!approved) return { status: 'denied', text, steps: step, responseIds };
      }
      const started = Date.now();
      let result = await session.run(actions, { acknowledged: runtimeChecks.map((check) => check.id) });
      // A batch can stop mid-way before an action that needs a check nobody saw upfront.
      while (result.status === 'needs_acknowledgement') {
        const more = result.checks.map((check): PendingCheck => ({ ...check, source: 'runtime' }));
        const approved = await options.approve(more).catch(() => false);
        progress({ kind: 'checks', step, checks: more, approved });
        if (!approved) return { status: 'denied', text, steps: step, responseIds };
        const rest = await session.run(result.remaining, { acknowledged: more.map((check) => check.id) });
        result = { ...rest, events: [...result.events, ...rest.events], screenshot: rest.screenshot ?? result.screenshot };
      }
      const error = parseError ?? result.error;
      progress({ kind: 'result', step, status: parseError ? 'error' : result.status, url: result.url, ms: Date.now() - started, error, events: result.events });
      const screenshot = result.screenshot ?? (await session.observe()).screenshot;
      next.push({
        type: 'computer_call_output',
        call_id: call.call_id,
        output: { type: 'computer_screenshot', image_url: screenshotUrl(screenshot) },
        ...(endpointChecks.length ? { acknowledged_safety_checks: endpointChecks.map(({ id, code, message }) => ({ id, code, message })) } : {}),
      });
      const note = noteText(result.events, error);
      if (note) next.push({ role: 'user', content: [{ type: 'input_text', text: note }] });
    }
    input = next;
  }
  return { status: 'max_steps', text, steps: maxSteps, responseIds };
}

async function runFunction(session: ComputerSession, call: OutputItem, step: number, options: ResponsesLoopOptions): Promise<string | 'denied'> {
  let action: SessionAction | undefined;
  try {
    const args = call.arguments ? (JSON.parse(call.arguments) as { url?: unknown }) : {};
    if (call.name === 'goto' && typeof args.url === 'string') action = { type: 'goto', url: args.url };
    else if (call.name === 'back' || call.name === 'forward') action = { type: call.name };
  } catch {
    action = undefined;
  }
  let output: string;
  if (!action) output = `Unknown function ${call.name ?? ''} or bad arguments; available: goto(url), back(), forward().`;
  else {
    const checks = (await session.preflight([action])).map((check): PendingCheck => ({ ...check, source: 'runtime' }));
    if (checks.length > 0) {
      const approved = await options.approve(checks).catch(() => false);
      options.onProgress?.({ kind: 'checks', step, checks, approved });
      if (!approved) return 'denied';
    }
    const result = await session.run([action], { acknowledged: checks.map((check) => check.id) });
    const note = noteText(result.events, result.error);
    output = result.status === 'completed' ? `Now at ${result.url ?? 'the page'}.${note ? ` ${note}` : ''} Take a screenshot to see it.` : (result.error ?? 'Not done.');
  }
  options.onProgress?.({ kind: 'function', step, name: call.name ?? '?', output });
  return output;
}

async function post(doFetch: typeof fetch, options: ResponsesLoopOptions, body: Record<string, unknown>): Promise<ResponseBody> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/responses`;
  const response = await doFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
    body: JSON.stringify(body),
    signal: options.signal,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const message = (parsed as { error?: { message?: string } }).error?.message ?? text.slice(0, 300);
    throw new Error(`${url} answered ${response.status}: ${message}`);
  }
  return parsed as ResponseBody;
}
