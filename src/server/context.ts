import type { FastifyRequest } from 'fastify';
import type { Engine } from '../engine/index.js';
import type { ApiKeyAuth } from './auth.js';

/** What every route needs. */
export interface ServerContext {
  engine: Engine;
  auth: ApiKeyAuth;
  /** Silence (ms) before a keepalive event on a stream. */
  keepAliveMs: number;
  /** How long a stream may hold its first bytes waiting for the model, so an early upstream error keeps its HTTP status. */
  firstByteHoldMs: number;
}

/** The owner id for a request (401 when auth is on and the key is wrong). */
export function ownerOf(ctx: ServerContext, request: FastifyRequest): string {
  const header = request.headers['api-key'] ?? request.headers['x-api-key'];
  return ctx.auth.owner(request.headers.authorization, Array.isArray(header) ? header[0] : header);
}

/** Reads `include` / `include[]` query values into a list. */
export function includeList(query: Record<string, unknown>): string[] {
  const raw = query['include'] ?? query['include[]'];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).flatMap((value) => String(value).split(','));
}

/** A cursor page in OpenAI's list shape. */
export function pageBody<T>(page: { data: T[]; firstId: string | null; lastId: string | null; hasMore: boolean }) {
  return { object: 'list' as const, data: page.data, first_id: page.firstId, last_id: page.lastId, has_more: page.hasMore };
}
