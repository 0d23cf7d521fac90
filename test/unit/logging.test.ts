// Logs are JSON lines; each request is one debug line with user, verb, path, code, latency and audit ID.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { KubeContext, KubeState } from '../../src/server/context.js';
import { createLogger, logRequest, requestLogger, type Logger } from '../../src/server/logging.js';

function collectingLogger(level: string): { logger: Logger; lines: () => Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (msg: string) => void raw.push(msg) });
  return { logger, raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(app: Koa<KubeState>): Promise<string> {
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function appWith(logger: Logger, useMiddleware: boolean): Koa<KubeState> {
  const app = new Koa<KubeState>();
  app.use((ctx, next) => {
    ctx.state.startTime = performance.now() - 12.5;
    ctx.state.auditID = '3f0c9c1e-audit';
    ctx.state.user = { name: 'alice', groups: ['system:authenticated'] };
    ctx.state.requestInfo = {
      isResourceRequest: true, path: ctx.path, verb: 'list', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1',
      namespace: 'default', resource: 'pods', subresource: '', name: '', parts: ['namespaces', 'default', 'pods'],
    };
    return next();
  });
  if (useMiddleware) app.use(requestLogger(logger));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { kind: 'Status' };
    if (!useMiddleware) logRequest(logger, ctx);
  });
  return app;
}

describe('createLogger', () => {
  it('writes one JSON object per line with level label, ISO time and message', () => {
    const { logger, raw, lines } = collectingLogger('info');
    logger.info({ port: 6443 }, 'serving');
    logger.debug('hidden at info level');
    expect(raw).toHaveLength(1);
    expect(raw[0].endsWith('\n')).toBe(true);
    const [line] = lines();
    expect(line).toMatchObject({ level: 'info', pid: process.pid, port: 6443, msg: 'serving' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('refuses unknown levels with a clear message', () => {
    expect(() => createLogger('verbose')).toThrow('invalid log level "verbose": use one of trace, debug, info, warn, error, fatal, silent');
  });
});

describe('request log', () => {
  it('logs user, verb, path, code, latency and audit ID at debug level', async () => {
    const { logger, lines } = collectingLogger('debug');
    const base = await serve(appWith(logger, false));
    await (await fetch(`${base}/api/v1/namespaces/default/pods?limit=1`, { headers: { 'User-Agent': 'kubectl/v1.32.4' } })).text();
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'debug',
      msg: 'HTTP',
      user: 'alice',
      verb: 'list',
      method: 'GET',
      path: '/api/v1/namespaces/default/pods',
      code: 404,
      auditID: '3f0c9c1e-audit',
      userAgent: 'kubectl/v1.32.4',
      srcIP: '127.0.0.1',
    });
    expect(line.latencyMs).toBeGreaterThanOrEqual(12.5);
    expect(line.latencyMs).toBeLessThan(5_000);
  });

  it('logs from the middleware once the response is over, with the final code', async () => {
    const { logger, lines } = collectingLogger('debug');
    const base = await serve(appWith(logger, true));
    await (await fetch(`${base}/api/v1/namespaces/default/pods`)).text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ code: 404, user: 'alice', msg: 'HTTP' });
  });

  it('costs nothing at info level: it reads nothing from the request', () => {
    const { logger, raw } = collectingLogger('info');
    const ctx = new Proxy({}, {
      get() {
        throw new Error('the request was read');
      },
    }) as KubeContext;
    expect(() => logRequest(logger, ctx)).not.toThrow();
    expect(raw).toHaveLength(0);
  });
});
