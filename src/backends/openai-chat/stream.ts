import { newId } from '../../protocol/ids.js';
import type { SseMessage } from '../shared/sse-reader.js';
import { BackendError, type FinishReason, type ModelEvent, type ModelUsage } from '../types.js';
import { CustomInputDecoder } from './custom-input.js';
import { ThinkTagSplitter } from './think-tags.js';

/** The parts of a streamed `chat.completion.chunk` Kestrel reads; every server fills a different subset. */
interface ChatChunk {
  choices?: ChunkChoice[] | null;
  usage?: ChunkUsage | null;
  error?: unknown;
  /** vLLM before 0.6 sent errors as a bare `{"object":"error","message":…,"code":…}`. */
  object?: string;
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

interface ChunkChoice {
  index?: number;
  delta?: ChunkDelta | null;
  finish_reason?: string | null;
}

interface ChunkDelta {
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ChunkToolCall[] | null;
  /** The pre-tools single function call. */
  function_call?: { name?: string | null; arguments?: unknown } | null;
}

interface ChunkToolCall {
  index?: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: unknown } | null;
}

interface ChunkUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek's name for cached prompt tokens. */
  prompt_cache_hit_tokens?: number | null;
}

interface CallState {
  /** The index Kestrel reports (order of first appearance). */
  index: number;
  callId?: string;
  name?: string;
  started: boolean;
  /** Arguments that arrived before the name. */
  pending: string;
  argumentChars: number;
  decoder?: CustomInputDecoder;
}

export interface ChatStreamOptions {
  /** Names of the function tools that stand in for custom tools. */
  customTools: ReadonlySet<string>;
  /** Split `<think>…</think>` content into reasoning. */
  thinkTags: boolean;
  /** The content starts inside a thought (a continued turn), without its `<think>`. */
  thinkingOpen?: boolean;
}

/**
 * Turns parsed Chat Completions chunks into {@link ModelEvent}s. `finish` is held until the end of
 * the stream, because usage arrives after the finish chunk (in a chunk with empty `choices`).
 *
 * @example
 * const translator = new ChatStreamTranslator({ customTools: new Set(), thinkTags: true });
 * translator.push({ choices: [{ index: 0, delta: { content: 'Hi' } }] }); // [{ type: 'text-delta', text: 'Hi' }]
 * translator.end(); // [{ type: 'finish', … }] or an `error` when no finish_reason came
 */
export class ChatStreamTranslator {
  private readonly calls = new Map<number, CallState>();
  private nextIndex = 0;
  private lastUpstreamIndex = 0;
  private finishReason: string | null = null;
  private usage: ModelUsage | undefined;
  private readonly think: ThinkTagSplitter | null;
  private failed = false;

  constructor(private readonly options: ChatStreamOptions) {
    this.think = options.thinkTags ? new ThinkTagSplitter({ open: options.thinkingOpen }) : null;
  }

  /** Whether an `error` event was produced (the stream should stop). */
  get hasFailed(): boolean {
    return this.failed;
  }

