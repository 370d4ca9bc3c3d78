import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpFailure, toMcpFailure } from './errors.js';
import { guardedFetch } from './guarded-fetch.js';

/** A tool as an MCP server lists it (the `tools` of an `mcp_list_tools` item). */
export interface McpToolInfo {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  annotations?: Record<string, unknown> | null;
}

/** Where an MCP server is: a streamable HTTP URL, or a local command spoken to over stdio. */
export type McpEndpoint =
  | { kind: 'http'; url: string; headers: Record<string, string> }
  | { kind: 'stdio'; label: string; command: string; args?: string[]; env?: Record<string, string>; cwd?: string };

export interface McpConnectionOptions {
  allowPrivateNetworks: boolean;
  timeoutMs: number;
}

const CLIENT_INFO = { name: 'kestrel', version: '0.1.0' };
/** Pages of `tools/list` read at most (a server listing forever must not hang a response). */
const MAX_LIST_PAGES = 50;

/**
 * One live connection to an MCP server (the official SDK client): lists tools, calls them, and
 * turns every failure into a typed {@link McpFailure}.
 *
 * @example
 * const connection = await McpConnection.open({ kind: 'http', url: 'https://mcp.example.com/mcp', headers: {} }, { allowPrivateNetworks: false, timeoutMs: 60_000 });
 * const tools = await connection.listTools();
 */
export class McpConnection {
  readonly #client: Client;
  readonly #timeoutMs: number;
  #closed = false;

  private constructor(client: Client, timeoutMs: number) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
  }

  /** Connects (the MCP `initialize` handshake). */
  static async open(endpoint: McpEndpoint, options: McpConnectionOptions, signal?: AbortSignal): Promise<McpConnection> {
    const client = new Client(CLIENT_INFO);
    const transport: Transport =
      endpoint.kind === 'http'
        ? new StreamableHTTPClientTransport(new URL(endpoint.url), {
            requestInit: { headers: endpoint.headers },
            fetch: guardedFetch(options),
            reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
          })
        : new StdioClientTransport({ command: endpoint.command, args: endpoint.args, env: { ...getDefaultEnvironment(), ...endpoint.env }, cwd: endpoint.cwd, stderr: 'ignore' });
    try {
      await client.connect(transport, { signal, timeout: options.timeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw toMcpFailure(error);
    }
    return new McpConnection(client, options.timeoutMs);
  }

  /** Every tool of the server (`tools/list`, all pages). */
  async listTools(signal?: AbortSignal): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const result = await this.#client.listTools(cursor ? { cursor } : undefined, { signal, timeout: this.#timeoutMs });
        for (const tool of result.tools) {
          const info: McpToolInfo = { name: tool.name, input_schema: (tool.inputSchema ?? { type: 'object' }) as Record<string, unknown> };
          if (tool.description) info.description = tool.description;
          info.annotations = (tool.annotations as Record<string, unknown> | undefined) ?? null;
          tools.push(info);
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    } catch (error) {
      throw toMcpFailure(error);
    }
    return tools;
  }

  /**
   * Calls a tool. Returns its output as text (text parts joined; other parts as JSON); a result
   * the server marks `isError` throws an `mcp_tool_execution_error` carrying its content.
   */
  async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
    let result: Awaited<ReturnType<Client['callTool']>>;
    try {
      result = await this.#client.callTool({ name, arguments: args }, undefined, { signal, timeout: this.#timeoutMs });
    } catch (error) {
      throw toMcpFailure(error);
    }
    const content = Array.isArray(result.content) ? (result.content as { type: string; text?: string }[]) : [];
    if (result.isError) throw new McpFailure({ type: 'mcp_tool_execution_error', content });
    if (content.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
    if (content.length === 0 && 'toolResult' in result) return JSON.stringify(result.toolResult);
    return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : JSON.stringify(part))).join('\n');
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.close().catch(() => {});
  }
}
