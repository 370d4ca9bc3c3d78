/**
 * Computer-use runtime cost per step: one action batch plus one screenshot at 1024×768, through Kestrel's
 * `ComputerSession` (coordinate mapping, safety checks, settle, screenshot) against the raw playwright-core floor
 * (`page.mouse` / `page.keyboard` + one PNG `page.screenshot()`), on the same page in the same browser, episodes
 * alternating so every runner sees the same machine load. No sleeps anywhere.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { BrowserComputer } from '../../src/computer/browser/browser-computer.js';
import { launchChromium } from '../../src/computer/browser/launch.js';
import { TrajectoryRecorder } from '../../src/computer/recording/recorder.js';
import { ComputerSession } from '../../src/computer/session.js';
import { serveTestPages } from '../../src/computer/test-support/pages.js';
import type { ComputerAction } from '../../src/computer/types.js';
import { summarize, type Summary } from '../gateway/stats.js';

export interface ComputerBenchOptions {
  /** Episodes per runner (default 12). */
  episodes: number;
  /** Steps per episode (default 15). */
  steps: number;
  /** Unrecorded warm-up steps per runner (default 10). */
  warmup: number;
  /** Folder for recordings of the recording runner. */
  scratchDir: string;
  log: (line: string) => void;
}

export interface RunnerResult {
  name: string;
  description: string;
  stepMs: Summary;
}

export interface ComputerBenchResults {
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: string; cores: number; memoryGiB: number; node: string; loadBefore: number[]; loadAfter: number[] };
  display: { width: number; height: number };
  episodes: number;
  steps: number;
  runners: RunnerResult[];
  checks: { description: string; target: string; value: string; pass: boolean | null }[];
}

/** The batches, cycled: a click that changes the DOM, a click then typing, a key combination then a key. */
const BATCHES: ComputerAction[][] = [
  [{ type: 'click', x: 120, y: 60, button: 'left' }],
  [
    { type: 'click', x: 190, y: 135, button: 'left' },
    { type: 'type', text: 'hello' },
  ],
  [
    { type: 'keypress', keys: ['CTRL', 'A'] },
    { type: 'keypress', keys: ['BACKSPACE'] },
  ],
];

interface Runner {
  name: string;
  description: string;
  step(batch: ComputerAction[]): Promise<void>;
  close(): Promise<void>;
}

async function floorRunner(browser: Browser, url: string): Promise<Runner> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 });
  const page: Page = await context.newPage();
  await page.goto(url);
  return {
    name: 'floor',
    description: 'raw playwright-core: page.mouse / page.keyboard, then one PNG page.screenshot()',
    async step(batch) {
      for (const action of batch) {
        if (action.type === 'click') await page.mouse.click(action.x, action.y);
        else if (action.type === 'type') await page.keyboard.type(action.text);
        else if (action.type === 'keypress') {
          const keys = action.keys.map((key) => ({ CTRL: 'Control', A: 'a', BACKSPACE: 'Backspace' })[key] ?? key);
          for (const key of keys) await page.keyboard.down(key);
          for (const key of [...keys].reverse()) await page.keyboard.up(key);
        }
      }
      await page.screenshot();
    },
    close: () => context.close(),
  };
}

async function kestrelRunner(browser: Browser, url: string, name: string, description: string, options: { safety: boolean; recordDir?: string }): Promise<Runner> {
  const computer = await BrowserComputer.launch({ browser, startUrl: url });
  const recorder = options.recordDir ? await TrajectoryRecorder.create(options.recordDir, { environment: 'browser', display: computer.display }) : undefined;
  const session = new ComputerSession(computer, { safety: options.safety ? {} : false, recorder });
  await session.observe();
  return {
    name,
    description,
    async step(batch) {
      const result = await session.run(batch);
      if (result.status !== 'completed') throw new Error(`batch ${result.status}: ${result.error ?? result.checks.map((c) => c.message).join('; ')}`);
    },
    close: () => computer.close(),
  };
}

/**
 * Runs the computer bench.
 *
 * @example const results = await runComputerBench({ episodes: 12, steps: 15, warmup: 10, scratchDir: '/tmp/x', log: console.log });
 */
