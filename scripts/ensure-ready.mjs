#!/usr/bin/env node
// Makes a fresh clone runnable: installs npm dependencies when they are missing or older than the
// lock file, and builds when the build is missing or older than the sources. Used by `npm start`
// and `npm test`, so both work as the first command on a new machine.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const run = (command) => {
  console.error(`> ${command}`);
  execSync(command, { cwd: root, stdio: 'inherit' });
};

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`Kestrel needs Node.js 20 or newer; this is ${process.version}. Install Node 20 (e.g. from nodejs.org or your distribution) and retry.`);
  process.exit(1);
}

const installed = join(root, 'node_modules', '.package-lock.json');
if (mtime(installed) < mtime(join(root, 'package-lock.json')) || !existsSync(join(root, 'node_modules', 'better-sqlite3', 'build'))) {
  run('npm ci --no-audit --no-fund');
}

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
if (process.argv.includes('--build') && mtime(join(root, 'dist', 'cli', 'index.js')) < newest(join(root, 'src'))) {
  run('npm run build');
}

// Computer use drives the system Chromium, and the desktop environment needs Xvfb, openbox, xdotool and a
// screen grabber (scrot). Installed here as root when missing; otherwise we say how.
const onPath = (program) => (process.env.PATH ?? '/usr/bin:/bin').split(':').some((dir) => dir && existsSync(join(dir, program)));
const systemPackages = [
  ['chromium', () => existsSync(process.env.KESTREL_CHROMIUM ?? '/usr/bin/chromium')],
  ['xvfb', () => onPath('Xvfb')],
  ['xdotool', () => onPath('xdotool')],
  ['openbox', () => onPath('openbox')],
  ['scrot', () => onPath('scrot') || onPath('import')],
];
const missingPackages = systemPackages.filter(([, present]) => !present()).map(([name]) => name);
if (missingPackages.length > 0 && process.platform === 'linux') {
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    try {
      run('apt-get update -qq');
      run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missingPackages.join(' ')}`);
    } catch {
      console.error(`Could not install ${missingPackages.join(', ')}; computer use needs them.`);
    }
  } else {
    console.error(`Computer use needs ${missingPackages.join(', ')}. Install with: sudo apt-get install ${missingPackages.join(' ')}`);
  }
}
