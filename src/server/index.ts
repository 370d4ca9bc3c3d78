import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Backend } from '../backends/types.js';
import { createHostedToolKinds, type HostedToolKind } from '../engine/tools/index.js';
import { setupBackends } from '../config/backends.js';
import type { ConfigFile } from '../config/schema.js';
import { loadOrCreateKey, SealedBox } from '../crypto/sealed-box.js';
import { Engine, ModelRegistry } from '../engine/index.js';
import { createSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import { ApiKeyAuth } from './auth.js';

export interface KestrelOptions {
  config?: ConfigFile;
  host?: string;
  port?: number;
  dataDir?: string;
  /** `--upstream`: an OpenAI-compatible Chat Completions server that takes every unclaimed model name. */
  upstream?: string;
  /** Backends created in code (tests, embedding programs). */
  backends?: Backend[];
  /** Use this store instead of SQLite in the data dir. */
  store?: Store;
  /** Probe for a local Ollama when nothing is configured (default true). */
  detectOllama?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** One log line per request (`--log-requests`). */
  logRequests?: boolean;
  /** Hosted tool kinds besides the built-in ones (tests, embedding programs). */
  hostedTools?: HostedToolKind[];
}

export interface Kestrel {
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  app: FastifyInstance;
  engine: Engine;
  /** Startup notes: backends, models, how to connect one. */
  banner: string[];
  close(): Promise<void>;
}

/**
 * Starts a Kestrel server: store, backends, engine, HTTP.
 *
 * @example
 * const kestrel = await startKestrel({ upstream: 'http://127.0.0.1:11434/v1', port: 8080 });
 * console.log(kestrel.url);
 */
export async function startKestrel(options: KestrelOptions = {}): Promise<Kestrel> {
  const config = options.config ?? {};
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const dataDir = resolve(options.dataDir ?? config.server?.dataDir ?? env.KESTREL_DATA_DIR ?? '.kestrel');
  mkdirSync(dataDir, { recursive: true });

  const { backends, defaultBackend, notes } = await setupBackends(config, { upstream: options.upstream, extra: options.backends, env, detectOllama: options.detectOllama, modelsDir: join(dataDir, 'models') });
  const models = new ModelRegistry(backends, { models: config.models, defaultBackend });
  await models.refresh();
  const store = options.store ?? createSqliteStore({ path: join(dataDir, 'kestrel.db') });
  const box = new SealedBox(loadOrCreateKey(join(dataDir, 'secret.key'), config.secretKey ?? env.KESTREL_SECRET_KEY));
  const hostedTools = createHostedToolKinds({ config, box, store, models, dataDir, log }, options.hostedTools);
  const engine = new Engine({ store, models, box, log, hostedTools, reasoning: { reasoning: config.reasoning, models: config.models }, context: config.context });
  const envKeys = (env.KESTREL_API_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  const auth = new ApiKeyAuth([...(config.auth?.apiKeys ?? []), ...envKeys]);

  const app = buildApp(
    { engine, auth, keepAliveMs: config.server?.keepAliveMs ?? 15_000, firstByteHoldMs: 1_500 },
    {
      bodyLimit: config.server?.bodyLimit ?? 64 * 1024 * 1024,
      onInternalError: (error) => log(`internal error: ${(error as Error)?.stack ?? error}`),
      logRequest: config.server?.logRequests || options.logRequests ? log : undefined,
    },
  );
  const host = options.host ?? config.server?.host ?? '127.0.0.1';
  const port = options.port ?? config.server?.port ?? 8080;
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  const recovered = await engine.recover();
  const banner = [
    `Kestrel listening on ${url} (OpenAI-compatible API at ${url}/v1)`,
    `data: ${dataDir}`,
    ...(notes.length ? notes.map((note) => `backend ${note}`) : []),
    models.list().length ? `models: ${models.list().map((model) => model.publicName).slice(0, 30).join(', ')}` : '',
    backends.size === 0 ? models.howToConnect() : '',
    auth.enabled ? 'auth: API keys required' : 'auth: off (any API key is accepted)',
    recovered.resumed || recovered.failed ? `background responses after restart: ${recovered.resumed} resumed, ${recovered.failed} marked failed` : '',
  ].filter(Boolean);

  return {
    url,
    app,
    engine,
    banner,
    async close() {
      await app.close();
      await engine.close();
      await Promise.all([...backends.values()].map((backend) => backend.close?.()));
      await store.close();
    },
  };
}
