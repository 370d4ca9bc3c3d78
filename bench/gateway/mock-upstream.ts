/**
 * The mock model server of the gateway bench, run as its own process (so its CPU is not charged to the client):
 * `node bench/gateway/mock-upstream.js` prints `mock listening on http://127.0.0.1:PORT` when ready.
 *
 * Serves, as fast as node:http allows:
 * - `POST /v1/chat/completions` — JSON, or with `"stream": true` SSE chunks (the first written at once);
 * - `POST /v1/responses` — the same answer in the Responses format (JSON or SSE), for gateways that pass it through;
 * - `GET /v1/models`, and `GET /__stats` (requests served per route, so the bench can check gateways reach it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatCompletionFrames, chatCompletionJson, responseFrames, responseJson } from './mock-payloads.js';

interface Payloads {
  json: Buffer;
  frames: Buffer[];
}

const created = Math.floor(Date.now() / 1000);
const chatCache = new Map<string, Payloads>();
const responsesCache = new Map<string, Payloads>();
const counts: Record<string, number> = { chat: 0, chatStream: 0, responses: 0, responsesStream: 0, models: 0, other: 0, socketErrors: 0 };

function payloadsFor(cache: Map<string, Payloads>, model: string, kind: 'chat' | 'responses'): Payloads {
  let payloads = cache.get(model);
  if (!payloads) {
    const json = kind === 'chat' ? chatCompletionJson(model, created) : responseJson(model, created);
    const frames = kind === 'chat' ? chatCompletionFrames(model, created) : responseFrames(model, created);
    payloads = { json: Buffer.from(json), frames: frames.map((frame) => Buffer.from(frame)) };
    // Bounded: the bench sends one model name; anything else is answered but not kept.
    if (cache.size < 16) cache.set(model, payloads);
  }
  return payloads;
}

function sendJson(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

function sendStream(res: ServerResponse, frames: Buffer[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(frames[0]);
  // The rest follows on the next turn of the event loop, so the first chunk leaves as its own packet.
  setImmediate(() => {
    if (res.destroyed) return;
    for (let i = 1; i < frames.length - 1; i++) res.write(frames[i]);
    res.end(frames[frames.length - 1]);
  });
}

const modelsBody = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: 'mock', object: 'model', created, owned_by: 'bench' }] }));
const notFound = Buffer.from(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }));
const badRequest = Buffer.from(JSON.stringify({ error: { message: 'body is not JSON', type: 'invalid_request_error', param: null, code: null } }));

function handlePost(req: IncomingMessage, res: ServerResponse, kind: 'chat' | 'responses'): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let body: { model?: unknown; stream?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model?: unknown; stream?: unknown };
    } catch {
      sendJson(res, 400, badRequest);
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'mock';
    const payloads = payloadsFor(kind === 'chat' ? chatCache : responsesCache, model, kind);
    const stream = body.stream === true;
    counts[kind === 'chat' ? (stream ? 'chatStream' : 'chat') : stream ? 'responsesStream' : 'responses']++;
    if (stream) sendStream(res, payloads.frames);
    else sendJson(res, 200, payloads.json);
  });
}

// A client that goes away mid-answer must not take the mock down; it is counted instead.
const countSocketError = () => {
  counts.socketErrors++;
};

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.on('error', countSocketError);
  res.on('error', countSocketError);
  const path = req.url ?? '/';
  if (req.method === 'POST' && path === '/v1/chat/completions') return handlePost(req, res, 'chat');
  if (req.method === 'POST' && path === '/v1/responses') return handlePost(req, res, 'responses');
  if (req.method === 'GET' && path === '/v1/models') {
    counts.models++;
    return sendJson(res, 200, modelsBody);
  }
  if (req.method === 'GET' && path === '/__stats') return sendJson(res, 200, Buffer.from(JSON.stringify(counts)));
  counts.other++;
  req.resume();
  sendJson(res, 404, notFound);
});

const port = Number(process.env.MOCK_PORT ?? 0);
server.listen(port, '127.0.0.1', () => {
  const address = server.address() as AddressInfo;
  console.log(`mock listening on http://127.0.0.1:${address.port}`);
});
// The bench stops the mock by closing its stdin (or, failing that, SIGKILL), and so does the bench's death.
// A stray SIGTERM from another program on a shared machine (seen during development: something sent SIGTERM to
// processes whose command line says "mock") would otherwise end the run halfway; it is logged and ignored.
process.on('SIGTERM', () => console.error('mock: ignoring SIGTERM (the bench stops me by closing stdin)'));
process.stdin.on('end', () => {
  console.error('mock: stdin closed, exiting');
  process.exit(0);
});
process.stdin.resume();
