/**
 * Runs the Kestrel CLI from `src/` (through tsx) when no fresh build is in `dist/`:
 * `node --import tsx bench/gateway/kestrel-from-source.ts serve --port 0 …` behaves as `node bin/kestrel.js serve …`.
 */
import { main } from '../../src/cli/index.js';

process.exitCode = await main(process.argv.slice(2));
