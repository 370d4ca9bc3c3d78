/**
 * Hosted MCP: a client for remote (streamable HTTP) and local (stdio) MCP servers with the
 * official SDK, typed errors, tool-list caching per server and credentials, `allowed_tools` and
 * `require_approval` policies, private-network refusal and secret redaction.
 */
export { createMcpKind } from './kind.js';
export { McpServers, McpSpecError, type McpServerSpec } from './servers.js';
export { McpConnection, type McpEndpoint, type McpToolInfo } from './connection.js';
export { McpFailure, toMcpFailure, type McpItemError } from './errors.js';
export { filterAllowedTools, needsApproval, type AllowedTools, type RequireApproval } from './filters.js';
export { checkServerUrl, isPrivateAddress, RefusedServerUrl } from './address-guard.js';
export { redactToolSecrets, sealRequestSecrets, openRequestSecrets } from './secrets.js';
export { serverKey } from './server-key.js';
export { McpListCache } from './list-cache.js';
