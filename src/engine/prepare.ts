import type { ModelRequest, ModelResponseFormat } from '../backends/types.js';
import { SealedBox } from '../crypto/sealed-box.js';
import { ApiError, invalidRequest, notFound } from '../protocol/errors.js';
import { itemIdPrefix, newId, ID_PREFIX } from '../protocol/ids.js';
import type { InputItem, ResponseCreateParams, ResponseObject, StoredItem, Tool } from '../protocol/index.js';
import type { Owner, Store } from '../store/types.js';
import { createEnvelope } from './envelope.js';
import type { ModelRegistry, ResolvedModel } from './model-registry.js';
import type { LocatedItem, OpenedReasoning } from './model-messages.js';
import { prepareTools, type PreparedTools } from './request-tools.js';
import { prepareHostedTools, type PreparedHostedTools } from './tools/prepare-hosted.js';
import { ReasoningEnvironment } from './reasoning/environment.js';
import { echoEffort, modelReasoning, prepareReasoning, reasoningHooks, type PreparedReasoning } from './reasoning/prepare-reasoning.js';
import { resolveModelTier } from './reasoning/tier.js';
import type { HostedToolKind, StepHook } from './tools/types.js';
import type { ContextSettings } from '../config/schema.js';
import { prepareContext, withSession, type PreparedContext } from './context/prepare-context.js';
import { sharedChains } from './context/chain-cache.js';

/** Everything needed to run a response, validated: nothing here can fail later for bad input. */
export interface PreparedResponse {
  owner: Owner;
  params: ResponseCreateParams;
  model: ResolvedModel;
  /** The envelope (status queued or in_progress, no output yet). */
  response: ResponseObject;
  /** This request's own input items, with ids, as stored and listed by `input_items`. */
  inputItems: StoredItem[];
  tools: PreparedTools;
  /** Hosted tool sessions (search, MCP, computer…) run by the engine between model calls. */
  hosted: PreparedHostedTools;
  /** Run before every model call, in order (compaction, steering, Thinking…). */
  stepHooks: StepHook[];
  /** The first model call, minus the abort signal (`tools` includes the hosted tools' own). */
  modelRequest: Omit<ModelRequest, 'signal'>;
  conversationId: string | null;
  /** Whether `include` asks for `reasoning.encrypted_content`. */
  includeEncrypted: boolean;
  /** Hold text back until validated (JSON schema on a backend without constrained decoding). */
  validateJsonSchema: Record<string, unknown> | null;
  /** Effort used, Thinking, Pro and steering (see `reasoning/`). */
  reasoning?: PreparedReasoning;
  /** How the conversation was fitted into the window (counts, details, compaction). */
  context: PreparedContext;
}

export interface PrepareDeps {
  store: Store;
  models: ModelRegistry;
  box: SealedBox;
  hostedTools?: readonly HostedToolKind[];
  /** Pro settings and the steering registry (the engine's). */
  reasoning?: ReasoningEnvironment;
  /** The config file's `context` settings. */
  context?: ContextSettings;
  log?: (message: string) => void;
}

const CALL_TYPES = new Set(['function_call', 'custom_tool_call', 'computer_call', 'local_shell_call', 'shell_call', 'apply_patch_call', 'tool_search_call']);
const OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output', 'computer_call_output', 'local_shell_call_output', 'shell_call_output', 'apply_patch_call_output']);

/** Normalises `input` into items with ids (a string becomes one user message). */
export function normaliseInput(input: ResponseCreateParams['input']): InputItem[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }];
  return input as InputItem[];
}

/** An input item as stored: string message content becomes one content part, and it gets an id if it had none. */
export function withId(item: InputItem): StoredItem {
  if (item.type === 'message' && typeof item.content === 'string') {
    const part = item.role === 'assistant' ? { type: 'output_text' as const, text: item.content, annotations: [] } : { type: 'input_text' as const, text: item.content };
    item = { ...item, content: [part] };
  }
  if (item.id) return item as StoredItem;
  return { ...item, id: newId(itemIdPrefix(item.type)) } as StoredItem;
}

