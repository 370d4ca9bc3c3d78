import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope.js';
import type { ResponseCreateParams, StoredItem } from '../../protocol/index.js';
import { createSqliteStore } from '../../store/index.js';
import type { Store } from '../../store/types.js';
import { ChainCache } from './chain-cache.js';

let next = 0;
async function turn(store: Store, previous: string | null, text: string, status: 'completed' | 'in_progress' = 'completed'): Promise<string> {
  const id = `resp_${++next}`;
  const params = { model: 'm', input: text } as ResponseCreateParams;
  const response = createEnvelope(id, params, { model: 'm', previousResponseId: previous, conversationId: null });
  response.status = status;
  response.output = [{ type: 'message', id: `msg_out_${next}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `re: ${text}`, annotations: [] }] }];
  const input: StoredItem[] = [{ type: 'message', id: `msg_in_${next}`, role: 'user', content: [{ type: 'input_text', text }] }];
  await store.createResponse({ id, owner: 'alice', response, request: params, previousResponseId: previous, conversationId: null, background: false }, input);
  return id;
}

describe('ChainCache', () => {
  it('gives what the store gives, extending a cached parent with the tip only, and hands out the same items', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const chains = new ChainCache();
    let previous: string | null = null;
    const histories: (readonly StoredItem[])[] = [];
    for (let index = 0; index < 5; index++) {
      previous = await turn(store, previous, `turn ${index}`);
      const history = await chains.load(store, previous, 'alice');
      expect(history).toEqual(await store.loadChainHistory(previous, 'alice'));
      histories.push(history!);
    }
    expect(histories[4]).toHaveLength(10);
    // The parent's item objects are reused, so derived facts can be kept by identity.
    expect(histories[4][0]).toBe(histories[0][0]);
    expect(await chains.load(store, previous!, 'bob')).toBeNull();
    await store.close();
  });

  it('reads running responses from the store, and forgets everything on a deletion', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const chains = new ChainCache();
    const first = await turn(store, null, 'one');
    const second = await turn(store, first, 'two');
    const running = await turn(store, second, 'three', 'in_progress');
    expect(await chains.load(store, running, 'alice')).toHaveLength(6);
    expect(await chains.load(store, second, 'alice')).toHaveLength(4);
    await store.deleteResponse(first, 'alice');
    chains.forget();
    expect(await chains.load(store, second, 'alice')).toEqual(await store.loadChainHistory(second, 'alice'));
    expect(await chains.load(store, second, 'alice')).toHaveLength(2);
    await store.close();
  });

  it('stays within its bound and still gives the history the store gives', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const chains = new ChainCache(2_000);
    let previous: string | null = null;
    for (let index = 0; index < 6; index++) {
      previous = await turn(store, previous, `turn ${index} ${'x'.repeat(300)}`);
      expect(await chains.load(store, previous, 'alice')).toEqual(await store.loadChainHistory(previous, 'alice'));
    }
    await store.close();
  });
});
