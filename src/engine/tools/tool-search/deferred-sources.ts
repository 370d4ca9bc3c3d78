import type { Tool } from '../../../protocol/index.js';
import type { DeferredSummary } from './model-function.js';
import type { SearchableTool } from './searchable-tool.js';

/**
 * Deferred tools that are not the request's own function and custom tools: the tools of MCP
 * servers with `defer_loading`, known once the servers are listed.
 */
export interface DeferredSource {
  /** What the model is told before it searches (one entry per server). */
  summaries(): DeferredSummary[];
  /** The tools a search may find now (empty until listed). */
  searchable(): SearchableTool[];
  /** Whether a path (`label.tool`) or a namespace (`label`) is this source's. */
  owns(pathOrNamespace: string): boolean;
  /** Loads tools by path and returns their definitions for a `tool_search_output` (no secrets). */
  load(paths: readonly string[]): Tool[];
  /** Restores tools a replayed `tool_search_output` loaded. */
  restore(tool: Tool): boolean;
}

// Per request: both hosted kinds see the same request parameters object while preparing.
const sources = new WeakMap<object, DeferredSource[]>();

/**
 * Registers a source of deferred tools for one request (keyed by its parameters object).
 *
 * @example registerDeferredSource(ctx.params, mcpSession.deferred);
 */
export function registerDeferredSource(request: object, source: DeferredSource): void {
  const list = sources.get(request) ?? [];
  list.push(source);
  sources.set(request, list);
}

/** The deferred sources registered for a request. */
export function deferredSources(request: object): readonly DeferredSource[] {
  return sources.get(request) ?? [];
}
