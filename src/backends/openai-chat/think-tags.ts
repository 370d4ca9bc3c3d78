/** A piece of model output, classified. */
export interface ThinkPiece {
  kind: 'text' | 'reasoning';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Splits a `<think>…</think>` block at the start of streamed content into reasoning (Ollama without
 * think mode, DeepSeek-R1 distills, Qwen3 behind a plain server). Tags may be split across chunks.
 * A `<think>` later in the text is left alone: by then the model is answering, perhaps about tags.
 *
 * @example
 * const splitter = new ThinkTagSplitter();
 * [...splitter.push('<thi'), ...splitter.push('nk>hmm</think>\n\nHi'), ...splitter.end()];
 * // [{ kind: 'reasoning', text: 'hmm' }, { kind: 'text', text: 'Hi' }]
 */
export class ThinkTagSplitter {
  private state: 'start' | 'after-open' | 'thinking' | 'after-close' | 'text';
  private pending = '';

  /** `open`: the text starts inside a thought whose `<think>` was sent earlier (a continued turn). */
  constructor(options: { open?: boolean } = {}) {
    this.state = options.open ? 'thinking' : 'start';
  }

  push(chunk: string): ThinkPiece[] {
    this.pending += chunk;
    const out: ThinkPiece[] = [];
    for (;;) {
      if (this.state === 'start') {
        const trimmed = this.pending.trimStart();
        if (trimmed.startsWith(OPEN)) {
          this.pending = trimmed.slice(OPEN.length);
          this.state = 'after-open';
          continue;
        }
        if (trimmed === '' || OPEN.startsWith(trimmed)) return out;
        this.state = 'text';
        continue;
      }
      if (this.state === 'after-open') {
        this.pending = this.pending.trimStart();
        if (!this.pending) return out;
        this.state = 'thinking';
        continue;
      }
      if (this.state === 'thinking') {
        const close = this.pending.indexOf(CLOSE);
        if (close !== -1) {
          emit(out, 'reasoning', this.pending.slice(0, close).trimEnd());
          this.pending = this.pending.slice(close + CLOSE.length);
          this.state = 'after-close';
          continue;
        }
        // Hold back a possible partial `</think>` and the whitespace before it (trimmed if the tag follows).
        let cut = this.pending.length - partialSuffix(this.pending, CLOSE);
        while (cut > 0 && /\s/.test(this.pending[cut - 1])) cut--;
        if (this.pending.length === 0 || cut === 0) return out;
        emit(out, 'reasoning', this.pending.slice(0, cut));
        this.pending = this.pending.slice(cut);
        return out;
      }
      if (this.state === 'after-close') {
        // The blank line models put between the thought and the answer is not part of the answer.
        this.pending = this.pending.replace(/^\s+/, '');
        if (!this.pending) return out;
        this.state = 'text';
        continue;
      }
      emit(out, 'text', this.pending);
      this.pending = '';
      return out;
    }
  }

  /** Flushes what was held back (a partial tag that never completed). */
  end(): ThinkPiece[] {
    const out: ThinkPiece[] = [];
    if (this.state === 'thinking') emit(out, 'reasoning', this.pending.trimEnd());
    else if (this.state === 'start' || this.state === 'text') emit(out, 'text', this.pending);
    this.pending = '';
    return out;
  }
}

function emit(out: ThinkPiece[], kind: ThinkPiece['kind'], text: string): void {
  if (text) out.push({ kind, text });
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
