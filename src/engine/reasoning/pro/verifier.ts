import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';

/**
 * A verifier from the config file (`pro.verifiers.<name>`): a command that checks one candidate
 * answer, e.g. a test suite run against the code the candidate wrote. Requests can only name a
 * configured verifier, never supply a command.
 */
export interface VerifierConfig {
  /** Program and arguments, run without a shell, in a fresh temporary directory. */
  command: string[];
  /** Files written into that directory first (tests, fixtures), by relative path. */
  files?: Record<string, string>;
  /** Where the candidate goes: its last fenced code block, or its whole text when it has none (default `candidate.txt`). */
  candidateFile?: string;
  /** Milliseconds before the command is killed and the candidate fails (default 30000). */
  timeoutMs?: number;
}

/** What a verifier said about one candidate. */
export interface Verdict {
  passed: boolean;
  /** The exit code, or null when the command was killed or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  /** The last 4 KiB of stdout and stderr. */
  output: string;
  ms: number;
}

const OUTPUT_LIMIT = 4096;

/**
 * The last fenced code block of a text, or the whole text when it has none.
 *
 * @example candidateCode('Here:\n```python\ndef add(a, b):\n    return a + b\n```') // 'def add(a, b):\n    return a + b\n'
 */
export function candidateCode(text: string): string {
  const blocks = [...text.matchAll(/```[^\n`]*\n([\s\S]*?)```/g)];
  const last = blocks.at(-1)?.[1];
  return last ?? text;
}

/** A relative path that stays inside the directory, or an error naming it. */
export function checkRelativePath(path: string): string | null {
  const normalised = normalize(path);
  if (!path || isAbsolute(path) || normalised.startsWith('..') || normalised.split(/[\\/]/).includes('..')) return `"${path}" must be a relative path inside the verifier's directory`;
  return null;
}

/**
 * Runs a verifier on one candidate in a temporary directory that is removed afterwards. The
 * command gets only PATH, LANG, HOME (the directory), KESTREL_CANDIDATE (the candidate file) and
 * KESTREL_ANSWER (`answer.txt`, the whole answer) in its environment: none of the server's secrets.
 * Exit code 0 passes. It is killed (with its process group) on timeout or abort.
 *
 * @example
 * const verdict = await runVerifier({ command: ['python3', '-m', 'pytest', '-q'], files: { 'test_add.py': tests }, candidateFile: 'solution.py' }, answerText, signal);
 */
export async function runVerifier(config: VerifierConfig, answer: string, signal: AbortSignal): Promise<Verdict> {
  const started = performance.now();
  const candidateFile = config.candidateFile ?? 'candidate.txt';
  for (const path of [candidateFile, ...Object.keys(config.files ?? {})]) {
    const problem = checkRelativePath(path);
    if (problem) throw new Error(`Verifier: ${problem}.`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'kestrel-verify-'));
  try {
    const write = async (path: string, text: string) => {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    };
    for (const [path, text] of Object.entries(config.files ?? {})) await write(path, text);
    await write('answer.txt', answer);
    await write(candidateFile, candidateCode(answer));
    const result = await runCommand(config.command, dir, { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: dir, KESTREL_CANDIDATE: candidateFile, KESTREL_ANSWER: 'answer.txt' }, config.timeoutMs ?? 30_000, signal);
    return { ...result, passed: result.exitCode === 0 && !result.timedOut, ms: performance.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runCommand(command: string[], cwd: string, env: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<Omit<Verdict, 'passed' | 'ms'>> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(command[0], command.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // detached: the child leads its own process group, so everything it started dies with it.
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    signal.addEventListener('abort', kill, { once: true });
    const done = (exitCode: number | null, extra = '') => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      resolve({ exitCode, timedOut, output: (output + extra).slice(-OUTPUT_LIMIT) });
    };
    child.on('error', (error) => done(null, `\n${error.message}`));
    child.on('close', (code) => done(code));
  });
}
