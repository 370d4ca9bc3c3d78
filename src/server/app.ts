import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ApiError } from '../protocol/errors.js';
import type { ServerContext } from './context.js';
import { registerChatRoutes } from './routes/chat.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { registerModelRoutes } from './routes/models.js';
import { registerResponseRoutes } from './routes/responses.js';

export interface AppOptions {
  /** Maximum request body in bytes. */
  bodyLimit: number;
  /** Called for unexpected errors (they answer 500 without details). */
  onInternalError?: (error: unknown) => void;
  /** Receives one access-log line per finished request, streams included. */
  logRequest?: (line: string) => void;
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `We could not parse the JSON body of your request: ${(error as Error).message}`, { code: 'invalid_json' });
  }
}

/**
 * The HTTP app: routes, OpenAI error bodies for every failure, body size limit.
 * Transport only: every decision is the engine's.
 */
export function buildApp(ctx: ServerContext, options: AppOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit, return503OnClosing: false, keepAliveTimeout: 65_000, forceCloseConnections: true });

  // Every body is JSON, whatever the content type says (curl -d sends form encoding).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler((error: FastifyError | ApiError | Error, _request, reply) => {
    if (error instanceof ApiError) {
      void reply.code(error.status).headers(error.headers).send(error.toBody());
      return;
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const tooLarge = new ApiError(413, `The request body is larger than the limit of ${options.bodyLimit} bytes.`, { code: 'request_too_large' });
      void reply.code(413).send(tooLarge.toBody());
      return;
    }
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      const clientError = new ApiError(fastifyError.statusCode, fastifyError.message, { code: fastifyError.code ?? null });
      void reply.code(fastifyError.statusCode).send(clientError.toBody());
      return;
    }
    options.onInternalError?.(error);
    void reply.code(500).send(new ApiError(500, 'The server had an error while processing your request.', { code: 'server_error' }).toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError(404, `Invalid URL (${request.method} ${request.url.split('?')[0]})`, { code: 'not_found' });
    void reply.code(404).send(error.toBody());
  });

  const logRequest = options.logRequest;
  if (logRequest) {
    app.addHook('onRequest', (request, reply, done) => {
      const started = performance.now();
      reply.raw.once('close', () => {
        const status = reply.raw.writableFinished ? reply.raw.statusCode : 'aborted';
        logRequest(`${new Date().toISOString()} ${request.method} ${request.url} ${status} ${(performance.now() - started).toFixed(1)}ms`);
      });
      done();
    });
  }

  registerResponseRoutes(app, ctx);
  registerConversationRoutes(app, ctx);
  registerChatRoutes(app, ctx);
  registerModelRoutes(app, ctx);
  return app;
}
