import type { ModelMessage, ModelTool, ModelUsage } from '../../backends/types.js';
import type { ContextSettings } from '../../config/schema.js';
import type { SealedBox } from '../../crypto/sealed-box.js';
import { invalidRequest } from '../../protocol/errors.js';
import type { OutputItem, ResponseCreateParams, Usage } from '../../protocol/index.js';
import type { ModelRegistry, ResolvedModel } from '../model-registry.js';
import type { ConversionContext, LocatedItem } from '../model-messages.js';
import type { PreparedHostedTools } from '../tools/prepare-hosted.js';
import type { HostedToolSession, StepContext, StepHook } from '../tools/types.js';
import { assembleContext, contextNote, type ContextDetails, type ContextStrategy } from './assemble.js';
import type { CompactionState } from './compaction.js';
import { writeCompactionOf } from './compact.js';
import { resolveContextOptions, type ContextOptions } from './options.js';
import type { Embedder } from './recall.js';
import { writeSummary } from './summarize.js';
import { TokenCounter, textsOf } from './token-counter.js';

/** What the engine gives the context step. */
export interface ContextDeps {
  box: SealedBox;
  models: ModelRegistry;
  /** The config file's top-level `context`. */
  context?: ContextSettings;
  log?: (message: string) => void;
}

export interface ContextInput {
  params: ResponseCreateParams;
  model: ResolvedModel;
  /** History then this request's input. */
  items: LocatedItem[];
  /** Every tool the first model call offers (the request's and the hosted tools'). */
  tools: ModelTool[];
  conversion: ConversionContext;
  /** Count exactly and never refuse an overflow (`/responses/input_tokens`). */
  countOnly?: boolean;
}

/** The context part of a prepared response. */
export interface PreparedContext {
  /** The first model call's conversation. */
  messages: ModelMessage[];
  /** Prompt tokens as Kestrel counts them; null when not counted (the prompt obviously fits). */
  inputTokens: number | null;
  /** Reported in `usage.input_tokens_details.context`; null when the context needed no management. */
  details: ContextDetails | null;
  /** Run before model calls: rolling-summary refresh, `context_management` compaction, usage details. */
  stepHooks: StepHook[];
  /** For a `compaction_trigger` request: writes the one compaction item, then ends the response. */
  session: HostedToolSession | null;
}

/** Default share of the window at which `context_management` compacts when no threshold is given. */
const DEFAULT_COMPACT_SHARE = 0.8;

/** Default output reserve when neither the request nor the model says: an eighth of the window, at most 8,192. */
function reservedOutput(params: ResponseCreateParams, model: ResolvedModel): number {
  if (params.max_output_tokens) return params.max_output_tokens;
  if (model.maxOutputTokens) return model.maxOutputTokens;
  return model.contextWindow ? Math.min(8_192, Math.floor(model.contextWindow / 8)) : 0;
}

function strategyFor(params: ResponseCreateParams, options: ContextOptions, compacts: boolean, countOnly: boolean): ContextStrategy {
  if (params.truncation === 'auto') return options.auto;
  if (options.overflow !== 'error') return options.overflow;
  // Compaction (server-side or triggered) is how these requests get under the window.
  return compacts || countOnly ? 'defer' : 'error';
}

function embedderFor(options: ContextOptions, deps: ContextDeps): Embedder | undefined {
  const config = options.embeddings;
  if (!config) return undefined;
  const backend = deps.models.backends.get(config.backend);
  if (!backend?.embed) {
    deps.log?.(`context recall: backend "${config.backend}" serves no embeddings; recall uses BM25 only.`);
    return undefined;
  }
  return (texts, signal) => backend.embed!(config.model, texts, signal);
}

function addUsage(usage: Usage | undefined, added: ModelUsage): void {
  if (!usage) return;
  usage.input_tokens += added.inputTokens;
  usage.output_tokens += added.outputTokens;
  usage.total_tokens = usage.input_tokens + usage.output_tokens;
}

/** The running usage a step context carries (when the engine provides it). */
function usageOf(ctx: StepContext): Usage | undefined {
  return (ctx as { usage?: Usage }).usage;
}

/**
 * Fits a request's conversation into its model's window and sets up what happens later in the
 * run: the rolling summary written before the first model call (recall), server-side compaction
 * when `context_management` asks for it, and the `compaction_trigger` session. Validates the
 * trigger's position and the input caps; throws 400 `context_length_exceeded` on an overflow the
 * request did not allow for. Never calls a model itself.
 *
 * @example const context = await prepareContext({ params, model, items, tools, conversion }, engine);
 */