  /** Translates one chunk. */
  push(chunk: ChatChunk): ModelEvent[] {
    const error = chunkError(chunk);
    if (error) return this.fail(error);
    const out: ModelEvent[] = [];
    if (chunk.usage) this.usage = readUsage(chunk.usage);
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta ?? {};
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) out.push({ type: 'reasoning-delta', text: reasoning });
      if (delta.content) this.content(delta.content, out);
      if (delta.refusal) out.push({ type: 'refusal-delta', text: delta.refusal });
      for (const call of delta.tool_calls ?? []) this.toolCall(call, out);
      if (delta.function_call) this.toolCall({ index: 0, function: delta.function_call }, out);
      if (choice.finish_reason) {
        if (choice.finish_reason === 'error') return [...out, ...this.fail(new BackendError(502, 'The upstream model failed while generating.', { code: 'upstream_error' }))];
        this.finishReason = choice.finish_reason;
      }
    }
    return out;
  }

  /**
   * Ends the stream. `done` says whether `[DONE]` was seen: a stream that stops without either a
   * finish reason or `[DONE]` was cut off.
   */
  end(done: boolean): ModelEvent[] {
    if (this.failed) return [];
    const out: ModelEvent[] = [];
    for (const piece of this.think?.end() ?? []) out.push(piece.kind === 'text' ? { type: 'text-delta', text: piece.text } : { type: 'reasoning-delta', text: piece.text });
    for (const call of [...this.calls.values()].sort((a, b) => a.index - b.index)) this.endCall(call, out);
    if (!this.finishReason && !done) return [...out, ...this.fail(new BackendError(502, 'The upstream stream ended early (no finish_reason).', { code: 'upstream_stream_ended_early' }))];
    out.push({ type: 'finish', reason: this.reason(), ...(this.usage && { usage: this.usage }) });
    return out;
  }

  private fail(error: BackendError): ModelEvent[] {
    this.failed = true;
    return [{ type: 'error', error }];
  }

  private reason(): FinishReason {
    const hasCalls = [...this.calls.values()].some((call) => call.started);
    switch (this.finishReason) {
      case 'length':
      case 'content_filter':
        return this.finishReason;
      case 'tool_calls':
      case 'function_call':
        return 'tool_calls';
      default:
        // Several servers say `stop` (or nothing before [DONE]) after a tool call.
        return hasCalls ? 'tool_calls' : 'stop';
    }
  }

  private content(text: string, out: ModelEvent[]): void {
    if (!this.think) {
      out.push({ type: 'text-delta', text });
      return;
    }
    for (const piece of this.think.push(text)) out.push(piece.kind === 'text' ? { type: 'text-delta', text: piece.text } : { type: 'reasoning-delta', text: piece.text });
  }

  private toolCall(call: ChunkToolCall, out: ModelEvent[]): void {
    const upstreamIndex = call.index ?? this.indexWithoutIndex(call.id ?? undefined);
    this.lastUpstreamIndex = upstreamIndex;
    let state = this.calls.get(upstreamIndex);
    // Some Ollama versions number every call 0; a new id at a used index is a new call. The old one
    // moves to a key no upstream index uses, so it is still closed at the end.
    if (state?.started && call.id && state.callId && call.id !== state.callId) {
      this.calls.set(-1 - state.index, state);
      state = undefined;
    }
    if (!state) {
      state = { index: this.nextIndex++, started: false, pending: '', argumentChars: 0 };
      this.calls.set(upstreamIndex, state);
    }
    if (call.id && !state.callId) state.callId = call.id;
    if (call.function?.name && !state.name) state.name = call.function.name;
    const raw = call.function?.arguments;
    const args = typeof raw === 'string' ? raw : raw == null ? '' : JSON.stringify(raw);
    if (!state.started) {
      state.pending += args;
      if (!state.name) return;
      state.started = true;
      const kind = this.options.customTools.has(state.name) ? 'custom' : 'function';
      if (kind === 'custom') state.decoder = new CustomInputDecoder();
      state.callId ??= newId('call');
      out.push({ type: 'tool-call-start', index: state.index, callId: state.callId, name: state.name, kind });
      this.arguments(state, state.pending, out);
      state.pending = '';
      return;
    }
    this.arguments(state, args, out);
  }

  /** Gemini's compatibility layer omits `index`: match by id, else a new id is a new call, else the last call. */
  private indexWithoutIndex(id: string | undefined): number {
    if (!id) return this.lastUpstreamIndex;
    for (const [upstreamIndex, state] of this.calls) if (state.callId === id) return upstreamIndex;
    return this.calls.size ? Math.max(...this.calls.keys()) + 1 : 0;
  }

  private arguments(state: CallState, args: string, out: ModelEvent[]): void {
    if (!args) return;
    const text = state.decoder ? state.decoder.push(args) : args;
    state.argumentChars += args.length;
    if (text) out.push({ type: 'tool-call-delta', index: state.index, argumentsDelta: text });
  }

  private endCall(state: CallState, out: ModelEvent[]): void {
    // Arguments that never got a name cannot be called; there is nothing to report.
    if (!state.started) return;
    if (state.decoder) {
      const rest = state.decoder.end();
      if (rest) out.push({ type: 'tool-call-delta', index: state.index, argumentsDelta: rest });
    } else if (state.argumentChars === 0) {
      // A call with no arguments at all is not valid JSON; `{}` is what the caller expects.
      out.push({ type: 'tool-call-delta', index: state.index, argumentsDelta: '{}' });
    }
  }
}

