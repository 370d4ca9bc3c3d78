import type { ModelMessage, ModelUsage } from '../../backends/types.js';
import { isContextNote } from './assemble.js';
import type { SealedBox } from '../../crypto/sealed-box.js';
import { ApiError, invalidRequest, notFound } from '../../protocol/errors.js';
import { ID_PREFIX, newId } from '../../protocol/ids.js';
import { parseBody, ResponseCompactParams, type StoredItem, type Usage } from '../../protocol/index.js';
import type { Owner, Store } from '../../store/types.js';
import { backendFailure } from '../backend-failure.js';
import type { ModelRegistry, ResolvedModel } from '../model-registry.js';
import { toModelMessages, type ConversionContext, type LocatedItem } from '../model-messages.js';
import { normaliseInput, reasoningOpener, resolveInputItem, withId } from '../prepare.js';
import { splitText } from './chunks.js';
import { compactionItem, resolveCompactions, userMessages, type CompactionItem, type CompactionState } from './compaction.js';
import { writeSummary } from './summarize.js';
import { TokenCounter, textsOf } from './token-counter.js';
import { renderTranscript } from './transcript.js';

/** `POST /v1/responses/compact` answer. */
export interface CompactedResponse {
  id: string;
  object: 'response.compaction';
  created_at: number;
  /** All user messages, then exactly one compaction item. */
  output: (StoredItem | CompactionItem)[];
  usage: Usage;
}

export interface CompactDeps {
  store: Store;
  models: ModelRegistry;
  box: SealedBox;
}

/** Summary calls one compaction may make (a 1M-token history on a 32k window needs ~45). */
const MAX_COMPACTION_CALLS = 64;
/** Transcript tokens per call when the model's window is unknown. */
const UNKNOWN_WINDOW_PIECE = 24_000;
/** The latest user messages a compaction keeps verbatim: at most this many tokens, and a tenth of the window. */
const RETAINED_TOKENS = 2_000;

export interface WrittenCompaction {
  item: CompactionItem;
  /** The summary the item holds. */
  summary: string;
  /** What the item holds (summary and retained user messages). */
  state: Pick<CompactionState, 'summary' | 'retained' | 'coveredTokens'>;
  usage: ModelUsage;
  calls: number;
}

/**
 * Summarises a conversation into one sealed `compaction` item with the model itself, folding the
 * history in window-sized pieces into the previous compaction's summary (when there is one).
 * Shared by `/responses/compact`, `compaction_trigger` and `context_management` compaction.
 *
 * @example const { item } = await writeCompaction({ model, items, box, conversion, signal });
 */
export async function writeCompaction(options: { model: ResolvedModel; items: readonly LocatedItem[]; box: SealedBox; conversion: ConversionContext; signal: AbortSignal }): Promise<WrittenCompaction> {
  const resolved = resolveCompactions(options.box, options.items);
  const messages = toModelMessages(null, resolved.items, options.conversion);
  return writeCompactionOf({ ...options, messages, previous: resolved.compaction, coveredItems: options.items.length });
}

/**
 * Like {@link writeCompaction}, from model messages already built (a running response's). System
 * messages and Kestrel's context note are left out; `previous` is the summary they continue.
 */
