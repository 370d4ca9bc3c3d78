/**
 * The floor: the least a Node gateway can do — node:http in, undici out over keep-alive, bytes piped through
 * unchanged. `node bench/gateway/minimal-proxy.js` with UPSTREAM=http://127.0.0.1:P prints `listening on http://…`.
 * Measured beside Kestrel (`--floor`) to show how much of Kestrel's added time any Node proxy pays on this machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = new Pool(process.env.UPSTREAM ?? 'http://127.0.0.1:1', { connections: 128, pipelining: 1 });

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    upstream.request({ method: req.method === 'GET' ? 'GET' : 'POST', path: req.url ?? '/', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) }).then(
      async ({ statusCode, headers, body }) => {
        res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json') });
        for await (const chunk of body) res.write(chunk);
        res.end();
      },
      (error: Error) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: error.message, type: 'upstream_error', param: null, code: null } }));
      },
    );
  });
});

server.listen(0, '127.0.0.1', () => console.log(`minimal proxy listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
