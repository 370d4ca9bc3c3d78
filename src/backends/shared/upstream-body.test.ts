import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../types.js';
import { getJson, postJson } from './http.js';
import { UpstreamBody } from './upstream-body.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base = '';
let handler: Handler = (_req, res) => res.end();
let connections = 0;
const sockets: Socket[] = []; // the socket of every request, in order

beforeAll(async () => {
  server = createServer((req, res) => {
    sockets.push(req.socket);
    res.on('error', () => {}); // writes after a client abort
    handler(req, res);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Serves `/ok` with a small JSON answer and everything else with `fn`; resolves with the first `fn` request's socket. */
function serve(fn: Handler): Promise<Socket> {
  const first = deferred<Socket>();
  handler = (req, res) => {
    if (req.url === '/ok') return void res.end(JSON.stringify({ ok: true, url: req.url }));
    first.resolve(req.socket);
    fn(req, res);
  };
  return first.promise;
}

/** Writes 16 KiB chunks until the connection goes away. */
function writeForever(res: ServerResponse): void {
  const chunk = Buffer.alloc(16_384, 'r');
  const next = (): void => void (res.destroyed || res.write(chunk, () => setImmediate(next)));
  next();
}

// Not `once(socket, 'close')`: that rejects on the EPIPE/ECONNRESET a client abort may cause first.
const closeOf = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));
const signal = () => new AbortController().signal;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('postJson / getJson over a real HTTP server', () => {
  it('streams a body written in several chunks, with pauses, completely and in order', async () => {
    const parts = ['{"output":', '[{"type":"message",', '"text":"héllo"}', '],"done":true}'];
    const written = parts.map(() => deferred());
    let requestBody = '';
    void serve(async (req, res) => {
      for await (const chunk of req) requestBody += String(chunk);
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < parts.length; i++) {
        res.write(parts[i]);
        await written[i].promise; // the next part leaves only once the client has this one
      }
      res.end();
    });
    const res = await postJson(`${base}/v1/stream`, { model: 'm', input: 'hi' }, { authorization: 'Bearer k' }, signal());
    expect(res.status).toBe(200);
    const chunks: string[] = [];
    let acked = 0;
    for await (const chunk of res.body) {
      chunks.push(chunk.toString('utf8'));
      const sofar = Buffer.byteLength(chunks.join(''));
      while (acked < parts.length && sofar >= Buffer.byteLength(parts.slice(0, acked + 1).join(''))) written[acked++].resolve();
    }
    expect(chunks.join('')).toBe(parts.join(''));
    expect(chunks.length).toBeGreaterThanOrEqual(parts.length);
    expect(JSON.parse(requestBody)).toEqual({ model: 'm', input: 'hi' });
  });

  it('reads a plain JSON answer with text() and json(), and getJson parses one', async () => {
    const answer = { id: 'resp_1', output: [{ type: 'message', text: 'ünïcode' }] };
    void serve((_req, res) => res.end(JSON.stringify(answer)));
    expect(await (await postJson(`${base}/a`, {}, {}, signal())).body.text()).toBe(JSON.stringify(answer));
    expect(await (await postJson(`${base}/b`, {}, {}, signal())).body.json()).toEqual(answer);
    expect(await getJson(`${base}/v1/models`, { authorization: 'Bearer k' })).toEqual(answer);
  });

  it('release() after the first chunk drains a short rest and keeps the connection for the next request', async () => {
    const go = deferred();
    const finished = deferred();
    const firstSocket = serve((_req, res) => {
      res.writeHead(200);
      res.write('first chunk');
      void go.promise.then(() => res.end('rest'.repeat(2_000), () => finished.resolve()));
    });
    const res = await postJson(`${base}/short-rest`, {}, {}, signal());
    const reader = res.body[Symbol.asyncIterator]();
    expect(String((await reader.next()).value)).toBe('first chunk');
    res.body.release();
    go.resolve();
    await finished.promise;
    await delay(50); // the rest is on the loopback socket: let the client read it off
    const before = connections;
    expect(await getJson(`${base}/ok`, {})).toMatchObject({ ok: true });
    expect(sockets.at(-1)).toBe(await firstSocket);
    expect(connections).toBe(before);
    expect(res.body.destroyed).toBe(false);
    expect(await reader.next()).toEqual({ done: true, value: undefined });
  });

  it.each([
    ['keeps writing past 64 KiB', writeForever],
    ['never ends', () => {}],
  ])('release() aborts the request when the rest %s, and a later request still works', { timeout: 10_000 }, async (_name, rest) => {
    const go = deferred();
    const socket = serve((_req, res) => {
      res.writeHead(200);
      res.write('first chunk');
      void go.promise.then(() => rest(res));
    });
    const res = await postJson(`${base}/long-rest`, {}, {}, signal());
    const closed = closeOf(await socket);
    const reader = res.body[Symbol.asyncIterator]();
    expect(String((await reader.next()).value)).toBe('first chunk');
    res.body.release();
    go.resolve();
    await closed;
    expect(res.body.destroyed).toBe(true);
    expect(await getJson(`${base}/ok`, {})).toMatchObject({ ok: true });
  });

  it('destroy() mid-stream closes the connection and rejects the pending read and later iteration', async () => {
    const socket = serve((_req, res) => {
      res.writeHead(200);
      res.write('first chunk');
    });
    const res = await postJson(`${base}/destroy`, {}, {}, signal());
    const closed = closeOf(await socket);
    const reader = res.body[Symbol.asyncIterator]();
    expect(String((await reader.next()).value)).toBe('first chunk');
    const pending = reader.next();
    res.body.destroy();
    await expect(pending).rejects.toThrow('destroyed');
    await expect(res.body.text()).rejects.toThrow('destroyed');
    await closed;
    expect(await getJson(`${base}/ok`, {})).toMatchObject({ ok: true });
  });

  it('pauses the socket above 1 MiB queued and delivers a slowly read 5 MiB body byte-exact', async () => {
    const data = randomBytes(5 << 20);
    void serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(data.length) });
      res.end(data);
    });
    const calls = { pause: 0, resume: 0 };
    const paused = deferred();
    const attach = UpstreamBody.prototype.attach;
    const spy = vi.spyOn(UpstreamBody.prototype, 'attach').mockImplementation(function (this: UpstreamBody, controller: Dispatcher.DispatchController) {
      const { pause, resume } = controller;
      controller.pause = () => (calls.pause++, paused.resolve(), pause.call(controller));
      controller.resume = () => (calls.resume++, resume.call(controller));
      attach.call(this, controller);
    });
    try {
      const res = await postJson(`${base}/big`, {}, {}, signal());
      await paused.promise; // nothing read yet: the queue passes 1 MiB and the socket pauses
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) {
        chunks.push(chunk);
        if (chunks.length % 4 === 0) await delay(1);
      }
      const received = Buffer.concat(chunks);
      expect(received.length).toBe(data.length);
      expect(sha256(received)).toBe(sha256(data));
      expect(calls.pause).toBeGreaterThan(0);
      expect(calls.resume).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('an abort before the headers rejects postJson with a 499 `aborted` BackendError', async () => {
    const socket = serve(() => {}); // holds the headers back
    const controller = new AbortController();
    const pending = postJson(`${base}/slow-headers`, {}, {}, controller.signal);
    const closed = closeOf(await socket);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 499, code: 'aborted' });
    await closed;
  });

  it('an abort mid-body rejects the iteration and closes the connection', async () => {
    const socket = serve((_req, res) => {
      res.writeHead(200);
      res.write('first chunk');
    });
    const controller = new AbortController();
    const res = await postJson(`${base}/abort-mid-body`, {}, {}, controller.signal);
    const closed = closeOf(await socket);
    const chunks: string[] = [];
    const iteration = (async () => {
      for await (const chunk of res.body) {
        chunks.push(String(chunk));
        controller.abort();
      }
    })();
    await expect(iteration).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toEqual(['first chunk']);
    await closed;
  });

  it('a 429 with Retry-After and an OpenAI error body becomes a BackendError keeping all three', async () => {
    void serve((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ error: { message: 'Rate limit reached for gpt-5.4.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }));
    });
    const error = await postJson(`${base}/v1/responses`, {}, {}, signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 429, message: 'Rate limit reached for gpt-5.4.', retryAfter: '7', code: 'rate_limit_exceeded', type: 'requests' });
  });

  it('getJson turns an Ollama-style error body into a BackendError', async () => {
    void serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: "model 'qwen3' not found" }));
    });
    const error = await getJson(`${base}/api/show`, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, message: "model 'qwen3' not found", retryAfter: null });
  });

  it('a refused connection becomes a 502 `upstream_unreachable` BackendError', async () => {
    const closedServer = createServer();
    await once(closedServer.listen(0, '127.0.0.1'), 'listening');
    const { port } = closedServer.address() as AddressInfo;
    await new Promise((resolve) => closedServer.close(resolve));
    const error = await postJson(`http://127.0.0.1:${port}/v1/chat/completions`, {}, {}, signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable' });
    expect((error as BackendError).message).toContain(`http://127.0.0.1:${port}`);
  });
});
