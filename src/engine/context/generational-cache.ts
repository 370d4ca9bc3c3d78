/**
 * A bounded cache with near-LRU eviction at O(1) per hit: entries live in a young and an old
 * generation; a hit in the old one moves the entry to the young one, and when the young one holds
 * half the capacity the old one is dropped whole. No per-hit delete/insert churn.
 *
 * @example
 * const cache = new GenerationalCache<string, number>(1_000, (key) => key.length);
 * cache.set('hello', 1); cache.get('hello'); // 1
 */
export class GenerationalCache<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  #youngWeight = 0;
  readonly #capacity: number;
  readonly #weigh: (key: K, value: V) => number;

  /** `capacity` is the total weight kept (both generations), `weigh` gives an entry's weight (default 1). */
  constructor(capacity: number, weigh: (key: K, value: V) => number = () => 1) {
    this.#capacity = capacity;
    this.#weigh = weigh;
  }

  /** Entries currently held. */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.#add(key, old);
    }
    return old;
  }

  set(key: K, value: V): V {
    if (!this.#young.has(key)) this.#old.delete(key);
    this.#add(key, value);
    return value;
  }

  /** Drops every entry. */
  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
    this.#youngWeight = 0;
  }

  #add(key: K, value: V): void {
    this.#young.set(key, value);
    this.#youngWeight += this.#weigh(key, value);
    if (this.#youngWeight * 2 > this.#capacity) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngWeight = 0;
    }
  }
}
