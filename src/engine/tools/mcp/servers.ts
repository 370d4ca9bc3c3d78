import type { ConfigFile } from '../../../config/schema.js';
import { checkServerUrl, RefusedServerUrl } from './address-guard.js';
import { McpConnection, type McpEndpoint, type McpToolInfo } from './connection.js';
import { toMcpFailure } from './errors.js';
import { McpListCache } from './list-cache.js';
import { serverKey } from './server-key.js';

/** The parts of an `mcp` tool that say where its server is and how to authenticate. */
export interface McpServerSpec {
  server_label: string;
  server_url?: string | null;
  connector_id?: string | null;
  headers?: Record<string, string> | null;
  authorization?: string | null;
}

/** Why an `mcp` tool cannot be served, with the field at fault. */
export class McpSpecError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'McpSpecError';
  }
}

/** HTTP connections unused this long are closed. */
const IDLE_MS = 60_000;

interface Pooled {
  connection: Promise<McpConnection>;
  timer: NodeJS.Timeout | null;
  kind: McpEndpoint['kind'];
  /** Requests in flight: an idle timer only runs when none are. */
  active: number;
}

/**
 * The MCP servers of an engine: resolves `mcp` tools to endpoints (a checked `server_url`, or a
 * stdio server from the config), keeps connections (stdio servers live as long as the engine,
 * HTTP ones until idle), and caches tool lists per server and credentials.
 *
 * @example
 * const servers = new McpServers(config.mcp);
 * const endpoint = await servers.resolve({ server_label: 'docs', server_url: 'https://mcp.example.com/mcp' });
 * const tools = await servers.listTools(endpoint);
 */
export class McpServers {
  readonly #config: NonNullable<ConfigFile['mcp']>;
  readonly #lists: McpListCache;
  readonly #pool = new Map<string, Pooled>();
  readonly #options: { allowPrivateNetworks: boolean; timeoutMs: number };

  constructor(config: ConfigFile['mcp'] = {}) {
    this.#config = config ?? {};
    this.#lists = new McpListCache((this.#config.listCacheSeconds ?? 300) * 1000);
    this.#options = { allowPrivateNetworks: this.#config.allowPrivateNetworks ?? false, timeoutMs: this.#config.timeoutMs ?? 60_000 };
  }

  /** Labels of the stdio servers in the config. */
  configuredLabels(): string[] {
    return Object.keys(this.#config.servers ?? {});
  }

  /** Where the server of an `mcp` tool is; throws {@link McpSpecError} for what cannot be served. */
  async resolve(spec: McpServerSpec): Promise<McpEndpoint> {
    if (spec.server_url) {
      try {
        await checkServerUrl(spec.server_url, this.#options);
      } catch (error) {
        if (error instanceof RefusedServerUrl) throw new McpSpecError(error.message, 'server_url');
        throw error;
      }
      const headers: Record<string, string> = { ...(spec.headers ?? {}) };
      if (spec.authorization) headers.Authorization = /^\S+\s/.test(spec.authorization) ? spec.authorization : `Bearer ${spec.authorization}`;
      return { kind: 'http', url: spec.server_url, headers };
    }
    if (spec.connector_id) throw new McpSpecError(`Connector '${spec.connector_id}' is not available on this server: give a server_url, or the label of an MCP server from the config.`, 'connector_id');
    const configured = this.#config.servers?.[spec.server_label];
    if (!configured) {
      const known = this.configuredLabels();
      throw new McpSpecError(`No server_url, and no MCP server labelled '${spec.server_label}' in the config${known.length ? ` (configured: ${known.join(', ')})` : ''}.`, 'server_label');
    }
    return { kind: 'stdio', label: spec.server_label, ...configured };
  }

  /** The server's tools, from the cache when they were listed recently with the same credentials. */
  async listTools(endpoint: McpEndpoint, signal?: AbortSignal): Promise<{ tools: McpToolInfo[]; cached: boolean }> {
    const key = serverKey(endpoint);
    const cached = this.#lists.get(key);
    if (cached) return { tools: cached, cached: true };
    const tools = await this.#use(endpoint, key, (connection) => connection.listTools(signal));
    this.#lists.set(key, tools);
    return { tools, cached: false };
  }

  /** Calls a tool on the server (see {@link McpConnection.callTool}). */
  callTool(endpoint: McpEndpoint, name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
    return this.#use(endpoint, serverKey(endpoint), (connection) => connection.callTool(name, args, signal));
  }

  async #use<T>(endpoint: McpEndpoint, key: string, work: (connection: McpConnection) => Promise<T>): Promise<T> {
    let pooled = this.#pool.get(key);
    if (pooled) {
      const existing = await pooled.connection.catch(() => null);
      if (!existing || existing.closed) {
        this.#pool.delete(key);
        pooled = undefined;
      }
    }
    if (!pooled) {
      pooled = { connection: McpConnection.open(endpoint, this.#options), timer: null, kind: endpoint.kind, active: 0 };
      this.#pool.set(key, pooled);
    }
    if (pooled.timer) clearTimeout(pooled.timer);
    pooled.timer = null;
    pooled.active++;
    let connection: McpConnection;
    try {
      connection = await pooled.connection;
    } catch (error) {
      pooled.active--;
      this.#pool.delete(key);
      throw toMcpFailure(error);
    }
    try {
      return await work(connection);
    } catch (error) {
      // A broken transport is not reused; a tool's own error leaves the connection fine.
      const failure = toMcpFailure(error);
      if (failure.error.type === 'http_error') {
        this.#pool.delete(key);
        await connection.close();
      }
      throw failure;
    } finally {
      pooled.active--;
      if (this.#pool.get(key) === pooled && pooled.kind === 'http' && pooled.active === 0) {
        pooled.timer = setTimeout(() => {
          if (this.#pool.get(key) === pooled) this.#pool.delete(key);
          void connection.close();
        }, IDLE_MS);
        pooled.timer.unref();
      }
    }
  }

  /** Closes every connection (engine shutdown). */
  async close(): Promise<void> {
    const pooled = [...this.#pool.values()];
    this.#pool.clear();
    await Promise.allSettled(
      pooled.map(async (entry) => {
        if (entry.timer) clearTimeout(entry.timer);
        await (await entry.connection.catch(() => null))?.close();
      }),
    );
  }
}
