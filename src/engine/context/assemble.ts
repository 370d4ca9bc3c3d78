import type { ModelMessage, ModelTool } from '../../backends/types.js';
import type { SealedBox } from '../../crypto/sealed-box.js';
import { ApiError } from '../../protocol/errors.js';
import { toModelMessages, type ConversionContext, type LocatedItem } from '../model-messages.js';
import { ChunkCache, contentKey } from './chunks.js';
import { resolveCompactions, type CompactionState } from './compaction.js';
import type { ContextOptions } from './options.js';
import { rankCandidates, type Candidate, type Embedder } from './recall.js';
import { sharedRollingSummaries, type RollingSummaries, type SummaryWriter } from './rolling-summary.js';
import { textsOf, type TokenCounter, type TokenizerKind } from './token-counter.js';
import { renderTranscript } from './transcript.js';
import { groupUnits, type Unit } from './units.js';

/** What to do when the conversation does not fit: refuse, drop the oldest items, or recall. */
export type ContextStrategy = 'error' | 'truncate' | 'recall';

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
  /** Writes rolling summaries; without it, only summaries already written are used. */
  writeSummary?: SummaryWriter;
  embedder?: Embedder;
  summaries?: RollingSummaries;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** How the window was spent, reported in `usage.input_tokens_details.context`. */
export interface ContextDetails {
  /** `full`: everything sent; `truncate`: oldest items dropped; `recall`: summary + recalled passages + recent turns. */
  strategy: 'full' | 'truncate' | 'recall';
  tokenizer: TokenizerKind;
  /** The model's window, when known. */
  window: number | null;
  /** Prompt tokens allowed (window − reserved output − count margin), when known. */
  available: number | null;
  /** Tokens of the whole history and input, before assembly. */
  history_tokens: number;
  /** Budget of each part (recall strategy only). */
  budget: { summary: number; recall: number; recent: number } | null;
  /** Tokens sent, by part. */
  sent: { instructions: number; tools: number; summary: number; recall: number; recent: number; total: number };
  items: number;
  /** Items left out of the verbatim part (summarised or reachable by recall). */
  evicted_items: number;
  /** Items replaced by a compaction item's summary. */
  compacted_items: number;
  recalled_chunks: number;
  summary_calls: number;
  retrieval: 'bm25' | 'bm25+embeddings' | null;
}

export interface AssembledContext {
  messages: ModelMessage[];
  /** Prompt tokens of `messages` and the tools, as Kestrel counts them. */
  inputTokens: number;
  details: ContextDetails;
  /** The latest compaction item's state, when the items held one. */
  compaction: CompactionState | null;
}

