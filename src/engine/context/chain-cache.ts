import type { StoredItem } from '../../protocol/index.js';
import type { Owner, Store } from '../../store/types.js';
import { GenerationalCache } from './generational-cache.js';

const TERMINAL = new Set(['completed', 'incomplete', 'failed', 'cancelled']);

/**
 * The histories of recent `previous_response_id` chains, kept in memory so the next turn loads
 * only its parent's own items instead of the whole chain (a 1,000-turn chain is otherwise read and
 * parsed again on every turn). The same item objects are handed out on every turn, which lets the
 * context step keep what it derived from them. A finished response's history never changes; a
 * deletion through {@link forget} drops everything (deletions are rare). Bounded by item count.
 *
 * Histories are treated as read-only by everything that receives them.
 *
 * @example const history = await chains.load(store, 'resp_123', owner);
 */
export class ChainCache {
  readonly #entries: GenerationalCache<string, readonly StoredItem[]>;

  constructor(maxItems = 400_000) {
    this.#entries = new GenerationalCache(maxItems, (_key, items) => items.length + 1);
  }

  /** The history a follow-up to `responseId` continues from, as `Store.loadChainHistory` gives it; null when missing. */
  async load(store: Store, responseId: string, owner: Owner): Promise<readonly StoredItem[] | null> {
    const key = `${owner}\u0000${responseId}`;
    const cached = this.#entries.get(key);
    const record = await store.getResponse(responseId, owner);
    if (!record) return null;
    // A response still running may grow; its chain is read from the store as it is now.
    if (!TERMINAL.has(record.response.status)) return store.loadChainHistory(responseId, owner);
    if (cached) return cached;
    const parent = record.previousResponseId ? this.#entries.get(`${owner}\u0000${record.previousResponseId}`) : undefined;
    let history: readonly StoredItem[] | null;
    if (parent) {
      const input: StoredItem[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.listInputItems(responseId, owner, { after, limit: 1_000, order: 'asc' });
        input.push(...page.data);
        if (!page.hasMore || !page.lastId) break;
        after = page.lastId;
      }
      history = [...parent, ...input, ...(record.response.output as StoredItem[])];
    } else {
      history = await store.loadChainHistory(responseId, owner);
    }
    if (history) this.#entries.set(key, history);
    return history;
  }

  /** Drops every cached chain (a response was deleted: the chains through it are shorter now). */
  forget(): void {
    this.#entries.clear();
  }
}

/** The process-wide chain cache. */
export const sharedChains = new ChainCache();
