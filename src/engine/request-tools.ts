import type { ModelTool, ModelToolChoice } from '../backends/types.js';
import type { CustomTool, FunctionTool, Tool, ToolChoice } from '../protocol/index.js';
import { invalidRequest } from '../protocol/errors.js';
import { compileGrammar, GrammarError, type CompiledGrammar } from './grammar/index.js';

/** A tool with `defer_loading` behind tool search: known by name, offered once a search loads it. */
export interface DeferredTool {
  /** `name`, or `namespace.name` for a namespace member. */
  path: string;
  namespace?: string;
  namespaceDescription?: string;
  definition: FunctionTool | CustomTool;
  model: ModelTool;
}

/** The tools of a request, as offered to the model. */
export interface PreparedTools {
  tools: ModelTool[];
  /** Tools with `defer_loading` (when the request has a `tool_search` tool): registered, not offered until loaded. */
  deferred: DeferredTool[];
  /** Registers a definition that arrived later (a client's `tool_search_output`) and returns it as the model sees it. */
  load(tool: FunctionTool | CustomTool, namespace: string | undefined, param: string): ModelTool;
  toolChoice: ModelToolChoice;
  /** Compiled grammars of custom tools, by backend tool name. */
  grammars: Map<string, CompiledGrammar>;
  /** Custom tools by backend name. */
  customTools: Set<string>;
  /** Maps a backend tool name back to the wire name and namespace. */
  fromBackendName(name: string): { name: string; namespace?: string };
  /** The backend name for a wire (namespace, name) pair. */
  toBackendName(name: string, namespace?: string | null): string;
  /**
   * Set when `tool_choice` forces a hosted MCP server (`{"type":"mcp","server_label",name?}`): the
   * response's first model call is offered only the hosted tools `matches` accepts and must call
   * one (the named tool, or any of the server's); later calls choose freely.
   */
  hostedChoice?: { type: 'mcp'; serverLabel: string; name?: string; matches(name: string): boolean };
}

const COMPUTER_TYPES = new Set(['computer', 'computer_use_preview', 'computer_use']);

/** The model-facing name of the computer tool: `computer`, unless the request has its own function of that name. */
export function computerFunctionName(names: { has(name: string): boolean }): string {
  return names.has('computer') ? 'kestrel_computer' : 'computer';
}

// Namespaced tools are flattened for models that know nothing of namespaces.
const NAMESPACE_SEPARATOR = '__';

/** Model-facing names stay within the characters and length every backend accepts. */
const MODEL_NAME_LIMIT = 64;

/**
 * The model-facing name of an MCP server's tool: `label__tool`.
 *
 * @example mcpFunctionName('github', 'create_issue') // 'github__create_issue'
 */