export async function runComputerBench(options: ComputerBenchOptions): Promise<ComputerBenchResults> {
  const started = Date.now();
  const loadBefore = loadavg().map((value) => Number(value.toFixed(2)));
  const site = await serveTestPages();
  const browser = await launchChromium();
  const url = `${site.origin}/bench`;
  const runners = [
    await floorRunner(browser, url),
    await kestrelRunner(browser, url, 'kestrel', 'ComputerSession.run: coordinates, safety checks, settle, PNG screenshot', { safety: true }),
    await kestrelRunner(browser, url, 'kestrel-no-safety', 'the same without safety checks', { safety: false }),
    await kestrelRunner(browser, url, 'kestrel-recording', 'the same, recording every batch (selectors, masked screenshot, JSONL)', { safety: true, recordDir: options.scratchDir }),
  ];
  const samples = new Map<string, number[]>(runners.map((runner) => [runner.name, []]));
  try {
    for (const runner of runners) for (let i = 0; i < options.warmup; i++) await runner.step(BATCHES[i % BATCHES.length]);
    for (let episode = 0; episode < options.episodes; episode++) {
      // Rotate the order each episode so no runner always follows the same one.
      const order = runners.map((_, index) => runners[(index + episode) % runners.length]);
      for (const runner of order) {
        const times = samples.get(runner.name) ?? [];
        for (let step = 0; step < options.steps; step++) {
          const batch = BATCHES[step % BATCHES.length];
          const t0 = performance.now();
          await runner.step(batch);
          times.push(performance.now() - t0);
        }
      }
      options.log(`episode ${episode + 1}/${options.episodes}: ${runners.map((r) => `${r.name} p50 ${summarize(samples.get(r.name) ?? []).p50.toFixed(1)} ms`).join(', ')}`);
    }
  } finally {
    for (const runner of runners) await runner.close().catch(() => undefined);
    await browser.close();
    await site.close();
  }
  const results: RunnerResult[] = runners.map((runner) => ({ name: runner.name, description: runner.description, stepMs: summarize(samples.get(runner.name) ?? []) }));
  const floor = results[0].stepMs.p50;
  const kestrel = results[1].stepMs.p50;
  const ratio = kestrel / floor;
  return {
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadBefore,
      loadAfter: loadavg().map((value) => Number(value.toFixed(2))),
    },
    display: { width: 1024, height: 768 },
    episodes: options.episodes,
    steps: options.steps,
    runners: results,
    checks: [
      {
        description: `step p50, Kestrel ÷ raw playwright-core floor (floor ${floor.toFixed(1)} ms)`,
        target: '≤ 1.2×',
        value: `${ratio.toFixed(2)}× (${kestrel.toFixed(1)} ms)`,
        pass: ratio <= 1.2,
      },
    ],
  };
}

/** The Markdown report. */
export function renderComputerMarkdown(results: ComputerBenchResults, commit: string): string {
  const m = results.machine;
  const lines = [
    `# Computer-use runtime benchmark — ${results.startedAt.slice(0, 10)}`,
    '',
    `Kestrel ${commit}, playwright-core + Debian Chromium headless, viewport ${results.display.width}×${results.display.height}, PNG screenshots. ` +
      `${m.cores} × ${m.cpus}, ${m.memoryGiB} GiB, Node ${m.node}. ${results.episodes} episodes × ${results.steps} steps per runner, episodes alternating. ` +
      `Took ${results.durationSeconds} s. Rerun: \`npm run bench -- --only computer\`.`,
    '',
    `> Load average ${m.loadBefore.join(' / ')} at the start, ${m.loadAfter.join(' / ')} at the end (1/5/15 min). Alternating episodes spread that noise over every runner alike.`,
    '',
    '| Check | Target | Value | Verdict |',
    '|---|---|---|---|',
    ...results.checks.map((check) => `| ${check.description} | ${check.target} | ${check.value} | ${check.pass === null ? '–' : check.pass ? '✅ pass' : '❌ FAIL'} |`),
    '',
    '## Time per step (action batch + screenshot), ms',
    '',
    '| Runner | What it does | p50 | p90 | p99 | mean | min | max | n |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.runners.map((r) => {
      const s = r.stepMs;
      return `| ${r.name} | ${r.description} | ${s.p50.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.mean.toFixed(1)} | ${s.min.toFixed(1)} | ${s.max.toFixed(1)} | ${s.count} |`;
    }),
    '',
    'Batches cycle through: a click that changes the DOM; a click into a field and typing five characters; CTRL+A then BACKSPACE.',
    '',
  ];
  return lines.join('\n');
}
