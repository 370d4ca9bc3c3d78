import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/server.js';
import { postRaw } from '../../test-support/sse.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });

describe('Conversations API', () => {
  it('creates, updates, lists, uses in responses and deletes', async () => {
    server = await startTestServer({ script: [{ text: 'Nice to meet you, Ada.' }, { text: 'You are Ada.' }] });
    const base = server.baseURL;
    const created = JSON.parse((await postRaw(`${base}/conversations`, { metadata: { topic: 'intro' }, items: [{ role: 'developer', content: 'Be kind.' }] })).text);
    expect(created).toMatchObject({ object: 'conversation', metadata: { topic: 'intro' } });
    expect(created.id).toMatch(/^conv_/);

    const first = JSON.parse((await postRaw(`${base}/responses`, { model: 'm', input: 'I am Ada.', conversation: created.id })).text);
    expect(first.conversation).toEqual({ id: created.id });
    await postRaw(`${base}/responses`, { model: 'm', input: 'Who am I?', conversation: { id: created.id } });
    const lastCall = server.backend.calls[1].messages;
    expect(lastCall[0]).toEqual({ role: 'system', content: 'Be kind.' });
    expect(lastCall.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);

    const items = await json(await fetch(`${base}/conversations/${created.id}/items?order=asc`));
    expect(items.body.data).toHaveLength(5);
    expect(items.body.data[2].content[0].text).toBe('Nice to meet you, Ada.');
    const page = await json(await fetch(`${base}/conversations/${created.id}/items?order=asc&limit=2&after=${items.body.data[1].id}`));
    expect(page.body.data.map((item: any) => item.id)).toEqual([items.body.data[2].id, items.body.data[3].id]);
    expect(page.body.has_more).toBe(true);

    const added = JSON.parse((await postRaw(`${base}/conversations/${created.id}/items`, { items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'extra' }] }] })).text);
    expect(added.data[0].id).toMatch(/^msg_/);
    const one = await json(await fetch(`${base}/conversations/${created.id}/items/${added.data[0].id}`));
    expect(one.body.content[0].text).toBe('extra');
    const removed = await json(await fetch(`${base}/conversations/${created.id}/items/${added.data[0].id}`, { method: 'DELETE' }));
    expect(removed.body.id).toBe(created.id);
    expect((await fetch(`${base}/conversations/${created.id}/items/${added.data[0].id}`)).status).toBe(404);

    const updated = JSON.parse((await postRaw(`${base}/conversations/${created.id}`, { metadata: { topic: 'changed' } })).text);
    expect(updated.metadata).toEqual({ topic: 'changed' });
    expect((await json(await fetch(`${base}/conversations/${created.id}`))).body.metadata).toEqual({ topic: 'changed' });
    const deleted = await json(await fetch(`${base}/conversations/${created.id}`, { method: 'DELETE' }));
    expect(deleted.body).toEqual({ id: created.id, object: 'conversation.deleted', deleted: true });
    expect((await fetch(`${base}/conversations/${created.id}`)).status).toBe(404);
    const gone = await postRaw(`${base}/responses`, { model: 'm', input: 'x', conversation: created.id });
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text).error.param).toBe('conversation');
  });

  it('refuses more than 20 items and bad metadata', async () => {
    server = await startTestServer({ script: [{ text: 'x' }] });
    const many = Array.from({ length: 21 }, () => ({ role: 'user', content: 'x' }));
    const res = await postRaw(`${server.baseURL}/conversations`, { items: many });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.param).toBe('items');
    const meta = await postRaw(`${server.baseURL}/conversations`, { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) });
    expect(meta.status).toBe(400);
    expect(JSON.parse(meta.text).error.param).toBe('metadata');
  });
});
