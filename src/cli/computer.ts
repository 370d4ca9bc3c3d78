import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BrowserComputer } from '../computer/browser/browser-computer.js';
import { DesktopComputer } from '../computer/desktop/desktop-computer.js';
import { TrajectoryRecorder } from '../computer/recording/recorder.js';
import { replayTrajectory } from '../computer/recording/replay.js';
import { runResponsesLoop, type LoopProgress, type PendingCheck } from '../computer/responses-loop.js';
import { awaitApproval } from '../computer/safety/monitor.js';
import { UrlPolicy } from '../computer/safety/url-policy.js';
import { ComputerSession } from '../computer/session.js';
import type { Computer, Size } from '../computer/types.js';
import { readTrajectory } from '../computer/recording/recorder.js';

export const COMPUTER_HELP = `kestrel computer — let a model use a browser (or a Linux desktop) on this machine

Usage:
  kestrel computer --task "…" [--start-url URL] [--model M] [--base-url URL] [--headful] [--desktop]
  kestrel computer replay DIR [--headful] [--desktop] [--coordinates]

Options:
  --task TEXT          What the model should do (required)
  --start-url URL      Page to open first
  --model M            Model name (default $KESTREL_MODEL or gpt-5.4)
  --base-url URL       Responses endpoint (default $OPENAI_BASE_URL or http://127.0.0.1:8080/v1); the key comes
                       from $KESTREL_API_KEY or $OPENAI_API_KEY
  --headful            Show the browser window (needs a display)
  --desktop            Drive an Xvfb desktop (openbox + xdotool) with Chromium on it, instead of a browser tab
  --display WxH        Screen size (default 1024x768)
  --allow-domain D     Only let the browser reach D (repeatable); other domains are blocked at the network layer
  --block-domain D     Never let the browser reach D (repeatable)
  --jpeg               Send JPEG screenshots (smaller) instead of PNG
  --record DIR         Where to save the trajectory (default .kestrel/trajectories/<time>); --no-record to skip
  --max-steps N        Stop after N model turns (default 50)
  --approval-timeout S Seconds to answer a safety check before it counts as denied (default 120)

Replay re-runs a saved trajectory with no model, finding clicked elements by the selectors it recorded
(--coordinates replays raw coordinates instead).`;

export interface ComputerCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Asks a yes/no question; resolves the answer line. */
  ask?: (question: string, signal: AbortSignal) => Promise<string>;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

function parseSize(value: string | undefined): Size | undefined {
  if (!value) return undefined;
  const match = value.match(/^(\d+)x(\d+)$/);
  if (!match) throw new Error(`--display must look like 1024x768, got "${value}"`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

function terminalAsk(question: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    signal.addEventListener('abort', () => {
      rl.close();
      reject(new Error('timed out'));
    });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    rl.once('close', () => resolve(''));
  });
}

function describeProgress(progress: LoopProgress): string | undefined {
  switch (progress.kind) {
    case 'request':
      return undefined;
    case 'actions':
      return `step ${progress.step}: ${progress.actions.join(', ') || '(no actions)'}`;
    case 'result': {
      const extra = [progress.error ? `error: ${progress.error}` : '', ...progress.events.map((event) => event.message)].filter(Boolean);
      return `  → ${progress.status} in ${progress.ms} ms${progress.url ? ` at ${progress.url}` : ''}${extra.length ? `\n  ! ${extra.join('\n  ! ')}` : ''}`;
    }
    case 'function':
      return `step ${progress.step}: ${progress.name}() → ${progress.output}`;
    case 'checks':
      return `  safety checks ${progress.approved ? 'approved' : 'denied'}`;
    case 'message':
      return `model: ${progress.text}`;
  }
}

/**
 * `kestrel computer …`: the client-side computer-use loop (or `replay`). Resolves to the exit code.
 *
 * @example await computerCommand(['--task', 'Find the opening hours', '--start-url', 'https://example.com'], { out: console.log, err: console.error })
 */
