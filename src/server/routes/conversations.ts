import type { FastifyInstance } from 'fastify';
import { presentItem } from '../../engine/index.js';
import { withId } from '../../engine/prepare.js';
import { notFound } from '../../protocol/errors.js';
import { newId, ID_PREFIX } from '../../protocol/ids.js';
import {
  ConversationCreateParams,
  ConversationItemsCreateParams,
  ConversationUpdateParams,
  ListQuery,
  parseBody,
  type ConversationObject,
  type InputItem,
  type StoredItem,
} from '../../protocol/index.js';
import { includeList, ownerOf, pageBody, type ServerContext } from '../context.js';

const withIds = (items: InputItem[]): StoredItem[] => items.map(withId);

const missing = (id: string) => notFound(`Conversation with id '${id}' not found.`, 'conversation_id', 'conversation_not_found');

/** The Conversations API. */
export function registerConversationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const store = ctx.engine.store;

  app.post('/v1/conversations', async (request) => {
    const owner = ownerOf(ctx, request);
    const params = parseBody(ConversationCreateParams, request.body ?? {});
    const conversation: ConversationObject = { id: newId(ID_PREFIX.conversation), object: 'conversation', created_at: Math.floor(Date.now() / 1000), metadata: params.metadata ?? {} };
    await store.createConversation(conversation, owner, withIds((params.items ?? []) as InputItem[]));
    return conversation;
  });

  app.get<{ Params: { id: string } }>('/v1/conversations/:id', async (request) => {
    const owner = ownerOf(ctx, request);
    const conversation = await store.getConversation(request.params.id, owner);
    if (!conversation) throw missing(request.params.id);
    return conversation;
  });

  app.post<{ Params: { id: string } }>('/v1/conversations/:id', async (request) => {
    const owner = ownerOf(ctx, request);
    const params = parseBody(ConversationUpdateParams, request.body);
    const conversation = await store.updateConversation(request.params.id, owner, params.metadata);
    if (!conversation) throw missing(request.params.id);
    return conversation;
  });

  app.delete<{ Params: { id: string } }>('/v1/conversations/:id', async (request) => {
    const owner = ownerOf(ctx, request);
    if (!(await store.deleteConversation(request.params.id, owner))) throw missing(request.params.id);
    return { id: request.params.id, object: 'conversation.deleted', deleted: true };
  });

  app.post<{ Params: { id: string } }>('/v1/conversations/:id/items', async (request) => {
    const owner = ownerOf(ctx, request);
    const params = parseBody(ConversationItemsCreateParams, request.body);
    const items = withIds(params.items as InputItem[]);
    if (!(await store.addConversationItems(request.params.id, owner, items))) throw missing(request.params.id);
    const include = includeList(request.query as Record<string, unknown>);
    const data = items.map((item) => presentItem(item, include));
    return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: false };
  });

  app.get<{ Params: { id: string } }>('/v1/conversations/:id/items', async (request) => {
    const owner = ownerOf(ctx, request);
    const query = parseBody(ListQuery, request.query ?? {});
    const include = includeList(request.query as Record<string, unknown>);
    const page = await store.listConversationItems(request.params.id, owner, { after: query.after, limit: query.limit, order: query.order ?? 'desc' });
    if (!page) throw missing(request.params.id);
    return pageBody({ ...page, data: page.data.map((item) => presentItem(item, include)) });
  });

  app.get<{ Params: { id: string; itemId: string } }>('/v1/conversations/:id/items/:itemId', async (request) => {
    const owner = ownerOf(ctx, request);
    if (!(await store.getConversation(request.params.id, owner))) throw missing(request.params.id);
    const item = await store.getConversationItem(request.params.id, request.params.itemId, owner);
    if (!item) throw notFound(`Item with id '${request.params.itemId}' not found.`, 'item_id', 'item_not_found');
    return presentItem(item, includeList(request.query as Record<string, unknown>));
  });

  app.delete<{ Params: { id: string; itemId: string } }>('/v1/conversations/:id/items/:itemId', async (request) => {
    const owner = ownerOf(ctx, request);
    const conversation = await store.getConversation(request.params.id, owner);
    if (!conversation) throw missing(request.params.id);
    if (!(await store.deleteConversationItem(request.params.id, request.params.itemId, owner))) {
      throw notFound(`Item with id '${request.params.itemId}' not found.`, 'item_id', 'item_not_found');
    }
    return conversation;
  });
}
