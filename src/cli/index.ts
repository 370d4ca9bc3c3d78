import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { startKestrel } from '../server/index.js';

const HELP = `kestrel — the OpenAI Responses API over any model

Usage:
  kestrel serve [--host 127.0.0.1] [--port 8080] [--data-dir DIR] [--config FILE] [--upstream URL] [--log-requests]
  kestrel hash-key KEY      print the sha256: form of an API key, for the config file's auth.apiKeys
  kestrel pull OWNER/REPO[:QUANT]   download a GGUF model from Hugging Face into <data-dir>/models
  kestrel models            list local GGUF models (size, quantisation, context length)
  kestrel computer --task "…" [--start-url URL] [--model M] [--base-url URL] [--headful] [--desktop]
                            let a model use a browser or desktop here (see kestrel computer --help)
  kestrel computer replay DIR   re-run a recorded computer-use trajectory without a model
  kestrel --version

Options:
  --host HOST        Address to bind (default 127.0.0.1)
  --port PORT        Port (default 8080; 0 picks a free one)
  --data-dir DIR     Where the SQLite store and the server key live (default ./.kestrel)
  --config FILE      JSON or YAML config: backends, model aliases, API keys
  --upstream URL     Any OpenAI-compatible Chat Completions server (Ollama, vLLM, SGLang,
                     llama.cpp server, LM Studio, OpenRouter), e.g. http://127.0.0.1:11434/v1;
                     every model name is forwarded as-is unless the config maps it.
                     Its API key, if any, comes from KESTREL_UPSTREAM_API_KEY.
  --log-requests     Print one line per request (method, path, status, duration) to stderr

With nothing configured, Kestrel uses OPENAI_API_KEY, ANTHROPIC_API_KEY, a local Ollama when present,
and the GGUF models in <data-dir>/models (run in process by llama.cpp).
Environment: KESTREL_API_KEYS (comma-separated keys clients must send), KESTREL_SECRET_KEY, KESTREL_DATA_DIR.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs the `kestrel` command; resolves to the exit code (for `serve`, once the server stops).
 *
 * @example await main(['serve', '--port', '8080'])
 */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'pull') return (await import('./pull.js')).pullCommand(argv.slice(1), { out: console.log, err: console.error });
  if (argv[0] === 'models') return (await import('./models.js')).modelsCommand(argv.slice(1), { out: console.log, err: console.error });
  if (argv[0] === 'computer') {
    // Loaded on demand: it pulls in playwright-core, which `serve` does not need.
    const { computerCommand } = await import('./computer.js');
    return computerCommand(argv.slice(1), { out: console.log, err: console.error });
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        upstream: { type: 'string' },
        'log-requests': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    console.error(`kestrel: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    console.log(version());
    return 0;
  }
  const command = positionals[0];
  if (values.help || !command) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (command === 'hash-key') {
    const key = positionals[1];
    if (!key || key.length < 8) {
      console.error('kestrel hash-key: give the key (at least 8 characters), e.g. `kestrel hash-key sk-local-123456`');
      return 2;
    }
    console.log(`sha256:${createHash('sha256').update(key).digest('hex')}`);
    return 0;
  }
  if (command !== 'serve') {
    console.error(`kestrel: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    console.error(`kestrel: --port must be a number from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  if (values.upstream && !/^https?:\/\//.test(values.upstream)) {
    console.error(`kestrel: --upstream must be an http(s) URL such as http://127.0.0.1:11434/v1, got "${values.upstream}"`);
    return 2;
  }
  let kestrel;
  try {
    const config = values.config ? loadConfigFile(values.config) : undefined;
    kestrel = await startKestrel({ config, host: values.host, port, dataDir: values['data-dir'], upstream: values.upstream, logRequests: values['log-requests'] });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') console.error(`kestrel: port ${port ?? 8080} is already in use; choose another with --port.`);
    else console.error(`kestrel: ${err.message}`);
    return 1;
  }
  for (const line of kestrel.banner) console.log(line);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping…`);
      kestrel.close().then(
        () => resolve(0),
        (error: Error) => {
          console.error(`kestrel: error while stopping: ${error.message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
