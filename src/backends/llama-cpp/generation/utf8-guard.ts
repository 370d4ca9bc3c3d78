import type { GgufFileInfo } from 'node-llama-cpp';

/** Bytes that never occur in valid UTF-8 (C0 and C1 only start overlong forms; F5–FF start nothing). */
const INVALID = (byte: number) => byte === 0xc0 || byte === 0xc1 || byte >= 0xf5;

/** GPT-2's printable-character table, inverted: character → byte. */
function gpt2Bytes(): Map<string, number> {
  const map = new Map<string, number>();
  let next = 0;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
    map.set(String.fromCodePoint(printable ? byte : 256 + next++), byte);
  }
  return map;
}

/**
 * Ids of vocabulary tokens made of bytes that cannot be part of valid UTF-8. llama.cpp's grammar
 * engine reads such bytes as (overlong) characters, so a grammar could let them through while
 * the text is not what the grammar said; no trained model wants them, so they are never sampled.
 *
 * @example invalidUtf8Tokens(await readGgufFileInfo(path)) // [192, 193, 245, …] for a byte-level BPE vocabulary
 */
export function invalidUtf8Tokens(info: GgufFileInfo): number[] {
  const tokenizer = (info.metadata as { tokenizer?: { ggml?: { model?: unknown; tokens?: unknown } } }).tokenizer?.ggml;
  const tokens = Array.isArray(tokenizer?.tokens) ? (tokenizer.tokens as unknown[]) : [];
  const out: number[] = [];
  if (tokenizer?.model === 'gpt2') {
    const bytes = gpt2Bytes();
    tokens.forEach((token, id) => {
      if (typeof token !== 'string') return;
      for (const char of token) {
        const byte = bytes.get(char);
        if (byte === undefined) return;
        if (INVALID(byte)) {
          out.push(id);
          return;
        }
      }
    });
  } else if (tokenizer?.model === 'llama') {
    tokens.forEach((token, id) => {
      const match = typeof token === 'string' ? /^<0x([0-9A-Fa-f]{2})>$/.exec(token) : null;
      if (match && INVALID(parseInt(match[1], 16))) out.push(id);
    });
  }
  return out;
}