export function mcpFunctionName(label: string, tool: string): string {
  return `${label}${NAMESPACE_SEPARATOR}${tool}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MODEL_NAME_LIMIT);
}

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

/** An unregistered `namespace__name` (a tool loaded by a client's tool search) read back as its parts. */
function splitBackendName(name: string): { name: string; namespace?: string } {
  const at = name.indexOf(NAMESPACE_SEPARATOR);
  return at > 0 && at + NAMESPACE_SEPARATOR.length < name.length ? { name: name.slice(at + NAMESPACE_SEPARATOR.length), namespace: name.slice(0, at) } : { name };
}

/**
 * Validates `tools` and `tool_choice` and converts them for the model.
 * Hosted tool types that Kestrel does not run for this request are not offered to the model.
 *
 * @example prepareTools(params.tools, params.tool_choice)
 */
export function prepareTools(wireTools: Tool[] | null | undefined, wireChoice: ToolChoice | null | undefined): PreparedTools {
  const tools: ModelTool[] = [];
  const grammars = new Map<string, CompiledGrammar>();
  const customTools = new Set<string>();
  const reverse = new Map<string, { name: string; namespace?: string }>();
  const byWireName = new Map<string, string>();
  const deferred: DeferredTool[] = [];
  const models = new Map<string, ModelTool>();
  // Deferred loading needs a tool search to load the tools later.
  const searchable = (wireTools ?? []).some((tool) => tool.type === 'tool_search');

  const add = (tool: FunctionTool | CustomTool, param: string, namespace?: string, namespaceDescription?: string) => {
    const backendName = namespace ? `${namespace}${NAMESPACE_SEPARATOR}${tool.name}` : tool.name;
    if (reverse.has(backendName)) throw invalidRequest(`Duplicate tool name: '${namespace ? `${namespace}.` : ''}${tool.name}'.`, `${param}.name`, 'duplicate_tool_name');
    if (tool.defer_loading && !searchable) throw invalidRequest("defer_loading needs a tool_search tool in 'tools' to load the tool later.", `${param}.defer_loading`, 'invalid_value');
    const model = register(tool, param, backendName, namespace);
    if (!tool.defer_loading) tools.push(model);
    else deferred.push({ path: namespace ? `${namespace}.${tool.name}` : tool.name, namespace, namespaceDescription, definition: tool, model });
  };

  const register = (tool: FunctionTool | CustomTool, param: string, backendName: string, namespace?: string): ModelTool => {
    reverse.set(backendName, namespace ? { name: tool.name, namespace } : { name: tool.name });
    if (!namespace) byWireName.set(tool.name, backendName);
    const model = toModelTool(tool, param, backendName);
    models.set(backendName, model);
    return model;
  };

  const toModelTool = (tool: FunctionTool | CustomTool, param: string, backendName: string): ModelTool => {
    if (tool.type === 'function') {
      return {
        kind: 'function',
        name: backendName,
        description: tool.description ?? undefined,
        parameters: (tool.parameters as Record<string, unknown> | null | undefined) ?? EMPTY_PARAMETERS,
        strict: tool.strict ?? undefined,
      };
    }
    customTools.add(backendName);
    const format = tool.format?.type === 'grammar' ? tool.format : undefined;
    if (format) {
      try {
        grammars.set(backendName, compileGrammar(format));
      } catch (error) {
        if (error instanceof GrammarError) throw invalidRequest(`Invalid ${format.syntax} grammar for tool '${tool.name}': ${error.message}`, `${param}.format.definition`, 'invalid_grammar');
        throw error;
      }
    }
    return {
      kind: 'custom',
      name: backendName,
      description: tool.description ?? undefined,
      grammar: format ? { syntax: format.syntax, definition: format.definition } : undefined,
    };
  };

  (wireTools ?? []).forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (tool.type === 'function' || tool.type === 'custom') add(tool as FunctionTool | CustomTool, param);
    else if (tool.type === 'namespace') {
      const ns = tool as Extract<Tool, { type: 'namespace' }>;
      ns.tools.forEach((member, memberIndex) => add(member, `${param}.tools[${memberIndex}]`, ns.name, ns.description ?? undefined));
    }
  });

  const resolveChoiceName = (name: string, type: string, param: string): string => {
    const backendName = byWireName.get(name) ?? (reverse.has(name) ? name : undefined);
    if (!backendName) throw invalidRequest(`Tool choice '${name}' not found in 'tools' parameter.`, param, 'invalid_tool_choice');
    const isCustom = customTools.has(backendName);
    if ((type === 'function' && isCustom) || (type === 'custom' && !isCustom)) {
      throw invalidRequest(`Tool choice '${name}' is a ${isCustom ? 'custom' : 'function'} tool, not a ${type} tool.`, `${param}.type`, 'invalid_tool_choice');
    }
    return backendName;
  };

  let toolChoice: ModelToolChoice = 'auto';
  let offered = tools;
  let hostedChoice: PreparedTools['hostedChoice'];
  if (typeof wireChoice === 'string') {
    toolChoice = wireChoice;
    if (wireChoice === 'required' && tools.length === 0) throw invalidRequest("tool_choice 'required' needs at least one function or custom tool in 'tools'.", 'tool_choice', 'invalid_tool_choice');
  } else if (wireChoice) {
    if (wireChoice.type === 'function' || wireChoice.type === 'custom') {
      toolChoice = { name: resolveChoiceName((wireChoice as { name: string }).name, wireChoice.type, 'tool_choice.name') };
    } else if (wireChoice.type === 'allowed_tools') {
      const allowed = new Set<string>();
      (wireChoice as { tools: { type: string; name?: string }[] }).tools.forEach((entry, index) => {
        if (entry.type !== 'function' && entry.type !== 'custom') {
          throw invalidRequest(`allowed_tools entries of type '${entry.type}' are not supported for this request; list function or custom tools.`, `tool_choice.tools[${index}].type`, 'invalid_tool_choice');
        }
        if (!entry.name) throw invalidRequest('Each allowed tool needs a name.', `tool_choice.tools[${index}].name`, 'missing_required_parameter');
        allowed.add(resolveChoiceName(entry.name, entry.type, `tool_choice.tools[${index}].name`));
      });
      offered = tools.filter((tool) => allowed.has(tool.name));
      toolChoice = (wireChoice as { mode: 'auto' | 'required' }).mode;
    } else if (wireChoice.type === 'mcp') {
      hostedChoice = mcpChoice(wireChoice as { server_label?: unknown; name?: unknown }, wireTools ?? []);
      toolChoice = hostedChoice.name ? { name: mcpFunctionName(hostedChoice.serverLabel, hostedChoice.name) } : 'required';
    } else if (COMPUTER_TYPES.has(wireChoice.type) && (wireTools ?? []).some((tool) => COMPUTER_TYPES.has(tool.type))) {
      // The computer tool reaches the model as a function (engine/tools/computer names it so).
      toolChoice = { name: computerFunctionName(reverse) };
    } else {
      throw invalidRequest(`tool_choice of type '${wireChoice.type}' is not supported: Kestrel does not run that hosted tool for this request.`, 'tool_choice.type', 'unsupported_tool_choice');
    }
  }

  // A tool the request forces is loaded from the start.
  if (typeof toolChoice === 'object') {
    const forced = deferred.findIndex((entry) => entry.model.name === (toolChoice as { name: string }).name);
    if (forced >= 0) offered.push(deferred.splice(forced, 1)[0].model);
  }

  return {
    tools: offered,
    deferred,
    load(tool, namespace, param) {
      const backendName = namespace ? `${namespace}${NAMESPACE_SEPARATOR}${tool.name}` : tool.name;
      return models.get(backendName) ?? register(tool, param, backendName, namespace);
    },
    toolChoice,
    grammars,
    customTools,
    fromBackendName: (name) => reverse.get(name) ?? splitBackendName(name),
    toBackendName: (name, namespace) => (namespace ? `${namespace}${NAMESPACE_SEPARATOR}${name}` : name),
    ...(hostedChoice ? { hostedChoice } : {}),
  };
}

/** Checks `{"type":"mcp","server_label",name?}` against the request's `mcp` tools (their tools are listed later, when the response runs). */
function mcpChoice(choice: { server_label?: unknown; name?: unknown }, wireTools: Tool[]): NonNullable<PreparedTools['hostedChoice']> {
  const label = choice.server_label;
  if (typeof label !== 'string' || !label) throw invalidRequest("tool_choice of type 'mcp' needs the server_label of an mcp tool in 'tools'.", 'tool_choice.server_label', 'missing_required_parameter');
  if (!wireTools.some((tool) => tool.type === 'mcp' && (tool as { server_label?: unknown }).server_label === label)) {
    throw invalidRequest(`tool_choice names the MCP server '${label}', but no mcp tool in 'tools' has that server_label.`, 'tool_choice.server_label', 'invalid_tool_choice');
  }
  if (choice.name != null && (typeof choice.name !== 'string' || !choice.name)) throw invalidRequest('tool_choice.name must name one of the MCP server’s tools.', 'tool_choice.name', 'invalid_type');
  const name = typeof choice.name === 'string' ? choice.name : undefined;
  const forced = name ? mcpFunctionName(label, name) : undefined;
  const prefix = mcpFunctionName(label, '');
  return { type: 'mcp', serverLabel: label, name, matches: (candidate) => (forced ? candidate === forced : candidate.startsWith(prefix)) };
}
