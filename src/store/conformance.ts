import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationObject, ResponseObject, ResponseStatus, ResponseStreamEvent, StoredItem } from '../protocol/index.js';
import type { Owner, PageQuery, ResponseRecord, Store } from './types.js';

/** Hooks a store may offer so the suite can check what the public interface cannot show. */
export interface StoreConformanceOptions {
  /** The number of stored item rows in a fresh store (to prove a long chain stores each item once). */
  countItemRows?: (store: Store) => number | Promise<number>;
}

const tag = () => randomBytes(6).toString('hex');

/** A complete Response envelope for tests. */
export function testEnvelope(id: string, overrides: Partial<ResponseObject> = {}): ResponseObject {
  return {
    id,
    object: 'response',
    created_at: 1_772_700_000,
    completed_at: null,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: 'Be brief.',
    max_output_tokens: null,
    max_tool_calls: null,
    model: 'test-model',
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    conversation: null,
    prompt_cache_key: null,
    prompt_cache_retention: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_logprobs: 0,
    top_p: 1,
    presence_penalty: 0,
    frequency_penalty: 0,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: {},
    ...overrides,
  };
}

interface RecordOptions {
  owner?: Owner;
  previousResponseId?: string | null;
  conversationId?: string | null;
  background?: boolean;
  status?: ResponseStatus;
}

/** A response record for tests. */
export function testRecord(id: string, options: RecordOptions = {}): ResponseRecord {
  const background = options.background ?? false;
  const previousResponseId = options.previousResponseId ?? null;
  const conversationId = options.conversationId ?? null;
  return {
    id,
    owner: options.owner ?? '',
    response: testEnvelope(id, {
      background,
      status: options.status ?? (background ? 'queued' : 'in_progress'),
      previous_response_id: previousResponseId,
      conversation: conversationId ? { id: conversationId } : null,
    }),
    request: { model: 'test-model', input: `request of ${id}`, background },
    previousResponseId,
    conversationId,
    background,
  };
}

const userMessage = (id: string, text: string): StoredItem => ({ type: 'message', id, role: 'user', content: [{ type: 'input_text', text }] });
const assistantMessage = (id: string, text: string, status: 'in_progress' | 'completed' = 'completed'): StoredItem => ({
  type: 'message',
  id,
  role: 'assistant',
  status,
  content: [{ type: 'output_text', text, annotations: [] }],
});
const functionCall = (id: string, callId: string): StoredItem => ({ type: 'function_call', id, call_id: callId, name: 'lookup', arguments: '{"q":"x"}', status: 'completed' });
const functionOutput = (id: string, callId: string): StoredItem => ({ type: 'function_call_output', id, call_id: callId, output: 'result', status: 'completed' });
const reasoning = (id: string, blob: string): StoredItem => ({ type: 'reasoning', id, summary: [{ type: 'summary_text', text: 'thought' }], encrypted_content: blob });

const ids = (items: readonly { id: string }[] | null | undefined) => (items ?? []).map((item) => item.id);

const conversation = (id: string, metadata: Record<string, string> = {}): ConversationObject => ({ id, object: 'conversation', created_at: 1_772_700_000, metadata });

/**
 * The contract every {@link Store} must meet, as vitest `describe`/`it` blocks. Call it from a
 * store's test file; each test gets a fresh store from `makeStore`, closed afterwards, then
 * `cleanup` runs (remove temp files, drop schemas…).
 *
 * Besides the JSDoc of `Store`, the suite pins these choices:
 * - `request` is kept for background responses only (`null` otherwise);
 * - `updateResponse` of a missing response does nothing; the envelope's own `output` is ignored;
 * - a chain stops at a deleted (or another owner's) ancestor;
 * - an item added to a conversation is a copy: a later in-place update of a response's output
 *   item does not change it; deleting a conversation item removes every copy with that id;
 * - paging with a cursor id that occurs twice moves past its last occurrence (never loops);
 * - `close()` may be called twice.
 *
 * @example
 * // src/store/sqlite/sqlite-store.test.ts
 * runStoreConformance('sqlite :memory:', () => createSqliteStore({ path: ':memory:' }));
 */