export async function prepareContext(input: ContextInput, deps: ContextDeps): Promise<PreparedContext> {
  const { params, model } = input;
  const options = resolveContextOptions(deps.context, model.context);
  const counter = TokenCounter.for(model);

  const triggers = input.items.filter((entry) => entry.param !== null && entry.item.type === 'compaction_trigger');
  const last = input.items[input.items.length - 1];
  for (const entry of triggers) {
    if (entry !== last) throw invalidRequest('A compaction_trigger item must be the last input item.', entry.param, 'invalid_compaction_trigger');
  }
  const triggered = triggers.length > 0;
  const management = params.context_management?.find((entry) => entry.type === 'compaction');

  const assembled = await assembleContext({
    instructions: params.instructions,
    items: input.items,
    tools: input.tools,
    conversion: input.conversion,
    counter,
    box: deps.box,
    contextWindow: model.contextWindow,
    reservedOutput: reservedOutput(params, model),
    strategy: strategyFor(params, options, triggered || Boolean(management), input.countOnly === true),
    options,
    scope: `${model.backend.name}/${model.backendModel}`,
    exact: input.countOnly || Boolean(management),
    embedder: embedderFor(options, deps),
    log: deps.log,
  });
  const details = assembled.details;
  const hooks: StepHook[] = [];

  if (details) {
    hooks.push({
      name: 'context-usage',
      beforeModelCall({ step, ctx }) {
        const usage = usageOf(ctx);
        if (step === 0 && usage) usage.input_tokens_details.context = details;
      },
    });
  }

  if (assembled.refreshSummary && details?.budget) {
    const refresh = assembled.refreshSummary;
    const maxOutputTokens = Math.max(256, Math.min(details.budget.summary, model.maxOutputTokens ?? Number.POSITIVE_INFINITY));
    hooks.push({
      name: 'context-rolling-summary',
      async beforeModelCall({ step, ctx }) {
        if (step !== 0) return;
        try {
          return (
            (await refresh(async (previous, pieces) => {
              const written = await writeSummary({ backend: model.backend, model: model.backendModel, previous, pieces, maxOutputTokens, signal: ctx.signal });
              details.summary_tokens.input += written.usage.inputTokens;
              details.summary_tokens.output += written.usage.outputTokens;
              addUsage(usageOf(ctx), written.usage);
              return written.text;
            })) ?? undefined
          );
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          // The response goes on with the summary it had; the evicted turns stay reachable by recall.
          deps.log?.(`context: the rolling summary could not be written: ${(error as Error).message}`);
        }
      },
    });
  }

  if (management && !triggered) {
    const available = assembled.available;
    const threshold = management.compact_threshold ?? (available ? Math.floor(available * DEFAULT_COMPACT_SHARE) : null);
    // The summary the context shows now: the rolling or compaction one, then the last compaction's.
    let summary: string | null = null;
    let compactedAt = -1;
    hooks.push({
      name: 'context-compaction',
      async beforeModelCall({ step, messages, ctx }) {
        if (compactedAt === step) return;
        await counter.prepare(textsOf(messages, input.tools), ctx.signal);
        const tokens = counter.messages(messages) + counter.tools(input.tools);
        const over = (threshold !== null && tokens > threshold) || (available !== null && tokens > available);
        if (!over) return;
        compactedAt = step;
        const written = await writeCompactionOf({ model, messages, previous: (summary ?? assembled.summary) ? { summary: (summary ?? assembled.summary)!, coveredTokens: 0 } : null, coveredItems: input.items.length, box: deps.box, signal: ctx.signal });
        summary = written.summary;
        ctx.items.add(written.item as unknown as OutputItem);
        addUsage(usageOf(ctx), written.usage);
        if (details) details.compactions++;
        return reducedContext(messages, written.state);
      },
    });
  }

  let session: HostedToolSession | null = null;
  if (triggered) {
    const messages = assembled.messages;
    const previous = assembled.compaction;
    session = {
      modelTools: () => [],
      owns: () => false,
      async begin(ctx) {
        const written = await writeCompactionOf({ model, messages, previous, coveredItems: input.items.length - 1, box: deps.box, signal: ctx.signal });
        ctx.items.add(written.item as unknown as OutputItem);
        addUsage(usageOf(ctx), written.usage);
        return { messages: [], stop: true };
      },
      async run() {
        return { messages: [], stop: true };
      },
    };
  }

  return { messages: assembled.messages, inputTokens: assembled.inputTokens, details, stepHooks: hooks, session };
}

/**
 * The conversation after a compaction, as the next request will build it from the compaction
 * item: the system messages, the summary, then the user messages the compaction retained.
 */
function reducedContext(messages: readonly ModelMessage[], state: Pick<CompactionState, 'summary' | 'retained'>): ModelMessage[] {
  const system = messages.filter((message) => message.role === 'system');
  const retained: ModelMessage[] = (state.retained ?? []).map((text) => ({ role: 'user', content: [{ type: 'text', text }] }));
  return [...system, contextNote(state.summary, []), ...retained];
}

/**
 * Hosted tools plus one more session (the `compaction_trigger` one), which begins first.
 *
 * @example hosted = withSession(hosted, context.session);
 */
export function withSession(hosted: PreparedHostedTools, session: HostedToolSession): PreparedHostedTools {
  return {
    sessions: [session, ...hosted.sessions],
    modelTools: () => hosted.modelTools(),
    ownerOf: (name) => hosted.ownerOf(name),
    replay: (item, param, target) => hosted.replay(item, param, target),
    close: () => hosted.close(),
  };
}
