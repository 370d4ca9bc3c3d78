import { createHash } from 'node:crypto';
import { GenerationalCache } from './generational-cache.js';

/**
 * Texts up to this length are their own key (V8 hashes a string once, natively); longer ones are
 * keyed by SHA-1 (V8 hashes very long strings by length only).
 */
const VERBATIM_KEY_CHARS = 16_000;

/**
 * A bounded cache of token counts by tokenizer and text. Items are immutable, so a text's count
 * never changes: a 1,000-turn chain tokenises each item once, not once per turn.
 *
 * @example
 * const cache = new TokenCache();
 * cache.get('o200k', 'hello') ?? cache.set('o200k', 'hello', 1);
 */
export class TokenCache {
  readonly #byTokenizer = new Map<string, GenerationalCache<string, number>>();
  readonly #maxKeyChars: number;

  /** `maxKeyChars`: characters of keys kept per tokenizer (the memory bound; default 16M). */
  constructor(options: { maxKeyChars?: number } = {}) {
    this.#maxKeyChars = options.maxKeyChars ?? 16_000_000;
  }

  /** Number of cached counts. */
  get size(): number {
    let size = 0;
    for (const cache of this.#byTokenizer.values()) size += cache.size;
    return size;
  }

  /** The cache key of a text. */
  static key(text: string): string {
    return text.length <= VERBATIM_KEY_CHARS ? text : `\u0000${createHash('sha1').update(text).digest('base64')}`;
  }

  #cache(tokenizerId: string): GenerationalCache<string, number> {
    let cache = this.#byTokenizer.get(tokenizerId);
    if (!cache) this.#byTokenizer.set(tokenizerId, (cache = new GenerationalCache(this.#maxKeyChars, (key) => key.length + 16)));
    return cache;
  }

  get(tokenizerId: string, text: string): number | undefined {
    return this.#cache(tokenizerId).get(TokenCache.key(text));
  }

  set(tokenizerId: string, text: string, count: number): number {
    return this.#cache(tokenizerId).set(TokenCache.key(text), count);
  }
}

/** The process-wide cache of token counts. */
export const sharedTokenCache = new TokenCache();