export async function computerCommand(argv: string[], io: ComputerCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        task: { type: 'string' },
        'start-url': { type: 'string' },
        model: { type: 'string' },
        'base-url': { type: 'string' },
        headful: { type: 'boolean' },
        desktop: { type: 'boolean' },
        display: { type: 'string' },
        'allow-domain': { type: 'string', multiple: true },
        'block-domain': { type: 'string', multiple: true },
        jpeg: { type: 'boolean' },
        record: { type: 'string' },
        'no-record': { type: 'boolean' },
        'max-steps': { type: 'string' },
        'approval-timeout': { type: 'string' },
        coordinates: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`kestrel computer: ${(error as Error).message}\n\n${COMPUTER_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(COMPUTER_HELP);
    return 0;
  }
  const env = io.env ?? process.env;
  let display: Size | undefined;
  try {
    display = parseSize(values.display);
  } catch (error) {
    io.err(`kestrel computer: ${(error as Error).message}`);
    return 2;
  }
  if (positionals[0] === 'replay') return replay(positionals[1], { headful: values.headful, desktop: values.desktop, coordinates: values.coordinates, display }, io);
  if (positionals.length > 0) {
    io.err(`kestrel computer: unexpected "${positionals[0]}"\n\n${COMPUTER_HELP}`);
    return 2;
  }
  if (!values.task) {
    io.err(`kestrel computer: --task is required\n\n${COMPUTER_HELP}`);
    return 2;
  }
  const maxSteps = values['max-steps'] ? Number(values['max-steps']) : 50;
  const approvalSeconds = values['approval-timeout'] ? Number(values['approval-timeout']) : 120;
  if (!Number.isInteger(maxSteps) || maxSteps < 1 || !(approvalSeconds > 0)) {
    io.err('kestrel computer: --max-steps must be a positive whole number and --approval-timeout a positive number of seconds');
    return 2;
  }
  const startUrl = values['start-url'];
  const allowed = values['allow-domain'] ?? [];
  const policy = UrlPolicy.local({ allowedDomains: allowed, blockedDomains: values['block-domain'] ?? [] });
  let computer: Computer | undefined;
  let recorder: TrajectoryRecorder | undefined;
  try {
    computer = values.desktop
      ? await DesktopComputer.start({ display, startUrl })
      : await BrowserComputer.launch({ display, startUrl, headless: !values.headful, policy: policy.isOpen ? undefined : policy });
    if (!values['no-record']) {
      const dir = values.record ?? join(env.KESTREL_DATA_DIR ?? '.kestrel', 'trajectories', new Date().toISOString().replace(/[:.]/g, '-'));
      recorder = await TrajectoryRecorder.create(dir, { environment: computer.environment, display: computer.display, startUrl, task: values.task, model: values.model });
      io.out(`recording to ${dir}`);
    }
    let relevant = allowed;
    if (relevant.length === 0 && startUrl) {
      try {
        relevant = [new URL(startUrl).hostname].filter(Boolean);
      } catch {
        relevant = [];
      }
    }
    const session = new ComputerSession(computer, { recorder, screenshot: { format: values.jpeg ? 'jpeg' : 'png' }, safety: { relevantDomains: relevant } });
    const ask = io.ask ?? terminalAsk;
    const approve = (checks: PendingCheck[]) =>
      awaitApproval(async (signal) => {
        for (const check of checks) io.err(`\n⚠ safety check ${check.code ?? ''} (${check.source}): ${check.message ?? check.id}`);
        const answer = await ask(`Continue? [y/N] (${approvalSeconds}s) `, signal);
        return /^y(es)?$/i.test(answer.trim());
      }, approvalSeconds * 1000);
    const result = await runResponsesLoop({
      baseUrl: values['base-url'] ?? env.OPENAI_BASE_URL ?? 'http://127.0.0.1:8080/v1',
      apiKey: env.KESTREL_API_KEY ?? env.OPENAI_API_KEY,
      model: values.model ?? env.KESTREL_MODEL ?? 'gpt-5.4',
      task: values.task,
      session,
      approve,
      maxSteps,
      fetch: io.fetch,
      onProgress: (progress) => {
        const line = describeProgress(progress);
        if (line) io.out(line);
      },
    });
    await recorder?.end(result.status);
    io.out(`\n${result.status} after ${result.steps} step${result.steps === 1 ? '' : 's'}${result.text ? `: ${result.text}` : ''}`);
    return result.status === 'completed' ? 0 : 1;
  } catch (error) {
    await recorder?.end(`error: ${(error as Error).message}`).catch(() => undefined);
    io.err(`kestrel computer: ${(error as Error).message}`);
    return 1;
  } finally {
    await computer?.close();
  }
}

async function replay(dir: string | undefined, options: { headful?: boolean; desktop?: boolean; coordinates?: boolean; display?: Size }, io: ComputerCommandIo): Promise<number> {
  if (!dir) {
    io.err('kestrel computer replay: give the trajectory folder, e.g. `kestrel computer replay .kestrel/trajectories/2026-…`');
    return 2;
  }
  let computer: Computer | undefined;
  try {
    const session = (await readTrajectory(dir)).find((record) => record.type === 'session');
    const display = options.display ?? (session?.type === 'session' ? session.display : undefined);
    const desktop = options.desktop ?? (session?.type === 'session' && session.environment === 'desktop');
    const startUrl = session?.type === 'session' ? session.startUrl : undefined;
    computer = desktop ? await DesktopComputer.start({ display, startUrl }) : await BrowserComputer.launch({ display, startUrl, headless: !options.headful });
    const report = await replayTrajectory(dir, computer, {
      preferSelectors: !options.coordinates,
      onStep: (step) => io.out(`batch ${step.batch} action ${step.action + 1}: ${step.description}${step.skipped ? ` skipped (${step.skipped})` : ` via ${step.via}`}`),
    });
    for (const mismatch of report.urlMismatches) io.out(`  ! after batch ${mismatch.batch} the page is ${mismatch.actual}, recorded ${mismatch.expected}`);
    io.out(
      `replayed ${report.actions} action${report.actions === 1 ? '' : 's'} in ${report.batches} batch${report.batches === 1 ? '' : 'es'}: ` +
        `${report.bySelector} by selector, ${report.byCoordinates} by coordinates, ${report.skipped} skipped, ${report.urlMismatches.length} URL mismatch${report.urlMismatches.length === 1 ? '' : 'es'}`,
    );
    return report.urlMismatches.length === 0 ? 0 : 1;
  } catch (error) {
    io.err(`kestrel computer replay: ${(error as Error).message}`);
    return 1;
  } finally {
    await computer?.close();
  }
}
