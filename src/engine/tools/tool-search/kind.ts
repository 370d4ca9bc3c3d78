import { readFileSync } from 'node:fs';
import type { ModelTool, ModelToolCall } from '../../../backends/types.js';
import type { ConfigFile } from '../../../config/schema.js';
import { invalidRequest } from '../../../protocol/errors.js';
import { newId } from '../../../protocol/ids.js';
import type { CustomTool, FunctionTool, InputItem, StoredItem, Tool } from '../../../protocol/index.js';
import type { DeferredTool, PreparedTools } from '../../request-tools.js';
import type { HostedToolKind, HostedToolSession, ReplayTarget, StepContext, StepOutcome, ToolEnvironment, ToolRequestContext } from '../types.js';
import { DenseIndex, type Embedder } from './dense-index.js';
import { deferredSources, type DeferredSource } from './deferred-sources.js';
import { hybridSearch } from './hybrid.js';
import { toolSetHash, getToolSearchIndex } from './index-cache.js';
import { LruCache } from './lru-cache.js';
import { toolSearchFunction, TOOL_SEARCH_FUNCTION, type DeferredSummary } from './model-function.js';
import { resolvePaths } from './paths.js';
import type { SearchableTool } from './searchable-tool.js';

/** Tools a `query` loads by default. */
const DEFAULT_MAX_RESULTS = 5;
/** Schema of a client-executed search when the request gives none (the Agents SDK's default). */
const DEFAULT_CLIENT_PARAMETERS = { type: 'object', properties: { paths: { type: 'array', items: { type: 'string' } } }, required: ['paths'], additionalProperties: false };

let outputTemplate: string | null = null;

interface SearchSpec {
  execution: 'server' | 'client';
  description?: string;
  parameters?: Record<string, unknown>;
}

function readSpec(tool: Tool, param: string): SearchSpec {
  const raw = tool as { execution?: unknown; description?: unknown; parameters?: unknown };
  const execution = raw.execution ?? 'server';
  if (execution !== 'server' && execution !== 'client') throw invalidRequest(`tool_search execution must be 'server' or 'client', got '${String(execution)}'.`, `${param}.execution`, 'invalid_value');
  if (raw.description != null && typeof raw.description !== 'string') throw invalidRequest('tool_search description must be a string.', `${param}.description`, 'invalid_type');
  if (raw.parameters != null && (typeof raw.parameters !== 'object' || Array.isArray(raw.parameters))) throw invalidRequest('tool_search parameters must be a JSON schema object.', `${param}.parameters`, 'invalid_type');
  return { execution, description: (raw.description as string | undefined) ?? undefined, parameters: (raw.parameters as Record<string, unknown> | undefined) ?? undefined };
}

/** The tool-search kind: hosted (`execution: "server"`) and client-executed searches over deferred tools. */
export function createToolSearchKind(env: ToolEnvironment): HostedToolKind {
  const config: NonNullable<ConfigFile['toolSearch']> = env.config.toolSearch ?? {};
  const maxResults = config.maxResults ?? DEFAULT_MAX_RESULTS;
  const dense = new LruCache<string, Promise<DenseIndex | null>>(8);
  const embedder = ((): Embedder | null => {
    if (!config.embeddings) return null;
    const backend = env.models.backends.get(config.embeddings.backend);
    if (!backend?.embed) {
      env.log(`tool search: backend "${config.embeddings.backend}" serves no embeddings; search is lexical only.`);
      return null;
    }
    const model = config.embeddings.model;
    return (texts, signal) => backend.embed!(model, texts, signal);
  })();

  /** The dense index of a tool set, built once per set and embedding model (null when embedding fails). */
  const denseIndex = (tools: readonly SearchableTool[]): Promise<DenseIndex | null> => {
    if (!embedder) return Promise.resolve(null);
    const key = toolSetHash(tools);
    let found = dense.get(key);
    if (!found) {
      found = DenseIndex.build(tools, embedder).catch((error: unknown) => {
        env.log(`tool search: embeddings failed, lexical only: ${(error as Error).message}`);
        dense.delete(key);
        return null;
      });
      dense.set(key, found);
    }
    return found;
  };

  return {
    name: 'tool-search',
    toolTypes: ['tool_search'],
    itemTypes: ['tool_search_call', 'tool_search_output'],
    async prepare(ctx) {
      if (ctx.specs.length > 1) throw invalidRequest('Only one tool_search tool may be given.', `${ctx.specs[1].param}.type`, 'duplicate_tool');
      const spec = ctx.specs[0] ? readSpec(ctx.specs[0].tool, ctx.specs[0].param) : null;
      return new ToolSearchSession(spec, ctx, { maxResults, denseIndex, embedder });
    },
  };
}

interface SessionDeps {
  maxResults: number;
  denseIndex(tools: readonly SearchableTool[]): Promise<DenseIndex | null>;
  embedder: Embedder | null;
}

