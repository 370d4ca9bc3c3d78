import { createHash } from 'node:crypto';

/** Texts longer than this are keyed by their SHA-1 instead of themselves (keeps the cache small). */
const VERBATIM_KEY_CHARS = 2048;

/**
 * A bounded LRU of token counts keyed by tokenizer and text. Items are immutable, so a text's count
 * never changes: a 1,000-turn chain tokenises each item once, not once per turn.
 *
 * @example
 * const cache = new TokenCache();
 * cache.get('o200k', 'hello') ?? cache.set('o200k', 'hello', 1);
 */
export class TokenCache {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #maxKeyChars: number;
  #keyChars = 0;

  constructor(options: { maxEntries?: number; maxKeyChars?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 400_000;
    this.#maxKeyChars = options.maxKeyChars ?? 24_000_000;
  }

  /** Number of cached counts. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cache key of a text for a tokenizer. */
  static key(tokenizerId: string, text: string): string {
    return text.length <= VERBATIM_KEY_CHARS ? `${tokenizerId}\u0000${text}` : `${tokenizerId}\u0001${createHash('sha1').update(text).digest('base64')}`;
  }

  get(tokenizerId: string, text: string): number | undefined {
    return this.getKey(TokenCache.key(tokenizerId, text));
  }

  getKey(key: string): number | undefined {
    const count = this.#entries.get(key);
    if (count !== undefined) {
      // Refresh its place in the LRU order.
      this.#entries.delete(key);
      this.#entries.set(key, count);
    }
    return count;
  }

  set(tokenizerId: string, text: string, count: number): number {
    return this.setKey(TokenCache.key(tokenizerId, text), count);
  }

  setKey(key: string, count: number): number {
    if (!this.#entries.has(key)) this.#keyChars += key.length;
    this.#entries.set(key, count);
    while (this.#entries.size > this.#maxEntries || this.#keyChars > this.#maxKeyChars) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      this.#keyChars -= oldest.length;
    }
    return count;
  }
}

/** The process-wide cache of token counts. */
export const sharedTokenCache = new TokenCache();
