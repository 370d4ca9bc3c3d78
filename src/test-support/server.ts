import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScriptedBackend, type Script } from '../backends/scripted/index.js';
import type { ModelRequest, Backend } from '../backends/types.js';
import type { ConfigFile } from '../config/schema.js';
import type { HostedToolKind } from '../engine/tools/types.js';
import { startKestrel, type Kestrel } from '../server/index.js';

export interface TestServerOptions {
  /** What the scripted model answers. */
  script: Script;
  /** Model names the scripted backend lists (any name is served anyway). */
  models?: string[];
  config?: ConfigFile;
  /** Keys clients must send (auth on when given). */
  apiKeys?: string[];
  /** Reuse a data dir (restart tests). */
  dataDir?: string;
  /** More backends next to the scripted one. */
  backends?: Backend[];
  /** Receives the server's log lines (default: dropped). */
  log?: (line: string) => void;
  /** Extra hosted tool kinds. */
  hostedTools?: HostedToolKind[];
}

export interface TestServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  url: string;
  dataDir: string;
  kestrel: Kestrel;
  backend: Backend & { calls: ModelRequest[] };
  /** Stops the server; removes the data dir unless it was given. */
  close(): Promise<void>;
}

/**
 * Starts Kestrel on a free loopback port with the scripted backend as the model (it serves every
 * model name) and a temporary SQLite data dir.
 *
 * @example const server = await startTestServer({ script: [{ text: 'Hello!' }] });
 */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kestrel-test-'));
  const backend = createScriptedBackend({ name: 'scripted', script: options.script, models: options.models });
  const config: ConfigFile = {
    ...options.config,
    defaultBackend: options.config?.defaultBackend ?? 'scripted',
    auth: options.apiKeys ? { apiKeys: options.apiKeys } : options.config?.auth,
  };
  const kestrel = await startKestrel({
    config,
    port: 0,
    dataDir,
    backends: [backend, ...(options.backends ?? [])],
    detectOllama: false,
    env: {},
    log: options.log ?? (() => {}),
    hostedTools: options.hostedTools,
  });
  return {
    baseURL: `${kestrel.url}/v1`,
    url: kestrel.url,
    dataDir,
    kestrel,
    backend,
    async close() {
      await kestrel.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