const sharedChunks = new Map<number, ChunkCache>();
function chunkCache(chunkTokens: number): ChunkCache {
  let cache = sharedChunks.get(chunkTokens);
  if (!cache) sharedChunks.set(chunkTokens, (cache = new ChunkCache(chunkTokens * 4)));
  return cache;
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

/**
 * Builds the model conversation for a request within the model's window. Applies the latest
 * compaction item, then, when everything does not fit: refuses (`error`), drops the oldest units
 * (`truncate`; a tool call is never split from its output, instructions are never dropped), or
 * (`recall`) sends instructions + a rolling summary + the passages of evicted history most
 * relevant to the current turn (BM25, and embeddings when configured) + the most recent turns.
 * Checks the hard caps on this request's own input. Throws {@link ApiError} 400 on overflow.
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

  const systemMessages = toModelMessages(request.instructions, pinnedItems, conversion);
  const unitMessages = body.map((unit) => toModelMessages(null, items.slice(unit.start, unit.end), conversion));
  await counter.prepare(
    (function* () {
      yield* textsOf(systemMessages, request.tools);
      for (const messages of unitMessages) yield* textsOf(messages);
      if (resolved.compaction) yield resolved.compaction.summary;
    })(),
    request.signal,
  );
  const tokensOf = (messages: ModelMessage[]) => messages.reduce((sum, message) => sum + counter.message(message), 0);
  const unitTokens = unitMessages.map(tokensOf);
  const instructionTokens = tokensOf(systemMessages);
  const toolTokens = counter.tools(request.tools);
  const fixed = instructionTokens + toolTokens + counter.messages([]);
  const historyTokens = unitTokens.reduce((sum, tokens) => sum + tokens, 0);
  checkInputCaps(request, items, instructionTokens);

  const base = resolved.compaction?.summary ?? null;
  const baseTokens = base ? counter.text(base) : 0;
  const noteTokens = (summaryTokens: number, excerpts: number[]) =>
    summaryTokens || excerpts.length ? counter.perMessage + NOTE_HEADER_TOKENS + summaryTokens + excerpts.reduce((sum, tokens) => sum + tokens + EXCERPT_LABEL_TOKENS, 0) : 0;

  const details: ContextDetails = {
    strategy: 'full',
    tokenizer: counter.kind,
    window: request.contextWindow ?? null,
    available: null,
    history_tokens: historyTokens,
    budget: null,
    sent: { instructions: instructionTokens, tools: toolTokens, summary: baseTokens, recall: 0, recent: historyTokens, total: 0 },
    items: request.items.length,
    evicted_items: 0,
    compacted_items: resolved.replacedItems,
    recalled_chunks: 0,
    summary_calls: 0,
    retrieval: null,
  };
  const finish = (recent: number, summary: string | null, excerpts: string[], excerptTokens: number[]): AssembledContext => {
    const recentItems = body.length && recent < body.length ? items.slice(body[recent].start) : [];
    const messages = toModelMessages(request.instructions, [...pinnedItems, ...recentItems], conversion);
    const noteCount = noteTokens(summary ? counter.text(summary) : 0, excerptTokens);
    if (noteCount) messages.splice(messages[0]?.role === 'system' ? 1 : 0, 0, contextNote(summary, excerpts));
    const withoutNote = counter.messages(messages.filter((message) => message.role !== 'user' || !isNote(message))) + toolTokens;
    details.sent.total = withoutNote + noteCount;
    details.evicted_items = recent < body.length ? (body[recent]?.start ?? items.length) - (pinned?.end ?? 0) : items.length - (pinned?.end ?? 0);
    return { messages, inputTokens: details.sent.total, details, compaction: resolved.compaction };
  };

  const window = request.contextWindow;
  if (!window) return finish(0, base, [], []);
  const available = Math.floor((window - request.reservedOutput) / (1 + counter.margin));
  details.available = available;
  const baseNote = noteTokens(baseTokens, []);
  if (fixed + baseNote + historyTokens <= available) return finish(0, base, [], []);

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

  const transcripts = unitMessages.slice(0, start).map((messages) => renderTranscript(messages));
  const keys = transcripts.map(contentKey);
  const rolling = await (request.summaries ?? sharedRollingSummaries).summaryFor({
    scope: request.scope,
    units: transcripts.map((transcript, index) => ({ key: keys[index], transcript, tokens: unitTokens[index] })),
    base,
    lagTokens: Math.max(500, Math.floor(available * 0.2)),
    pieceTokens: Math.max(500, available - summaryCap - SUMMARY_PROMPT_TOKENS),
    maxCalls: options.maxSummaryCalls,
    write: request.writeSummary,
  });
  details.summary_calls = rolling.calls;
  let summary = rolling.text;
  let summaryTokens = summary ? counter.text(summary) : 0;
  if (summary && summaryTokens > summaryCap) {
    summary = `${summary.slice(0, Math.max(0, Math.floor((summary.length * summaryCap) / summaryTokens) - 20))} […]`;
    summaryTokens = counter.text(summary);
  }
  details.sent.summary = summaryTokens;

  // Evicted history, cut into passages, ranked against the current turn.
  const cache = chunkCache(options.chunkTokens);
  const candidates: Candidate[] = [];
  transcripts.forEach((transcript, unit) => {
    for (const chunk of cache.chunks(keys[unit], transcript)) candidates.push({ chunk, unit });
  });
  const ranked = await rankCandidates(candidates, {
    query: currentTurn(unitMessages, start),
    embedder: request.embedder,
    signal: request.signal,
    onEmbedError: (error) => request.log?.(`context recall: embeddings failed, BM25 only: ${(error as Error).message ?? error}`),
  });
  details.retrieval = ranked.method;
  const recallBudget = recallCap + Math.max(0, summaryCap - summaryTokens);
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
  chosen.sort((a, b) => a - b);
  details.recalled_chunks = chosen.length;
  details.sent.recall = recallTokens;
  return finish(
    start,
    summary,
    chosen.map((index) => candidates[index].chunk.text),
    chosen.map((index) => counter.text(candidates[index].chunk.text)),
  );
}

const NOTE_TITLE = '[Context from earlier in this conversation. The full history no longer fits; this is what remains of the part before the messages that follow.]';

function isNote(message: ModelMessage): boolean {
  return message.role === 'user' && message.content[0]?.type === 'text' && message.content[0].text.startsWith(NOTE_TITLE);
}

/** The user-role note holding the summary and the recalled passages, placed before the recent turns. */
function contextNote(summary: string | null, excerpts: string[]): ModelMessage {
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
function checkInputCaps(request: ContextRequest, items: readonly LocatedItem[], instructionTokens: number): void {
  const { counter, options } = request;
  let total = instructionTokens;
  if (instructionTokens > options.maxInputTokens) {
    throw new ApiError(400, `The instructions have ${instructionTokens} tokens; Kestrel accepts at most ${options.maxInputTokens} per request.`, { param: 'instructions', code: 'input_too_large' });
  }
  for (const located of items) {
    if (located.param === null) continue;
    const tokens = toModelMessages(null, [located], request.conversion).reduce((sum, message) => sum + counter.message(message), 0);
    if (tokens > options.maxItemTokens) {
      throw new ApiError(400, `This input item has ${tokens} tokens; Kestrel accepts at most ${options.maxItemTokens} per item.`, { param: located.param, code: 'item_too_large' });
    }
    total += tokens;
  }
  if (total > options.maxInputTokens) {
    throw new ApiError(400, `This request's input has ${total} tokens; Kestrel accepts at most ${options.maxInputTokens} per request. Send it in several turns.`, { param: 'input', code: 'input_too_large' });
  }
}
