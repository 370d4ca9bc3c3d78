import type { StoredItem } from '../../protocol/index.js';
import type { Owner, Store } from '../../store/types.js';
import { GenerationalCache } from './generational-cache.js';

const TERMINAL = new Set(['completed', 'incomplete', 'failed', 'cancelled']);

interface Chain {
  items: readonly StoredItem[];
  /** Characters of its items' JSON (what the bound counts; items shared by chains are counted in each). */
  chars: number;
}

const charsOf = (items: readonly StoredItem[]) => items.reduce((sum, item) => sum + JSON.stringify(item).length, 0);

/**
 * The histories of recent `previous_response_id` chains, kept in memory so the next turn loads
 * only its parent's own items instead of the whole chain (a 1,000-turn chain is otherwise read and
 * parsed again on every turn). The same item objects are handed out on every turn, which lets the
 * context step keep what it derived from them. A finished response's history never changes; a
 * deletion through {@link forget} drops everything (deletions are rare). Bounded by the size of
 * the chains' items (default 96M characters of JSON).
 *
 * Histories are treated as read-only by everything that receives them.
 *
 * @example const history = await chains.load(store, 'resp_123', owner);
 */
export class ChainCache {
  readonly #entries: GenerationalCache<string, Chain>;

  constructor(maxChars = 96_000_000) {
    this.#entries = new GenerationalCache(maxChars, (key, chain) => key.length + chain.chars);
  }

  /** The history a follow-up to `responseId` continues from, as `Store.loadChainHistory` gives it; null when missing. */
  async load(store: Store, responseId: string, owner: Owner): Promise<readonly StoredItem[] | null> {
    const key = `${owner}\u0000${responseId}`;
    const cached = this.#entries.get(key);
    const record = await store.getResponse(responseId, owner);
    if (!record) return null;
    // A response still running may grow; its chain is read from the store as it is now.
    if (!TERMINAL.has(record.response.status)) return store.loadChainHistory(responseId, owner);
    if (cached) return cached.items;
    const parent = record.previousResponseId ? this.#entries.get(`${owner}\u0000${record.previousResponseId}`) : undefined;
    let chain: Chain | null;
    if (parent) {
      const input: StoredItem[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.listInputItems(responseId, owner, { after, limit: 1_000, order: 'asc' });
        input.push(...page.data);
        if (!page.hasMore || !page.lastId) break;
        after = page.lastId;
      }
      const own = [...input, ...(record.response.output as StoredItem[])];
      chain = { items: [...parent.items, ...own], chars: parent.chars + charsOf(own) };
    } else {
      const items = await store.loadChainHistory(responseId, owner);
      chain = items && { items, chars: charsOf(items) };
    }
    if (chain) this.#entries.set(key, chain);
    return chain?.items ?? null;
  }

  /** Drops every cached chain (a response was deleted: the chains through it are shorter now). */
  forget(): void {
    this.#entries.clear();
  }
}

/** The process-wide chain cache. */
export const sharedChains = new ChainCache();