export async function writeCompactionOf(options: {
  model: ResolvedModel;
  messages: readonly ModelMessage[];
  previous: Pick<CompactionState, 'summary' | 'coveredTokens'> | null;
  coveredItems: number;
  box: SealedBox;
  signal: AbortSignal;
}): Promise<WrittenCompaction> {
  const { model } = options;
  const messages = options.messages.filter((message) => message.role !== 'system' && !isContextNote(message));
  const counter = TokenCounter.for(model);
  await counter.prepare(textsOf(messages), options.signal);
  const historyTokens = counter.messages(messages);
  const window = model.contextWindow;
  const summaryTokens = Math.min(model.maxOutputTokens ?? 8_192, window ? Math.max(512, Math.min(8_192, Math.floor(window * 0.1))) : 4_096);
  const pieceTokens = window ? Math.max(1_000, Math.floor((window - summaryTokens) / (1 + counter.margin)) - summaryTokens - 800) : UNKNOWN_WINDOW_PIECE;
  const transcript = renderTranscript(messages);
  const charsPerToken = transcript.length / Math.max(1, historyTokens);
  const pieces = transcript ? splitText(transcript, Math.max(1_000, Math.floor(pieceTokens * charsPerToken))) : [];
  if (pieces.length > MAX_COMPACTION_CALLS) {
    throw invalidRequest(`This conversation is too long to compact in one request (${historyTokens} tokens, ${pieces.length} summary calls for \`${model.publicName}\`'s window). Compact it in parts.`, 'input', 'context_length_exceeded');
  }
  const previous = options.previous?.summary ?? null;
  const result = pieces.length
    ? await writeSummary({ backend: model.backend, model: model.backendModel, previous, pieces, maxOutputTokens: summaryTokens, signal: options.signal })
    : { text: previous ?? '(The conversation is empty.)', usage: { inputTokens: 0, outputTokens: 0 }, calls: 0 };
  const state = {
    summary: result.text,
    model: model.publicName,
    coveredItems: options.coveredItems,
    coveredTokens: historyTokens + (options.previous?.coveredTokens ?? 0),
    retained: retainedUserTexts(messages, counter, window ? Math.min(RETAINED_TOKENS, Math.floor(window / 10)) : RETAINED_TOKENS),
  };
  return { item: compactionItem(options.box, state), summary: result.text, state, usage: result.usage, calls: result.calls };
}

/**
 * The texts of the latest user messages that fit in `cap` tokens together, oldest first; none
 * when the latest alone is larger (the summary carries it then).
 */
function retainedUserTexts(messages: readonly ModelMessage[], counter: TokenCounter, cap: number): string[] {
  const texts: string[] = [];
  let tokens = 0;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message.role !== 'user' || isContextNote(message)) continue;
    const text = message.content.map((part) => (part.type === 'text' ? part.text : part.type === 'file' ? `[file ${part.filename}]\n${part.text}` : '[image]')).join('\n');
    if (/^\[(system|developer) message\]\n/.test(text)) continue;
    tokens += counter.text(text) + counter.perMessage;
    if (tokens > cap) break;
    texts.unshift(text);
  }
  return texts;
}

/**
 * `POST /v1/responses/compact`: the conversation (input, after `previous_response_id`'s history)
 * compacted into all its user messages plus one sealed `compaction` item, which the caller sends
 * back instead of the history. Nothing is stored.
 *
 * @example await compactConversation(engine, { model: 'gpt-5.4', input: [...] }, owner)
 */
export async function compactConversation(deps: CompactDeps, body: unknown, owner: Owner, signal: AbortSignal = new AbortController().signal): Promise<CompactedResponse> {
  const params = parseBody(ResponseCompactParams, body);
  const name = params.model ?? deps.models.list()[0]?.publicName;
  if (!name) throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const model = await deps.models.require(name);

  const located: LocatedItem[] = [];
  if (params.previous_response_id) {
    const history = await deps.store.loadChainHistory(params.previous_response_id, owner);
    if (!history) throw notFound(`Previous response with id '${params.previous_response_id}' not found.`, 'previous_response_id', 'previous_response_not_found');
    for (const item of history) located.push({ item, param: null });
  }
  for (const [index, item] of normaliseInput(params.input ?? undefined).entries()) {
    const param = `input[${index}]`;
    located.push({ item: withId(await resolveInputItem(item, param, owner, deps.store)), param });
  }
  if (!located.length) throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');

  const conversion: ConversionContext = { openReasoning: reasoningOpener(deps.box), backendToolName: (toolName) => toolName, vision: model.capabilities.vision };
  // Every item is checked (sealed blobs, images, files) before the model is called.
  toModelMessages(null, resolveCompactions(deps.box, located).items, conversion);

  let written: WrittenCompaction;
  try {
    written = await writeCompaction({ model, items: located, box: deps.box, conversion, signal });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const failure = backendFailure(error);
    throw new ApiError(failure.status, failure.message, { code: failure.code, headers: failure.headers });
  }
  const users = userMessages(located.map((entry) => entry.item)) as StoredItem[];
  const input = written.usage.inputTokens;
  const output = written.usage.outputTokens;
  return {
    id: newId(ID_PREFIX.response),
    object: 'response.compaction',
    created_at: Math.floor(Date.now() / 1000),
    output: [...users, written.item],
    usage: {
      input_tokens: input,
      input_tokens_details: { cached_tokens: written.usage.cachedInputTokens ?? 0 },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: written.usage.reasoningTokens ?? 0 },
      total_tokens: input + output,
    },
  };
}
