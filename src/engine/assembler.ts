import { ID_PREFIX, newId } from '../protocol/ids.js';
import type { OpenItem } from './tools/types.js';
import type { OutputItem, OutputMessage, OutputReasoning, ResponseObject, ResponseStreamEvent, Usage } from '../protocol/index.js';

/** Distributes event payload types without their sequence number (the assembler assigns it). */
type Unsequenced<E> = E extends unknown ? Omit<E, 'sequence_number'> : never;
type EventInput = Unsequenced<ResponseStreamEvent>;

export interface AssemblerOptions {
  /** Stream reasoning as summary parts (`reasoning.summary` requested) instead of `reasoning_text`. */
  summarizeReasoning: boolean;
  /** Seals the reasoning of a finished reasoning item into `encrypted_content`. */
  sealReasoning: (text: string, state: Record<string, unknown> | undefined) => string;
  /** Put the sealed blob on the emitted item (`include: ["reasoning.encrypted_content"]`); else only `onSealed` gets it. */
  includeEncrypted: boolean;
  /** Receives every sealed blob by item id (the stored copy always keeps it). */
  onSealed: (itemId: string, blob: string) => void;
  /** Maps a backend tool name back to its namespace and name (namespace tools are flattened for models). */
  toolName?: (name: string) => { name: string; namespace?: string };
}

interface OpenMessage {
  item: OutputMessage;
  outputIndex: number;
  /** Index of the output_text part, -1 until text arrives. */
  textIndex: number;
  refusalIndex: number;
}

interface OpenCall {
  item: Extract<OutputItem, { type: 'function_call' }>;
  outputIndex: number;
}

/**
 * Turns normalised model output into the Responses stream, in exactly the order the official
 * SDK accumulator and Open Responses validate: items appended in order, content parts added before
 * deltas, every item closed with `output_item.done` before the terminal event.
 * Each method returns the events it produced, already numbered.
 */
export class ResponseAssembler {
  readonly response: ResponseObject;
  #sequence = 0;
  #events: ResponseStreamEvent[] = [];
  #message: OpenMessage | null = null;
  #reasoning: { item: OutputReasoning; outputIndex: number; text: string; state?: Record<string, unknown> } | null = null;
  #calls = new Map<number, OpenCall>();
  #pendingState: Record<string, unknown> | undefined;
  readonly #options: AssemblerOptions;
  /** Whether any tool call was produced (decides the phase of messages). */
  hasToolCalls = false;

  constructor(response: ResponseObject, options: AssemblerOptions) {
    this.response = response;
    this.#options = options;
  }

  /** Numbered events produced since the last call, removed from the buffer. */
  drain(): ResponseStreamEvent[] {
    const out = this.#events;
    this.#events = [];
    return out;
  }

  /** The next sequence number (for keepalives). */
  nextSequence(): number {
    return this.#sequence++;
  }

