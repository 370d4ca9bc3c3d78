import type { ModelTool, ModelToolChoice } from '../backends/types.js';
import type { CustomTool, FunctionTool, Tool, ToolChoice } from '../protocol/index.js';
import { invalidRequest } from '../protocol/errors.js';
import { compileGrammar, GrammarError, type CompiledGrammar } from './grammar/index.js';

/** The tools of a request, as offered to the model. */
export interface PreparedTools {
  tools: ModelTool[];
  toolChoice: ModelToolChoice;
  /** Compiled grammars of custom tools, by backend tool name. */
  grammars: Map<string, CompiledGrammar>;
  /** Custom tools by backend name. */
  customTools: Set<string>;
  /** Maps a backend tool name back to the wire name and namespace. */
  fromBackendName(name: string): { name: string; namespace?: string };
  /** The backend name for a wire (namespace, name) pair. */
  toBackendName(name: string, namespace?: string | null): string;
}

// Namespaced tools are flattened for models that know nothing of namespaces.
const NAMESPACE_SEPARATOR = '__';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

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

  const add = (tool: FunctionTool | CustomTool, param: string, namespace?: string) => {
    const backendName = namespace ? `${namespace}${NAMESPACE_SEPARATOR}${tool.name}` : tool.name;
    if (reverse.has(backendName)) throw invalidRequest(`Duplicate tool name: '${namespace ? `${namespace}.` : ''}${tool.name}'.`, `${param}.name`, 'duplicate_tool_name');
    reverse.set(backendName, namespace ? { name: tool.name, namespace } : { name: tool.name });
    if (!namespace) byWireName.set(tool.name, backendName);
    if (tool.type === 'function') {
      tools.push({
        kind: 'function',
        name: backendName,
        description: tool.description ?? undefined,
        parameters: (tool.parameters as Record<string, unknown> | null | undefined) ?? EMPTY_PARAMETERS,
        strict: tool.strict ?? undefined,
      });
      return;
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
    tools.push({
      kind: 'custom',
      name: backendName,
      description: tool.description ?? undefined,
      grammar: format ? { syntax: format.syntax, definition: format.definition } : undefined,
    });
  };

  (wireTools ?? []).forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (tool.type === 'function' || tool.type === 'custom') add(tool as FunctionTool | CustomTool, param);
    else if (tool.type === 'namespace') {
      const ns = tool as Extract<Tool, { type: 'namespace' }>;
      ns.tools.forEach((member, memberIndex) => add(member, `${param}.tools[${memberIndex}]`, ns.name));
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
    } else {
      throw invalidRequest(`tool_choice of type '${wireChoice.type}' is not supported: Kestrel does not run that hosted tool for this request.`, 'tool_choice.type', 'unsupported_tool_choice');
    }
  }

  return {
    tools: offered,
    toolChoice,
    grammars,
    customTools,
    fromBackendName: (name) => reverse.get(name) ?? { name },
    toBackendName: (name, namespace) => (namespace ? `${namespace}${NAMESPACE_SEPARATOR}${name}` : name),
  };
}
