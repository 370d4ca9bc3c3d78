import type { ModelUsage } from '../../backends/types.js';
import { ID_PREFIX, newId } from '../../protocol/ids.js';
import type { OutputReasoning, Usage } from '../../protocol/index.js';
import type { ItemSink, OpenItem } from '../tools/types.js';

/**
 * A reasoning item whose summary parts Kestrel writes itself (Thinking's plan, Pro's progress),
 * streamed with the same `response.reasoning_summary_*` events as a model's summary.
 *
 * @example
 * const summary = new SummaryItem(ctx.items);
 * summary.part('2 of 4 candidates done');
 * summary.close();
 */
export class SummaryItem {
  readonly item: OutputReasoning;
  readonly #handle: OpenItem;
  #open: { index: number; text: string } | null = null;
  #closed = false;

  constructor(items: ItemSink) {
    this.item = { type: 'reasoning', id: newId(ID_PREFIX.reasoning), summary: [], status: 'in_progress' };
    this.#handle = items.open(this.item);
  }

  /** Starts a summary part (ending the one before). */
  begin(): void {
    this.end();
    const index = this.item.summary.length;
    this.item.summary.push({ type: 'summary_text', text: '' });
    this.#open = { index, text: '' };
    this.#handle.event('response.reasoning_summary_part.added', { summary_index: index, part: { type: 'summary_text', text: '' } });
  }

  /** Appends text to the open part (starting one when none is open). */
  delta(text: string): void {
    if (!text) return;
    if (!this.#open) this.begin();
    const open = this.#open!;
    open.text += text;
    this.item.summary[open.index].text = open.text;
    this.#handle.event('response.reasoning_summary_text.delta', { summary_index: open.index, delta: text });
  }

  /** Ends the open part. */
  end(): void {
    const open = this.#open;
    if (!open) return;
    this.#open = null;
    this.#handle.event('response.reasoning_summary_text.done', { summary_index: open.index, text: open.text });
    this.#handle.event('response.reasoning_summary_part.done', { summary_index: open.index, part: { type: 'summary_text', text: open.text } });
  }

  /** One whole part. */
  part(text: string): void {
    this.begin();
    this.delta(text);
    this.end();
  }

  /** Ends the item (`response.output_item.done`); later calls do nothing. */
  close(status: 'completed' | 'incomplete' = 'completed'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.end();
    this.item.status = status;
    this.#handle.done();
  }
}

/**
 * Adds a model call's usage to a response's running total.
 *
 * @example addModelUsage(ctx.usage, event.usage);
 */
export function addModelUsage(total: Usage | undefined, usage: ModelUsage | undefined): void {
  if (!total || !usage) return;
  total.input_tokens += usage.inputTokens;
  total.output_tokens += usage.outputTokens;
  total.input_tokens_details.cached_tokens += usage.cachedInputTokens ?? 0;
  total.output_tokens_details.reasoning_tokens += usage.reasoningTokens ?? 0;
  total.total_tokens = total.input_tokens + total.output_tokens;
}
