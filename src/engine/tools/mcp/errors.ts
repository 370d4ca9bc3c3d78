import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

/** The `error` of an `mcp_call` or `mcp_list_tools` item, as the Responses API types it. */
export type McpItemError =
  | { type: 'mcp_protocol_error'; code: number; message: string }
  | { type: 'mcp_tool_execution_error'; content: unknown }
  | { type: 'http_error'; code: number; message: string };

/** A failed MCP request, carrying the typed error clients see. */
export class McpFailure extends Error {
  readonly error: McpItemError;
  constructor(error: McpItemError) {
    super(error.type === 'mcp_tool_execution_error' ? 'The MCP tool reported an error.' : error.message);
    this.name = 'McpFailure';
    this.error = error;
  }
}

/**
 * Classifies what an MCP request threw: JSON-RPC errors are protocol errors, HTTP statuses and
 * unreachable servers are HTTP errors. Messages never contain request headers.
 *
 * @example toMcpFailure(new McpError(-32601, 'Method not found')).error // { type: 'mcp_protocol_error', code: -32601, … }
 */
export function toMcpFailure(error: unknown): McpFailure {
  if (error instanceof McpFailure) return error;
  if (error instanceof UnauthorizedError) return new McpFailure({ type: 'http_error', code: 401, message: 'The MCP server requires authorization (HTTP 401).' });
  if (error instanceof StreamableHTTPError) {
    const status = error.code ?? 502;
    return new McpFailure({ type: 'http_error', code: status > 0 ? status : 502, message: `The MCP server answered HTTP ${status}: ${trim(error.message)}` });
  }
  if (error instanceof McpError) return new McpFailure({ type: 'mcp_protocol_error', code: error.code, message: trim(error.message) });
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return new McpFailure({ type: 'http_error', code: 504, message: 'The MCP request was aborted or timed out.' });
  return new McpFailure({ type: 'http_error', code: 502, message: `Could not reach the MCP server: ${trim(cause?.message ?? message)}` });
}

function trim(message: string): string {
  return message.length > 500 ? `${message.slice(0, 499)}…` : message;
}
