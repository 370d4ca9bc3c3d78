import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ComputerSetupError } from '../errors.js';
import type { Size } from '../types.js';

export interface VirtualDisplay {
  /** X display name, e.g. `:3`. */
  display: string;
  size: Size;
  /** Environment for programs shown on this display. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Finds a program on PATH, or undefined. */
export function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    const path = `${dir}/${program}`;
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

/** The programs a desktop session needs, with the Debian packages that provide them. */
export const DESKTOP_PROGRAMS: { program: string; debianPackage: string }[] = [
  { program: 'Xvfb', debianPackage: 'xvfb' },
  { program: 'xdotool', debianPackage: 'xdotool' },
];

function requirePrograms(): void {
  const missing = DESKTOP_PROGRAMS.filter(({ program }) => !which(program));
  if (missing.length > 0) {
    throw new ComputerSetupError(
      `The desktop environment needs ${missing.map((m) => m.program).join(', ')}. Install with \`sudo apt-get install ${missing.map((m) => m.debianPackage).join(' ')}\`.`,
    );
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts an Xvfb virtual screen (a free display number chosen by Xvfb itself, reported through `-displayfd`, so
 * there is no polling for readiness) and, when present, the openbox window manager on it.
 *
 * @example
 * const screen = await startVirtualDisplay({ width: 1024, height: 768 });
 * spawn('xclock', [], { env: { ...process.env, ...screen.env } });
 * await screen.close();
 */
export async function startVirtualDisplay(size: Size, options: { windowManager?: boolean } = {}): Promise<VirtualDisplay> {
  requirePrograms();
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${size.width}x${size.height}x24`, '-nolisten', 'tcp', '-noreset', '-dpi', '96'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  xvfb.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    const fd = xvfb.stdio[3] as Readable;
    fd.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    xvfb.once('error', (error) => reject(new ComputerSetupError(`Xvfb did not start: ${error.message}`, { cause: error })));
    xvfb.once('exit', (code) => reject(new ComputerSetupError(`Xvfb exited (${code}) before its display was ready: ${stderr.trim().split('\n').pop() ?? ''}`)));
  });
  const display = `:${number}`;
  const env = { DISPLAY: display };
  let windowManager: ChildProcess | undefined;
  if ((options.windowManager ?? true) && which('openbox')) {
    // openbox runs its --startup command once it manages the screen; the echo tells us so (windows mapped
    // earlier would be re-parented later and move under the caller's feet).
    const wm = spawn('openbox', ['--sm-disable', '--startup', 'echo kestrel-wm-ready'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    windowManager = wm;
    await new Promise<void>((resolve) => {
      let out = '';
      const timer = setTimeout(resolve, 5_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      wm.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('kestrel-wm-ready')) done();
      });
      wm.once('error', done);
      wm.once('exit', done);
    });
    wm.stdout?.resume();
  }
  return {
    display,
    size,
    env,
    async close() {
      if (windowManager) await stop(windowManager);
      await stop(xvfb);
    },
  };
}
