import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { endsResponse, presentItem, type ResponseRun } from '../../engine/index.js';
import { ApiError } from '../../protocol/errors.js';
import { ListQuery, parseBody, ResponseCreateParams, type ResponseObject, type ResponseStreamEvent } from '../../protocol/index.js';
import { countInputTokens } from '../../engine/input-tokens.js';
import { parseSteeringBody } from '../../engine/reasoning/steer.js';
import { compactConversation } from '../../engine/context/index.js';
import { includeList, ownerOf, pageBody, type ServerContext } from '../context.js';
import { SseStream } from '../sse.js';

const RetrieveQuery = z.object({
  stream: z.enum(['true', 'false']).optional(),
  starting_after: z.coerce.number().int().min(-1).optional(),
  include_obfuscation: z.string().optional(),
  include: z.unknown().optional(),
  'include[]': z.unknown().optional(),
});

function presentResponse(response: ResponseObject, include: readonly string[] | null | undefined): ResponseObject {
  if (!response.output.some((item) => item.type === 'reasoning')) return response;
  return { ...response, output: response.output.map((item) => presentItem(item, include)) };
}

/**
 * Streams stored events (a background response) to the client, ending with `data: [DONE]`. Their
 * numbers are the stored ones (`starting_after` refers to them); a keepalive repeats the last.
 */
async function pipeEvents(ctx: ServerContext, reply: FastifyReply, events: AsyncIterable<ResponseStreamEvent>, model: string): Promise<void> {
  const sse = new SseStream(reply.raw);
  let last = 0;
  sse.open({ 'openai-model': model }, ctx.keepAliveMs, () => ({ type: 'keepalive', sequence_number: last }));
  for await (const event of events) {
    last = event.sequence_number;
    sse.writeEvents([event]);
  }
  sse.end();
}

/**
 * Streams a run. The first bytes wait (briefly) for the model's first output, so an upstream
 * error that arrives before any output still answers with its own HTTP status (a 429 stays a 429).
 */
async function streamRun(ctx: ServerContext, reply: FastifyReply, run: ResponseRun): Promise<void> {
  const sse = new SseStream(reply.raw);
  sse.onDisconnect(() => run.abort());
  let held: ResponseStreamEvent[] = [];
  const open = () => {
    if (sse.isOpen) return;
    // This stream is not stored, so it numbers its own events and keepalives.
    sse.open({ 'openai-model': run.prepared.response.model, 'x-request-id': run.prepared.response.id }, ctx.keepAliveMs, () => ({ type: 'keepalive' }), true);
    sse.writeEvents(held);
    held = [];
  };
  const hold = setTimeout(open, ctx.firstByteHoldMs);
  try {
    for await (const batch of run.events) {
      if (sse.isOpen) {
        sse.writeEvents(batch);
        // Nothing follows the terminal event (the run's final write is done or queued): end now.
        if (endsResponse(batch)) break;
        continue;
      }
      held.push(...batch);
      if (batch.some((event) => event.type !== 'response.created' && event.type !== 'response.in_progress')) {
        if (run.failure?.beforeOutput) {
          clearTimeout(hold);
          const failure = run.failure;
          throw new ApiError(failure.status, failure.message, { code: failure.code, headers: failure.headers });
        }
        open();
        if (endsResponse(batch)) break;
      }
    }
    open();
  } finally {
    clearTimeout(hold);
    if (sse.isOpen) sse.end();
  }
}

/** `/v1/responses` routes. */
export function registerResponseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1/responses', async (request, reply) => {
    const owner = ownerOf(ctx, request);
    const params = parseBody(ResponseCreateParams, request.body);
    const prepared = await ctx.engine.prepare(params, owner);
    if (params.background) {
      const queued = await ctx.engine.startBackground(prepared);
      if (!params.stream) return presentResponse(queued, params.include);
      const controller = new AbortController();
      reply.raw.on('close', () => controller.abort());
      const { events } = await ctx.engine.streamStored(queued.id, owner, -1, controller.signal);
      reply.hijack();
      await pipeEvents(ctx, reply, events, queued.model);
      return reply;
    }
    const run = ctx.engine.start(prepared);
    if (params.stream) {
      reply.hijack();
      try {
        await streamRun(ctx, reply, run);
      } catch (error) {
        // Nothing was sent yet: answer with a normal HTTP error.
        if (error instanceof ApiError) {
          reply.raw.writeHead(error.status, { 'content-type': 'application/json', ...error.headers });
          reply.raw.end(JSON.stringify(error.toBody()));
        } else throw error;
      }
      return reply;
    }
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) run.abort();
    });
    for await (const batch of run.events) {
      // The non-stream answer is the same stream, accumulated; it is whole at the terminal event.
      if (endsResponse(batch)) break;
    }
    if (run.failure?.beforeOutput) {
      throw new ApiError(run.failure.status, run.failure.message, { code: run.failure.code, headers: run.failure.headers });
    }
    reply.header('x-request-id', run.prepared.response.id);
    return run.prepared.response;
  });

  app.post('/v1/responses/input_tokens', async (request) => {
    const owner = ownerOf(ctx, request);
    return countInputTokens(ctx.engine, request.body, owner);
  });

  app.post('/v1/responses/compact', async (request, reply) => {
    const owner = ownerOf(ctx, request);
    const controller = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    return compactConversation(ctx.engine, request.body, owner, controller.signal);
  });

  app.get<{ Params: { id: string } }>('/v1/responses/:id', async (request, reply) => {
    const owner = ownerOf(ctx, request);
    const query = parseBody(RetrieveQuery, request.query ?? {});
    const include = includeList(request.query as Record<string, unknown>);
    if (query.stream === 'true') {
      const controller = new AbortController();
      reply.raw.on('close', () => controller.abort());
      const { response, events } = await ctx.engine.streamStored(request.params.id, owner, query.starting_after ?? -1, controller.signal);
      reply.hijack();
      await pipeEvents(ctx, reply, events, response.model);
      return reply;
    }
    return presentResponse(await ctx.engine.getResponse(request.params.id, owner), include);
  });

  app.delete<{ Params: { id: string } }>('/v1/responses/:id', async (request) => {
    const owner = ownerOf(ctx, request);
    await ctx.engine.deleteResponse(request.params.id, owner);
    return { id: request.params.id, object: 'response.deleted', deleted: true };
  });

  // Kestrel extension (docs/reasoning.md): steer a running response with more user input.
  app.post<{ Params: { id: string } }>('/v1/responses/:id/input', async (request) => {
    const owner = ownerOf(ctx, request);
    return ctx.engine.steer(request.params.id, owner, parseSteeringBody(request.body));
  });

  app.post<{ Params: { id: string } }>('/v1/responses/:id/cancel', async (request) => {
    const owner = ownerOf(ctx, request);
    return presentResponse(await ctx.engine.cancel(request.params.id, owner), null);
  });

  app.get<{ Params: { id: string } }>('/v1/responses/:id/input_items', async (request) => {
    const owner = ownerOf(ctx, request);
    const query = parseBody(ListQuery, request.query ?? {});
    const include = includeList(request.query as Record<string, unknown>);
    const page = await ctx.engine.listInputItems(request.params.id, owner, { after: query.after, limit: query.limit, order: query.order ?? 'desc' });
    return pageBody({ ...page, data: page.data.map((item) => presentItem(item, include)) });
  });
}

