import { countTokens as o200kCount } from 'gpt-tokenizer/encoding/o200k_base';
import type { Backend, ModelContentPart, ModelMessage, ModelTool } from '../../backends/types.js';
import { estimateTokens } from './estimate.js';
import { imageTokens } from './image-tokens.js';
import { sharedTokenCache, TokenCache } from './token-cache.js';

/** Where a count comes from: OpenAI's o200k tokenizer, the backend's own tokenizer, or the calibrated estimate. */
export type TokenizerKind = 'o200k' | 'backend' | 'estimate';

/** The model a counter counts for (a subset of the resolved model). */
export interface CountedModel {
  backend: Backend;
  backendModel: string;
}

const OPENAI_FAMILY = /^(gpt-|o\d|chatgpt-|codex-|computer-use)/;
/** Tokenizer text that must be counted as text, never as special tokens. */
const PLAIN = { disallowedSpecial: new Set<string>() };
/** Uncached texts tokenised by a backend at once. */
const BACKEND_CONCURRENCY = 8;

interface Framing {
  /** Role markers and separators per message. */
  perMessage: number;
  /** Tokens priming the model's reply. */
  perReply: number;
  /** Relative safety margin applied when deciding what fits (the count's uncertainty). */
  margin: number;
}

// OpenAI's cookbook framing for o200k chat models; chat templates of open models spend a little more per message.
const FRAMING: Record<TokenizerKind, Framing> = {
  o200k: { perMessage: 3, perReply: 3, margin: 0.01 },
  backend: { perMessage: 6, perReply: 4, margin: 0.02 },
  // The estimate's p95 error on the calibration corpus is 15% (docs/context.md).
  estimate: { perMessage: 6, perReply: 4, margin: 0.15 },
};

/** Backends whose tokenizer endpoint failed, and until when it is not asked again. */
const backendDown = new WeakMap<Backend, number>();

/** Whether a model's name says it is an OpenAI model (counted exactly with o200k). */
export function isOpenAIFamily(model: CountedModel): boolean {
  return OPENAI_FAMILY.test(model.backendModel) || model.backend.type === 'openai-responses';
}

/**
 * Counts prompt tokens for one model, exactly where Kestrel can: o200k for OpenAI-family names,
 * the backend's own tokenizer where it exposes one (`Backend.countTokens`, e.g. llama.cpp's
 * `/tokenize`), the calibrated estimate otherwise (or while the backend's tokenizer is down).
 * Counts of texts are cached process-wide (items are immutable).
 *
 * @example
 * const counter = TokenCounter.for(model);
 * await counter.prepare(textsOfMessages(messages));
 * counter.messages(messages) + counter.tools(tools);
 */
export class TokenCounter {
  #kind: TokenizerKind;
  readonly #model: CountedModel;
  readonly #cache: TokenCache;

  constructor(model: CountedModel, cache: TokenCache = sharedTokenCache) {
    this.#model = model;
    this.#cache = cache;
    this.#kind = isOpenAIFamily(model) ? 'o200k' : model.backend.countTokens && !isDown(model.backend) ? 'backend' : 'estimate';
  }

  /** A counter for a resolved model, sharing the process-wide cache. */
  static for(model: CountedModel): TokenCounter {
    return new TokenCounter(model);
  }

  /** Which tokenizer the counts come from (it may fall back to `estimate` during {@link prepare}). */
  get kind(): TokenizerKind {
    return this.#kind;
  }

