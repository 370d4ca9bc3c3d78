import type { ModelMessage } from '../../backends/types.js';
import { splitText, type Chunk } from './chunks.js';
import { GenerationalCache } from './generational-cache.js';
import { termBag } from './terms.js';
import { renderTranscript } from './transcript.js';

/** One unit of history as recall and the rolling summary see it: an identity, its transcript, its passages. */
export interface UnitEntry {
  /** The same for every unit with the same transcript (while cached). */
  readonly uid: number;
  readonly transcript: string;
  /** The unit's passages for recall (cut and indexed once). */
  chunks(): Chunk[];
}

let nextUid = 1;

class Entry implements UnitEntry {
  readonly uid = nextUid++;
  #chunks: Chunk[] | null = null;
  constructor(
    readonly label: string,
    readonly text: string,
    readonly chunkChars: number,
  ) {}
  get transcript(): string {
    return this.label ? `${this.label}: ${this.text}` : this.text;
  }
  chunks(): Chunk[] {
    return (this.#chunks ??= splitText(this.transcript, this.chunkChars).map((piece) => ({ text: piece, bag: termBag(piece) })));
  }
}

/** A single text message's label and text, when the unit is just that (the common case); its transcript is then not built. */
function single(messages: readonly ModelMessage[]): [string, string] | null {
  if (messages.length !== 1) return null;
  const message = messages[0];
  if (message.role === 'user' && message.content.length === 1 && message.content[0].type === 'text') return ['User', message.content[0].text];
  if (message.role === 'assistant' && !message.toolCalls?.length && message.content) return ['Assistant', message.content];
  return null;
}

/**
 * Units of evicted history by content, bounded by characters: a long chain is cut into passages
 * and indexed once, and its units keep the same identity from one turn to the next (what the
 * rolling summary's cache is keyed on).
 *
 * @example new UnitIndex(800).entry(messages).chunks()
 */
export class UnitIndex {
  readonly #byLabel = new Map<string, GenerationalCache<string, Entry>>();
  readonly #chunkChars: number;
  readonly #capacity: number;

  constructor(chunkChars: number, capacityChars = 32_000_000) {
    this.#chunkChars = chunkChars;
    this.#capacity = capacityChars;
  }

  entry(messages: readonly ModelMessage[]): UnitEntry {
    const [label, text] = single(messages) ?? ['', renderTranscript(messages)];
    let cache = this.#byLabel.get(label);
    if (!cache) this.#byLabel.set(label, (cache = new GenerationalCache(this.#capacity, (key) => key.length + 64)));
    return cache.get(text) ?? cache.set(text, new Entry(label, text, this.#chunkChars));
  }
}
