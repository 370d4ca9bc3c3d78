import { createHash } from 'node:crypto';
import { termBag, type TermBag } from './terms.js';

/** A searchable piece of evicted history. */
export interface Chunk {
  text: string;
  bag: TermBag;
}

/**
 * Cuts text into pieces of at most `maxChars`, preferring paragraph, then line, then sentence,
 * then word boundaries.
 *
 * @example splitText('One. Two. Three.', 10) // ['One. Two.', 'Three.']
 */
export function splitText(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    if (text.length - start <= maxChars) {
      pieces.push(text.slice(start));
      break;
    }
    const limit = start + maxChars;
    const floor = start + Math.floor(maxChars / 2);
    let cut = -1;
    for (const separator of ['\n\n', '\n', '. ', ' ']) {
      const found = text.lastIndexOf(separator, limit - separator.length);
      if (found >= floor) {
        cut = found + separator.length;
        break;
      }
    }
    if (cut < 0) cut = limit;
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  return pieces.map((piece) => piece.trim()).filter(Boolean);
}

/** A content key for a text: the text itself when short, its SHA-1 otherwise. */
export function contentKey(text: string): string {
  return text.length <= 256 ? `t:${text}` : `h:${createHash('sha1').update(text).digest('base64')}`;
}

/**
 * Chunks of unit transcripts, cached by content (bounded by total characters) so a long chain is
 * cut and indexed once, not on every turn.
 *
 * @example new ChunkCache(1000).chunks(key, transcript)
 */
export class ChunkCache {
  readonly #maxChars: number;
  readonly #entries = new Map<string, { chunks: Chunk[]; chars: number }>();
  readonly #capacity: number;
  #chars = 0;

  constructor(maxChars: number, capacityChars = 48_000_000) {
    this.#maxChars = maxChars;
    this.#capacity = capacityChars;
  }

  /** The chunks of `text` (whose {@link contentKey} is `key`). */
  chunks(key: string, text: string): Chunk[] {
    const found = this.#entries.get(key);
    if (found) {
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found.chunks;
    }
    const chunks = splitText(text, this.#maxChars).map((piece) => ({ text: piece, bag: termBag(piece) }));
    this.#entries.set(key, { chunks, chars: text.length });
    this.#chars += text.length;
    while (this.#chars > this.#capacity && this.#entries.size > 1) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, { chars: number }];
      this.#entries.delete(oldestKey);
      this.#chars -= oldest.chars;
    }
    return chunks;
  }
}