function readUsage(usage: ChunkUsage): ModelUsage {
  const result: ModelUsage = { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens;
  if (typeof cached === 'number') result.cachedInputTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  return result;
}

/** The error a chunk carries (vLLM and llama.cpp send `{"error":{…}}` mid-stream), if any. */
function chunkError(chunk: ChatChunk): BackendError | null {
  let source: Record<string, unknown> | null = null;
  if (chunk.error && typeof chunk.error === 'object') source = chunk.error as Record<string, unknown>;
  else if (typeof chunk.error === 'string') source = { message: chunk.error };
  else if (chunk.object === 'error') source = chunk as Record<string, unknown>;
  if (!source) return null;
  const message = typeof source.message === 'string' && source.message ? source.message : 'The upstream model reported an error.';
  const numeric = typeof source.code === 'number' ? source.code : typeof source.code === 'string' && /^\d{3}$/.test(source.code) ? Number(source.code) : NaN;
  const status = numeric >= 400 && numeric <= 599 ? numeric : 500;
  return new BackendError(status, message, {
    code: typeof source.code === 'string' && !/^\d+$/.test(source.code) ? source.code : null,
    type: typeof source.type === 'string' ? source.type : null,
  });
}

/**
 * Turns upstream SSE messages into {@link ModelEvent}s synchronously: stops at `[DONE]` or at the
 * first error (then `over` is true and later messages are ignored).
 *
 * @example
 * const decoder = new ChatSseDecoder(options);
 * for (const message of parser.push(bytes)) events.push(...decoder.message(message));
 * events.push(...decoder.end());
 */
export class ChatSseDecoder {
  readonly #translator: ChatStreamTranslator;
  #done = false;
  #over = false;

  constructor(options: ChatStreamOptions) {
    this.#translator = new ChatStreamTranslator(options);
  }

  /** True after `[DONE]` or an error. */
  get over(): boolean {
    return this.#over;
  }

  /** Events for one SSE message. */
  message(message: SseMessage): ModelEvent[] {
    if (this.#over) return [];
    if (message.data === '[DONE]') {
      this.#done = true;
      this.#over = true;
      return [];
    }
    let chunk: ChatChunk;
    try {
      chunk = JSON.parse(message.data) as ChatChunk;
    } catch {
      this.#over = true;
      return [{ type: 'error', error: new BackendError(502, `The upstream sent a stream chunk that is not JSON: ${message.data.slice(0, 200)}`, { code: 'upstream_bad_chunk' }) }];
    }
    if (!chunk || typeof chunk !== 'object') return [];
    const events = this.#translator.push(chunk);
    if (this.#translator.hasFailed) this.#over = true;
    return events;
  }

  /** The closing events (`finish`, or an error when the stream ended early); none after an error. */
  end(): ModelEvent[] {
    if (this.#translator.hasFailed) return [];
    return this.#translator.end(this.#done);
  }
}

/**
 * Reads upstream SSE messages to {@link ModelEvent}s, stopping at `[DONE]`, at the first error, or
 * when the consumer stops iterating.
 *
 * @example for await (const event of translateChatStream(readSse(res.body), options)) console.log(event);
 */
export async function* translateChatStream(messages: AsyncIterable<SseMessage>, options: ChatStreamOptions): AsyncGenerator<ModelEvent> {
  const decoder = new ChatSseDecoder(options);
  for await (const message of messages) {
    yield* decoder.message(message);
    if (decoder.over) break;
  }
  yield* decoder.end();
}
