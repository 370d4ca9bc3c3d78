/**
 * Recovers the raw input of a custom tool from the streamed JSON arguments of the function that
 * stands in for it (`{"input":"…"}`). When the arguments start with `{"input":"` the string is
 * decoded as it streams; anything else is buffered and decoded once complete.
 *
 * @example
 * const decoder = new CustomInputDecoder();
 * decoder.push('{"input":"*** Begin') + decoder.push(' Patch\\n"}') + decoder.end(); // '*** Begin Patch\n'
 */
export class CustomInputDecoder {
  private state: 'prefix' | 'string' | 'after' | 'buffer' = 'prefix';
  private buffer = '';

  /** Feeds one argument fragment; returns the decoded input text that is now certain. */
  push(fragment: string): string {
    this.buffer += fragment;
    if (this.state === 'prefix') {
      const match = matchPrefix(this.buffer);
      if (match === 'maybe') return '';
      if (match === 'no') {
        this.state = 'buffer';
        return '';
      }
      this.buffer = this.buffer.slice(match);
      this.state = 'string';
    }
    if (this.state === 'string') return this.decode();
    if (this.state === 'after') this.buffer = '';
    return '';
  }

  /** Ends the arguments; returns what is left (the whole input when it could not be streamed). */
  end(): string {
    if (this.state === 'string' || this.state === 'after') return '';
    const raw = this.buffer;
    this.buffer = '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // Not JSON at all: the model wrote the input directly, which is what a custom tool wants.
      return raw;
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      const values = Object.values(record);
      const value = 'input' in record ? record.input : values.length === 1 ? values[0] : undefined;
      if (typeof value === 'string') return value;
      if (value !== undefined) return JSON.stringify(value);
    }
    return typeof parsed === 'string' ? parsed : raw;
  }

  private decode(): string {
    let out = '';
    let i = 0;
    const text = this.buffer;
    while (i < text.length) {
      const char = text[i];
      if (char === '"') {
        this.state = 'after';
        i = text.length;
        break;
      }
      if (char !== '\\') {
        out += char;
        i++;
        continue;
      }
      if (i + 1 >= text.length) break;
      const escape = text[i + 1];
      if (escape === 'u') {
        if (i + 6 > text.length) break;
        const hex = text.slice(i + 2, i + 6);
        out += /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : hex;
        i += 6;
        continue;
      }
      out += ESCAPES[escape] ?? escape;
      i += 2;
    }
    this.buffer = this.state === 'after' ? '' : text.slice(i);
    // Hold back a lone high surrogate so a pair is never split between two deltas.
    const last = out.charCodeAt(out.length - 1);
    if (this.state === 'string' && last >= 0xd800 && last <= 0xdbff) {
      this.buffer = `\\u${last.toString(16)}${this.buffer}`;
      out = out.slice(0, -1);
    }
    return out;
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Matches `{ "input" : "` at the start: the offset after it, 'maybe' while incomplete, 'no' when it cannot match. */
function matchPrefix(text: string): number | 'maybe' | 'no' {
  const tokens = ['{', '"input"', ':', '"'];
  let i = 0;
  for (const token of tokens) {
    while (i < text.length && /\s/.test(text[i])) i++;
    const rest = text.slice(i, i + token.length);
    if (rest.length < token.length) return token.startsWith(rest) ? 'maybe' : 'no';
    if (rest !== token) return 'no';
    i += token.length;
  }
  return i;
}