/** One response's tool search: what is deferred, what is loaded, and the search itself. */
class ToolSearchSession implements HostedToolSession {
  readonly #spec: SearchSpec | null;
  readonly #tools: PreparedTools;
  readonly #request: object;
  readonly #deps: SessionDeps;
  readonly #deferred = new Map<string, DeferredTool>();
  /** Loaded tools, in load order (appended at the end of the model's tools: prompt caches survive). */
  readonly #loaded = new Map<string, ModelTool>();
  /** A replayed call whose output has not come yet (hosted outputs carry no call_id). */
  #pendingCallId: string | null = null;

  constructor(spec: SearchSpec | null, ctx: ToolRequestContext, deps: SessionDeps) {
    this.#spec = spec;
    this.#tools = ctx.tools;
    this.#request = ctx.params;
    this.#deps = deps;
    for (const tool of ctx.tools.deferred) this.#deferred.set(tool.path, tool);
  }

  get #sources(): readonly DeferredSource[] {
    return deferredSources(this.#request);
  }

  modelTools(): ModelTool[] {
    // A tool the request also sends without defer_loading is offered once, by the request.
    const offered = new Set(this.#tools.tools.map((tool) => tool.name));
    const loaded = [...this.#loaded.values()].filter((tool) => !offered.has(tool.name));
    return this.#spec ? [this.#searchFunction(), ...loaded] : loaded;
  }

  owns(name: string): boolean {
    return this.#spec !== null && name === TOOL_SEARCH_FUNCTION;
  }

  #searchFunction(): ModelTool {
    const spec = this.#spec!;
    if (spec.execution === 'client') {
      return { kind: 'function', name: TOOL_SEARCH_FUNCTION, description: spec.description ?? 'Search for and load more tools by name.', parameters: spec.parameters ?? DEFAULT_CLIENT_PARAMETERS };
    }
    const tool = toolSearchFunction(this.#summaries(), this.#deps.maxResults);
    return spec.description ? { ...tool, description: `${spec.description}\n\n${tool.description}` } : tool;
  }

  /** Namespaces and top-level deferred tools, as the model first sees them. */
  #summaries(): DeferredSummary[] {
    const namespaces = new Map<string, DeferredSummary>();
    const summaries: DeferredSummary[] = [];
    for (const tool of this.#deferred.values()) {
      if (this.#loaded.has(tool.path)) continue;
      if (!tool.namespace) {
        summaries.push({ name: tool.path, description: tool.definition.description ?? undefined });
        continue;
      }
      const entry = namespaces.get(tool.namespace);
      if (entry) entry.tools = (entry.tools ?? 0) + 1;
      else {
        const summary = { name: tool.namespace, description: tool.namespaceDescription, tools: 1 };
        namespaces.set(tool.namespace, summary);
        summaries.push(summary);
      }
    }
    for (const source of this.#sources) summaries.push(...source.summaries());
    return summaries;
  }

  #searchable(): SearchableTool[] {
    const own: SearchableTool[] = [...this.#deferred.values()].map((tool) => ({
      path: tool.path,
      name: tool.definition.name,
      namespace: tool.namespace,
      namespaceDescription: tool.namespaceDescription,
      description: tool.definition.description ?? undefined,
      parameters: tool.definition.type === 'function' ? tool.definition.parameters : undefined,
    }));
    return [...own, ...this.#sources.flatMap((source) => source.searchable())];
  }

  async run(call: ModelToolCall, ctx: StepContext): Promise<StepOutcome> {
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(call.arguments || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      args = parsed as Record<string, unknown>;
    } catch {
      return { messages: [this.#answer(call.callId, `The ${TOOL_SEARCH_FUNCTION} arguments must be a JSON object such as {"query": "send an email"}.`)] };
    }
    if (this.#spec?.execution === 'client') {
      // The client runs this search: it answers with a tool_search_output in its next request.
      ctx.items.add({ type: 'tool_search_call', id: newId('ts'), call_id: call.callId, execution: 'client', arguments: args, status: 'completed' });
      return { messages: [], stop: true };
    }
    const query = typeof args.query === 'string' ? args.query.trim() : '';
    const paths = Array.isArray(args.paths) ? args.paths.filter((path): path is string => typeof path === 'string') : [];
    const callItem = ctx.items.open({ type: 'tool_search_call', id: newId('ts'), call_id: null, execution: 'server', arguments: args, status: 'in_progress' });
    const found = await this.#find(query, paths, ctx);
    Object.assign(callItem.item, { status: 'completed' });
    callItem.done();
    const loaded = this.#load(found.paths);
    ctx.items.add({ type: 'tool_search_output', id: newId('tso'), call_id: null, execution: 'server', tools: loaded.definitions, status: 'completed' });
    return { messages: [this.#answer(call.callId, this.#describe(loaded.names, found.missing, query))] };
  }

  async #find(query: string, requested: string[], ctx: StepContext): Promise<{ paths: string[]; missing: string[] }> {
    const tools = this.#searchable();
    const index = getToolSearchIndex(tools);
    const byPaths = resolvePaths(index, requested);
    const paths = [...byPaths.paths];
    if (query) {
      const exclude = new Set([...this.#loaded.keys(), ...paths]);
      const contextNamespaces = [...new Set([...this.#loaded.keys()].map((path) => path.split('.')[0]))];
      const dense = await this.#deps.denseIndex(tools);
      const hits = await hybridSearch(index, dense, this.#deps.embedder, query, { limit: this.#deps.maxResults, exclude, contextNamespaces, signal: ctx.signal });
      paths.push(...hits.map((hit) => hit.path));
    }
    return { paths, missing: byPaths.missing };
  }

  /** Loads paths; returns the model names loaded and the definitions for the output item. */
  #load(paths: readonly string[]): { names: string[]; definitions: Tool[] } {
    const own = paths.filter((path) => this.#deferred.has(path));
    const definitions: Tool[] = groupDefinitions(own.map((path) => this.#deferred.get(path)!));
    const names: string[] = [];
    for (const path of own) {
      if (!this.#loaded.has(path)) this.#loaded.set(path, this.#deferred.get(path)!.model);
      names.push(path);
    }
    for (const source of this.#sources) {
      const theirs = paths.filter((path) => !this.#deferred.has(path) && source.owns(path));
      if (theirs.length === 0) continue;
      definitions.push(...source.load(theirs));
      names.push(...theirs);
    }
    return { names, definitions };
  }

  #describe(names: string[], missing: string[], query: string): string {
    outputTemplate ??= readFileSync(new URL('./tool-search-output.txt', import.meta.url), 'utf8').trim();
    const lines: string[] = [];
    if (names.length) lines.push(outputTemplate.replace('{count}', String(names.length)).replace('{list}', names.map((name) => `- ${name}`).join('\n')));
    else lines.push(query ? `No tool matched "${query}". Try other words, or load a namespace with "paths".` : 'Nothing was loaded: give a "query" or "paths".');
    if (missing.length) lines.push(`Not found: ${missing.join(', ')}.`);
    return lines.join('\n');
  }

  #answer(callId: string, text: string) {
    return { role: 'tool' as const, callId, kind: 'function' as const, content: [{ type: 'text' as const, text }] };
  }

  replay(item: InputItem | StoredItem, param: string | null, target: ReplayTarget): void {
    const raw = item as { type: string; id?: string | null; call_id?: string | null; arguments?: unknown; tools?: unknown; execution?: string };
    if (raw.type === 'tool_search_call') {
      const callId = raw.call_id ?? raw.id ?? newId('call');
      const turn = target.assistantTurn();
      turn.toolCalls = [...(turn.toolCalls ?? []), { callId, name: TOOL_SEARCH_FUNCTION, arguments: JSON.stringify(raw.arguments ?? {}), kind: 'function' }];
      this.#pendingCallId = callId;
      return;
    }
    const callId = raw.call_id ?? this.#pendingCallId;
    this.#pendingCallId = null;
    if (!Array.isArray(raw.tools)) throw invalidRequest('tool_search_output needs a tools array.', param ? `${param}.tools` : 'input', 'invalid_type');
    const names = this.#restore(raw.tools as Tool[], param);
    if (callId) target.push(this.#answer(callId, this.#describe(names, [], '')));
  }

  /** Restores loaded tools from a replayed output: known deferred tools by path, others as given (client searches). */
  #restore(tools: Tool[], param: string | null): string[] {
    const names: string[] = [];
    const loadOne = (tool: FunctionTool | CustomTool, namespace: string | undefined, at: string) => {
      const path = namespace ? `${namespace}.${tool.name}` : tool.name;
      const known = this.#deferred.get(path);
      if (!this.#loaded.has(path)) this.#loaded.set(path, known ? known.model : this.#tools.load(tool, namespace, at));
      names.push(path);
    };
    tools.forEach((tool, index) => {
      const at = param ? `${param}.tools[${index}]` : 'input';
      if (tool.type === 'function' || tool.type === 'custom') loadOne(tool as FunctionTool | CustomTool, undefined, at);
      else if (tool.type === 'namespace') {
        const ns = tool as Extract<Tool, { type: 'namespace' }>;
        for (const member of ns.tools ?? []) if (member.type === 'function' || member.type === 'custom') loadOne(member, ns.name, at);
      } else if (tool.type === 'mcp') {
        for (const source of this.#sources) if (source.restore(tool)) names.push(String((tool as { server_label?: unknown }).server_label));
      }
    });
    return names;
  }
}

/** Deferred tools as a `tool_search_output` lists them: namespace members grouped under their namespace. */
function groupDefinitions(tools: DeferredTool[]): Tool[] {
  const out: Tool[] = [];
  const namespaces = new Map<string, Extract<Tool, { type: 'namespace' }>>();
  for (const tool of tools) {
    if (!tool.namespace) {
      out.push(tool.definition);
      continue;
    }
    let ns = namespaces.get(tool.namespace);
    if (!ns) {
      ns = { type: 'namespace', name: tool.namespace, description: tool.namespaceDescription ?? null, tools: [] };
      namespaces.set(tool.namespace, ns);
      out.push(ns);
    }
    ns.tools.push(tool.definition);
  }
  return out;
}
