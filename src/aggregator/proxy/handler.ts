// The proxy to an APIService's backend (kube-aggregator's proxyHandler), built on http-proxy: the
// request keeps its method, path, query and body; the user travels in X-Remote-* headers; the
// response, streamed or chunked, comes back untouched. An APIService that is not Available, or whose
// service does not resolve, is answered as kube-aggregator does: 503 "service unavailable" in plain
// text; a backend that cannot be reached: 503 with the dial error.
import httpProxy from 'http-proxy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeContext, KubeMiddleware } from '../../server/context.js';
import type { ServiceResolver } from '../service-resolver.js';
import type { BackendTransport } from './transport.js';
import { proxiedRequestHeaders } from './auth-headers.js';
import { proxyUpgrade, upgradeStateOf } from './upgrade.js';

/** What the proxy needs to know about one remote APIService. */
export interface ProxyTarget {
  name: string;
  serviceNamespace: string;
  serviceName: string;
  servicePort: number;
  /** The Available condition is True. */
  available: boolean;
  transport: BackendTransport;
}

/** Go's http.Error: text/plain, nosniff, the message and a newline. */
export function writePlainError(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${message}\n`;
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The text Go's dialer gives for the common failures (what kube's responder writes into the 503). */
export function dialErrorText(err: NodeJS.ErrnoException, host: string, port: number): string {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${address}: connect: connection refused`;
    case 'ECONNRESET':
      return `read tcp ${address}: read: connection reset by peer`;
    case 'ETIMEDOUT':
      return `dial tcp ${address}: i/o timeout`;
    case 'EHOSTUNREACH':
      return `dial tcp ${address}: connect: no route to host`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${host}: no such host`;
    default:
      return err.message;
  }
}

export class AggregatorProxy {
  // toProxy: the request's path and query go out exactly as they came (http-proxy would otherwise
  // re-parse and re-serialize them on every request).
  private readonly proxy = httpProxy.createProxyServer({ xfwd: false, changeOrigin: true, toProxy: true });

  constructor(private readonly resolver: ServiceResolver) {
    // Errors are answered per request (below); this keeps a stray one from crashing the process.
    this.proxy.on('error', () => undefined);
    // A streamed answer (a watch: no Content-Length) has its headers sent at once, as Go's reverse
    // proxy flushes them: clients wait for the headers before reading events.
    this.proxy.on('proxyRes', (proxyRes, _req, res) => {
      if (proxyRes.headers['content-length'] === undefined) setImmediate(() => !res.headersSent && !res.writableEnded && res.flushHeaders());
      // The caller went away mid-stream (a watch closed): the backend's stream ends too.
      res.once('close', () => {
        if (!res.writableFinished) proxyRes.destroy();
      });
    });
  }

  /** A Koa handler for a remote group-version; `target()` is read per request (APIServices change). */
  handler(target: () => ProxyTarget | undefined): KubeMiddleware {
    return async (ctx, next) => {
      const t = target();
      if (!t) return next();
      await this.serve(ctx, t);
    };
  }

  private async serve(ctx: KubeContext, t: ProxyTarget): Promise<void> {
    ctx.respond = false;
    const res = ctx.res;
    if (!t.available) return writePlainError(res, 503, 'service unavailable');
    let resolved;
    try {
      resolved = await this.resolver.resolve(t.serviceNamespace, t.serviceName, t.servicePort);
    } catch {
      resolved = undefined;
    }
    if (!resolved?.ok) return writePlainError(res, 503, 'service unavailable');
    const { host, port } = resolved;
    const req = ctx.req as IncomingMessage;
    req.headers = proxiedRequestHeaders(req.headers, ctx.state.user, req.socket.remoteAddress);
    const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const upgrade = upgradeStateOf(req);
    if (upgrade) {
      // An upgraded stream is long-running: it ends with the server.
      ctx.state.shutdownSignal.addEventListener('abort', () => upgrade.socket.destroy(), { once: true });
      const headers = { ...(req.headers as Record<string, string | string[]>), host: hostPort };
      await proxyUpgrade(req, res, headers, host, port, t.transport, (err) => writePlainError(res, 503, dialErrorText(err as NodeJS.ErrnoException, host, port)));
      return;
    }
    // kube's RequestDelegated: a proxied watch costs this server nothing more once handed on.
    ctx.state.watchInitialized?.();
    // The target as http-proxy would parse it from https://host:port, without the parse.
    const target = { protocol: 'https:', host: hostPort, hostname: host, port };
    await new Promise<void>((resolve) => {
      res.once('close', () => resolve());
      res.once('finish', () => resolve());
      this.proxy.web(req, res, { target, agent: t.transport.agent, secure: !t.transport.insecure }, (err) => {
        writePlainError(res, 503, dialErrorText(err as NodeJS.ErrnoException, host, port));
        resolve();
      });
    });
  }
}
