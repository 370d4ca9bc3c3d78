#!/usr/bin/env node
// Entry point: runs the compiled CLI. `npm install` builds it (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('kestrel: the build is missing. Run `npm install` (or `npm run build`) in the Kestrel folder first.');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
