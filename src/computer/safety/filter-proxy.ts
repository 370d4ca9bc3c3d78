import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { UrlPolicy } from './url-policy.js';

export interface BlockedRequest {
  url: string;
  host: string;
  message: string;
}

/** Page shown in place of a blocked plain-HTTP navigation, so a model reading the screenshot learns why. */
export function blockedPageHtml(url: string, message: string): string {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  return (
    '<!doctype html><meta charset="utf-8"><title>Blocked by Kestrel</title>' +
    '<body data-kestrel-blocked style="font:18px sans-serif;margin:48px;color:#222">' +
    `<h1 style="color:#b00">Blocked by Kestrel</h1><p>This session may not open <code>${escape(url)}</code>.</p>` +
    `<p>${escape(message)}</p><p>Go back or choose another page.</p></body>`
  );
}

function hostPort(authority: string, fallbackPort: number): { host: string; port: number } {
  const match = authority.match(/^\[([^\]]+)\](?::(\d+))?$/) ?? authority.match(/^([^:]+)(?::(\d+))?$/);
  if (!match) return { host: authority, port: fallbackPort };
  return { host: match[1], port: match[2] ? Number(match[2]) : fallbackPort };
}

const HOP_BY_HOP = ['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade'];

/**
 * A loopback HTTP proxy that enforces a `UrlPolicy` on every request a browser context makes: navigations,
 * redirects (each hop is a new request), subresources, popups, workers and WebSockets (tunnelled with CONNECT).
 * It connects to the very addresses the policy checked, so DNS rebinding cannot slip past the check.
 *
 * @example
 * const proxy = await FilterProxy.start(new UrlPolicy({ allowedDomains: ['example.com'] }));
 * const context = await browser.newContext({ proxy: { server: proxy.url, bypass: '<-loopback>' } });
 * proxy.onBlocked((blocked) => console.log(blocked.message));
 */
export class FilterProxy {
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly sockets = new Set<Duplex>();
  private listeners: ((blocked: BlockedRequest) => void)[] = [];

  private constructor(private readonly policy: UrlPolicy) {
    this.server = http.createServer((request, response) => void this.forward(request, response));
    this.server.on('connect', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.tunnel(request, socket, head));
    this.server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts the proxy on a free loopback port. */
  static async start(policy: UrlPolicy): Promise<FilterProxy> {
    const proxy = new FilterProxy(policy);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** `http://127.0.0.1:PORT`, for Playwright's `proxy.server`. */
  get url(): string {
    const address = this.server.address() as net.AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Calls `listener` for every blocked request. */
  onBlocked(listener: (blocked: BlockedRequest) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private report(blocked: BlockedRequest): void {
    for (const listener of this.listeners) listener(blocked);
  }

  private async forward(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    let target: URL;
    try {
      target = new URL(request.url ?? '');
    } catch {
      response.writeHead(400).end('Kestrel proxy: absolute URL expected');
      return;
    }
    const verdict = await this.policy.checkUrl(target.href);
    if (!verdict.allowed || !verdict.addresses?.length) {
      const message = verdict.allowed ? `${target.hostname} could not be resolved.` : verdict.message;
      this.report({ url: target.href, host: target.hostname, message });
      response.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(blockedPageHtml(target.href, message));
      return;
    }
    const headers: http.OutgoingHttpHeaders = { ...request.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const upstream = http.request(
      {
        host: verdict.addresses[0],
        port: target.port ? Number(target.port) : 80,
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers,
        agent: this.agent,
      },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.statusMessage, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`Kestrel proxy: ${error.message}`);
    });
    request.pipe(upstream);
  }

  private async tunnel(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const { host, port } = hostPort(request.url ?? '', 443);
    const verdict = await this.policy.checkHost(host);
    if (!verdict.allowed || !verdict.addresses?.length) {
      const message = verdict.allowed ? `${host} could not be resolved.` : verdict.message;
      this.report({ url: `https://${request.url ?? host}`, host, message });
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, verdict.addresses[0], () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    this.sockets.add(upstream);
    upstream.once('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => {
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
    });
  }
}
