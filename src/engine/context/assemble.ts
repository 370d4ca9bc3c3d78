import type { ModelMessage, ModelTool } from '../../backends/types.js';
import type { SealedBox } from '../../crypto/sealed-box.js';
import { ApiError } from '../../protocol/errors.js';
import type { ContextUsageDetails } from '../../protocol/index.js';
import { lateSystemNote, toModelMessages, type ConversionContext, type LocatedItem } from '../model-messages.js';
import { imageTokens } from './image-tokens.js';
import { itemTokens } from './item-tokens.js';
import { resolveCompactions, type CompactionState } from './compaction.js';
import type { ContextOptions } from './options.js';
import { rankCandidates, type Candidate, type Embedder } from './recall.js';
import { sharedRollingSummaries, type RollingSummaries, type SummaryWriter } from './rolling-summary.js';
import { textsOf, type TokenCounter } from './token-counter.js';
import { renderTranscript } from './transcript.js';
import { UnitIndex, type UnitEntry } from './unit-index.js';
import { groupUnits, type Unit } from './units.js';

/**
 * What to do when the conversation does not fit: refuse, drop the oldest items, recall, or send it
 * all and let a later step deal with it (`defer`: compaction, or a token count only).
 */
export type ContextStrategy = 'error' | 'truncate' | 'recall' | 'defer';

