import type { FastifyInstance } from 'fastify';
import { BackendError, type ModelEvent } from '../../backends/types.js';
import { backendFailure } from '../../engine/backend-failure.js';
import { ChatAccumulator, ChatChunker } from '../../engine/chat/chat-chunks.js';
import { chatToModelRequest } from '../../engine/chat/chat-request.js';
import { withNearestEffort } from '../../engine/reasoning/prepare-reasoning.js';
import { ApiError } from '../../protocol/errors.js';
import { ChatCompletionCreateParams, newId, ID_PREFIX, parseBody, sseData } from '../../protocol/index.js';
import { ownerOf, type ServerContext } from '../context.js';
import { SseStream } from '../sse.js';

function httpError(error: BackendError): ApiError {
  const failure = backendFailure(error);
  return new ApiError(failure.status, failure.message, { code: failure.code, headers: failure.headers });
}

/** `POST /v1/chat/completions` over any backend. */
export function registerChatRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1/chat/completions', async (request, reply) => {
    ownerOf(ctx, request);
    const params = parseBody(ChatCompletionCreateParams, request.body);
    const model = await ctx.engine.models.require(params.model);
    const controller = new AbortController();
    const modelRequest = { ...chatToModelRequest(params, model), signal: controller.signal, stream: params.stream === true };
    modelRequest.reasoning = withNearestEffort(modelRequest.reasoning, model, modelRequest.maxOutputTokens);
    const id = newId(ID_PREFIX.chat_completion);
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    const events = model.backend.stream(modelRequest)[Symbol.asyncIterator]();

    if (!params.stream) {
      const accumulator = new ChatAccumulator(id, model.publicName);
      for (let next = await events.next(); !next.done; next = await events.next()) {
        const event: ModelEvent = next.value;
        if (event.type === 'error') throw httpError(event.error);
        accumulator.apply(event);
      }
      if (controller.signal.aborted) return reply;
      if (!accumulator.finish) throw new ApiError(502, 'The model backend ended its stream without finishing.', { code: 'upstream_stream_ended' });
      return accumulator.result();
    }

    // The first event decides between an HTTP error (nothing sent yet) and a stream.
    const first = await events.next();
    if (!first.done && first.value.type === 'error') throw httpError(first.value.error);
    reply.hijack();
    const sse = new SseStream(reply.raw);
    // Chat clients have no keepalive event; an SSE comment keeps idle proxies and timers quiet.
    sse.open({ 'openai-model': model.publicName }, ctx.keepAliveMs, () => ': keepalive\n\n');
    const chunker = new ChatChunker(id, model.publicName);
    const includeUsage = params.stream_options?.include_usage ?? false;
    for (let next = first; !next.done; next = await events.next()) {
      const event = next.value;
      if (event.type === 'error') {
        sse.writeRaw(sseData(httpError(event.error).toBody()));
        break;
      }
      sse.writeRaw(chunker.frames(event, includeUsage));
    }
    sse.end();
    return reply;
  });
}
