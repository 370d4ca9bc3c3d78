/**
 * The hosted-tool contract: how a tool that Kestrel runs itself (tool search, MCP, computer…)
 * takes part in a response. See `README.md` in this folder for the step loop.
 */
import type { ModelMessage, ModelTool, ModelToolCall } from '../../backends/types.js';
import type { ConfigFile } from '../../config/schema.js';
import type { SealedBox } from '../../crypto/sealed-box.js';
import type { InputItem, OutputItem, ResponseCreateParams, StoredItem, Tool, Usage } from '../../protocol/index.js';
import type { Owner, Store } from '../../store/types.js';
import type { ModelRegistry, ResolvedModel } from '../model-registry.js';
import type { PreparedTools } from '../request-tools.js';

/** A wire tool definition with its path in the request (`tools[3]`), for error `param`s. */
export interface LocatedTool {
  tool: Tool;
  param: string;
}

/** What hosted tools may use, once per engine (pools, caches and sessions live as long as the engine). */
export interface ToolEnvironment {
  config: ConfigFile;
  box: SealedBox;
  store: Store;
  models: ModelRegistry;
  /** The server's data directory (recordings, caches). */
  dataDir: string;
  log(message: string): void;
}

/** What a kind sees of one request when it prepares its session. */
export interface ToolRequestContext {
  /** The request's tools of this kind's `toolTypes` (may be empty when only history items matched). */
  specs: LocatedTool[];
  /** Every tool of the request, in order (tool search needs to see deferred tools). */
  allTools: LocatedTool[];
  /** History and input items of this kind's `itemTypes`, with their `param` (null for stored history). */
  items: { item: InputItem | StoredItem; param: string | null }[];
  /** The request's function and custom tools as prepared for the model. */
  tools: PreparedTools;
  params: ResponseCreateParams;
  owner: Owner;
  model: ResolvedModel;
}

/**
 * A hosted tool type, created once per engine from a {@link ToolEnvironment}.
 *
 * @example
 * const kind: HostedToolKind = { name: 'echo', toolTypes: ['web_search'], itemTypes: ['web_search_call'], async prepare(ctx) { return session; } };
 */
export interface HostedToolKind {
  readonly name: string;
  /** Wire tool `type`s this kind serves (e.g. `['computer', 'computer_use_preview']`). */
  readonly toolTypes: readonly string[];
  /** History item `type`s it replays into model messages (e.g. `['tool_search_call', 'tool_search_output']`). */
  readonly itemTypes: readonly string[];
  /**
   * Validates the request's specs (throw `ApiError` with a `param` for bad input) and makes the
   * per-response session; null when there is nothing to do. Called for every request that has a
   * tool of `toolTypes` or an item of `itemTypes`. Must not call a model.
   */
  prepare(ctx: ToolRequestContext): Promise<HostedToolSession | null>;
  /** Releases engine-wide resources (server shutdown). */
  close?(): Promise<void>;
}

/** Where replayed history goes. */
export interface ReplayTarget {
  /** The assistant turn being built (created when the last message is not one), to add tool calls to. */
  assistantTurn(): Extract<ModelMessage, { role: 'assistant' }>;
  push(message: ModelMessage): void;
}

/** A handle on an output item a hosted tool appended. */
export interface OpenItem {
  readonly item: OutputItem;
  readonly outputIndex: number;
  /** Emits an item-scoped stream event; `item_id` and `output_index` are filled in (e.g. `event('response.mcp_call.in_progress')`). */
  event(type: string, fields?: Record<string, unknown>): void;
  /** Emits `response.output_item.done` with the item as it is now. */
  done(): void;
}

/** Appends output items to the running response, streaming them as they happen. */
export interface ItemSink {
  /** Appends an item and emits `response.output_item.added`; mutate `handle.item`, then call `done()`. */
  open(item: OutputItem): OpenItem;
  /** Appends a finished item (`output_item.added` then `.done`). */
  add(item: OutputItem): void;
}

/** What a hosted tool sees while a response runs. */
export interface StepContext {
  responseId: string;
  owner: Owner;
  /** Aborted on cancel, client disconnect and shutdown: stop work and return promptly. */
  signal: AbortSignal;
  items: ItemSink;
  /** The model call's messages so far (read-only). */
  messages: readonly ModelMessage[];
  /** The response's running usage: hooks that call a model themselves (Thinking's plan) add theirs. */
  readonly usage?: Usage;
}

/** The result of a hosted step. */
export interface StepOutcome {
  /** Messages for the next model call (normally one `tool` message answering the call). */
  messages: ModelMessage[];
  /** Ends the response after this step: the client must act (a client-executed call, an approval, a safety check). */
  stop?: boolean;
}

/** One response's use of a hosted tool kind. */
export interface HostedToolSession {
  /** Tools offered to the model besides the request's own, read again before every model call. */
  modelTools(): ModelTool[];
  /** True when a model tool call with this (backend) name is the session's to run. */
  owns(name: string): boolean;
  /** Converts one history item of the kind's `itemTypes` into model messages, restoring session state from it. */
  replay?(item: InputItem | StoredItem, param: string | null, target: ReplayTarget): void;
  /** Runs before the first model call (e.g. list MCP tools, carry out approvals answered in the input). */
  begin?(ctx: StepContext): Promise<StepOutcome | void>;
  /** Runs one tool call the model made. */
  run(call: ModelToolCall, ctx: StepContext): Promise<StepOutcome>;
  /** Releases per-response resources; called once when the response ends, however it ends. */
  close?(): Promise<void>;
  /** Hooks run before every model call, ahead of the context hooks (e.g. dropping old screenshots). */
  readonly stepHooks?: readonly StepHook[];
}

/**
 * A step hook: runs before every model call, may emit items and replace the messages (compaction
 * past a threshold, steering input, Thinking's plan…). Returning undefined keeps the messages.
 */
export interface StepHook {
  readonly name: string;
  /** May answer synchronously (no await, no promise) when it has nothing to wait for: the step then starts at once. */
  beforeModelCall(state: { step: number; messages: ModelMessage[]; ctx: StepContext }): Promise<ModelMessage[] | void> | ModelMessage[] | void;
}