  /** Relative uncertainty of the counts, to keep as headroom when filling a window. */
  get margin(): number {
    return FRAMING[this.#kind].margin;
  }

  get perMessage(): number {
    return FRAMING[this.#kind].perMessage;
  }

  /** Identifies the tokenizer the counts come from (cache keys). */
  get cacheId(): string {
    return this.#kind === 'backend' ? `backend:${this.#model.backend.name}:${this.#model.backendModel}` : this.#kind;
  }

  get #id(): string {
    return this.cacheId;
  }

  /**
   * Makes sure every text has a count, asking the backend's tokenizer for the ones not cached yet.
   * When the backend cannot tokenise, the counter falls back to the estimate.
   */
  async prepare(texts: Iterable<string>, signal?: AbortSignal): Promise<void> {
    if (this.#kind !== 'backend') return;
    const id = this.#id;
    const missing = [...new Set([...texts].filter((text) => text && this.#cache.get(id, text) === undefined))];
    const backend = this.#model.backend;
    let next = 0;
    const worker = async () => {
      while (next < missing.length && this.#kind === 'backend') {
        const text = missing[next++];
        this.#cache.set(id, text, await backend.countTokens!(this.#model.backendModel, text, signal));
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(BACKEND_CONCURRENCY, missing.length) }, worker));
    } catch (error) {
      if (signal?.aborted) throw error;
      const status = (error as { status?: unknown }).status;
      // A server without the endpoint (or with another shape of it) is not asked again for 10 minutes; a failure, for 30 s.
      backendDown.set(backend, Date.now() + (typeof status === 'number' && [400, 404, 405, 422, 501].includes(status) ? 600_000 : 30_000));
      this.#kind = 'estimate';
    }
  }

  /** Tokens of a text (cached). */
  text(text: string): number {
    if (!text) return 0;
    const id = this.#id;
    const cached = this.#cache.get(id, text);
    if (cached !== undefined) return cached;
    // A backend count not prepared: the estimate, uncached under the backend's name.
    if (this.#kind === 'backend') return estimateTokens(text);
    return this.#cache.set(id, text, this.#kind === 'o200k' ? o200kCount(text, PLAIN) : estimateTokens(text));
  }

  /** Tokens of content parts (text, decoded files, images). */
  parts(parts: ModelContentPart[]): number {
    let total = 0;
    for (const part of parts) {
      if (part.type === 'text') total += this.text(part.text);
      else if (part.type === 'file') total += this.text(part.filename) + this.text(part.text);
      else total += imageTokens(part.url, part.detail);
    }
    return total;
  }

  /** Tokens of one message, its framing included. */
  message(message: ModelMessage): number {
    const framing = FRAMING[this.#kind].perMessage;
    switch (message.role) {
      case 'system':
        return framing + this.text(message.content);
      case 'assistant': {
        let total = framing + this.text(message.content);
        if (message.reasoning) total += this.text(message.reasoning);
        for (const call of message.toolCalls ?? []) total += framing + this.text(call.name) + this.text(call.arguments);
        return total;
      }
      default:
        return framing + this.parts(message.content);
    }
  }

  /** Tokens of a whole conversation, the reply priming included. */
  messages(messages: ModelMessage[]): number {
    let total = FRAMING[this.#kind].perReply;
    for (const message of messages) total += this.message(message);
    return total;
  }

  /** Tokens of tool definitions (their JSON, as most chat templates render them). */
  tools(tools: ModelTool[]): number {
    let total = 0;
    for (const tool of tools) total += FRAMING[this.#kind].perMessage + this.text(JSON.stringify(tool));
    return total;
  }
}

function isDown(backend: Backend): boolean {
  const until = backendDown.get(backend);
  return until !== undefined && until > Date.now();
}

/**
 * Every text a conversation and its tools hold, for {@link TokenCounter.prepare}.
 *
 * @example await counter.prepare(textsOf(messages, tools));
 */
export function* textsOf(messages: ModelMessage[], tools: ModelTool[] = []): Generator<string> {
  for (const message of messages) {
    if (message.role === 'system') yield message.content;
    else if (message.role === 'assistant') {
      yield message.content;
      if (message.reasoning) yield message.reasoning;
      for (const call of message.toolCalls ?? []) {
        yield call.name;
        yield call.arguments;
      }
    } else {
      for (const part of message.content) {
        if (part.type === 'text') yield part.text;
        else if (part.type === 'file') {
          yield part.filename;
          yield part.text;
        }
      }
    }
  }
  for (const tool of tools) yield JSON.stringify(tool);
}
