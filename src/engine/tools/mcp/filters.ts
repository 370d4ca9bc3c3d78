import type { McpToolInfo } from './connection.js';

/** `allowed_tools` of an `mcp` tool: names, or a filter on names and the read-only hint. */
export type AllowedTools = string[] | { tool_names?: string[] | null; read_only?: boolean | null } | null | undefined;
/** `require_approval` of an `mcp` tool. */
export type RequireApproval = 'always' | 'never' | { always?: ToolFilter | null; never?: ToolFilter | null } | null | undefined;
interface ToolFilter {
  tool_names?: string[] | null;
  read_only?: boolean | null;
}

function isReadOnly(tool: McpToolInfo): boolean {
  return tool.annotations?.readOnlyHint === true;
}

function matches(filter: ToolFilter | null | undefined, tool: McpToolInfo): boolean {
  if (!filter) return false;
  const byName = Array.isArray(filter.tool_names) ? filter.tool_names.includes(tool.name) : null;
  const byReadOnly = typeof filter.read_only === 'boolean' ? isReadOnly(tool) === filter.read_only : null;
  if (byName === null && byReadOnly === null) return false;
  return (byName ?? true) && (byReadOnly ?? true);
}

/**
 * The tools of a server the request may use: all, or those named in `allowed_tools`, or those
 * matching its filter (names and/or the server's `readOnlyHint`).
 *
 * @example filterAllowedTools(tools, ['search']) // only the tool named search
 */
export function filterAllowedTools(tools: McpToolInfo[], allowed: AllowedTools): McpToolInfo[] {
  if (!allowed) return tools;
  if (Array.isArray(allowed)) return tools.filter((tool) => allowed.includes(tool.name));
  if (!Array.isArray(allowed.tool_names) && typeof allowed.read_only !== 'boolean') return tools;
  return tools.filter((tool) => matches(allowed, tool));
}

/**
 * Whether a call of this tool needs the client's approval first. The default, as on OpenAI, is
 * `always`; a filter object requires approval unless the tool matches `never` (and not `always`).
 *
 * @example needsApproval({ never: { tool_names: ['search'] } }, searchTool) // false
 */
export function needsApproval(policy: RequireApproval, tool: McpToolInfo): boolean {
  if (policy === 'never') return false;
  if (policy === 'always' || policy === null || policy === undefined) return true;
  if (matches(policy.always, tool)) return true;
  if (matches(policy.never, tool)) return false;
  return true;
}