  #emit(event: EventInput): void {
    (event as ResponseStreamEvent).sequence_number = this.#sequence++;
    this.#events.push(event as ResponseStreamEvent);
  }

  #snapshot(): ResponseObject {
    return { ...this.response, output: this.response.output.map((item) => ({ ...item })) as OutputItem[] };
  }

  /** `response.created` then `response.in_progress` (or `response.queued` for background work). */
  start(): void {
    this.#emit({ type: 'response.created', response: this.#snapshot() });
    this.#emit({ type: this.response.status === 'queued' ? 'response.queued' : 'response.in_progress', response: this.#snapshot() });
  }

  /** `response.in_progress` when queued work starts. */
  markInProgress(): void {
    this.response.status = 'in_progress';
    this.#emit({ type: 'response.in_progress', response: this.#snapshot() });
  }

  #addItem(item: OutputItem): number {
    const outputIndex = this.response.output.length;
    this.response.output.push(item);
    // Items start empty; a shallow copy with fresh arrays keeps later appends out of this event.
    const copy = { ...item } as Record<string, unknown>;
    for (const key of ['content', 'summary'] as const) if (Array.isArray(copy[key])) copy[key] = [];
    this.#emit({ type: 'response.output_item.added', output_index: outputIndex, item: copy as OutputItem });
    return outputIndex;
  }

  #doneItem(outputIndex: number): void {
    this.#emit({ type: 'response.output_item.done', output_index: outputIndex, item: this.response.output[outputIndex] });
  }

  reasoningDelta(text: string): void {
    this.#closeMessage('commentary');
    if (!this.#reasoning) {
      const item: OutputReasoning = { type: 'reasoning', id: newId(ID_PREFIX.reasoning), summary: [], content: [] };
      const outputIndex = this.#addItem(item);
      this.#reasoning = { item, outputIndex, text: '' };
      const base = { item_id: item.id, output_index: outputIndex };
      if (this.#options.summarizeReasoning) {
        item.summary.push({ type: 'summary_text', text: '' });
        this.#emit({ type: 'response.reasoning_summary_part.added', ...base, summary_index: 0, part: { type: 'summary_text', text: '' } });
      } else {
        item.content!.push({ type: 'reasoning_text', text: '' });
        this.#emit({ type: 'response.content_part.added', ...base, content_index: 0, part: { type: 'reasoning_text', text: '' } });
      }
    }
    const open = this.#reasoning;
    open.text += text;
    const base = { item_id: open.item.id, output_index: open.outputIndex };
    if (this.#options.summarizeReasoning) {
      open.item.summary[0].text = open.text;
      this.#emit({ type: 'response.reasoning_summary_text.delta', ...base, summary_index: 0, delta: text });
    } else {
      open.item.content![0].text = open.text;
      this.#emit({ type: 'response.reasoning_text.delta', ...base, content_index: 0, delta: text });
    }
  }

  /** Backend reasoning state (signature, encrypted blob) for the current or next reasoning item. */
  reasoningState(state: Record<string, unknown>): void {
    if (this.#reasoning) this.#reasoning.state = { ...this.#reasoning.state, ...state };
    else this.#pendingState = { ...this.#pendingState, ...state };
  }

  #closeReasoning(): void {
    const open = this.#reasoning;
    if (!open) {
      if (this.#pendingState) {
        // State without visible reasoning (e.g. OpenAI encrypted reasoning): still an item to round-trip.
        const item: OutputReasoning = { type: 'reasoning', id: newId(ID_PREFIX.reasoning), summary: [] };
        const outputIndex = this.#addItem(item);
        this.#seal(item, '', this.#pendingState);
        item.status = 'completed';
        this.#pendingState = undefined;
        this.#doneItem(outputIndex);
      }
      return;
    }
    this.#reasoning = null;
    const base = { item_id: open.item.id, output_index: open.outputIndex };
    const state = { ...this.#pendingState, ...open.state };
    this.#pendingState = undefined;
    if (this.#options.summarizeReasoning) {
      const part = { type: 'summary_text' as const, text: open.text };
      this.#emit({ type: 'response.reasoning_summary_text.done', ...base, summary_index: 0, text: open.text });
      this.#emit({ type: 'response.reasoning_summary_part.done', ...base, summary_index: 0, part });
      open.item.content = [{ type: 'reasoning_text', text: open.text }];
    } else {
      this.#emit({ type: 'response.reasoning_text.done', ...base, content_index: 0, text: open.text });
      this.#emit({ type: 'response.content_part.done', ...base, content_index: 0, part: { type: 'reasoning_text', text: open.text } });
    }
    this.#seal(open.item, open.text, Object.keys(state).length ? state : undefined);
    open.item.status = 'completed';
    this.#doneItem(open.outputIndex);
  }

  #seal(item: OutputReasoning, text: string, state: Record<string, unknown> | undefined): void {
    const blob = this.#options.sealReasoning(text, state);
    this.#options.onSealed(item.id, blob);
    if (this.#options.includeEncrypted) item.encrypted_content = blob;
  }

  #openMessage(): OpenMessage {
    this.#closeReasoning();
    if (!this.#message) {
      const item: OutputMessage = { type: 'message', id: newId(ID_PREFIX.message), status: 'in_progress', role: 'assistant', content: [] };
      this.#message = { item, outputIndex: this.#addItem(item), textIndex: -1, refusalIndex: -1 };
    }
    return this.#message;
  }
  textDelta(text: string): void {
    if (!text) return;
    const open = this.#openMessage();
    const base = { item_id: open.item.id, output_index: open.outputIndex };
    if (open.textIndex < 0) {
      open.textIndex = open.item.content.length;
      open.item.content.push({ type: 'output_text', text: '', annotations: [], logprobs: [] });
      this.#emit({ type: 'response.content_part.added', ...base, content_index: open.textIndex, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    }
    const part = open.item.content[open.textIndex] as { text: string };
    part.text += text;
    this.#emit({ type: 'response.output_text.delta', ...base, content_index: open.textIndex, delta: text, logprobs: [] });
  }

  refusalDelta(text: string): void {
    if (!text) return;
    const open = this.#openMessage();
    const base = { item_id: open.item.id, output_index: open.outputIndex };
    if (open.refusalIndex < 0) {
      open.refusalIndex = open.item.content.length;
      open.item.content.push({ type: 'refusal', refusal: '' });
      this.#emit({ type: 'response.content_part.added', ...base, content_index: open.refusalIndex, part: { type: 'refusal', refusal: '' } });
    }
    const part = open.item.content[open.refusalIndex] as { refusal: string };
    part.refusal += text;
    this.#emit({ type: 'response.refusal.delta', ...base, content_index: open.refusalIndex, delta: text });
  }

  #closeMessage(phase: 'commentary' | 'final_answer', status: 'completed' | 'incomplete' = 'completed'): void {
    const open = this.#message;
    if (!open) return;
    this.#message = null;
    const base = { item_id: open.item.id, output_index: open.outputIndex };
    open.item.content.forEach((part, contentIndex) => {
      if (part.type === 'output_text') {
        this.#emit({ type: 'response.output_text.done', ...base, content_index: contentIndex, text: part.text, logprobs: [] });
      } else {
        this.#emit({ type: 'response.refusal.done', ...base, content_index: contentIndex, refusal: part.refusal });
      }
      this.#emit({ type: 'response.content_part.done', ...base, content_index: contentIndex, part: { ...part } });
    });
    open.item.status = status;
    open.item.phase = phase;
    this.#doneItem(open.outputIndex);
  }

  /** Starts a streamed function call. */
  functionCallStart(index: number, callId: string, backendName: string): void {
    this.#closeReasoning();
    this.#closeMessage('commentary');
    this.hasToolCalls = true;
    const { name, namespace } = this.#options.toolName?.(backendName) ?? { name: backendName };
    const item = { type: 'function_call' as const, id: newId(ID_PREFIX.function_call), call_id: callId, name, arguments: '', status: 'in_progress' as const } as OpenCall['item'];
    if (namespace) item.namespace = namespace;
    this.#calls.set(index, { item, outputIndex: this.#addItem(item) });
  }

  functionCallDelta(index: number, delta: string): boolean {
    const open = this.#calls.get(index);
    if (!open || !delta) return Boolean(open);
    open.item.arguments += delta;
    this.#emit({ type: 'response.function_call_arguments.delta', item_id: open.item.id, output_index: open.outputIndex, delta });
    return true;
  }

  #closeCalls(status: 'completed' | 'incomplete'): void {
    for (const open of this.#calls.values()) {
      this.#emit({ type: 'response.function_call_arguments.done', item_id: open.item.id, output_index: open.outputIndex, name: open.item.name, arguments: open.item.arguments });
      open.item.status = status;
      this.#doneItem(open.outputIndex);
    }
    this.#calls.clear();
  }

  /** A complete custom tool call (grammar-checked by the engine before it is emitted). */
  customToolCall(callId: string, backendName: string, input: string): void {
    this.#closeReasoning();
    this.#closeMessage('commentary');
    this.hasToolCalls = true;
    const { name, namespace } = this.#options.toolName?.(backendName) ?? { name: backendName };
    const item = { type: 'custom_tool_call' as const, id: newId(ID_PREFIX.custom_tool_call), call_id: callId, name, input: '', status: 'in_progress' as const } as Extract<OutputItem, { type: 'custom_tool_call' }>;
    if (namespace) item.namespace = namespace;
    const outputIndex = this.#addItem(item);
    item.input = input;
    if (input) this.#emit({ type: 'response.custom_tool_call_input.delta', item_id: item.id, output_index: outputIndex, delta: input });
    this.#emit({ type: 'response.custom_tool_call_input.done', item_id: item.id, output_index: outputIndex, input });
    item.status = 'completed';
    this.#doneItem(outputIndex);
  }

  /**
   * Appends an item a hosted tool produced, closing any open reasoning or message first, and
   * returns a handle to stream its events and finish it.
   */
  openItem(item: OutputItem): OpenItem {
    this.#closeReasoning();
    this.#closeMessage('commentary');
    const outputIndex = this.#addItem(item);
    const itemId = (item as { id?: string }).id;
    return {
      item,
      outputIndex,
      event: (type, fields) => this.#emit({ type, item_id: itemId, output_index: outputIndex, ...fields } as unknown as EventInput),
      done: () => this.#doneItem(outputIndex),
    };
  }

  /** Closes what one model step left open, before hosted tools add their items: its text is commentary. */
  closeStep(): void {
    this.#closeReasoning();
    this.#closeMessage('commentary');
    this.#closeCalls('completed');
  }

  /** Closes every open item (e.g. before a repair round or at the end). */
  closeOpenItems(status: 'completed' | 'incomplete' = 'completed'): void {
    this.#closeReasoning();
    this.#closeMessage(this.hasToolCalls || this.#calls.size ? 'commentary' : 'final_answer', status);
    this.#closeCalls(status);
  }

  /** Closes everything and emits the terminal event for a finished response. */
  complete(usage: Usage, incomplete?: 'max_output_tokens' | 'content_filter'): void {
    this.closeOpenItems(incomplete ? 'incomplete' : 'completed');
    this.response.usage = usage;
    this.response.completed_at = Math.floor(Date.now() / 1000);
    if (incomplete) {
      this.response.status = 'incomplete';
      this.response.incomplete_details = { reason: incomplete };
      this.#emit({ type: 'response.incomplete', response: this.#snapshot() });
    } else {
      this.response.status = 'completed';
      this.#emit({ type: 'response.completed', response: this.#snapshot() });
    }
  }

  /** `error` then `response.failed`. */
  fail(code: string, message: string, usage: Usage | null, param: string | null = null): void {
    this.closeOpenItems('incomplete');
    this.response.status = 'failed';
    this.response.error = { code, message };
    this.response.usage = usage;
    this.#emit({ type: 'error', code, message, param });
    this.#emit({ type: 'response.failed', response: this.#snapshot() });
  }

  /** Marks the response cancelled (no terminal event: the client is gone or asked to stop). */
  cancel(usage: Usage | null): void {
    this.closeOpenItems('incomplete');
    this.response.status = 'cancelled';
    this.response.usage = usage;
    this.#events = [];
  }
}
