import type { ResponseObject, ResponseStreamEvent, StoredItem, ConversationObject } from '../protocol/index.js';

/** Who owns a record: the API key's id, or `''` when auth is off. Another owner gets "not found". */
export type Owner = string;

/** A response as persisted. `response.output` is filled from the stored output items on read. */
export interface ResponseRecord {
  id: string;
  owner: Owner;
  /** The full envelope; `status`, `output`, `usage`… as last written. */
  response: ResponseObject;
  /** The validated create params, kept to resume queued background work after a restart. */
  request: unknown;
  previousResponseId: string | null;
  conversationId: string | null;
  background: boolean;
}

export interface Page<T> {
  data: T[];
  firstId: string | null;
  lastId: string | null;
  hasMore: boolean;
}

export interface PageQuery {
  /** Return items after this item id (exclusive), in the requested order. */
  after?: string;
  limit: number;
  order: 'asc' | 'desc';
}

/**
 * Persistence for responses, items, conversations and background stream events.
 * Items are stored once: a response stores only its own new input items and its output items,
 * and a `previous_response_id` chain is assembled by walking the chain.
 * Every implementation passes `runStoreConformance` (store/conformance.ts).
 */
export interface Store {
  /**
   * True when a read sees every write already issued in this process, even one whose promise has
   * not resolved yet (the SQLite store commits queued writes before any read). The engine then
   * sends a response's terminal event while its final write commits instead of after.
   */
  readonly readsSeeQueuedWrites?: boolean;
  /**
   * Inserts a new response with its own (new) input items, in order. Items already in
   * `record.response.output` are stored as its output (a response stored once, when it ends).
   */
  createResponse(record: ResponseRecord, inputItems: StoredItem[]): Promise<void>;
  /**
   * Replaces the envelope (status, usage, error…) and appends output items not stored yet
   * (by item id, in order). Output items already stored are updated in place.
   */
  updateResponse(id: string, response: ResponseObject, outputItems: StoredItem[]): Promise<void>;
  /** The response with `output` filled in, or null when missing or owned by someone else. */
  getResponse(id: string, owner: Owner): Promise<ResponseRecord | null>;
  /** Deletes a response and the items only it references; false when missing. */
  deleteResponse(id: string, owner: Owner): Promise<boolean>;
  /** The response's own input items (not the inherited history), paginated. */
  listInputItems(responseId: string, owner: Owner, query: PageQuery): Promise<Page<StoredItem>>;
  /** Appends input items to a stored response (steering input that came while it ran); false when it does not exist. */
  appendInputItems?(responseId: string, owner: Owner, items: StoredItem[]): Promise<boolean>;
  /**
   * The whole conversation state a follow-up to `responseId` continues from:
   * for each response of the chain, oldest first, its input items then its output items.
   * Null when the response is missing or not the owner's.
   */
  loadChainHistory(responseId: string, owner: Owner): Promise<StoredItem[] | null>;
  /** Responses still `queued` or `in_progress` with `background: true` (all owners), for restart recovery. */
  listUnfinishedBackground(): Promise<ResponseRecord[]>;

  /** Appends stream events of a background response (for `GET …?stream=true&starting_after=N`). */
  appendEvents(responseId: string, events: ResponseStreamEvent[]): Promise<void>;
  /** Stored events with `sequence_number > after`, in order. */
  listEvents(responseId: string, after: number): Promise<ResponseStreamEvent[]>;

  createConversation(conversation: ConversationObject, owner: Owner, items: StoredItem[]): Promise<void>;
  getConversation(id: string, owner: Owner): Promise<ConversationObject | null>;
  updateConversation(id: string, owner: Owner, metadata: Record<string, string>): Promise<ConversationObject | null>;
  deleteConversation(id: string, owner: Owner): Promise<boolean>;
  /** Appends items at the end of the conversation, in order; false when the conversation is missing. */
  addConversationItems(id: string, owner: Owner, items: StoredItem[]): Promise<boolean>;
  listConversationItems(id: string, owner: Owner, query: PageQuery): Promise<Page<StoredItem> | null>;
  /** Every item of the conversation, oldest first (for building a model call). */
  loadConversationItems(id: string, owner: Owner): Promise<StoredItem[] | null>;
  getConversationItem(conversationId: string, itemId: string, owner: Owner): Promise<StoredItem | null>;
  deleteConversationItem(conversationId: string, itemId: string, owner: Owner): Promise<boolean>;

  /** Any stored item by id (for `item_reference`), or null. */
  getItem(id: string, owner: Owner): Promise<StoredItem | null>;

  close(): Promise<void>;
}
