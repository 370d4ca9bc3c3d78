import type { InputItem, StoredItem } from '../../protocol/index.js';
import { imageTokens } from './image-tokens.js';
import type { TokenCounter } from './token-counter.js';

/** Fields that are identifiers or enums, not content the model reads. */
const NOT_CONTENT = new Set(['type', 'id', 'call_id', 'status', 'role', 'detail', 'phase', 'created_by', 'execution']);

/**
 * The size of an input item in tokens, read from the item itself (every string leaf; images by
 * their size, inline file data by its decoded bytes). Used for the hard caps, before and apart
 * from the conversion to model messages.
 *
 * @example itemTokens({ type: 'message', role: 'user', content: 'Hello there' }, counter) // 2
 */
export function itemTokens(item: InputItem | StoredItem, counter: TokenCounter): number {
  let total = counter.perMessage;
  const visit = (value: unknown, key: string | null, detail: unknown): void => {
    if (typeof value === 'string') {
      if (key !== null && NOT_CONTENT.has(key)) return;
      if (value.startsWith('data:image/') || key === 'image_url') total += imageTokens(value, detail === 'low' || detail === 'high' || detail === 'original' ? detail : 'auto');
      // Inline files and sealed blobs: a quarter token per byte of what they decode to.
      else if (key === 'file_data' || key === 'encrypted_content') total += Math.ceil((value.length * 3) / 16);
      else total += counter.text(value);
    } else if (Array.isArray(value)) {
      for (const entry of value) visit(entry, null, undefined);
    } else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const [field, entry] of Object.entries(record)) visit(entry, field, record.detail);
    }
  };
  visit(item, null, undefined);
  return total;
}
