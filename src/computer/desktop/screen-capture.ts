import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComputerSetupError } from '../errors.js';
import type { ImageFormat } from '../types.js';
import { which } from './virtual-display.js';

/** Captures the whole X screen as an encoded image. */
export type ScreenCapture = (env: Record<string, string>, format: ImageFormat, quality: number) => Promise<Buffer>;

function run(program: string, args: string[], env: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: { ...process.env, ...env }, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} failed: ${stderr.toString().trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

// ImageMagick's `import` is real only when it comes from ImageMagick; check the convert beside it too.
function imageMagick(): string | undefined {
  const path = which('import');
  return path && (which('magick') || which('convert')) ? path : undefined;
}

/**
 * Picks a screen-capture program that is installed: scrot (Debian `scrot`), else ImageMagick's `import -window root`.
 * Throws a setup error naming the package to install when there is none.
 *
 * @example const capture = findScreenCapture(); const png = await capture({ DISPLAY: ':3' }, 'png', 80);
 */
export function findScreenCapture(): ScreenCapture {
  if (which('scrot')) {
    // scrot cannot write to a socket (Node's child stdout), so it writes a file in a private temporary folder.
    return async (env, format, quality) => {
      const dir = await mkdtemp(join(tmpdir(), 'kestrel-shot-'));
      try {
        const file = join(dir, format === 'png' ? 'screen.png' : 'screen.jpg');
        await run('scrot', ['--overwrite', '--silent', '--quality', format === 'png' ? '10' : String(quality), file], env);
        return await readFile(file);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
  }
  const importPath = imageMagick();
  if (importPath) {
    return (env, format, quality) => run(importPath, ['-window', 'root', ...(format === 'jpeg' ? ['-quality', String(quality)] : []), `${format}:-`], env);
  }
  throw new ComputerSetupError('Desktop screenshots need scrot or ImageMagick. Install with `sudo apt-get install scrot`.');
}
