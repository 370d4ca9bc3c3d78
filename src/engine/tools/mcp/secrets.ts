import type { SealedBox } from '../../../crypto/sealed-box.js';

const REDACTED = '[redacted]';
/** Marks a sealed `headers`/`authorization` in a stored request. */
const SEALED_KEY = 'x_kestrel_sealed';

type ToolLike = { type: string } & Record<string, unknown>;

function isMcp(tool: unknown): tool is ToolLike {
  return !!tool && typeof tool === 'object' && (tool as ToolLike).type === 'mcp';
}

/**
 * The `tools` of a request as echoed in a Response object: MCP `authorization` is removed and
 * header values are replaced by `[redacted]`, so stored and returned responses never hold them.
 *
 * @example redactToolSecrets([{ type: 'mcp', server_label: 'gh', authorization: 'ghp_…' }]) // [{ type: 'mcp', server_label: 'gh' }]
 */
export function redactToolSecrets<T>(tools: T[]): T[] {
  return tools.map((tool) => {
    if (!isMcp(tool) || (tool.authorization === undefined && !tool.headers)) return tool;
    const { authorization: _drop, ...rest } = tool;
    const headers = tool.headers && typeof tool.headers === 'object' ? Object.fromEntries(Object.keys(tool.headers).map((name) => [name, REDACTED])) : tool.headers;
    return (headers === undefined ? rest : { ...rest, headers }) as T;
  });
}

/**
 * A request body for the store: MCP `authorization` and `headers` are sealed (AES-256-GCM) into
 * one opaque field, so a background response can still reach its server after a restart while the
 * database never holds them in plain text.
 *
 * @example sealRequestSecrets(params, box).tools[0] // { type: 'mcp', server_label: 'gh', x_kestrel_sealed: 'ksl1.…' }
 */
export function sealRequestSecrets<T extends { tools?: unknown }>(request: T, box: SealedBox): T {
  if (!Array.isArray(request.tools) || !request.tools.some((tool) => isMcp(tool) && (tool.authorization !== undefined || tool.headers))) return request;
  const tools = request.tools.map((tool) => {
    if (!isMcp(tool) || (tool.authorization === undefined && !tool.headers)) return tool;
    const { authorization, headers, ...rest } = tool;
    return { ...rest, [SEALED_KEY]: box.seal({ authorization, headers }) };
  });
  return { ...request, tools };
}

/** Reverses {@link sealRequestSecrets} (a blob that does not open leaves the tool without credentials). */
export function openRequestSecrets<T extends { tools?: unknown }>(request: T, box: SealedBox): T {
  if (!Array.isArray(request.tools)) return request;
  const tools = request.tools.map((tool) => {
    if (!isMcp(tool) || typeof tool[SEALED_KEY] !== 'string') return tool;
    const { [SEALED_KEY]: blob, ...rest } = tool;
    const opened = box.open<{ authorization?: string; headers?: Record<string, string> }>(blob as string);
    return { ...rest, ...(opened?.authorization !== undefined ? { authorization: opened.authorization } : {}), ...(opened?.headers ? { headers: opened.headers } : {}) };
  });
  return { ...request, tools };
}
