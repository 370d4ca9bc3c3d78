import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startService } from './child-process.js';
import { heapAfterGc } from './heap-probe.js';

// A child that retains 32 arrays of 128k doubles (~32 MiB) when it reads a line on stdin, and a lot of garbage it does not retain.
const CHILD = `
const kept = [];
process.stdin.on('data', () => {
  for (let i = 0; i < 32; i++) { kept.push(new Array(131072).fill(i + 0.5)); void new Array(131072).fill(i + 0.25); }
  console.log('grown ' + kept.length);
});
console.log('ready');
`;

test('heapAfterGc reads the live heap through the inspector, and sees what the process retains', async () => {
  const child = await startService({ name: 'heap-child', args: ['--inspect=127.0.0.1:0', '-e', CHILD], cwd: process.cwd(), ready: /^ready$/ });
  try {
    const url = child.inspectorUrl();
    assert.ok(url?.startsWith('ws://127.0.0.1:'), `inspector url: ${url}`);
    const before = await heapAfterGc(url as string);
    assert.ok(before.usedBytes > 0 && before.usedBytes <= before.totalBytes);
    const grown = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (child.output().includes('grown 32')) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.input('grow\n');
    await grown;
    const after = await heapAfterGc(url as string);
    const grewMiB = (after.usedBytes - before.usedBytes) / 2 ** 20;
    assert.ok(grewMiB > 25 && grewMiB < 60, `heap grew ${grewMiB.toFixed(1)} MiB`);
  } finally {
    await child.stop();
  }
});