export function runStoreConformance(
  name: string,
  makeStore: () => Promise<Store> | Store,
  cleanup?: (store: Store) => Promise<void> | void,
  options: StoreConformanceOptions = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    // Unique ids per test, so a store shared between tests (e.g. one Postgres schema) still works.
    let t: string;
    const id = (prefix: string) => `${prefix}_${t}_${tag()}`;

    beforeEach(async () => {
      t = tag();
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.(store);
    });

    /** Creates a completed response with the given input and output items. */
    async function turn(responseId: string, input: StoredItem[], output: StoredItem[], options: RecordOptions = {}): Promise<void> {
      await store.createResponse(testRecord(responseId, options), input);
      await store.updateResponse(responseId, testEnvelope(responseId, { status: 'completed', previous_response_id: options.previousResponseId ?? null }), output);
    }

    /** Reads every page of a listing, checking page invariants on the way. */
    async function readAllPages(list: (query: PageQuery) => Promise<{ data: StoredItem[]; firstId: string | null; lastId: string | null; hasMore: boolean } | null>, order: 'asc' | 'desc', limit: number) {
      const seen: string[] = [];
      let after: string | undefined;
      for (let guard = 0; guard < 1000; guard++) {
        const page = await list({ after, limit, order });
        expect(page).not.toBeNull();
        if (!page) break;
        expect(page.data.length).toBeLessThanOrEqual(limit);
        expect(page.firstId).toBe(page.data[0]?.id ?? null);
        expect(page.lastId).toBe(page.data.at(-1)?.id ?? null);
        seen.push(...ids(page.data));
        if (!page.hasMore) break;
        expect(page.data.length).toBe(limit);
        after = page.lastId ?? undefined;
      }
      return seen;
    }

    describe('responses', () => {
      it('round-trips a created response with its record fields', async () => {
        const rid = id('resp');
        const record = testRecord(rid, { owner: 'key_a', previousResponseId: null, conversationId: 'conv_x', background: true });
        record.response.metadata = { topic: 'birds' };
        record.response.usage = null;
        await store.createResponse(record, [userMessage(id('msg'), 'hello')]);
        const got = await store.getResponse(rid, 'key_a');
        expect(got).toEqual({ ...record, response: { ...record.response, output: [] } });
        expect(got?.request).toEqual(record.request);
      });

      it('stores a finished response in one call: output items from the envelope, input items, chain history', async () => {
        const first = id('resp');
        const second = id('resp');
        const question = userMessage(id('msg'), 'q');
        const answer = assistantMessage(id('msg'), 'a');
        const record = testRecord(first);
        record.response.status = 'completed';
        record.response.output = [answer as never];
        await store.createResponse(record, [question]);
        expect((await store.getResponse(first, ''))?.response.output).toEqual([answer]);
        await store.createResponse(testRecord(second, { previousResponseId: first }), [userMessage(id('msg'), 'next')]);
        expect(await store.loadChainHistory(second, '')).toEqual([question, answer, expect.objectContaining({ type: 'message' })]);
      });

      it('when it says reads see queued writes, a read right after an unawaited write finds it', async (context) => {
        if (!store.readsSeeQueuedWrites) return context.skip();
        const first = id('resp');
        const second = id('resp');
        const question = userMessage(id('msg'), 'q');
        const record = testRecord(first);
        record.response.status = 'completed';
        const written = store.createResponse(record, [question]);
        expect((await store.getResponse(first, ''))?.response.status).toBe('completed');
        expect(await store.loadChainHistory(first, '')).toEqual([question]);
        await written;
        const deleted = store.deleteResponse(first, '');
        const created = store.createConversation(conversation(second), '', [question]);
        expect(await store.getResponse(first, '')).toBeNull();
        expect((await store.loadConversationItems(second, ''))?.map((item) => item.id)).toEqual([question.id]);
        expect(await deleted).toBe(true);
        await created;
      });

      it('keeps previousResponseId and background false', async () => {
        const first = id('resp');
        const second = id('resp');
        await turn(first, [userMessage(id('msg'), 'a')], [assistantMessage(id('msg'), 'b')]);
        await store.createResponse(testRecord(second, { previousResponseId: first }), [userMessage(id('msg'), 'c')]);
        const got = await store.getResponse(second, '');
        expect(got?.previousResponseId).toBe(first);
        expect(got?.conversationId).toBeNull();
        expect(got?.background).toBe(false);
        expect(got?.response.previous_response_id).toBe(first);
      });

      it('returns null for a missing response', async () => {
        expect(await store.getResponse(id('resp_missing'), '')).toBeNull();
      });

      it('replaces the envelope and fills output from the stored items, in order', async () => {
        const rid = id('resp');
        await store.createResponse(testRecord(rid), [userMessage(id('msg'), 'q')]);
        const items = [reasoning(id('rs'), 'sealed-blob'), functionCall(id('fc'), 'call_1'), assistantMessage(id('msg'), 'answer')];
        const usage = { input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 12 };
        // The envelope's own `output` is not what is stored: the output items are.
        await store.updateResponse(rid, testEnvelope(rid, { status: 'completed', completed_at: 1_772_700_100, usage, output: [] }), items);
        const got = await store.getResponse(rid, '');
        expect(got?.response.status).toBe('completed');
        expect(got?.response.completed_at).toBe(1_772_700_100);
        expect(got?.response.usage).toEqual(usage);
        expect(got?.response.output).toEqual(items);
      });

      it('keeps the request of background responses only', async () => {
        // The request is kept to resume queued background work; for others it would only repeat
        // the input (the whole history, for a stateless client) in every stored response.
        const foreground = id('resp');
        const background = id('resp');
        await store.createResponse(testRecord(foreground), [userMessage(id('msg'), 'q')]);
        await store.createResponse(testRecord(background, { background: true }), [userMessage(id('msg'), 'q')]);
        expect((await store.getResponse(foreground, ''))?.request).toBeNull();
        expect((await store.getResponse(background, ''))?.request).toEqual(testRecord(background, { background: true }).request);
      });

      it('upserts output items by id: updates in place, appends new ones, keeps unmentioned ones', async () => {
        const rid = id('resp');
        await store.createResponse(testRecord(rid), []);
        const a = assistantMessage(id('msg'), 'partial', 'in_progress');
        const b = functionCall(id('fc'), 'call_b');
        await store.updateResponse(rid, testEnvelope(rid), [a, b]);
        const aDone = assistantMessage(a.id, 'partial and finished', 'completed');
        const c = assistantMessage(id('msg'), 'third');
        await store.updateResponse(rid, testEnvelope(rid, { status: 'completed' }), [aDone, c]);
        const got = await store.getResponse(rid, '');
        expect(got?.response.output).toEqual([aDone, b, c]);
        expect(await store.getItem(a.id, '')).toEqual(aDone);
      });

      it('keeps the last version when one output batch repeats an id', async () => {
        const rid = id('resp');
        await store.createResponse(testRecord(rid), []);
        const draft = assistantMessage(id('msg'), 'draft', 'in_progress');
        const final = assistantMessage(draft.id, 'final');
        const call = functionCall(id('fc'), 'call_1');
        await store.updateResponse(rid, testEnvelope(rid, { status: 'completed' }), [draft, call, final]);
        expect((await store.getResponse(rid, ''))?.response.output).toEqual([final, call]);
      });

      it('keeps the output when updated with no items (e.g. a cancellation)', async () => {
        const rid = id('resp');
        const out = assistantMessage(id('msg'), 'x');
        await turn(rid, [userMessage(id('msg'), 'q')], [out]);
        await store.updateResponse(rid, testEnvelope(rid, { status: 'cancelled' }), []);
        const got = await store.getResponse(rid, '');
        expect(got?.response.status).toBe('cancelled');
        expect(got?.response.output).toEqual([out]);
      });

      it('ignores an update of a missing response', async () => {
        const rid = id('resp_missing');
        await store.updateResponse(rid, testEnvelope(rid, { status: 'completed' }), [assistantMessage(id('msg'), 'lost')]);
        expect(await store.getResponse(rid, '')).toBeNull();
      });

      it('deletes a response once, and only for its owner', async () => {
        const rid = id('resp');
        await turn(rid, [userMessage(id('msg'), 'q')], [assistantMessage(id('msg'), 'a')], { owner: 'key_a' });
        expect(await store.deleteResponse(rid, 'key_b')).toBe(false);
        expect(await store.deleteResponse(rid, '')).toBe(false);
        expect(await store.getResponse(rid, 'key_a')).not.toBeNull();
        expect(await store.deleteResponse(rid, 'key_a')).toBe(true);
        expect(await store.getResponse(rid, 'key_a')).toBeNull();
        expect(await store.deleteResponse(rid, 'key_a')).toBe(false);
        expect(await store.deleteResponse(id('resp_missing'), 'key_a')).toBe(false);
        expect(await store.loadChainHistory(rid, 'key_a')).toBeNull();
        expect((await store.listInputItems(rid, 'key_a', { limit: 10, order: 'asc' })).data).toEqual([]);
      });

      it('deleting a response removes its events and the items nothing else references', async () => {
        const rid = id('resp');
        const other = id('resp');
        const own = userMessage(id('msg'), 'only mine');
        const shared = userMessage(id('msg'), 'shared');
        const out = assistantMessage(id('msg'), 'answer');
        await turn(rid, [own, shared], [out], { background: true });
        await store.appendEvents(rid, [{ type: 'keepalive', sequence_number: 0 }]);
        await turn(other, [shared], []);
        const cid = id('conv');
        await store.createConversation(conversation(cid), '', []);
        await store.addConversationItems(cid, '', [out]);

        expect(await store.deleteResponse(rid, '')).toBe(true);
        expect(await store.listEvents(rid, -1)).toEqual([]);
        expect(await store.getItem(own.id, '')).toBeNull();
        expect(await store.getItem(shared.id, '')).toEqual(shared);
        expect(await store.getItem(out.id, '')).toEqual(out);
        expect(await store.loadChainHistory(other, '')).toEqual([shared]);
        expect(await store.loadConversationItems(cid, '')).toEqual([out]);
      });
    });

    describe('listInputItems', () => {
      async function fiveInputs(owner: Owner = '') {
        const rid = id('resp');
        const items = Array.from({ length: 5 }, (_, index) => userMessage(id(`msg${index}`), `m${index}`));
        await turn(rid, items, [assistantMessage(id('msg'), 'out')], { owner });
        return { rid, items, itemIds: ids(items) };
      }

      it('lists the response own input items, ascending and descending', async () => {
        const { rid, items, itemIds } = await fiveInputs();
        const asc = await store.listInputItems(rid, '', { limit: 20, order: 'asc' });
        expect(asc).toEqual({ data: items, firstId: itemIds[0], lastId: itemIds[4], hasMore: false });
        const desc = await store.listInputItems(rid, '', { limit: 20, order: 'desc' });
        expect(desc).toEqual({ data: [...items].reverse(), firstId: itemIds[4], lastId: itemIds[0], hasMore: false });
      });

      it('paginates with limit, after and hasMore', async () => {
        const { rid, itemIds } = await fiveInputs();
        const first = await store.listInputItems(rid, '', { limit: 2, order: 'asc' });
        expect(ids(first.data)).toEqual(itemIds.slice(0, 2));
        expect(first.hasMore).toBe(true);
        expect(first.firstId).toBe(itemIds[0]);
        expect(first.lastId).toBe(itemIds[1]);
        const second = await store.listInputItems(rid, '', { after: itemIds[1], limit: 2, order: 'asc' });
        expect(ids(second.data)).toEqual(itemIds.slice(2, 4));
        expect(second.hasMore).toBe(true);
        const last = await store.listInputItems(rid, '', { after: itemIds[3], limit: 2, order: 'asc' });
        expect(last).toMatchObject({ firstId: itemIds[4], lastId: itemIds[4], hasMore: false });
        expect(await readAllPages((query) => store.listInputItems(rid, '', query), 'asc', 2)).toEqual(itemIds);
        expect(await readAllPages((query) => store.listInputItems(rid, '', query), 'desc', 2)).toEqual([...itemIds].reverse());
        expect(await readAllPages((query) => store.listInputItems(rid, '', query), 'asc', 5)).toEqual(itemIds);
      });

      it('appends input items to a stored response, after its own (steering input), for its owner only', async () => {
        if (!store.appendInputItems) return;
        const { rid, items } = await fiveInputs('key_a');
        const steer = userMessage(id('msg_steer'), 'change course');
        expect(await store.appendInputItems(rid, 'key_b', [steer])).toBe(false);
        expect(await store.appendInputItems(id('resp_missing'), 'key_a', [steer])).toBe(false);
        expect(await store.appendInputItems(rid, 'key_a', [steer])).toBe(true);
        expect((await store.listInputItems(rid, 'key_a', { limit: 20, order: 'asc' })).data).toEqual([...items, steer]);
        expect(await store.getItem(steer.id, 'key_a')).toEqual(steer);
      });

      it('has no more when the page is exactly full at the end', async () => {
        const { rid, itemIds } = await fiveInputs();
        const page = await store.listInputItems(rid, '', { limit: 5, order: 'asc' });
        expect(ids(page.data)).toEqual(itemIds);
        expect(page.hasMore).toBe(false);
        const desc = await store.listInputItems(rid, '', { after: itemIds[1], limit: 1, order: 'desc' });
        expect(desc).toMatchObject({ firstId: itemIds[0], lastId: itemIds[0], hasMore: false });
      });

      it('gives an empty page after the last item, and for an unknown after id', async () => {
        const { rid, itemIds } = await fiveInputs();
        const empty = { data: [], firstId: null, lastId: null, hasMore: false };
        expect(await store.listInputItems(rid, '', { after: itemIds[4], limit: 3, order: 'asc' })).toEqual(empty);
        expect(await store.listInputItems(rid, '', { after: itemIds[0], limit: 3, order: 'desc' })).toEqual(empty);
        expect(await store.listInputItems(rid, '', { after: 'msg_not_in_list', limit: 3, order: 'asc' })).toEqual(empty);
      });

      it('does not list output items or inherited history, and an output id is not a valid cursor', async () => {
        const first = id('resp');
        const out = assistantMessage(id('msg'), 'a1');
        await turn(first, [userMessage(id('msg'), 'q1')], [out]);
        const second = id('resp');
        const q2 = userMessage(id('msg'), 'q2');
        await turn(second, [q2], [assistantMessage(id('msg'), 'a2')], { previousResponseId: first });
        expect((await store.listInputItems(second, '', { limit: 20, order: 'asc' })).data).toEqual([q2]);
        expect((await store.listInputItems(first, '', { after: out.id, limit: 20, order: 'asc' })).data).toEqual([]);
      });

      it('gives an empty page for a missing response or another owner', async () => {
        const { rid } = await fiveInputs('key_a');
        const empty = { data: [], firstId: null, lastId: null, hasMore: false };
        expect(await store.listInputItems(rid, 'key_b', { limit: 20, order: 'asc' })).toEqual(empty);
        expect(await store.listInputItems(rid, '', { limit: 20, order: 'asc' })).toEqual(empty);
        expect(await store.listInputItems(id('resp_missing'), 'key_a', { limit: 20, order: 'asc' })).toEqual(empty);
      });
    });

    describe('loadChainHistory', () => {
      it('returns each response of the chain, oldest first, inputs then outputs', async () => {
        const r1 = id('resp');
        const r2 = id('resp');
        const r3 = id('resp');
        const q1 = userMessage(id('msg'), 'q1');
        const c1 = functionCall(id('fc'), 'call_1');
        const o1 = functionOutput(id('fco'), 'call_1');
        const a2 = assistantMessage(id('msg'), 'a2');
        const q3a = userMessage(id('msg'), 'q3a');
        const q3b = userMessage(id('msg'), 'q3b');
        const a3 = assistantMessage(id('msg'), 'a3');
        await turn(r1, [q1], [c1]);
        await turn(r2, [o1], [a2], { previousResponseId: r1 });
        await turn(r3, [q3a, q3b], [a3], { previousResponseId: r2 });
        expect(await store.loadChainHistory(r3, '')).toEqual([q1, c1, o1, a2, q3a, q3b, a3]);
        expect(await store.loadChainHistory(r2, '')).toEqual([q1, c1, o1, a2]);
        expect(await store.loadChainHistory(r1, '')).toEqual([q1, c1]);
      });

      it('includes responses that have no input or no output yet', async () => {
        const r1 = id('resp');
        const r2 = id('resp');
        const a1 = assistantMessage(id('msg'), 'a1');
        await turn(r1, [], [a1]);
        await store.createResponse(testRecord(r2, { previousResponseId: r1 }), []);
        expect(await store.loadChainHistory(r2, '')).toEqual([a1]);
        expect(await store.loadChainHistory(r1, '')).toEqual([a1]);
      });

      it('returns an empty history for a response with no items, and null when missing or not the owner', async () => {
        const rid = id('resp');
        await store.createResponse(testRecord(rid, { owner: 'key_a' }), []);
        expect(await store.loadChainHistory(rid, 'key_a')).toEqual([]);
        expect(await store.loadChainHistory(rid, 'key_b')).toBeNull();
        expect(await store.loadChainHistory(id('resp_missing'), 'key_a')).toBeNull();
      });

      it('stops at a deleted ancestor', async () => {
        const r1 = id('resp');
        const r2 = id('resp');
        const r3 = id('resp');
        await turn(r1, [userMessage(id('msg'), 'q1')], [assistantMessage(id('msg'), 'a1')]);
        const q2 = userMessage(id('msg'), 'q2');
        const a2 = assistantMessage(id('msg'), 'a2');
        await turn(r2, [q2], [a2], { previousResponseId: r1 });
        const q3 = userMessage(id('msg'), 'q3');
        await turn(r3, [q3], [], { previousResponseId: r2 });
        expect(await store.deleteResponse(r1, '')).toBe(true);
        expect(await store.loadChainHistory(r3, '')).toEqual([q2, a2, q3]);
      });

      it('assembles a 1,000-turn chain, storing each turn once', async () => {
        const turns = 1000;
        const expected: StoredItem[] = [];
        let previous: string | null = null;
        let midpoint: string | null = null;
        for (let index = 0; index < turns; index++) {
          const rid = id(`resp${index}`);
          const input = userMessage(id(`msg${index}`), `question ${index}`);
          const output = assistantMessage(id(`msg${index}`), `answer ${index}`);
          await turn(rid, [input], [output], { previousResponseId: previous });
          expected.push(input, output);
          previous = rid;
          if (index === turns / 2 - 1) midpoint = rid;
        }
        const history = await store.loadChainHistory(previous!, '');
        expect(history?.length).toBe(2 * turns);
        expect(history).toEqual(expected);
        expect(await store.loadChainHistory(midpoint!, '')).toEqual(expected.slice(0, turns));
        if (options.countItemRows) expect(await options.countItemRows(store)).toBe(2 * turns);
      });
    });

    describe('replayed items (ids are not unique)', () => {
      it('keeps each response own copy of a replayed item id', async () => {
        const r1 = id('resp');
        const r2 = id('resp');
        const shared = id('msg');
        const original = userMessage(shared, 'original text');
        const edited = userMessage(shared, 'edited by the client');
        const a1 = assistantMessage(id('msg'), 'a1');
        await turn(r1, [original], [a1]);
        // A stateless client sends the whole history again, with the same ids.
        const next = userMessage(id('msg'), 'next');
        await turn(r2, [edited, a1, next], [assistantMessage(id('msg'), 'a2')]);
        expect((await store.listInputItems(r1, '', { limit: 10, order: 'asc' })).data).toEqual([original]);
        expect((await store.listInputItems(r2, '', { limit: 10, order: 'asc' })).data).toEqual([edited, a1, next]);
        expect(await store.getItem(shared, '')).toEqual(edited);
        expect(await store.getItem(a1.id, '')).toEqual(a1);
        expect(await store.deleteResponse(r2, '')).toBe(true);
        expect((await store.getResponse(r1, ''))?.response.output).toEqual([a1]);
        expect(await store.loadChainHistory(r1, '')).toEqual([original, a1]);
        expect(await store.getItem(a1.id, '')).toEqual(a1);
      });

      it('lists an id repeated within one response at every position', async () => {
        const rid = id('resp');
        const twice = userMessage(id('msg'), 'said twice');
        const between = userMessage(id('msg'), 'between');
        await turn(rid, [twice, between, twice], []);
        expect((await store.listInputItems(rid, '', { limit: 10, order: 'asc' })).data).toEqual([twice, between, twice]);
        expect(await store.loadChainHistory(rid, '')).toEqual([twice, between, twice]);
        // With a repeated cursor id, paging moves past its last occurrence: it must never loop.
        const paged = await readAllPages((query) => store.listInputItems(rid, '', query), 'asc', 1);
        expect(paged[0]).toBe(twice.id);
        expect(paged.length).toBeLessThanOrEqual(3);
      });

      it('keeps two versions of one id sent in the same request, in order', async () => {
        const rid = id('resp');
        const before = userMessage(id('msg'), 'first version');
        const after = userMessage(before.id, 'second version');
        await turn(rid, [before, after], []);
        expect(await store.loadChainHistory(rid, '')).toEqual([before, after]);
        expect(await store.getItem(before.id, '')).toEqual(after);
      });

      it('an output update does not change the same item added to a conversation', async () => {
        const rid = id('resp');
        const cid = id('conv');
        const draft = assistantMessage(id('msg'), 'draft', 'in_progress');
        await store.createResponse(testRecord(rid), []);
        await store.updateResponse(rid, testEnvelope(rid), [draft]);
        await store.createConversation(conversation(cid), '', [draft]);
        const final = assistantMessage(draft.id, 'final', 'completed');
        await store.updateResponse(rid, testEnvelope(rid, { status: 'completed' }), [final]);
        expect((await store.getResponse(rid, ''))?.response.output).toEqual([final]);
        expect(await store.loadConversationItems(cid, '')).toEqual([draft]);
        expect(await store.getItem(draft.id, '')).toEqual(final);
      });
    });

    describe('listUnfinishedBackground', () => {
      it('lists queued and in-progress background responses of every owner', async () => {
        const queued = id('resp');
        const running = id('resp');
        const done = id('resp');
        const foreground = id('resp');
        await store.createResponse(testRecord(queued, { background: true, owner: 'key_a' }), [userMessage(id('msg'), 'q')]);
        await store.createResponse(testRecord(running, { background: true, status: 'in_progress', owner: 'key_b' }), []);
        const partial = assistantMessage(id('msg'), 'half', 'in_progress');
        await store.updateResponse(running, testEnvelope(running, { background: true, status: 'in_progress' }), [partial]);
        await store.createResponse(testRecord(done, { background: true }), []);
        await store.updateResponse(done, testEnvelope(done, { background: true, status: 'completed' }), []);
        await store.createResponse(testRecord(foreground), []);

        const mine = async () => (await store.listUnfinishedBackground()).filter((record) => record.id.includes(t));
        const unfinished = await mine();
        expect(unfinished.map((record) => record.id).sort()).toEqual([queued, running].sort());
        const runningRecord = unfinished.find((record) => record.id === running);
        expect(runningRecord).toMatchObject({ owner: 'key_b', background: true, request: testRecord(running, { background: true }).request });
        expect(runningRecord?.response.output).toEqual([partial]);

        for (const [rid, status] of [[queued, 'failed'], [running, 'cancelled']] as const) {
          await store.updateResponse(rid, testEnvelope(rid, { background: true, status }), []);
        }
        expect(await mine()).toEqual([]);
      });
    });

    describe('events', () => {
      const event = (sequence: number): ResponseStreamEvent => ({
        type: 'response.output_text.delta',
        sequence_number: sequence,
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        delta: `d${sequence}`,
        logprobs: [],
      });

      it('stores events in sequence order and lists those after N', async () => {
        const rid = id('resp');
        await store.createResponse(testRecord(rid, { background: true }), []);
        const lifecycle: ResponseStreamEvent = { type: 'response.created', sequence_number: 0, response: testEnvelope(rid, { status: 'queued', background: true }) };
        await store.appendEvents(rid, [lifecycle, event(1)]);
        await store.appendEvents(rid, []);
        await store.appendEvents(rid, [event(2), event(3), event(4)]);
        expect(await store.listEvents(rid, -1)).toEqual([lifecycle, event(1), event(2), event(3), event(4)]);
        expect(await store.listEvents(rid, 0)).toEqual([event(1), event(2), event(3), event(4)]);
        expect(await store.listEvents(rid, 2)).toEqual([event(3), event(4)]);
        expect(await store.listEvents(rid, 4)).toEqual([]);
        expect(await store.listEvents(rid, 99)).toEqual([]);
      });

      it('keeps events of different responses apart, and lists none for an unknown response', async () => {
        const a = id('resp');
        const b = id('resp');
        await store.createResponse(testRecord(a, { background: true }), []);
        await store.createResponse(testRecord(b, { background: true }), []);
        await store.appendEvents(a, [event(0), event(1)]);
        await store.appendEvents(b, [event(0)]);
        expect(await store.listEvents(a, -1)).toEqual([event(0), event(1)]);
        expect(await store.listEvents(b, -1)).toEqual([event(0)]);
        expect(await store.listEvents(id('resp_missing'), -1)).toEqual([]);
      });
    });

    describe('conversations', () => {
      it('creates, reads and updates a conversation', async () => {
        const cid = id('conv');
        const created = conversation(cid, { topic: 'birds' });
        await store.createConversation(created, 'key_a', []);
        expect(await store.getConversation(cid, 'key_a')).toEqual(created);
        const updated = await store.updateConversation(cid, 'key_a', { topic: 'fish', lang: 'en' });
        expect(updated).toEqual({ ...created, metadata: { topic: 'fish', lang: 'en' } });
        expect(await store.getConversation(cid, 'key_a')).toEqual(updated);
        expect(await store.getConversation(id('conv_missing'), 'key_a')).toBeNull();
        expect(await store.updateConversation(id('conv_missing'), 'key_a', {})).toBeNull();
      });

      it('keeps items in order across creation and appends', async () => {
        const cid = id('conv');
        const initial = [userMessage(id('msg'), 'one'), assistantMessage(id('msg'), 'two')];
        await store.createConversation(conversation(cid), '', initial);
        const more = [functionCall(id('fc'), 'call_c'), functionOutput(id('fco'), 'call_c')];
        expect(await store.addConversationItems(cid, '', more)).toBe(true);
        const last = [assistantMessage(id('msg'), 'five')];
        expect(await store.addConversationItems(cid, '', last)).toBe(true);
        expect(await store.loadConversationItems(cid, '')).toEqual([...initial, ...more, ...last]);
        expect(await store.addConversationItems(id('conv_missing'), '', last)).toBe(false);
        expect(await store.loadConversationItems(id('conv_missing'), '')).toBeNull();
      });

      it('starts empty when created without items', async () => {
        const cid = id('conv');
        await store.createConversation(conversation(cid), '', []);
        expect(await store.loadConversationItems(cid, '')).toEqual([]);
        expect(await store.listConversationItems(cid, '', { limit: 10, order: 'desc' })).toEqual({ data: [], firstId: null, lastId: null, hasMore: false });
      });

      it('paginates conversation items', async () => {
        const cid = id('conv');
        const items = Array.from({ length: 7 }, (_, index) => userMessage(id(`msg${index}`), `m${index}`));
        await store.createConversation(conversation(cid), '', items.slice(0, 3));
        await store.addConversationItems(cid, '', items.slice(3));
        const itemIds = ids(items);
        const list = (query: PageQuery) => store.listConversationItems(cid, '', query);
        expect(await list({ limit: 100, order: 'asc' })).toEqual({ data: items, firstId: itemIds[0], lastId: itemIds[6], hasMore: false });
        const firstDesc = await list({ limit: 3, order: 'desc' });
        expect(firstDesc).toEqual({ data: items.slice(4).reverse(), firstId: itemIds[6], lastId: itemIds[4], hasMore: true });
        const nextDesc = await list({ after: itemIds[4], limit: 3, order: 'desc' });
        expect(ids(nextDesc?.data)).toEqual([itemIds[3], itemIds[2], itemIds[1]]);
        expect(nextDesc?.hasMore).toBe(true);
        expect(await readAllPages(list, 'asc', 3)).toEqual(itemIds);
        expect(await readAllPages(list, 'desc', 2)).toEqual([...itemIds].reverse());
        expect(await readAllPages(list, 'asc', 7)).toEqual(itemIds);
        expect(await list({ after: itemIds[6], limit: 3, order: 'asc' })).toEqual({ data: [], firstId: null, lastId: null, hasMore: false });
        expect(await list({ after: 'msg_unknown', limit: 3, order: 'desc' })).toEqual({ data: [], firstId: null, lastId: null, hasMore: false });
        expect(await store.listConversationItems(id('conv_missing'), '', { limit: 3, order: 'asc' })).toBeNull();
      });

      it('gets and deletes one item, keeping the order of the others', async () => {
        const cid = id('conv');
        const items = Array.from({ length: 4 }, (_, index) => userMessage(id(`msg${index}`), `m${index}`));
        await store.createConversation(conversation(cid), '', items);
        expect(await store.getConversationItem(cid, items[2].id, '')).toEqual(items[2]);
        expect(await store.getConversationItem(cid, 'msg_unknown', '')).toBeNull();
        expect(await store.getConversationItem(id('conv_missing'), items[2].id, '')).toBeNull();

        expect(await store.deleteConversationItem(cid, items[1].id, '')).toBe(true);
        expect(await store.deleteConversationItem(cid, items[1].id, '')).toBe(false);
        expect(await store.deleteConversationItem(cid, 'msg_unknown', '')).toBe(false);
        expect(await store.deleteConversationItem(id('conv_missing'), items[2].id, '')).toBe(false);
        expect(await store.getConversationItem(cid, items[1].id, '')).toBeNull();
        expect(await store.getItem(items[1].id, '')).toBeNull();
        const rest = [items[0], items[2], items[3]];
        expect(await store.loadConversationItems(cid, '')).toEqual(rest);
        expect(await readAllPages((query) => store.listConversationItems(cid, '', query), 'asc', 1)).toEqual(ids(rest));
        expect((await store.listConversationItems(cid, '', { after: items[0].id, limit: 1, order: 'asc' }))?.data).toEqual([items[2]]);
        const appended = assistantMessage(id('msg'), 'after delete');
        await store.addConversationItems(cid, '', [appended]);
        expect(await store.loadConversationItems(cid, '')).toEqual([...rest, appended]);
      });

      it('treats an item added twice as one id: get returns it, delete removes every copy', async () => {
        const cid = id('conv');
        const twice = userMessage(id('msg'), 'added twice');
        const other = userMessage(id('msg'), 'other');
        await store.createConversation(conversation(cid), '', [twice, other]);
        await store.addConversationItems(cid, '', [twice]);
        expect(await store.loadConversationItems(cid, '')).toEqual([twice, other, twice]);
        expect(await store.getConversationItem(cid, twice.id, '')).toEqual(twice);
        expect(await store.deleteConversationItem(cid, twice.id, '')).toBe(true);
        expect(await store.loadConversationItems(cid, '')).toEqual([other]);
        expect(await store.getItem(twice.id, '')).toBeNull();
      });

      it('deleting a conversation removes its items but not those a response still uses', async () => {
        const cid = id('conv');
        const rid = id('resp');
        const q = userMessage(id('msg'), 'q');
        const a = assistantMessage(id('msg'), 'a');
        const onlyHere = userMessage(id('msg'), 'only in the conversation');
        await store.createConversation(conversation(cid), '', [onlyHere]);
        await turn(rid, [q], [a], { conversationId: cid });
        // What the engine does after a conversation turn: the response's items join the conversation.
        await store.addConversationItems(cid, '', [q, a]);
        expect(await store.loadConversationItems(cid, '')).toEqual([onlyHere, q, a]);

        expect(await store.deleteConversation(cid, 'key_other')).toBe(false);
        expect(await store.deleteConversation(cid, '')).toBe(true);
        expect(await store.deleteConversation(cid, '')).toBe(false);
        expect(await store.getConversation(cid, '')).toBeNull();
        expect(await store.loadConversationItems(cid, '')).toBeNull();
        expect(await store.getItem(onlyHere.id, '')).toBeNull();
        expect(await store.getItem(q.id, '')).toEqual(q);
        expect((await store.getResponse(rid, ''))?.response.output).toEqual([a]);
        expect((await store.getResponse(rid, ''))?.conversationId).toBe(cid);
      });

      it('deleting a response keeps the items its conversation holds', async () => {
        const cid = id('conv');
        const rid = id('resp');
        const q = userMessage(id('msg'), 'q');
        const a = assistantMessage(id('msg'), 'a');
        await store.createConversation(conversation(cid), '', []);
        await turn(rid, [q], [a], { conversationId: cid });
        await store.addConversationItems(cid, '', [q, a]);
        expect(await store.deleteResponse(rid, '')).toBe(true);
        expect(await store.loadConversationItems(cid, '')).toEqual([q, a]);
        expect(await store.getConversationItem(cid, a.id, '')).toEqual(a);
      });
    });

    describe('getItem', () => {
      it('finds input, output and conversation items by id', async () => {
        const rid = id('resp');
        const q = userMessage(id('msg'), 'q');
        const r = reasoning(id('rs'), 'blob');
        await turn(rid, [q], [r]);
        const cid = id('conv');
        const c = userMessage(id('msg'), 'in a conversation');
        await store.createConversation(conversation(cid), '', [c]);
        expect(await store.getItem(q.id, '')).toEqual(q);
        expect(await store.getItem(r.id, '')).toEqual(r);
        expect(await store.getItem(c.id, '')).toEqual(c);
        expect(await store.getItem('msg_missing', '')).toBeNull();
      });
    });

    describe('owner isolation', () => {
      it("hides everything of owner A from owner B and from '' (auth off)", async () => {
        const rid = id('resp');
        const cid = id('conv');
        const q = userMessage(id('msg'), 'secret question');
        const a = assistantMessage(id('msg'), 'secret answer');
        await turn(rid, [q], [a], { owner: 'key_a' });
        await store.createConversation(conversation(cid, { who: 'a' }), 'key_a', [q]);
        const query: PageQuery = { limit: 10, order: 'asc' };

        for (const other of ['key_b', '']) {
          expect(await store.getResponse(rid, other)).toBeNull();
          expect(await store.deleteResponse(rid, other)).toBe(false);
          expect(await store.listInputItems(rid, other, query)).toEqual({ data: [], firstId: null, lastId: null, hasMore: false });
          expect(await store.loadChainHistory(rid, other)).toBeNull();
          expect(await store.getItem(q.id, other)).toBeNull();
          expect(await store.getItem(a.id, other)).toBeNull();
          expect(await store.getConversation(cid, other)).toBeNull();
          expect(await store.updateConversation(cid, other, { who: other })).toBeNull();
          expect(await store.addConversationItems(cid, other, [userMessage(id('msg'), 'intruder')])).toBe(false);
          expect(await store.listConversationItems(cid, other, query)).toBeNull();
          expect(await store.loadConversationItems(cid, other)).toBeNull();
          expect(await store.getConversationItem(cid, q.id, other)).toBeNull();
          expect(await store.deleteConversationItem(cid, q.id, other)).toBe(false);
          expect(await store.deleteConversation(cid, other)).toBe(false);
        }

        expect((await store.getResponse(rid, 'key_a'))?.response.output).toEqual([a]);
        expect(await store.loadChainHistory(rid, 'key_a')).toEqual([q, a]);
        expect(await store.getConversation(cid, 'key_a')).toEqual(conversation(cid, { who: 'a' }));
        expect(await store.loadConversationItems(cid, 'key_a')).toEqual([q]);
        expect(await store.getItem(q.id, 'key_a')).toEqual(q);
      });

      it('keeps the same item id of two owners apart', async () => {
        const shared = id('msg');
        const r1 = id('resp');
        const r2 = id('resp');
        await turn(r1, [userMessage(shared, 'from a')], [], { owner: 'key_a' });
        await turn(r2, [userMessage(shared, 'from b')], [], { owner: 'key_b' });
        expect(await store.getItem(shared, 'key_a')).toEqual(userMessage(shared, 'from a'));
        expect(await store.getItem(shared, 'key_b')).toEqual(userMessage(shared, 'from b'));
        expect(await store.deleteResponse(r2, 'key_b')).toBe(true);
        expect(await store.getItem(shared, 'key_a')).toEqual(userMessage(shared, 'from a'));
        expect(await store.getItem(shared, 'key_b')).toBeNull();
      });

      it('does not follow a chain into another owner responses', async () => {
        const r1 = id('resp');
        const r2 = id('resp');
        await turn(r1, [userMessage(id('msg'), 'a private')], [], { owner: 'key_a' });
        const q = userMessage(id('msg'), 'b');
        await turn(r2, [q], [], { owner: 'key_b', previousResponseId: r1 });
        expect(await store.loadChainHistory(r2, 'key_b')).toEqual([q]);
      });
    });

    describe('close', () => {
      it('closes, and closing again is harmless', async () => {
        await store.close();
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}