/** An input item with an `item_reference` replaced by the stored item (404 on `<param>.id` when unknown). */
export async function resolveInputItem(item: InputItem, param: string, owner: Owner, store: Store): Promise<InputItem> {
  if (item.type !== 'item_reference') return item;
  const found = await store.getItem(item.id, owner);
  if (!found) throw notFound(`Item with id '${item.id}' not found.`, `${param}.id`, 'item_not_found');
  return found;
}

/** Opens a sealed reasoning blob, with the 400 clients get for foreign or altered blobs. */
export function reasoningOpener(box: SealedBox) {
  return (blob: string, param: string): OpenedReasoning => {
    const opened = box.open<{ text?: string; state?: Record<string, unknown> }>(blob);
    if (!opened) {
      throw invalidRequest(
        SealedBox.isSealed(blob)
          ? 'The encrypted content could not be verified: it was altered, or it was made by a Kestrel server with another key.'
          : 'The encrypted content was not produced by this server and cannot be decrypted.',
        param,
        'invalid_encrypted_content',
      );
    }
    return { text: opened.text ?? '', state: opened.state };
  };
}

function responseFormat(params: ResponseCreateParams): ModelResponseFormat {
  const format = params.text?.format;
  if (!format || format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', name: format.name, schema: format.schema, strict: format.strict ?? undefined, description: format.description ?? undefined };
}

/**
 * Validates a create request against the store and the model registry and builds the model call.
 * Throws {@link ApiError} (4xx) for anything wrong; never calls a backend.
 */
export async function prepareResponse(params: ResponseCreateParams, owner: Owner, deps: PrepareDeps, options: { countOnly?: boolean } = {}): Promise<PreparedResponse> {
  if (params.previous_response_id && params.conversation) {
    throw invalidRequest('previous_response_id and conversation cannot be used together.', 'conversation', 'mutually_exclusive_parameters');
  }
  if (params.background && params.store === false) throw invalidRequest('background responses must be stored: background=true needs store=true.', 'background', 'invalid_background');
  // `<model>-thinking` and `<model>-pro` are tiers of `<model>`.
  const { model, tier } = await resolveModelTier(params.model, deps.models);
  if (params.prompt) throw invalidRequest('Stored prompt templates (prompt) are not supported by Kestrel; send instructions and input instead.', 'prompt', 'unsupported_parameter');

  let history: readonly StoredItem[] = [];
  if (params.previous_response_id) {
    // Recent chains stay in memory: a long chain is not read and parsed again on every turn.
    const chain = await sharedChains.load(deps.store, params.previous_response_id, owner);
    if (!chain) throw notFound(`Previous response with id '${params.previous_response_id}' not found.`, 'previous_response_id', 'previous_response_not_found');
    history = chain;
  }
  const conversationId = params.conversation ? (typeof params.conversation === 'string' ? params.conversation : params.conversation.id) : null;
  if (conversationId) {
    const items = await deps.store.loadConversationItems(conversationId, owner);
    if (!items) throw notFound(`Conversation with id '${conversationId}' not found.`, 'conversation', 'conversation_not_found');
    history = items;
  }

  const rawInput = normaliseInput(params.input);
  const located: LocatedItem[] = history.map((item) => ({ item, param: null }));
  const inputItems: StoredItem[] = [];
  const responseId = newId(ID_PREFIX.response);
  const reasoning = prepareReasoning({ params, model, tier, env: deps.reasoning ?? new ReasoningEnvironment(), responseId, owner, inputItems });
  for (const [index, item] of rawInput.entries()) {
    const param = `input[${index}]`;
    const stored = withId(await resolveInputItem(item, param, owner, deps.store));
    inputItems.push(stored);
    located.push({ item: stored, param });
  }
  if (rawInput.length === 0 && history.length === 0) throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');

  // Every tool output must answer a call the conversation contains.
  const calls = new Set<string>();
  for (const { item, param } of located) {
    const callId = (item as { call_id?: unknown }).call_id;
    if (CALL_TYPES.has(item.type) && typeof callId === 'string') calls.add(callId);
    if (OUTPUT_TYPES.has(item.type) && typeof callId === 'string' && !calls.has(callId)) {
      throw invalidRequest(`No tool call found for ${item.type.replace(/_output$/, '')} output with call_id ${callId}.`, param ? `${param}.call_id` : 'input', 'tool_call_not_found');
    }
  }

  const tools = prepareTools(params.tools as Tool[] | null | undefined, params.tool_choice);
  const allTools = ((params.tools ?? []) as Tool[]).map((tool, index) => ({ tool, param: `tools[${index}]` }));
  let hosted = await prepareHostedTools(deps.hostedTools ?? [], { allTools, items: located, tools, params, owner, model });
  let context: PreparedContext;
  try {
    if ((tools.tools.length || hosted.sessions.length) && !model.capabilities.tools) throw invalidRequest(`The model \`${model.publicName}\` does not support tools.`, 'tools', 'unsupported_tools');
    // Counting, truncation or recall of evicted history, compaction items (context/).
    context = await prepareContext(
      {
        params,
        model,
        items: located,
        tools: [...tools.tools, ...hosted.modelTools()],
        conversion: { openReasoning: reasoningOpener(deps.box), backendToolName: tools.toBackendName, vision: model.capabilities.vision, replayHosted: hosted.replay },
        countOnly: options.countOnly,
      },
      deps,
    );
  } catch (error) {
    await hosted.close();
    throw error;
  }
  const messages = context.messages;
  if (context.session) hosted = withSession(hosted, context.session);

  const format = responseFormat(params);
  const validateJsonSchema = format.type === 'json_schema' && !model.capabilities.structuredOutputs ? format.schema : null;
  const maxOutputTokens = params.max_output_tokens ?? undefined;
  if (maxOutputTokens && model.maxOutputTokens && maxOutputTokens > model.maxOutputTokens) {
    await hosted.close();
    throw invalidRequest(`max_output_tokens is ${maxOutputTokens}, but \`${model.publicName}\` produces at most ${model.maxOutputTokens} tokens.`, 'max_output_tokens', 'integer_above_max_value');
  }

  const response = createEnvelope(responseId, params, {
    model: model.publicName,
    previousResponseId: params.previous_response_id ?? null,
    conversationId,
  });
  echoEffort(response, reasoning);
  const modelRequest: Omit<ModelRequest, 'signal'> = {
    model: model.backendModel,
    messages,
    tools: [...tools.tools, ...hosted.modelTools()],
    toolChoice: tools.toolChoice,
    parallelToolCalls: params.parallel_tool_calls ?? true,
    maxOutputTokens,
    temperature: params.temperature ?? undefined,
    topP: params.top_p ?? undefined,
    presencePenalty: params.presence_penalty ?? undefined,
    frequencyPenalty: params.frequency_penalty ?? undefined,
    responseFormat: format,
    reasoning: modelReasoning(params, reasoning),
    verbosity: params.text?.verbosity ?? undefined,
    promptCacheKey: params.prompt_cache_key ?? undefined,
    user: params.safety_identifier ?? params.user ?? undefined,
  };
  return {
    owner,
    params,
    model,
    response,
    inputItems,
    tools,
    hosted,
    stepHooks: [...hosted.sessions.flatMap((session) => session.stepHooks ?? []), ...context.stepHooks, ...reasoningHooks(reasoning, model, modelRequest)],
    conversationId,
    includeEncrypted: params.include?.includes('reasoning.encrypted_content') ?? false,
    validateJsonSchema,
    modelRequest,
    reasoning,
    context,
  };
}

export { ApiError };
