import { BackendError, type ModelContentPart, type ModelMessage, type ModelTool, type ModelToolCall } from '../../../backends/types.js';
import { lateSystemNote } from '../../model-messages.js';
import { mcpFunctionName, type PreparedTools } from '../../request-tools.js';
import { invalidRequest } from '../../../protocol/errors.js';
import { newId } from '../../../protocol/ids.js';
import type { InputItem, OutputItem, StoredItem, Tool } from '../../../protocol/index.js';
import { registerDeferredSource, type DeferredSource } from '../tool-search/deferred-sources.js';
import type { SearchableTool } from '../tool-search/searchable-tool.js';
import type { HostedToolKind, HostedToolSession, ReplayTarget, StepContext, StepOutcome, ToolEnvironment, ToolRequestContext } from '../types.js';
import type { McpEndpoint, McpToolInfo } from './connection.js';
import { McpFailure, toMcpFailure } from './errors.js';
import { filterAllowedTools, needsApproval, type AllowedTools, type RequireApproval } from './filters.js';
import { McpServers, McpSpecError } from './servers.js';

const LABEL = /^[a-zA-Z0-9_-]{1,64}$/;

interface ServerState {
  label: string;
  description?: string;
  endpoint: McpEndpoint;
  allowed: AllowedTools;
  requireApproval: RequireApproval;
  deferred: boolean;
  /** The allowed tools, once listed (from the history or the server). */
  tools: McpToolInfo[] | null;
  listedInHistory: boolean;
  /** Why listing the tools failed in this response. */
  listError?: string;
}

interface ApprovalRequest {
  id: string;
  server_label: string;
  name: string;
  arguments: string;
}

/** The hosted `mcp` tool: lists servers' tools, runs their calls (after approval when required). */
export function createMcpKind(env: ToolEnvironment): HostedToolKind {
  const servers = new McpServers(env.config.mcp);
  return {
    name: 'mcp',
    toolTypes: ['mcp'],
    itemTypes: ['mcp_list_tools', 'mcp_call', 'mcp_approval_request', 'mcp_approval_response'],
    async prepare(ctx) {
      const session = new McpSession(servers);
      await session.prepare(ctx);
      return session;
    },
    close: () => servers.close(),
  };
}

const modelName = mcpFunctionName;

function text(message: string): ModelContentPart[] {
  return [{ type: 'text', text: message }];
}

/** What the model reads of a failed call. */
function describeFailure(failure: McpFailure): string {
  const error = failure.error;
  if (error.type === 'mcp_tool_execution_error') {
    const parts = Array.isArray(error.content) ? (error.content as { type?: string; text?: string }[]) : [];
    return `The tool reported an error: ${parts.map((part) => part.text ?? JSON.stringify(part)).join('\n') || 'no details'}`;
  }
  return `The MCP call failed (${error.type} ${error.code}): ${error.message}`;
}

class McpSession implements HostedToolSession {
  readonly #servers: McpServers;
  readonly #state = new Map<string, ServerState>();
  readonly #byModelName = new Map<string, { label: string; tool: string }>();
  readonly #loadedDeferred = new Set<string>();
  readonly #requests = new Map<string, ApprovalRequest>();
  readonly #executed = new Set<string>();
  /** Approvals answered in this request's input, to carry out (or not) before the first model call. */
  readonly #answered: { request: ApprovalRequest; approve: boolean; reason?: string }[] = [];
  /** A `tool_choice` forcing one of this request's servers (checked against its tools once listed). */
  #choice: PreparedTools['hostedChoice'];

  constructor(servers: McpServers) {
    this.#servers = servers;
  }

