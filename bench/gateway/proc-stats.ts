/** Reads a process's CPU time and resident memory from Linux `/proc`, so any child can be measured from outside. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcSample {
  /** user + system CPU time of all the process's threads, in milliseconds */
  cpuMs: number;
  /** resident set size in bytes */
  rssBytes: number;
}

function sysconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

const clockTicksPerSecond = sysconf('CLK_TCK', 100);
const pageSize = sysconf('PAGESIZE', 4096);

/** Resolution of `cpuMs`, in milliseconds (one clock tick, usually 10 ms). */
export const cpuResolutionMs = 1000 / clockTicksPerSecond;

/**
 * Parses the text of `/proc/<pid>/stat`.
 *
 * @example parseProcStat('12 (node) S 1 ' + '0 '.repeat(9) + '150 50 0 0 0 0 0 0 0 0 1000', 100, 4096)
 */
export function parseProcStat(text: string, ticksPerSecond: number, bytesPerPage: number): ProcSample {
  // The command name (field 2) may contain spaces and parentheses; fields after the last ')' are plain.
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state): utime is field 14, stime 15, rss 24.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  if (![utime, stime, rssPages].every(Number.isFinite)) throw new Error(`unreadable /proc stat line: ${text.slice(0, 120)}`);
  return { cpuMs: ((utime + stime) * 1000) / ticksPerSecond, rssBytes: rssPages * bytesPerPage };
}

/**
 * CPU time and RSS of process `pid` right now.
 *
 * @example const before = sampleProcess(child.pid); ... ; const cpuMs = sampleProcess(child.pid).cpuMs - before.cpuMs;
 */
export function sampleProcess(pid: number): ProcSample {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), clockTicksPerSecond, pageSize);
}

export interface MemorySample {
  rssBytes: number;
  /** anonymous memory (heaps, buffers): what grows when a process leaks */
  anonBytes: number;
  /** file-backed pages (code, mapped files such as an SQLite database) */
  fileBytes: number;
}

/**
 * Parses the text of `/proc/<pid>/status` for VmRSS, RssAnon and RssFile.
 *
 * @example parseProcStatus('VmRSS:\t  2048 kB\nRssAnon:\t 1024 kB\nRssFile:\t 1024 kB\n').rssBytes // 2097152
 */
export function parseProcStatus(text: string): MemorySample {
  const kb = (key: string) => {
    const match = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  };
  return { rssBytes: kb('VmRSS'), anonBytes: kb('RssAnon'), fileBytes: kb('RssFile') };
}

/**
 * Resident memory of process `pid` right now, split into anonymous and file-backed pages.
 *
 * @example sampleMemory(child.pid).rssBytes / 2 ** 20 // MiB
 */
export function sampleMemory(pid: number): MemorySample {
  return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}
