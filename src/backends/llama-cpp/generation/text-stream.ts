import { LlamaText, SpecialToken, type LlamaModel, type Token } from 'node-llama-cpp';

/**
 * Turning sampled tokens into text one token at a time, and finding trigger strings (stop
 * sequences, the start of a tool call, thought markers) in that text as it streams.
 */

/**
 * Detokenizes a token stream incrementally. A token that ends inside a UTF-8 character (byte-level
 * vocabularies split characters across tokens) is held until the character is complete.
 *
 * @example const text = new IncrementalDetokenizer(model); for (const token of tokens) out += text.push(token);
 */
export class IncrementalDetokenizer {
  private pending: Token[] = [];
  private previous: Token[] = [];

  constructor(private readonly model: LlamaModel) {}

  /** The text the token completes ('' while a character is still incomplete). */
  push(token: Token): string {
    this.pending.push(token);
    const text = this.model.detokenize(this.pending, true, this.previous);
    if (text.endsWith('\uFFFD') && this.pending.length < 4) return '';
    this.remember();
    return text;
  }

  /** Whatever is still held (a broken character ends as U+FFFD). */
  flush(): string {
    if (!this.pending.length) return '';
    const text = this.model.detokenize(this.pending, true, this.previous);
    this.remember();
    return text;
  }

  /** Keeps the last few tokens as context for the next ones (spacing rules of some vocabularies). */
  private remember(): void {
    for (const token of this.pending) this.previous.push(token);
    if (this.previous.length > 4) this.previous.splice(0, this.previous.length - 4);
    this.pending = [];
  }

  get holding(): number {
    return this.pending.length;
  }
}

/** The text of a chat-wrapper fragment as the detokenizer shows it, or null for a builtin end token (seen as a token). */
export function llamaTextString(text: unknown, model: LlamaModel): string | null {
  if (text === undefined || text === null) return '';
  const value = LlamaText(text as string);
  let out = '';
  for (const part of value.values) {
    if (typeof part === 'string') out += part;
    else if (part instanceof SpecialToken) {
      if (part.value === 'EOS' || part.value === 'EOT') return null;
      out += model.detokenize(part.tokenize(model.tokenizer), true);
    } else out += part.value;
  }
  return out;
}

export interface TriggerHit<Kind extends string> {
  kind: Kind;
  trigger: string;
  /** Offset of the trigger in all the text pushed so far. */
  at: number;
  /** Text after the trigger that arrived with it. */
  after: string;
}

/**
 * Finds trigger strings in streamed text, holding back a tail that could still become one.
 *
 * @example
 * const scanner = new TriggerScanner<'stop'>();
 * scanner.push('Hello END', [{ kind: 'stop', text: 'END' }]) // { text: 'Hello ', hit: { kind: 'stop', … } }
 */
export class TriggerScanner<Kind extends string> {
  private held = '';
  /** Characters pushed and released (emitted or consumed by a hit) so far. */
  private released = 0;

  /** Adds text; returns what is now certainly not part of a trigger, and the first trigger found. */
  push(text: string, triggers: readonly { kind: Kind; text: string }[]): { text: string; hit?: TriggerHit<Kind> } {
    const buffer = this.held + text;
    // Most tokens hold no trigger's first character: then nothing can match or start a match.
    let possible = false;
    for (const trigger of triggers) {
      if (trigger.text && buffer.includes(trigger.text[0])) {
        possible = true;
        break;
      }
    }
    if (!possible) {
      this.held = '';
      this.released += buffer.length;
      return { text: buffer };
    }
    let best: { index: number; trigger: { kind: Kind; text: string } } | null = null;
    for (const trigger of triggers) {
      if (!trigger.text) continue;
      const index = buffer.indexOf(trigger.text);
      if (index >= 0 && (!best || index < best.index)) best = { index, trigger };
    }
    if (best) {
      const before = buffer.slice(0, best.index);
      const at = this.released + best.index;
      this.released += best.index + best.trigger.text.length;
      this.held = '';
      // The caller pushes `after` again when it wants it scanned, so it is not counted yet.
      const after = buffer.slice(best.index + best.trigger.text.length);
      return { text: before, hit: { kind: best.trigger.kind, trigger: best.trigger.text, at, after } };
    }
    let keep = 0;
    for (const trigger of triggers) {
      for (let length = Math.min(trigger.text.length - 1, buffer.length); length > keep; length--) {
        if (buffer.endsWith(trigger.text.slice(0, length))) {
          keep = length;
          break;
        }
      }
    }
    const out = buffer.slice(0, buffer.length - keep);
    this.held = buffer.slice(buffer.length - keep);
    this.released += out.length;
    return { text: out };
  }

  /** Releases the held tail (the stream ended, so it was no trigger). */
  flush(): string {
    const out = this.held;
    this.released += out.length;
    this.held = '';
    return out;
  }
}
