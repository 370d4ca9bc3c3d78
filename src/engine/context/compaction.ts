import { SealedBox } from '../../crypto/sealed-box.js';
import { invalidRequest } from '../../protocol/errors.js';
import { newId, ID_PREFIX } from '../../protocol/ids.js';
import type { InputItem, StoredItem } from '../../protocol/index.js';
import type { LocatedItem } from '../model-messages.js';
import { callId, outputCallId } from './units.js';

/** What a compaction item holds, sealed (AES-256-GCM): the model-written summary and where it came from. */
export interface CompactionState {
  v: 1;
  kind: 'compaction';
  /** The model-written summary of everything the item replaces. */
  summary: string;
  /** The public model name that wrote it. */
  model: string;
  /** Unix seconds. */
  createdAt: number;
  /** Items and tokens (as counted then) the summary covers, earlier compactions included. */
  coveredItems: number;
  coveredTokens: number;
  /** The latest user messages, kept verbatim (text): the conversation resumes from them and the summary. */
  retained?: string[];
}

/** A `compaction` item as returned to clients. */
export interface CompactionItem {
  type: 'compaction';
  id: string;
  encrypted_content: string;
}

/**
 * Seals a summary into a new `compaction` item (id `cmp_…`).
 *
 * @example compactionItem(box, { summary: 'The user is planning a trip…', model: 'gpt-5.4', coveredItems: 40, coveredTokens: 51200 })
 */
export function compactionItem(box: SealedBox, state: Omit<CompactionState, 'v' | 'kind' | 'createdAt'> & { createdAt?: number }): CompactionItem {
  const sealed: CompactionState = { v: 1, kind: 'compaction', createdAt: Math.floor(Date.now() / 1000), ...state };
  return { type: 'compaction', id: newId(ID_PREFIX.compaction), encrypted_content: box.seal(sealed) };
}

/**
 * Opens a compaction item's `encrypted_content`; a 400 on `param` when it was altered, made by a
 * server with another key, or is not a compaction blob (a reasoning blob, for instance).
 */
export function openCompaction(box: SealedBox, blob: string, param: string): CompactionState {
  const opened = box.open<Partial<CompactionState>>(blob);
  if (!opened || opened.kind !== 'compaction' || typeof opened.summary !== 'string') {
    const why = !opened
      ? SealedBox.isSealed(blob)
        ? 'it was altered, or it was made by a Kestrel server with another key'
        : 'it was not produced by this server'
      : 'it is not a compaction blob';
    throw invalidRequest(`The compaction item's encrypted_content could not be verified: ${why}. Send the compaction item exactly as Kestrel returned it, or drop it and send the full history.`, param, 'invalid_encrypted_content');
  }
  return opened as CompactionState;
}

/** Items once the latest compaction item has replaced what it summarises. */
export interface ResolvedCompaction {
  items: LocatedItem[];
  /** The latest compaction's state, or null when the items hold none. */
  compaction: CompactionState | null;
  /** How many items the compaction replaced (dropped here). */
  replacedItems: number;
}

type Item = InputItem | StoredItem;

/**
 * Applies the latest `compaction` item: everything before it is replaced by its summary and the
 * user messages it retained (so a client may drop those items or send them, with the same
 * result), except leading system/developer messages and calls whose output comes after it.
 * Every compaction item the client sent is verified (400 when altered); `compaction_trigger`
 * items are removed (they are instructions, not history).
 *
 * @example resolveCompactions(box, [{ item: user, param: 'input[0]' }, { item: compaction, param: 'input[1]' }])
 */
export function resolveCompactions(box: SealedBox, items: readonly LocatedItem[]): ResolvedCompaction {
  let latest = -1;
  let state: CompactionState | null = null;
  for (const [index, { item, param }] of items.entries()) {
    if (item.type !== 'compaction') continue;
    latest = index;
    // Every blob a client sends must be genuine; of stored history only the latest is needed.
    state = param !== null ? openCompaction(box, (item as { encrypted_content: string }).encrypted_content, `${param}.encrypted_content`) : null;
  }
  if (latest >= 0 && !state) state = openCompaction(box, (items[latest].item as { encrypted_content: string }).encrypted_content, 'previous_response_id');
  if (latest < 0) {
    const withoutTriggers = items.filter(({ item }) => item.type !== 'compaction_trigger');
    return { items: withoutTriggers.length === items.length ? [...items] : withoutTriggers, compaction: null, replacedItems: 0 };
  }
  const answeredLater = new Set<string>();
  for (let index = latest + 1; index < items.length; index++) {
    const answered = outputCallId(items[index].item);
    if (answered) answeredLater.add(answered);
  }
  const kept: LocatedItem[] = [];
  let replaced = 0;
  let leading = true;
  for (const [index, located] of items.entries()) {
    const item: Item = located.item;
    if (index === latest) {
      for (const text of state!.retained ?? []) kept.push({ item: { type: 'message', role: 'user', content: text }, param: null });
    }
    const system = item.type === 'message' && (item.role === 'system' || item.role === 'developer');
    leading &&= system;
    if (item.type === 'compaction' || item.type === 'compaction_trigger') continue;
    if (index < latest && !leading && !keptBeforeCompaction(item, answeredLater)) {
      replaced++;
      continue;
    }
    kept.push(located);
  }
  return { items: kept, compaction: state, replacedItems: replaced };
}

function keptBeforeCompaction(item: Item, answeredLater: Set<string>): boolean {
  const opened = callId(item);
  return opened !== null && answeredLater.has(opened);
}

/** The user messages of a history, in order (the `/responses/compact` output keeps them). */
export function userMessages(items: readonly Item[]): Item[] {
  return items.filter((item) => item.type === 'message' && item.role === 'user');
}
