/** Starts the bench's servers (mock upstream, Kestrel, Portkey) as child processes and stops them again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServiceSpec {
  name: string;
  /** arguments to `node` (the current executable) */
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** a line of stdout or stderr matching this means the service is ready */
  ready: RegExp;
  timeoutMs?: number;
}

export interface Service {
  name: string;
  pid: number;
  /** the match of `ready` against the output */
  match: RegExpMatchArray;
  /** the inspector's WebSocket URL, when the service runs with `--inspect` */
  inspectorUrl(): string | undefined;
  /** the last lines the service printed (for error messages) */
  output(): string;
  /** how the process ended ('' while it runs), e.g. `code 1` or `signal SIGKILL` */
  exitReason(): string;
  exited(): boolean;
  /** writes to the service's stdin */
  input(text: string): void;
  /** closes its stdin and sends SIGTERM, then SIGKILL if the process has not exited after `graceMs` (default 3 s) */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  // Children are killed by their own pid when the bench exits, however it exits.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * Spawns `node ...args` and resolves once a line of its output matches `spec.ready`; rejects on exit or timeout.
 *
 * @example
 * const mock = await startService({ name: 'mock', args: ['--import', 'tsx', 'bench/gateway/mock-upstream.ts'], cwd, ready: /listening on (http\S+)/ });
 * console.log(mock.match[1]); await mock.stop();
 */
export function startService(spec: ServiceSpec): Promise<Service> {
  installCleanup();
  const child = spawn(process.execPath, spec.args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  let exited = false;
  let exitReason = '';
  let inspectorUrl: string | undefined;
  const output = () => lines.join('\n');
  const stop = async (graceMs = 3_000) => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Closing stdin stops the mock and the floor proxy; SIGTERM stops Kestrel and Portkey.
    child.stdin?.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  };
  return new Promise<Service>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${spec.name} was not ready after ${spec.timeoutMs ?? 30_000} ms`)), spec.timeoutMs ?? 30_000);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- ${spec.name} output ---\n${output()}`));
    };
    const onText = (text: string) => {
      for (const raw of text.split(/\r?\n|\r/)) {
        // Strip terminal colour codes (Portkey prints them) before matching.
        const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
        if (!line) continue;
        lines.push(line);
        if (lines.length > 40) lines.shift();
        inspectorUrl ??= line.match(/Debugger listening on (ws:\/\/\S+)/)?.[1];
        const match = line.match(spec.ready);
        if (match && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve({ name: spec.name, pid: child.pid as number, match, output, inspectorUrl: () => inspectorUrl, exitReason: () => exitReason, exited: () => exited, input: (text) => child.stdin?.write(text), stop });
        }
      }
    };
    child.stdout?.setEncoding('utf8').on('data', onText);
    child.stderr?.setEncoding('utf8').on('data', onText);
    child.on('error', (error) => fail(error));
    child.on('exit', (code, signal) => {
      exited = true;
      exitReason = signal ? `signal ${signal}` : `code ${code}`;
      running.delete(child);
      fail(new Error(`${spec.name} exited (code ${code}, signal ${signal}) before it was ready`));
    });
  });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot be told to pick one).
 *
 * @example const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `kestrel serve` on a free loopback port with `command` (the CLI or the sources), its store in
 * `dataDir`, every model forwarded to the mock at `mockOrigin`, and no stray credentials.
 *
 * @example const kestrel = await startKestrel(root, mock, { args: [join(root, 'bin/kestrel.js')], from: 'dist' }, dataDir);
 */
export async function startKestrel(root: string, mockOrigin: string, command: { args: string[]; from: 'dist' | 'src' }, dataDir: string, extraNodeArgs: string[] = []) {
  const service = await startService({
    name: 'kestrel',
    args: [...extraNodeArgs, ...command.args, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--upstream', `${mockOrigin}/v1`],
    cwd: root,
    // No stray credentials or local model servers may change what Kestrel sets up.
    env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KESTREL_API_KEYS: '', NODE_ENV: 'production' },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 60_000,
  });
  return { service, origin: service.match[1], from: command.from };
}
