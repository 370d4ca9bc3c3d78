import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A request the fake upstream received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined for GET). */
  body: unknown;
  /** A counter identifying the TCP connection the request came on. */
  connection: number;
}

export interface Upstream {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  origin: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export type UpstreamHandler = (request: RecordedRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

/**
 * A real HTTP server on a random loopback port that plays an upstream model server in tests.
 *
 * @example const upstream = await startUpstream((request, res) => serveFixture(res, 'vllm-parallel-tools'));
 */
export async function startUpstream(handler: UpstreamHandler): Promise<Upstream> {
  const requests: RecordedRequest[] = [];
  let connectionCount = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      connection: (req.socket as unknown as { testId: number }).testId,
    };
    requests.push(recorded);
    await handler(recorded, res, req);
  });
  server.on('connection', (socket) => {
    (socket as unknown as { testId: number }).testId = ++connectionCount;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseURL: `${origin}/v1`,
    origin,
    requests,
    connections: () => connectionCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The raw SSE body of a recorded fixture in `__fixtures__/`. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./__fixtures__/${name}.chunks.txt`, import.meta.url)), 'utf8');
}

/**
 * Streams an SSE body in small slices that cut through events, lines and UTF-8 sequences, as a
 * real network would, then ends the response.
 */
export async function writeSse(res: ServerResponse, body: string, sliceBytes = 29): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const bytes = Buffer.from(body, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += sliceBytes) {
    res.write(bytes.subarray(offset, offset + sliceBytes));
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}
