import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcStat, parseProcStatus, sampleMemory, sampleProcess } from './proc-stats.js';

test('parseProcStat reads utime, stime and rss even when the command name has spaces and parentheses', () => {
  // fields 3..24: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice threads itreal starttime vsize rss
  const line = '4242 (node (worker) x) S 1 2 3 0 -1 4194304 10 0 0 0 150 50 7 7 20 0 11 0 100 123456 2560 more fields';
  const sample = parseProcStat(line, 100, 4096);
  assert.equal(sample.cpuMs, 2000);
  assert.equal(sample.rssBytes, 2560 * 4096);
});

test('parseProcStatus reads VmRSS, RssAnon and RssFile in bytes', () => {
  const memory = parseProcStatus('Name:\tnode\nVmRSS:\t  3072 kB\nRssAnon:\t    2048 kB\nRssFile:\t    1024 kB\n');
  assert.deepEqual(memory, { rssBytes: 3072 * 1024, anonBytes: 2048 * 1024, fileBytes: 1024 * 1024 });
});

test('sampleProcess and sampleMemory read this process, and CPU time moves forward with work', () => {
  const before = sampleProcess(process.pid);
  const until = Date.now() + 60;
  let spin = 0;
  while (Date.now() < until) spin++;
  const after = sampleProcess(process.pid);
  assert.ok(spin > 0);
  assert.ok(after.cpuMs >= before.cpuMs + 30, `cpu ${before.cpuMs} → ${after.cpuMs}`);
  const memory = sampleMemory(process.pid);
  assert.ok(memory.rssBytes > 10 * 2 ** 20 && memory.anonBytes > 0 && memory.anonBytes <= memory.rssBytes);
});
