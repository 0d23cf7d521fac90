// kube's max-in-flight filter (k8s.io/apiserver/pkg/server/filters/maxinflight.go, v1.32) as a client sees it.
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowControlFilter, TOO_MANY_REQUESTS_MESSAGE, type FlowControl } from '../../src/server/filters/flow-control.js';
import type { KubeMiddleware } from '../../src/server/context.js';
import { appWith, serveHttp, type Answer } from './auth-support.js';

type Server = Awaited<ReturnType<typeof serveHttp>>;
let server: Server | undefined;
afterEach(() => server?.close());

/** A server whose handler holds every request until release() is called. */
async function start(maxRequestsInflight: number, maxMutatingRequestsInflight: number) {
  const flow: FlowControl = createFlowControlFilter({ maxRequestsInflight, maxMutatingRequestsInflight });
  let waiting: Array<() => void> = [];
  let arrived = 0;
  const setUser: KubeMiddleware = (ctx, next) => {
    ctx.state.user = ctx.get('X-Test-Masters') ? { name: 'admin', groups: ['system:masters'] } : { name: 'bob', groups: ['system:authenticated'] };
    return next();
  };
  server = await serveHttp(
    appWith([setUser, flow.middleware], async (ctx) => {
      arrived++;
      await new Promise<void>((resolve) => waiting.push(resolve));
      ctx.body = 'done';
    }),
  );
  const s = server;
  return {
    flow,
    request: (path: string, method = 'GET', headers: Record<string, string> = {}) => s.request(path, headers, method),
    /** Waits until n requests are inside the handler. */
    async held(n: number) {
      while (arrived < n) await new Promise((r) => setTimeout(r, 5));
    },
    release() {
      const all = waiting;
      waiting = [];
      all.forEach((resolve) => resolve());
    },
  };
}

function expectTooManyRequests(res: Answer) {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('1');
  expect(JSON.parse(res.text)).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: TOO_MANY_REQUESTS_MESSAGE,
    reason: 'TooManyRequests',
    details: { retryAfterSeconds: 1 },
    code: 429,
  });
}

describe('max-in-flight', () => {
  it('answers 429 with Retry-After: 1 over the read-only limit, and counts in flight', async () => {
    const s = await start(2, 1);
    const first = [s.request('/api/v1/pods'), s.request('/api/v1/namespaces/a/pods/b')];
    await s.held(2);
    expect(s.flow.inflight()).toEqual({ readOnly: 2, mutating: 0 });
    expectTooManyRequests(await s.request('/api/v1/configmaps'));
    s.release();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    expect(s.flow.inflight()).toEqual({ readOnly: 0, mutating: 0 });
    expect(s.flow.takeWatermarks()).toEqual({ readOnly: 2, mutating: 0 });
    expect(s.flow.takeWatermarks()).toEqual({ readOnly: 0, mutating: 0 });
  });

  it('keeps separate limits for mutating requests (every verb but get, list, watch)', async () => {
    const s = await start(1, 1);
    const create = s.request('/api/v1/namespaces/a/configmaps', 'POST');
    await s.held(1);
    expect(s.flow.inflight()).toEqual({ readOnly: 0, mutating: 1 });
    expectTooManyRequests(await s.request('/api/v1/namespaces/a/configmaps/x', 'DELETE'));
    // a non-resource POST is mutating too; a read still fits
    expectTooManyRequests(await s.request('/foo', 'POST'));
    const read = s.request('/api/v1/pods');
    await s.held(2);
    s.release();
    expect((await create).status).toBe(200);
    expect((await read).status).toBe(200);
  });

  it('does not limit or count long-running requests (watch)', async () => {
    const s = await start(1, 1);
    const watches = [s.request('/api/v1/pods?watch=true'), s.request('/api/v1/watch/configmaps')];
    await s.held(2);
    expect(s.flow.inflight()).toEqual({ readOnly: 0, mutating: 0 });
    const get = s.request('/api/v1/pods');
    await s.held(3);
    s.release();
    expect((await Promise.all([...watches, get])).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('serves system:masters when full, without taking a slot (as kube does)', async () => {
    const s = await start(1, 1);
    const held = s.request('/api/v1/pods');
    await s.held(1);
    const admin = s.request('/api/v1/pods', 'GET', { 'X-Test-Masters': '1' });
    await s.held(2);
    expect(s.flow.inflight()).toEqual({ readOnly: 1, mutating: 0 });
    s.release();
    expect((await held).status).toBe(200);
    expect((await admin).status).toBe(200);
  });

  it('0 disables a limit', async () => {
    const s = await start(0, 1);
    const reads = [s.request('/api/v1/pods'), s.request('/api/v1/pods'), s.request('/api/v1/pods')];
    await s.held(3);
    expect(s.flow.inflight()).toEqual({ readOnly: 0, mutating: 0 });
    const create = s.request('/api/v1/namespaces/a/configmaps', 'POST');
    await s.held(4);
    expectTooManyRequests(await s.request('/api/v1/namespaces/a/configmaps', 'POST'));
    s.release();
    expect((await Promise.all([...reads, create])).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});
