import { z } from 'zod';
import { InputItem } from './items.js';
import { Metadata } from './responses-request.js';

const Item = z.preprocess(
  (value) =>
    value && typeof value === 'object' && !Array.isArray(value) && !('type' in value) && 'role' in value ? { type: 'message', ...value } : value,
  InputItem,
);

/** `POST /v1/conversations` body. */
export const ConversationCreateParams = z.object({
  items: z.array(Item).max(20, 'At most 20 items may be added per call.').nullish(),
  metadata: Metadata.nullish(),
});

/** `POST /v1/conversations/{id}` body. */
export const ConversationUpdateParams = z.object({ metadata: Metadata });

/** `POST /v1/conversations/{id}/items` body. */
export const ConversationItemsCreateParams = z.object({
  items: z.array(Item).min(1).max(20, 'At most 20 items may be added per call.'),
});

export interface ConversationObject {
  id: string;
  object: 'conversation';
  created_at: number;
  metadata: Record<string, string>;
}

/** Cursor list query: `after`, `limit` (1–100, default 20), `order` (asc|desc). */
export const ListQuery = z.object({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).optional(),
  include: z.union([z.string(), z.array(z.string())]).optional(),
  'include[]': z.union([z.string(), z.array(z.string())]).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;
