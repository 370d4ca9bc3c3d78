import type { FinishReason, ModelEvent, ModelUsage } from '../../backends/types.js';
import type { ChatUsage } from '../../protocol/chat.js';

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  system_fingerprint: string | null;
  service_tier: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string | null; refusal: string | null; tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[]; reasoning_content?: string; annotations: unknown[] };
    logprobs: null;
    finish_reason: FinishReason;
  }[];
  usage: ChatUsage;
}

/** Chat usage from normalised usage. */
export function chatUsage(usage: ModelUsage | undefined): ChatUsage {
  const prompt = usage?.inputTokens ?? 0;
  const completion = usage?.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
  };
}

/**
 * Turns model events into Chat Completions stream frames (`data: {chunk}\n\n`): the first carries
 * the role, the finish chunk has an empty delta, usage follows in its own chunk when asked.
 * Chunks are serialised from a precomputed prefix: this runs once per token.
 */
export class ChatChunker {
  readonly #prefix: string;
  #started = false;
  /** Backend tool-call index → the chunk index clients see (0, 1, 2… in order of appearance). */
  readonly #indexes = new Map<number, number>();

  constructor(id: string, model: string) {
    const created = Math.floor(Date.now() / 1000);
    this.#prefix = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":`;
  }

  #frame(delta: string, finish: FinishReason | null = null): string {
    return `${this.#prefix}[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish ? `"${finish}"` : 'null'}}]}\n\n`;
  }

  /** SSE text for one model event (`finish` gives the finish chunk and, when asked, the usage chunk). */
  frames(event: ModelEvent, includeUsage: boolean): string {
    let out = '';
    if (!this.#started && event.type !== 'error') {
      this.#started = true;
      out += this.#frame('{"role":"assistant","content":"","refusal":null}');
    }
    switch (event.type) {
      case 'text-delta':
        if (event.text) out += this.#frame(`{"content":${JSON.stringify(event.text)}}`);
        break;
      case 'refusal-delta':
        out += this.#frame(`{"refusal":${JSON.stringify(event.text)}}`);
        break;
      case 'reasoning-delta':
        out += this.#frame(`{"reasoning_content":${JSON.stringify(event.text)}}`);
        break;
      case 'tool-call-start': {
        const index = this.#indexes.size;
        this.#indexes.set(event.index, index);
        out += this.#frame(JSON.stringify({ tool_calls: [{ index, id: event.callId, type: 'function', function: { name: event.name, arguments: '' } }] }));
        break;
      }
      case 'tool-call-delta': {
        const index = this.#indexes.get(event.index);
        if (index !== undefined && event.argumentsDelta) out += this.#frame(`{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(event.argumentsDelta)}}}]}`);
        break;
      }
      case 'finish':
        out += this.#frame('{}', event.reason);
        if (includeUsage) out += `${this.#prefix}[],"usage":${JSON.stringify(chatUsage(event.usage))}}\n\n`;
        break;
      default:
        break;
    }
    return out;
  }
}

/** Accumulates model events into a non-streamed chat completion. */
export class ChatAccumulator {
  readonly #id: string;
  readonly #model: string;
  #content = '';
  #refusal = '';
  #reasoning = '';
  readonly #calls = new Map<number, { id: string; type: 'function'; function: { name: string; arguments: string } }>();
  finish: FinishReason | null = null;
  usage: ModelUsage | undefined;

  constructor(id: string, model: string) {
    this.#id = id;
    this.#model = model;
  }

  apply(event: ModelEvent): void {
    switch (event.type) {
      case 'text-delta':
        this.#content += event.text;
        break;
      case 'refusal-delta':
        this.#refusal += event.text;
        break;
      case 'reasoning-delta':
        this.#reasoning += event.text;
        break;
      case 'tool-call-start':
        this.#calls.set(event.index, { id: event.callId, type: 'function', function: { name: event.name, arguments: '' } });
        break;
      case 'tool-call-delta': {
        const call = this.#calls.get(event.index);
        if (call) call.function.arguments += event.argumentsDelta;
        break;
      }
      case 'finish':
        this.finish = event.reason;
        this.usage = event.usage;
        break;
      default:
        break;
    }
  }

  result(): ChatCompletion {
    const message: ChatCompletion['choices'][number]['message'] = {
      role: 'assistant',
      content: this.#content || (this.#calls.size || this.#refusal ? null : ''),
      refusal: this.#refusal || null,
      annotations: [],
    };
    if (this.#calls.size) message.tool_calls = [...this.#calls.values()];
    if (this.#reasoning) message.reasoning_content = this.#reasoning;
    return {
      id: this.#id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: this.#model,
      system_fingerprint: null,
      service_tier: 'default',
      choices: [{ index: 0, message, logprobs: null, finish_reason: this.finish ?? 'stop' }],
      usage: chatUsage(this.usage),
    };
  }
}