export interface ContextRequest {
  instructions: string | null | undefined;
  /** History then this request's input (`param` null for stored history). */
  items: readonly LocatedItem[];
  tools: ModelTool[];
  conversion: ConversionContext;
  counter: TokenCounter;
  box: SealedBox;
  /** The model's window (prompt and output); undefined when unknown: nothing is then cut. */
  contextWindow?: number;
  /** Output tokens kept free in the window. */
  reservedOutput: number;
  strategy: ContextStrategy;
  options: ContextOptions;
  /** Keeps rolling summaries of different models apart (e.g. `backend/model`). */
  scope: string;
  /** Count exactly even when the prompt obviously fits (`/responses/input_tokens`). */
  exact?: boolean;
  /** Writes rolling summaries now; without it they are only read, and {@link AssembledContext.refreshSummary} says when one is due. */
  writeSummary?: SummaryWriter;
  embedder?: Embedder;
  summaries?: RollingSummaries;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** How the window was spent, reported in `usage.input_tokens_details.context`. */
export type ContextDetails = ContextUsageDetails;

export interface AssembledContext {
  messages: ModelMessage[];
  /** Prompt tokens of `messages` and the tools as Kestrel counts them; null when not counted (it obviously fits). */
  inputTokens: number | null;
  /** How the window was spent; null when the prompt obviously fits and was not counted. */
  details: ContextDetails | null;
  /** The latest compaction item's state, when the items held one. */
  compaction: CompactionState | null;
  /** The summary in the context note (a compaction's or the rolling one), or null. */
  summary: string | null;
  /** Prompt tokens allowed, when the window is known. */
  available: number | null;
  /** Present when the rolling summary is due: writes it and returns the messages with it (null when nothing changed). */
  refreshSummary?: (write: SummaryWriter) => Promise<ModelMessage[] | null>;
}

const sharedUnits = new Map<number, UnitIndex>();
/** The process-wide unit index for a passage size. */
function unitIndex(chunkTokens: number): UnitIndex {
  let index = sharedUnits.get(chunkTokens);
  if (!index) sharedUnits.set(chunkTokens, (index = new UnitIndex(chunkTokens * 4)));
  return index;
}

/** Tokens of the note's headings and per-excerpt labels. */
const NOTE_HEADER_TOKENS = 40;
const EXCERPT_LABEL_TOKENS = 6;
/** The summary prompt and the framing of a summary call. */
const SUMMARY_PROMPT_TOKENS = 600;
/** Characters of the current turn used as the recall query. */
const QUERY_CHARS = 6_000;

/** The 400 clients get when a prompt cannot fit; Codex compacts on this code. */
export function contextLengthExceeded(message: string): ApiError {
  return new ApiError(400, message, { param: 'input', code: 'context_length_exceeded' });
}

/** Prompt tokens allowed in a window: what the output leaves, less the count's margin of error. */
export function availableTokens(contextWindow: number, reservedOutput: number, counter: TokenCounter): number {
  return Math.max(0, Math.floor((contextWindow - reservedOutput) / (1 + counter.margin)));
}

/**
 * Builds the model conversation for a request within the model's window. Applies the latest
 * compaction item, then, when everything does not fit: refuses (`error`), drops the oldest units
 * (`truncate`; a tool call is never split from its output, instructions are never dropped), or
 * (`recall`) sends instructions + a rolling summary + the passages of evicted history most
 * relevant to the current turn (BM25, and embeddings when configured) + the most recent turns.
 * Checks the hard caps on this request's own input. Throws {@link ApiError} 400 on overflow.
 * A prompt whose UTF-8 size alone proves it fits is not tokenised at all.
 *
 * @example const context = await assembleContext({ instructions, items, tools, conversion, counter, box, contextWindow: 32768, reservedOutput: 4096, strategy: 'recall', options, scope: 'local/qwen3' });
 */
export async function assembleContext(request: ContextRequest): Promise<AssembledContext> {
  const { counter, options, conversion } = request;
  const resolved = resolveCompactions(request.box, request.items);
  const items = resolved.items;
  const units = groupUnits(items.map((located) => located.item));
  const pinned = units[0]?.pinned ? units[0] : null;
  const pinnedItems = pinned ? items.slice(0, pinned.end) : [];
  const body: Unit[] = pinned ? units.slice(1) : units;

  // Each item is converted once (hosted tools replay their items here); the prompt is assembled from these pieces.
  const systemMessages = toModelMessages(request.instructions, pinnedItems, conversion);
  const unitMessages = body.map((unit) => unitToMessages(items, unit, conversion));
  const facts = body.map((unit) => factsOf(items, unit));
  const base = resolved.compaction?.summary ?? null;
  const window = request.contextWindow;
  const available = window ? availableTokens(window, request.reservedOutput, counter) : null;
  const build = (recent: number, summary: string | null, excerpts: string[]) => {
    const messages = [...systemMessages, ...joinUnits(unitMessages.slice(recent))];
    if (summary || excerpts.length) messages.splice(messages[0]?.role === 'system' ? 1 : 0, 0, contextNote(summary, excerpts));
    return messages;
  };

  if (!request.exact && obviouslyFits(request, systemMessages, unitMessages, facts, base, available)) {
    return { messages: build(0, base, []), inputTokens: null, details: null, compaction: resolved.compaction, summary: base, available };
  }

  // Units seen before (the same stored items) keep their count; only new ones are tokenised.
  await counter.prepare(
    (function* () {
      yield* textsOf(systemMessages, request.tools);
      for (const [unit, messages] of unitMessages.entries()) if (!facts[unit].tokens.has(counter.cacheId)) yield* textsOf(messages);
      if (base) yield base;
    })(),
    request.signal,
  );
  const tokensOf = (messages: ModelMessage[]) => messages.reduce((sum, message) => sum + counter.message(message), 0);
  // Read after prepare: a backend tokenizer that failed has made the counter fall back to the estimate.
  const countId = counter.cacheId;
  const unitTokens = unitMessages.map((messages, unit) => {
    const known = facts[unit].tokens.get(countId);
    if (known !== undefined) return known;
    const tokens = tokensOf(messages);
    facts[unit].tokens.set(countId, tokens);
    return tokens;
  });
  const instructionTokens = tokensOf(systemMessages);
  const toolTokens = counter.tools(request.tools);
  const fixed = instructionTokens + toolTokens + counter.messages([]);
  const historyTokens = unitTokens.reduce((sum, tokens) => sum + tokens, 0);
  checkInputCaps(request, instructionTokens);

  const baseTokens = base ? counter.text(base) : 0;
  const noteTokens = (summaryTokens: number, excerpts: number[]) =>
    summaryTokens || excerpts.length ? counter.perMessage + NOTE_HEADER_TOKENS + summaryTokens + excerpts.reduce((sum, tokens) => sum + tokens + EXCERPT_LABEL_TOKENS, 0) : 0;

  const details: ContextDetails = {
    strategy: 'full',
    tokenizer: counter.kind,
    window: window ?? null,
    available,
    history_tokens: historyTokens,
    budget: null,
    sent: { instructions: instructionTokens, tools: toolTokens, summary: baseTokens, recall: 0, recent: historyTokens, total: 0 },
    items: request.items.length,
    evicted_items: 0,
    compacted_items: resolved.replacedItems,
    recalled_chunks: 0,
    summary_calls: 0,
    summary_tokens: { input: 0, output: 0 },
    retrieval: null,
    compactions: 0,
  };
  const pinnedEnd = pinned?.end ?? 0;
  const finish = (recent: number, summary: string | null, excerpts: string[], excerptTokens: number[]): AssembledContext => {
    const messages = build(recent, summary, excerpts);
    const note = summary || excerpts.length ? messages[messages[0]?.role === 'system' ? 1 : 0] : null;
    // The note is counted from its parts (already counted), not tokenised again.
    details.sent.total = counter.messages(messages.filter((message) => message !== note)) + toolTokens + noteTokens(summary ? counter.text(summary) : 0, excerptTokens);
    details.evicted_items = (recent < body.length ? body[recent].start : items.length) - pinnedEnd;
    return { messages, inputTokens: details.sent.total, details, compaction: resolved.compaction, summary, available };
  };

  if (!available) return finish(0, base, [], []);
  const baseNote = noteTokens(baseTokens, []);
  if (fixed + baseNote + historyTokens <= available || request.strategy === 'defer') return finish(0, base, [], []);

  const strategy = request.strategy;
  const lastTokens = unitTokens[unitTokens.length - 1] ?? 0;
  const overflowMessage = (what: string) =>
    `${what} exceeds the context window of \`${request.scope}\`: ${window} tokens, of which ${request.reservedOutput} are kept for the output. ` +
    (strategy === 'error'
      ? `The prompt has ${fixed + baseNote + historyTokens} tokens. Send less input, compact the conversation (POST /v1/responses/compact, or a compaction_trigger item), or set truncation to "auto".`
      : `The instructions, tools and the last turn alone have ${fixed + baseNote + lastTokens} tokens.`);
  if (strategy === 'error') throw contextLengthExceeded(overflowMessage('Your input'));

  if (strategy === 'truncate') {
    let room = available - fixed - baseNote;
    let start = body.length;
    while (start > 0 && unitTokens[start - 1] <= room) room -= unitTokens[--start];
    if (start === body.length) throw contextLengthExceeded(overflowMessage('The latest turn'));
    details.strategy = 'truncate';
    details.sent.recent = historyTokens - unitTokens.slice(0, start).reduce((sum, tokens) => sum + tokens, 0);
    return finish(start, base, [], []);
  }

  // Recall: summary and recalled passages get their budget first; the recent turns get the rest.
  details.strategy = 'recall';
  const open = available - fixed - counter.perMessage - NOTE_HEADER_TOKENS;
  if (open < lastTokens) throw contextLengthExceeded(overflowMessage('The latest turn'));
  let summaryCap = Math.floor(available * options.budget.summary);
  let recallCap = Math.floor(available * options.budget.recall);
  let recentCap = open - summaryCap - recallCap;
  if (recentCap < lastTokens) {
    const deficit = lastTokens - recentCap;
    const fromRecall = Math.min(recallCap, deficit);
    recallCap -= fromRecall;
    summaryCap -= deficit - fromRecall;
    recentCap = lastTokens;
  }
  details.budget = { summary: summaryCap, recall: recallCap, recent: recentCap };
  let start = body.length;
  let recentTokens = 0;
  while (start > 0 && recentTokens + unitTokens[start - 1] <= recentCap) recentTokens += unitTokens[--start];
  details.sent.recent = recentTokens;

  const index = unitIndex(options.chunkTokens);
  const evicted: UnitEntry[] = unitMessages.slice(0, start).map((messages, unit) => {
    const known = facts[unit].entries.get(options.chunkTokens);
    if (known) return known;
    const entry = index.entry(messages);
    facts[unit].entries.set(options.chunkTokens, entry);
    return entry;
  });
  const summaries = request.summaries ?? sharedRollingSummaries;
  const rollingRequest = {
    scope: request.scope,
    // Transcripts are built only for the units a summary call reads.
    units: evicted.map((entry, unit) => ({
      uid: entry.uid,
      tokens: unitTokens[unit],
      get transcript() {
        return entry.transcript;
      },
    })),
    base,
    lagTokens: Math.max(500, Math.floor(available * 0.2)),
    pieceTokens: Math.max(500, available - summaryCap - SUMMARY_PROMPT_TOKENS),
    maxCalls: options.maxSummaryCalls,
  };
  const rolling = await summaries.summaryFor({ ...rollingRequest, write: request.writeSummary });
  details.summary_calls = rolling.calls;
  const fitSummary = (text: string | null): { text: string | null; tokens: number } => {
    let tokens = text ? counter.text(text) : 0;
    if (text && tokens > summaryCap) {
      text = `${text.slice(0, Math.max(0, Math.floor((text.length * summaryCap) / tokens) - 20))} […]`;
      tokens = counter.text(text);
    }
    return { text, tokens };
  };
  const summary = fitSummary(rolling.text);
  details.sent.summary = summary.tokens;

  // Evicted history, cut into passages, ranked against the current turn.
  const candidates: Candidate[] = [];
  evicted.forEach((entry, unit) => {
    for (const chunk of entry.chunks()) candidates.push({ chunk, unit });
  });
  const ranked = await rankCandidates(candidates, {
    query: currentTurn(unitMessages, start),
    embedder: request.embedder,
    signal: request.signal,
    onEmbedError: (error) => request.log?.(`context recall: embeddings failed, BM25 only: ${(error as Error).message ?? error}`),
  });
  details.retrieval = ranked.method;
  // A summary about to be rewritten keeps its whole budget; otherwise recall may use what it leaves.
  const recallBudget = recallCap + (rolling.due ? 0 : Math.max(0, summaryCap - summary.tokens));
  // Count (exactly, for backend tokenizers) only the passages that can be chosen.
  const shortlist = ranked.order.slice(0, Math.ceil(recallBudget / Math.max(1, options.chunkTokens / 2)) + 8);
  await counter.prepare(
    shortlist.map((index) => candidates[index].chunk.text),
    request.signal,
  );
  const chosen: number[] = [];
  let recallTokens = 0;
  for (const index of shortlist) {
    const tokens = counter.text(candidates[index].chunk.text) + EXCERPT_LABEL_TOKENS;
    if (recallTokens + tokens > recallBudget) continue;
    chosen.push(index);
    recallTokens += tokens;
  }
  // Budget recall and the summary left unused goes to more recent turns (their passages are then verbatim).
  let spare = available - fixed - noteTokens(summary.tokens, chosen.map((index) => counter.text(candidates[index].chunk.text))) - recentTokens - (rolling.due ? summaryCap - summary.tokens : 0);
  while (start > 0 && unitTokens[start - 1] <= spare) {
    spare -= unitTokens[--start];
    recentTokens += unitTokens[start];
  }
  for (let index = chosen.length - 1; index >= 0; index--) {
    if (candidates[chosen[index]].unit < start) continue;
    recallTokens -= counter.text(candidates[chosen[index]].chunk.text) + EXCERPT_LABEL_TOKENS;
    chosen.splice(index, 1);
  }
  details.sent.recent = recentTokens;
  chosen.sort((a, b) => a - b);
  details.recalled_chunks = chosen.length;
  details.sent.recall = recallTokens;
  const excerpts = chosen.map((index) => candidates[index].chunk.text);
  const excerptTokens = chosen.map((index) => counter.text(candidates[index].chunk.text));
  const assembled = finish(start, summary.text, excerpts, excerptTokens);
  if (rolling.due) {
    assembled.refreshSummary = async (write) => {
      const written = await summaries.summaryFor({ ...rollingRequest, write });
      details.summary_calls += written.calls;
      if (!written.calls) return null;
      const fresh = fitSummary(written.text);
      details.sent.summary = fresh.tokens;
      const rebuilt = finish(start, fresh.text, excerpts, excerptTokens);
      assembled.inputTokens = rebuilt.inputTokens;
      assembled.summary = rebuilt.summary;
      return rebuilt.messages;
    };
  }
  return assembled;
}

/** What is known of a unit of stored history, kept as long as its items are (the same objects from turn to turn). */
interface UnitFacts {
  last: object;
  length: number;
  /** UTF-8 bytes of its messages' text, framing excluded. */
  bytes?: number;
  /** Its tokens, framing included, by tokenizer. */
  tokens: Map<string, number>;
  /** Its recall index entry, by passage size. */
  entries: Map<number, UnitEntry>;
}

const knownUnits = new WeakMap<object, UnitFacts>();

/** The facts of a unit: remembered when its items are the same objects as before (a cached chain), else new. */
function factsOf(items: readonly LocatedItem[], unit: Unit): UnitFacts {
  const first = items[unit.start].item;
  const last = items[unit.end - 1].item;
  const known = knownUnits.get(first);
  if (known && known.last === last && known.length === unit.end - unit.start) return known;
  const facts: UnitFacts = { last, length: unit.end - unit.start, tokens: new Map(), entries: new Map() };
  // Input items are new objects on every request; only stored history is worth remembering.
  if (items[unit.start].param === null) knownUnits.set(first, facts);
  return facts;
}

/**
 * Whether the prompt fits without counting: a token is at least one UTF-8 byte, so bytes (plus
 * framing and images) bound the count from above. Also proves the hard caps on the input.
 */
function obviouslyFits(request: ContextRequest, system: ModelMessage[], units: ModelMessage[][], facts: UnitFacts[], base: string | null, available: number | null): boolean {
  const { counter, options } = request;
  const limit = Math.min(available ?? Number.POSITIVE_INFINITY, options.maxInputTokens, options.maxItemTokens);
  let bound = counter.messages([]) + (base ? Buffer.byteLength(base) + counter.perMessage + NOTE_HEADER_TOKENS : 0);
  for (const tool of request.tools) bound += counter.perMessage + Buffer.byteLength(JSON.stringify(tool));
  for (const message of system) bound += messageBytes(message) + counter.perMessage;
  for (const [unit, messages] of units.entries()) {
    facts[unit].bytes ??= messages.reduce((sum, message) => sum + messageBytes(message), 0);
    bound += facts[unit].bytes! + counter.perMessage * (messages.length + toolCallCount(messages));
    if (bound > limit) return false;
  }
  // Caps: the whole prompt bounds the input, and one item is at most the whole input.
  return bound <= limit;
}

function toolCallCount(messages: ModelMessage[]): number {
  let calls = 0;
  for (const message of messages) if (message.role === 'assistant') calls += message.toolCalls?.length ?? 0;
  return calls;
}

/** UTF-8 bytes of a message's text (images by their token cost), framing excluded. */
function messageBytes(message: ModelMessage): number {
  if (message.role === 'system') return Buffer.byteLength(message.content);
  if (message.role === 'assistant') {
    let bytes = Buffer.byteLength(message.content) + (message.reasoning ? Buffer.byteLength(message.reasoning) : 0);
    for (const call of message.toolCalls ?? []) bytes += Buffer.byteLength(call.name) + Buffer.byteLength(call.arguments);
    return bytes;
  }
  let bytes = 0;
  for (const part of message.content) {
    if (part.type === 'text') bytes += Buffer.byteLength(part.text);
    else if (part.type === 'file') bytes += Buffer.byteLength(part.filename) + Buffer.byteLength(part.text);
    else bytes += imageTokens(part.url, part.detail);
  }
  return bytes;
}

const NOTE_TITLE = '[Context from earlier in this conversation. The full history no longer fits; this is what remains of the part before the messages that follow.]';

/** Whether a message is the context note Kestrel inserts (summary and recalled passages). */
export function isContextNote(message: ModelMessage): boolean {
  return message.role === 'user' && message.content[0]?.type === 'text' && message.content[0].text.startsWith(NOTE_TITLE);
}

/** The user-role note holding the summary and the recalled passages, placed before the recent turns. */
export function contextNote(summary: string | null, excerpts: string[]): ModelMessage {
  const sections = [NOTE_TITLE];
  if (summary) sections.push(`## Summary of the earlier conversation\n${summary}`);
  if (excerpts.length) {
    sections.push(`## Passages of the earlier conversation relevant to the current turn (in order)\n${excerpts.map((text, index) => `--- passage ${index + 1} ---\n${text}`).join('\n\n')}`);
  }
  return { role: 'user', content: [{ type: 'text', text: sections.join('\n\n') }] };
}

/** The recall query: the last user message and what followed it (tool calls and results), the end of it when long. */
function currentTurn(unitMessages: ModelMessage[][], recentStart: number): string {
  let from = unitMessages.length - 1;
  for (let index = unitMessages.length - 1; index >= recentStart; index--) {
    from = index;
    if (unitMessages[index].some((message) => message.role === 'user')) break;
  }
  const text = unitMessages
    .slice(Math.max(0, from))
    .map((messages) => renderTranscript(messages, { labels: false }))
    .join('\n\n');
  return text.length > QUERY_CHARS ? text.slice(0, QUERY_CHARS / 2) + '\n' + text.slice(-QUERY_CHARS / 2) : text;
}

/** Hard caps on this request's own input: each item, and instructions plus items together. */
function checkInputCaps(request: ContextRequest, instructionTokens: number): void {
  const { counter, options } = request;
  let total = instructionTokens;
  if (instructionTokens > options.maxInputTokens) {
    throw new ApiError(400, `The instructions have ${instructionTokens} tokens; Kestrel accepts at most ${options.maxInputTokens} per request.`, { param: 'instructions', code: 'input_too_large' });
  }
  for (const located of request.items) {
    if (located.param === null) continue;
    const tokens = itemTokens(located.item, counter);
    if (tokens > options.maxItemTokens) {
      throw new ApiError(400, `This input item has about ${tokens} tokens; Kestrel accepts at most ${options.maxItemTokens} per item.`, { param: located.param, code: 'item_too_large' });
    }
    total += tokens;
  }
  if (total > options.maxInputTokens) {
    throw new ApiError(400, `This request's input has about ${total} tokens; Kestrel accepts at most ${options.maxInputTokens} per request. Send it in several turns.`, { param: 'input', code: 'input_too_large' });
  }
}

/** The messages of one unit; a system or developer message that opens it is a late note (the conversation has started). */
function unitToMessages(items: readonly LocatedItem[], unit: Unit, conversion: ConversionContext): ModelMessage[] {
  const messages = toModelMessages(null, items.slice(unit.start, unit.end), conversion);
  const first = items[unit.start].item;
  if (messages[0]?.role === 'system' && first.type === 'message' && (first.role === 'system' || first.role === 'developer')) {
    messages[0] = lateSystemNote(first.role, messages[0].content);
  }
  return messages;
}

/**
 * Concatenates units' messages as one conversion of their items would have: an assistant message
 * without reasoning of its own continues the assistant turn before it.
 */
function joinUnits(units: readonly ModelMessage[][]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const messages of units) {
    for (const [index, message] of messages.entries()) {
      const last = out[out.length - 1];
      if (index === 0 && message.role === 'assistant' && last?.role === 'assistant' && message.reasoning === undefined && message.reasoningState === undefined) {
        const toolCalls = [...(last.toolCalls ?? []), ...(message.toolCalls ?? [])];
        out[out.length - 1] = { ...last, content: last.content && message.content ? `${last.content}\n${message.content}` : last.content || message.content, ...(toolCalls.length ? { toolCalls } : {}) };
      } else out.push(message);
    }
  }
  return out;
}
