import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A request the fake upstream received. */
export interface RecordedRequest {
  method: string;
  /** The request target, path and query (`/v1/models?limit=1000`). */
  url: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty (GET). */
  body: unknown;
  /** A counter identifying the TCP connection the request came on (1, 2, …). */
  connection: number;
  /** Resolves when the client's socket closes. */
  closed: Promise<void>;
}

/** One queued answer (used when the upstream was started without a handler). */
export interface UpstreamReply {
  status?: number;
  headers?: Record<string, string>;
  /** An SSE body (for instance a recorded fixture), sent as `text/event-stream`. */
  sse?: string;
  /** A literal body, sent as `application/json` unless `headers` say otherwise. */
  body?: string;
  /** Bytes per socket write, to cut events at arbitrary places (default 37). */
  sliceBytes?: number;
  /** Keep the response open after the body (abort tests). */
  hold?: boolean;
}

/** Answers one request itself instead of taking the next queued reply. */
export type UpstreamHandler = (request: RecordedRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Queues replies, answered in order (ignored when a handler was given). */
  reply(...replies: UpstreamReply[]): void;
  /** Drops open connections, even held responses, and stops listening. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on a random loopback port that plays an upstream model server in tests: it
 * records every request and answers with `handler`, or else with the queued replies in order.
 *
 * @example
 * const upstream = await startFakeUpstream();
 * upstream.reply({ sse: fixture('text') });
 * // or: await startFakeUpstream((request, res) => writeSse(res, fixture('text')));
 */
export async function startFakeUpstream(handler?: UpstreamHandler): Promise<FakeUpstream> {
  const queue: UpstreamReply[] = [];
  const requests: RecordedRequest[] = [];
  const connectionIds = new WeakMap<Socket, number>();
  const open = new Set<ServerResponse>();
  let connectionCount = 0;
  const server = createServer(async (req, res) => {
    const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
    open.add(res);
    res.once('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: parseBody(Buffer.concat(chunks).toString('utf8')),
      connection: connectionIds.get(req.socket) ?? 0,
      closed,
    };
    requests.push(recorded);
    if (handler) await handler(recorded, res, req);
    else await sendReply(res, queue.shift() ?? { status: 500, body: '{"error":{"message":"no reply queued"}}' });
  });
  server.on('connection', (socket) => connectionIds.set(socket, ++connectionCount));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseURL: `${origin}/v1`,
    requests,
    connections: () => connectionCount,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Returns a reader of the recorded SSE bodies (`<name>.chunks.txt`) in one `__fixtures__` folder.
 *
 * @example const fixture = fixturesIn(new URL('./__fixtures__/', import.meta.url)); fixture('text');
 */
export function fixturesIn(folder: URL): (name: string) => string {
  return (name) => readFileSync(fileURLToPath(new URL(`${name}.chunks.txt`, folder)), 'utf8');
}

/**
 * Streams an SSE body in small slices that cut through events, lines and UTF-8 sequences, as a
 * real network would, then ends the response.
 *
 * @example await startFakeUpstream((_request, res) => writeSse(res, 'data: {"choices":[]}\n\n'));
 */
export function writeSse(res: ServerResponse, body: string, sliceBytes = 29): Promise<void> {
  return sendReply(res, { sse: body, sliceBytes });
}

async function sendReply(res: ServerResponse, reply: UpstreamReply): Promise<void> {
  const isSse = reply.sse !== undefined;
  const defaults = isSse ? { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } : { 'content-type': 'application/json' };
  res.writeHead(reply.status ?? 200, { ...defaults, ...reply.headers });
  const bytes = Buffer.from(reply.sse ?? reply.body ?? '', 'utf8');
  const size = reply.sliceBytes ?? 37;
  for (let offset = 0; offset < bytes.length; offset += size) {
    // The client may hang up mid-body (abort tests); stop writing then.
    if (res.destroyed) return;
    res.write(bytes.subarray(offset, offset + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!reply.hold) res.end();
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