  async prepare(ctx: ToolRequestContext): Promise<void> {
    const searchable = ctx.allTools.some((entry) => entry.tool.type === 'tool_search');
    for (const { tool, param } of ctx.specs) {
      const spec = tool as Record<string, unknown>;
      const label = spec.server_label;
      if (typeof label !== 'string' || !LABEL.test(label)) throw invalidRequest('server_label is required: 1 to 64 letters, digits, `_` or `-`.', `${param}.server_label`, 'invalid_value');
      if (this.#state.has(label)) throw invalidRequest(`Duplicate mcp server_label '${label}'.`, `${param}.server_label`, 'duplicate_tool');
      if (spec.headers != null && (typeof spec.headers !== 'object' || Object.values(spec.headers).some((value) => typeof value !== 'string'))) {
        throw invalidRequest('headers must map header names to strings.', `${param}.headers`, 'invalid_type');
      }
      if (spec.defer_loading === true && !searchable) throw invalidRequest("defer_loading needs a tool_search tool in 'tools' to load the server's tools later.", `${param}.defer_loading`, 'invalid_value');
      let endpoint: McpEndpoint;
      try {
        endpoint = await this.#servers.resolve({
          server_label: label,
          server_url: typeof spec.server_url === 'string' ? spec.server_url : null,
          connector_id: typeof spec.connector_id === 'string' ? spec.connector_id : null,
          headers: (spec.headers as Record<string, string> | null | undefined) ?? null,
          authorization: typeof spec.authorization === 'string' ? spec.authorization : null,
        });
      } catch (error) {
        if (error instanceof McpSpecError) throw invalidRequest(error.message, `${param}.${error.field}`, error.field === 'server_url' ? 'invalid_mcp_server_url' : 'invalid_mcp_server');
        throw error;
      }
      this.#state.set(label, {
        label,
        description: typeof spec.server_description === 'string' ? spec.server_description : undefined,
        endpoint,
        allowed: spec.allowed_tools as AllowedTools,
        requireApproval: spec.require_approval as RequireApproval,
        deferred: spec.defer_loading === true,
        tools: null,
        listedInHistory: false,
      });
    }

    for (const { item, param } of ctx.items) {
      const raw = item as Record<string, unknown>;
      if (item.type === 'mcp_list_tools' && Array.isArray(raw.tools)) {
        const server = this.#state.get(String(raw.server_label));
        if (server && !raw.error) {
          server.tools = filterAllowedTools(raw.tools as McpToolInfo[], server.allowed);
          server.listedInHistory = true;
        }
      } else if (item.type === 'mcp_approval_request') {
        this.#requests.set(String(raw.id), { id: String(raw.id), server_label: String(raw.server_label), name: String(raw.name), arguments: String(raw.arguments ?? '{}') });
      } else if (item.type === 'mcp_call' && typeof raw.approval_request_id === 'string') {
        this.#executed.add(raw.approval_request_id);
      } else if (item.type === 'mcp_approval_response' && param !== null) {
        const request = this.#requests.get(String(raw.approval_request_id));
        if (!request) throw invalidRequest(`No mcp_approval_request with id '${String(raw.approval_request_id)}' in this conversation.`, `${param}.approval_request_id`, 'approval_request_not_found');
        if (typeof raw.approve !== 'boolean') throw invalidRequest('approve must be true or false.', `${param}.approve`, 'invalid_type');
        if (raw.approve && !this.#state.has(request.server_label)) {
          throw invalidRequest(`The approved call needs the mcp tool for server_label '${request.server_label}' in 'tools'.`, `${param}.approval_request_id`, 'mcp_server_missing');
        }
        this.#answered.push({ request, approve: raw.approve, reason: typeof raw.reason === 'string' ? raw.reason : undefined });
      }
    }
    this.#choice = ctx.tools.hostedChoice;
    if (this.#choice) {
      // A tool that tool_choice forces is loaded from the start, deferred or not.
      const server = this.#state.get(this.#choice.serverLabel);
      if (server?.deferred && this.#choice.name) this.#loadedDeferred.add(`${server.label}.${this.#choice.name}`);
      else if (server) server.deferred = false;
    }
    if ([...this.#state.values()].some((server) => server.deferred)) registerDeferredSource(ctx.params, this.#deferredSource());
  }

  modelTools(): ModelTool[] {
    const tools: ModelTool[] = [];
    for (const server of this.#state.values()) {
      for (const tool of server.tools ?? []) {
        if (server.deferred && !this.#loadedDeferred.has(`${server.label}.${tool.name}`)) continue;
        const name = modelName(server.label, tool.name);
        this.#byModelName.set(name, { label: server.label, tool: tool.name });
        const schema = tool.input_schema && typeof tool.input_schema === 'object' ? tool.input_schema : { type: 'object', properties: {} };
        tools.push({ kind: 'function', name, description: tool.description, parameters: { type: 'object', ...schema } });
      }
    }
    return tools;
  }

  owns(name: string): boolean {
    if (this.#byModelName.has(name)) return true;
    for (const server of this.#state.values()) for (const tool of server.tools ?? []) if (modelName(server.label, tool.name) === name) return true;
    return false;
  }

  replay(item: InputItem | StoredItem, _param: string | null, target: ReplayTarget): void {
    const raw = item as Record<string, unknown>;
    if (item.type === 'mcp_call') {
      const callId = String(raw.id ?? newId('call'));
      const turn = target.assistantTurn();
      turn.toolCalls = [...(turn.toolCalls ?? []), { callId, name: modelName(String(raw.server_label), String(raw.name)), arguments: String(raw.arguments ?? '{}'), kind: 'function' }];
      const result = raw.error ? describeFailure(new McpFailure(raw.error as McpFailure['error'])) : String(raw.output ?? '');
      target.push({ role: 'tool', callId, kind: 'function', content: text(result) });
    } else if (item.type === 'mcp_approval_response' && raw.approve === false) {
      // A refused call: the model learns it was not run. (Approved ones come back as their mcp_call.)
      const request = this.#requests.get(String(raw.approval_request_id));
      if (!request) return;
      const turn = target.assistantTurn();
      turn.toolCalls = [...(turn.toolCalls ?? []), { callId: request.id, name: modelName(request.server_label, request.name), arguments: request.arguments, kind: 'function' }];
      target.push({ role: 'tool', callId: request.id, kind: 'function', content: text(`The user did not approve this call${typeof raw.reason === 'string' && raw.reason ? `: ${raw.reason}` : '.'}`) });
    }
  }

  async begin(ctx: StepContext): Promise<StepOutcome> {
    await Promise.all([...this.#state.values()].filter((server) => !server.listedInHistory).map((server) => this.#list(server, ctx)));
    this.#checkChoice();
    const messages: ModelMessage[] = [];
    // The model is told which servers are missing, so that it says so instead of guessing.
    const failed = [...this.#state.values()].filter((server) => server.listError);
    if (failed.length) {
      const lines = failed.map((server) => `- ${server.label}: ${server.listError}`);
      messages.push(lateSystemNote('system', `These MCP servers could not list their tools, so their tools are not available in this response:\n${lines.join('\n')}`));
    }
    for (const answer of this.#answered) {
      if (!answer.approve || this.#executed.has(answer.request.id)) continue;
      this.#executed.add(answer.request.id);
      const server = this.#state.get(answer.request.server_label)!;
      const callId = newId('call');
      messages.push({ role: 'assistant', content: '', toolCalls: [{ callId, name: modelName(server.label, answer.request.name), arguments: answer.request.arguments, kind: 'function' }] });
      const result = await this.#execute(server, answer.request.name, answer.request.arguments, ctx, answer.request.id);
      messages.push({ role: 'tool', callId, kind: 'function', content: text(result) });
    }
    return { messages };
  }

  async #list(server: ServerState, ctx: StepContext): Promise<void> {
    const handle = ctx.items.open({ type: 'mcp_list_tools', id: newId('mcpl'), server_label: server.label, tools: [], error: null } as OutputItem);
    handle.event('response.mcp_list_tools.in_progress');
    try {
      const { tools } = await this.#servers.listTools(server.endpoint, ctx.signal);
      server.tools = filterAllowedTools(tools, server.allowed);
      Object.assign(handle.item, { tools: server.tools });
      handle.event('response.mcp_list_tools.completed');
    } catch (error) {
      // The item carries the error and the response goes on without this server; nothing is
      // cached, so the next request lists it again.
      const failure = toMcpFailure(error);
      server.tools = [];
      server.listError = failure.message;
      Object.assign(handle.item, { error: failure.message });
      handle.event('response.mcp_list_tools.failed');
    }
    handle.done();
  }

  /** A forced server or tool must exist once listed: the first model call could call nothing else. */
  #checkChoice(): void {
    const choice = this.#choice;
    const server = choice ? this.#state.get(choice.serverLabel) : undefined;
    if (!choice || !server) return;
    if (server.listError) {
      throw new BackendError(424, `tool_choice forces the MCP server '${server.label}', which could not list its tools: ${server.listError}`, { code: 'mcp_list_tools_failed' });
    }
    const tools = server.tools ?? [];
    if (choice.name && !tools.some((tool) => tool.name === choice.name)) {
      throw new BackendError(400, `tool_choice names '${choice.name}', which the MCP server '${server.label}' does not offer${tools.length ? ` (its allowed tools: ${tools.map((tool) => tool.name).join(', ')})` : ''}.`, {
        code: 'invalid_tool_choice',
      });
    }
    if (!tools.length) throw new BackendError(400, `tool_choice forces the MCP server '${server.label}', which offers no tools${server.allowed ? ' that allowed_tools lets through' : ''}.`, { code: 'invalid_tool_choice' });
  }

  async run(call: ModelToolCall, ctx: StepContext): Promise<StepOutcome> {
    const target = this.#byModelName.get(call.name);
    const server = target ? this.#state.get(target.label) : undefined;
    const tool = server?.tools?.find((entry) => entry.name === target!.tool);
    const answer = (message: string): StepOutcome => ({ messages: [{ role: 'tool', callId: call.callId, kind: 'function', content: text(message) }] });
    if (!server || !tool) return answer(`Unknown MCP tool ${call.name}.`);
    const argumentsText = call.arguments.trim() || '{}';
    try {
      const parsed: unknown = JSON.parse(argumentsText);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    } catch {
      return answer('The arguments must be a JSON object.');
    }
    if (needsApproval(server.requireApproval, tool)) {
      // No call without approval: the client answers with an mcp_approval_response in its next request.
      const request = { type: 'mcp_approval_request', id: newId('mcpr'), server_label: server.label, name: tool.name, arguments: argumentsText };
      ctx.items.add(request as OutputItem);
      return { messages: [], stop: true };
    }
    return answer(await this.#execute(server, tool.name, argumentsText, ctx));
  }

  /** Calls a tool, streaming its `mcp_call` item; returns what the model reads. */
  async #execute(server: ServerState, name: string, argumentsText: string, ctx: StepContext, approvalRequestId?: string): Promise<string> {
    const item: Record<string, unknown> = { type: 'mcp_call', id: newId('mcp'), server_label: server.label, name, arguments: '', output: null, error: null, status: 'in_progress' };
    if (approvalRequestId) item.approval_request_id = approvalRequestId;
    const handle = ctx.items.open(item as OutputItem);
    handle.event('response.mcp_call_arguments.delta', { delta: argumentsText });
    Object.assign(handle.item, { arguments: argumentsText });
    handle.event('response.mcp_call_arguments.done', { arguments: argumentsText });
    handle.event('response.mcp_call.in_progress');
    let result: string;
    try {
      const output = await this.#servers.callTool(server.endpoint, name, JSON.parse(argumentsText) as Record<string, unknown>, ctx.signal);
      Object.assign(handle.item, { output, status: 'completed' });
      handle.event('response.mcp_call.completed');
      result = output;
    } catch (error) {
      const failure = toMcpFailure(error);
      Object.assign(handle.item, { error: failure.error, status: 'failed' });
      handle.event('response.mcp_call.failed');
      result = describeFailure(failure);
    }
    handle.done();
    return result;
  }

  #deferredSource(): DeferredSource {
    const deferred = () => [...this.#state.values()].filter((server) => server.deferred);
    return {
      summaries: () => deferred().map((server) => ({ name: server.label, description: server.description ?? `Tools of the MCP server ${server.label}.`, tools: server.tools?.length })),
      searchable: () =>
        deferred().flatMap((server) =>
          (server.tools ?? []).map(
            (tool): SearchableTool => ({ path: `${server.label}.${tool.name}`, name: tool.name, namespace: server.label, namespaceDescription: server.description, description: tool.description, parameters: tool.input_schema }),
          ),
        ),
      owns: (path) => deferred().some((server) => path === server.label || path.startsWith(`${server.label}.`)),
      load: (paths) => {
        const byServer = new Map<string, string[]>();
        for (const path of paths) {
          const server = deferred().find((entry) => path.startsWith(`${entry.label}.`));
          if (!server) continue;
          const name = path.slice(server.label.length + 1);
          this.#loadedDeferred.add(path);
          byServer.set(server.label, [...(byServer.get(server.label) ?? []), name]);
        }
        return [...byServer].map(([label, names]) => ({ type: 'mcp', server_label: label, allowed_tools: names }) as Tool);
      },
      restore: (tool) => {
        const raw = tool as { server_label?: unknown; allowed_tools?: unknown };
        const server = this.#state.get(String(raw.server_label));
        if (!server?.deferred || !Array.isArray(raw.allowed_tools)) return false;
        for (const name of raw.allowed_tools) if (typeof name === 'string') this.#loadedDeferred.add(`${server.label}.${name}`);
        return true;
      },
    };
  }

  async close(): Promise<void> {}
}
