// A small Koa app with the filters under test, rendering StatusErrors as the lead's outer filter does.
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import { isStatusError } from '../../src/endpoints/status.js';
import { writeStatusError } from '../../src/endpoints/write-status.js';
import type { KubeMiddleware, KubeState } from '../../src/server/context.js';
import { createRequestInfoFilter } from '../../src/server/filters/request-info.js';

export function appWith(filters: KubeMiddleware[], handler: KubeMiddleware): Koa<KubeState> {
  const app = new Koa<KubeState>();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isStatusError(err)) throw err;
      writeStatusError(ctx, err);
    }
  });
  app.use(createRequestInfoFilter());
  for (const filter of filters) app.use(filter);
  app.use(handler);
  return app;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
}

/** Serves the app over plain HTTP for one test and returns a request function. */
export async function serveHttp(app: Koa<KubeState>): Promise<{ request(path: string, headers?: Record<string, string>, method?: string): Promise<Answer>; close(): void }> {
  const server = createHttpServer(app.callback());
  const port = await listen(server);
  return {
    async request(path, headers = {}, method = 'GET') {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers });
      return { status: res.status, headers: res.headers, text: await res.text() };
    },
    close: () => server.close(),
  };
}

export const UNAUTHORIZED_BODY = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};
