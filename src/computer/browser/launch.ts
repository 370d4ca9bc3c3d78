import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { ComputerSetupError } from '../errors.js';

/** Debian's Chromium; `KESTREL_CHROMIUM` overrides it. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, reproducible browser: no GPU, no background traffic, instant (non-smooth) wheel scrolling. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-smooth-scrolling',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export interface LaunchOptions {
  headless?: boolean;
  executablePath?: string;
  /** More Chromium flags (e.g. `--host-resolver-rules=…` in tests). */
  args?: string[];
  /** Environment of the browser process (e.g. `DISPLAY` for a desktop session). */
  env?: Record<string, string | undefined>;
  /** Playwright default flags to leave out (e.g. `--enable-automation`, whose infobar moves a headful page). */
  ignoreDefaultArgs?: string[];
}

/** The Chromium binary to use, or a setup error saying how to install one. */
export function chromiumPath(explicit?: string): string {
  const path = explicit ?? process.env.KESTREL_CHROMIUM ?? DEFAULT_CHROMIUM;
  if (!existsSync(path)) {
    throw new ComputerSetupError(
      `Chromium was not found at ${path}. Install it (Debian/Ubuntu: \`sudo apt-get install chromium\`) or set KESTREL_CHROMIUM to its path.`,
    );
  }
  return path;
}

/**
 * Launches the system Chromium through playwright-core (no bundled browser download).
 *
 * @example
 * const browser = await launchChromium({ headless: true });
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath(options.executablePath);
  const env = options.env ? (Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter(([, v]) => v !== undefined)) as Record<string, string>) : undefined;
  try {
    return await chromium.launch({
      executablePath,
      headless: options.headless ?? true,
      args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
      env,
      ignoreDefaultArgs: options.ignoreDefaultArgs,
    });
  } catch (error) {
    throw new ComputerSetupError(`Chromium (${executablePath}) did not start: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}
