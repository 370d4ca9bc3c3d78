import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fixture server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Resolves when the client's socket closes. */
  closed: Promise<void>;
}

/** What the server answers to the next request. */
export interface FixtureReply {
  status?: number;
  headers?: Record<string, string>;
  /** A recorded SSE body (path of a `*.chunks.txt` file) or a literal body. */
  fixture?: string;
  body?: string;
  /** Bytes per socket write, to cut events at arbitrary places (default 37). */
  chunkSize?: number;
  /** Keep the response open after the body (abort tests). */
  hold?: boolean;
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Queues replies, answered in order. */
  reply(...replies: FixtureReply[]): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on a random loopback port that replays recorded upstream bodies in small
 * socket writes and records every request it receives.
 *
 * @example const server = await startFixtureServer(); server.reply({ fixture: 'text.chunks.txt' });
 */
export async function startFixtureServer(): Promise<FixtureServer> {
  const queue: FixtureReply[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the raw text
    }
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, closed });
    const reply = queue.shift() ?? { status: 500, body: '{"error":{"message":"no reply queued"}}' };
    const text = reply.fixture ? readFileSync(reply.fixture, 'utf8') : reply.body ?? '';
    const isSse = Boolean(reply.fixture);
    res.writeHead(reply.status ?? 200, { 'content-type': isSse ? 'text/event-stream' : 'application/json', ...reply.headers });
    open.add(res);
    res.once('close', () => open.delete(res));
    const size = reply.chunkSize ?? 37;
    for (let offset = 0; offset < text.length; offset += size) {
      if (res.destroyed) return;
      res.write(text.slice(offset, offset + size));
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!reply.hold) res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
