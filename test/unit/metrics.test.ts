// /metrics serves kube-apiserver's request metrics (k8s.io/apiserver/pkg/endpoints/metrics/metrics.go):
// names, label sets in kube's order, verb cleaning, scope, buckets; one registry per server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import Koa from 'koa';
import type { KubeState } from '../../src/server/context.js';
import type { RequestInfo } from '../../src/server/request-info.js';
import { createMetrics, requestLabels, type ServerMetrics } from '../../src/server/metrics/index.js';
import { createHealthChecks, healthMux } from '../../src/server/healthz/index.js';
import { isStatusError, newForbidden, newTooManyRequests } from '../../src/endpoints/status.js';

/** Just enough of kube's RequestInfoFactory for the paths below. */
function requestInfoOf(method: string, path: string, query: URLSearchParams): RequestInfo {
  const base = { path, apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] as string[] };
  if (!path.startsWith('/api/v1/')) return { ...base, isResourceRequest: false, verb: method.toLowerCase() };
  let parts = path.slice('/api/v1/'.length).split('/');
  const info: RequestInfo = { ...base, isResourceRequest: true, verb: '', apiPrefix: 'api', apiVersion: 'v1', parts };
  if (parts[0] === 'namespaces' && parts.length > 2) {
    info.namespace = parts[1];
    parts = parts.slice(2);
  }
  [info.resource, info.name = '', info.subresource = ''] = parts;
  const watch = query.get('watch') === 'true';
  const verbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };
  if (method === 'GET') info.verb = watch ? 'watch' : info.name ? 'get' : 'list';
  else if (method === 'DELETE') info.verb = info.name ? 'delete' : 'deletecollection';
  else info.verb = verbs[method] ?? method.toLowerCase();
  return info;
}

/** The handler chain in kube's order, with stand-ins for the filters that answer by themselves. */
function newServerApp(metrics: ServerMetrics): Koa<KubeState> {
  const app = new Koa<KubeState>();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isStatusError(err)) throw err;
      ctx.status = err.code;
      ctx.body = err.status;
    }
  });
  app.use((ctx, next) => {
    ctx.state.startTime = performance.now();
    ctx.state.requestInfo = requestInfoOf(ctx.method, ctx.path, new URLSearchParams(ctx.querystring));
    ctx.state.longRunning = ctx.state.requestInfo.verb === 'watch';
    return next();
  });
  app.use(metrics.droppedRecorder);
  app.use((ctx, next) => {
    // The in-flight limit.
    if (ctx.query.throttle !== undefined) throw newTooManyRequests('too many requests, please try again later', 1);
    return next();
  });
  app.use((ctx, next) => {
    // Authorization.
    if (ctx.state.requestInfo.resource === 'secrets') throw newForbidden({ group: '', resource: 'secrets' }, '', 'denied');
    return next();
  });
  app.use(metrics.instrument);
  app.use(metrics.handler);
  app.use(healthMux(createHealthChecks()));
  app.use(async (ctx) => {
    const info = ctx.state.requestInfo;
    if (info.resource === 'foos') {
      ctx.state.unrouted = true; // as the final NotFound handler marks it
      ctx.status = 404;
      ctx.body = { kind: 'Status' };
    } else if (info.resource === 'resourcequotas') {
      throw newForbidden({ group: '', resource: 'resourcequotas' }, 'q', 'exceeded quota'); // a handler's own 403
    } else if (info.path === '/busy') {
      throw newTooManyRequests('storage is busy', 1); // a handler's own 429
    } else if (info.verb === 'watch') {
      const stream = new PassThrough();
      ctx.body = stream;
      stream.write('{"type":"ADDED"}\n');
      setTimeout(() => stream.end(), 120);
    } else if (info.verb === 'get' && info.name === 'missing') {
      ctx.status = 404;
      ctx.body = { kind: 'Status', code: 404 };
    } else if (info.verb === 'create') {
      ctx.status = 201;
      ctx.body = { kind: 'Pod' };
    } else {
      ctx.body = { kind: 'PodList', items: 'x'.repeat(1500) };
    }
  });
  return app;
}

async function listen(app: Koa<KubeState>): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let metricsA: ServerMetrics;
let metricsB: ServerMetrics;
let a: { server: http.Server; base: string };
let b: { server: http.Server; base: string };

beforeAll(async () => {
  metricsA = createMetrics({ inflight: () => ({ readOnly: 3, mutating: 1 }) });
  metricsB = createMetrics({ inflight: () => ({ readOnly: 0, mutating: 0 }) });
  a = await listen(newServerApp(metricsA));
  b = await listen(newServerApp(metricsB));
});

afterAll(async () => {
  for (const s of [a.server, b.server]) await new Promise((resolve) => s.close(resolve));
});

async function call(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(base + path, { method, headers, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
  return res.text();
}

async function scrape(base: string): Promise<{ text: string; contentType: string | null }> {
  const res = await fetch(`${base}/metrics`);
  return { text: await res.text(), contentType: res.headers.get('content-type') };
}

/** The value of the one sample line whose name and labels are exactly these. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const rendered = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${rendered}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const pods = { group: '', version: 'v1', resource: 'pods', subresource: '' };

describe('request metrics', () => {
  beforeAll(async () => {
    await call(a.base, 'GET', '/api/v1/namespaces/default/pods');
    await call(a.base, 'GET', '/api/v1/namespaces/default/pods');
    await call(a.base, 'GET', '/api/v1/pods');
    await call(a.base, 'GET', '/api/v1/namespaces/default/pods/missing');
    await call(a.base, 'POST', '/api/v1/namespaces/default/pods?dryRun=All');
    await call(a.base, 'POST', '/api/v1/namespaces/default/pods?dryRun=Nope');
    await call(a.base, 'PATCH', '/api/v1/namespaces/default/pods/p1', { 'Content-Type': 'application/apply-patch+yaml' });
    await call(a.base, 'PATCH', '/api/v1/namespaces/default/pods/p1', { 'Content-Type': 'application/merge-patch+json' });
    await call(a.base, 'DELETE', '/api/v1/namespaces/default/pods');
    await call(a.base, 'GET', '/api/v1/namespaces/default/pods/p1/log');
    await call(a.base, 'GET', '/api/v1/namespaces/default/pods?watch=true');
    await call(a.base, 'GET', '/api/v1/namespaces/default/secrets');
    await call(a.base, 'GET', '/api/v1/foos');
    await call(a.base, 'GET', '/healthz');
    await call(a.base, 'GET', '/readyz?verbose');
    await call(a.base, 'GET', '/readyz/ping');
    await call(a.base, 'GET', '/openapi/v2?throttle');
    await call(a.base, 'POST', '/api/v1/namespaces/default/pods?throttle');
    await call(a.base, 'GET', '/api/v1/namespaces/default/resourcequotas/q');
    await call(a.base, 'GET', '/openapi/v2');
  });

  it('serves the Prometheus text format', async () => {
    const { text, contentType } = await scrape(a.base);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toContain('# TYPE apiserver_request_total counter');
    expect(text).toContain('# HELP apiserver_request_total [STABLE] ');
    expect(text).toContain('# TYPE apiserver_request_duration_seconds histogram');
    expect(text).toContain('# TYPE apiserver_response_sizes histogram');
    expect(text).toContain('# TYPE apiserver_current_inflight_requests gauge');
  });

  it('counts requests with kube labels in kube order, GET vs LIST by scope', async () => {
    const { text } = await scrape(a.base);
    const total = (labels: Record<string, string>) => sample(text, 'apiserver_request_total', labels);
    expect(total({ verb: 'LIST', dry_run: '', ...pods, scope: 'namespace', component: 'apiserver', code: '200' })).toBe(2);
    expect(total({ verb: 'LIST', dry_run: '', ...pods, scope: 'cluster', component: 'apiserver', code: '200' })).toBe(1);
    expect(total({ verb: 'GET', dry_run: '', ...pods, scope: 'resource', component: 'apiserver', code: '404' })).toBe(1);
  });

  it('reports POST, APPLY, PATCH, DELETE, CONNECT and WATCH as kube does, with dry_run cleaned', async () => {
    const { text } = await scrape(a.base);
    const total = (labels: Record<string, string>) => sample(text, 'apiserver_request_total', labels);
    expect(total({ verb: 'POST', dry_run: 'All', ...pods, scope: 'resource', component: 'apiserver', code: '201' })).toBe(1);
    expect(total({ verb: 'POST', dry_run: 'invalid', ...pods, scope: 'resource', component: 'apiserver', code: '201' })).toBe(1);
    expect(total({ verb: 'APPLY', dry_run: '', ...pods, scope: 'resource', component: 'apiserver', code: '200' })).toBe(1);
    expect(total({ verb: 'PATCH', dry_run: '', ...pods, scope: 'resource', component: 'apiserver', code: '200' })).toBe(1);
    // kube reports a deletecollection under its HTTP method.
    expect(total({ verb: 'DELETE', dry_run: '', ...pods, scope: 'namespace', component: 'apiserver', code: '200' })).toBe(1);
    expect(total({ verb: 'CONNECT', dry_run: '', ...pods, subresource: 'log', scope: 'resource', component: 'apiserver', code: '200' })).toBe(1);
    expect(total({ verb: 'WATCH', dry_run: '', ...pods, scope: 'namespace', component: 'apiserver', code: '200' })).toBe(1);
  });

  it('records a watch with its whole duration, and no size for its stream', async () => {
    const { text } = await scrape(a.base);
    const labels = { verb: 'WATCH', dry_run: '', ...pods, scope: 'namespace', component: 'apiserver' };
    expect(sample(text, 'apiserver_request_duration_seconds_count', labels)).toBe(1);
    expect(sample(text, 'apiserver_request_duration_seconds_sum', labels)).toBeGreaterThanOrEqual(0.1);
    expect(sample(text, 'apiserver_request_duration_seconds_bucket', { le: '0.05', ...labels })).toBe(0);
    expect(text).not.toMatch(/apiserver_response_sizes_count\{verb="WATCH"/);
    // The watch is over: the long-running gauge is back to zero.
    const { dry_run: _d, ...gaugeLabels } = labels;
    expect(sample(text, 'apiserver_longrunning_requests', gaugeLabels)).toBe(0);
  });

  it('uses kube buckets for durations and response sizes of reads', async () => {
    const { text } = await scrape(a.base);
    const list = { verb: 'LIST', ...pods, scope: 'namespace', component: 'apiserver' };
    expect(sample(text, 'apiserver_response_sizes_bucket', { le: '1000', ...list })).toBe(0);
    expect(sample(text, 'apiserver_response_sizes_bucket', { le: '10000', ...list })).toBe(2);
    expect(sample(text, 'apiserver_response_sizes_bucket', { le: '1000000000', ...list })).toBe(2);
    const les = text
      .split('\n')
      .filter((l) => l.startsWith('apiserver_request_duration_seconds_bucket{le=') && l.includes('verb="LIST"') && l.includes('scope="namespace"'))
      .map((l) => /le="([^"]+)"/.exec(l)![1]);
    expect(les).toEqual(['0.005', '0.025', '0.05', '0.1', '0.2', '0.4', '0.6', '0.8', '1', '1.25', '1.5', '2', '3', '4', '5', '6', '8', '10', '15', '20', '30', '45', '60', '+Inf']);
  });

  it('records health roots as kube instruments them, and leaves out what kube does not count', async () => {
    const { text } = await scrape(a.base);
    const health = { verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: '/healthz', scope: '', component: '', code: '200' };
    expect(sample(text, 'apiserver_request_total', health)).toBe(1);
    expect(sample(text, 'apiserver_request_total', { ...health, subresource: '/readyz' })).toBe(1);
    expect(text).not.toContain('subresource="/readyz/ping"');
    expect(text).not.toContain('resource="secrets"'); // answered by authorization (403)
    expect(text).not.toContain('resource="foos"'); // no route
    expect(text).not.toContain('/openapi');
    expect(text).not.toContain('subresource="/metrics"');
  });

  it('counts a 403 or 429 a handler answers, like any answer', async () => {
    const { text } = await scrape(a.base);
    const quota = { verb: 'GET', dry_run: '', group: '', version: 'v1', resource: 'resourcequotas', subresource: '', scope: 'resource', component: 'apiserver' };
    expect(sample(text, 'apiserver_request_total', { ...quota, code: '403' })).toBe(1);
  });

  it('counts what the in-flight limit turns away with kube RecordDroppedRequest labels', async () => {
    await call(a.base, 'GET', '/busy');
    const { text } = await scrape(a.base);
    const nonResource = { verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: '', scope: '', component: 'apiserver', code: '429' };
    // /openapi/v2 was dropped; /busy was answered 429 by its handler, which kube does not instrument either.
    expect(sample(text, 'apiserver_request_total', nonResource)).toBe(1);
    expect(sample(text, 'apiserver_request_total', { verb: 'POST', dry_run: '', ...pods, scope: 'resource', component: 'apiserver', code: '429' })).toBe(1);
    // Dropped requests are only counted, as kube does: no latency observed.
    expect(sample(text, 'apiserver_request_duration_seconds_count', { verb: 'POST', dry_run: '', ...pods, scope: 'resource', component: 'apiserver' })).toBeUndefined();
  });

  it('reads the in-flight counts from the callback at scrape time', async () => {
    const { text } = await scrape(a.base);
    expect(sample(text, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' })).toBe(3);
    expect(sample(text, 'apiserver_current_inflight_requests', { request_kind: 'mutating' })).toBe(1);
  });

  it('keeps each server in its own registry, with process metrics in both', async () => {
    const { text } = await scrape(b.base);
    expect(text).not.toContain('resource="pods"');
    expect(sample(text, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' })).toBe(0);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(text).toContain(`\n${name} `);
      expect((await scrape(a.base)).text).toContain(`\n${name} `);
    }
    expect(metricsA.registry).not.toBe(metricsB.registry);
  });

  it('resets the request metrics on DELETE /metrics', async () => {
    await call(b.base, 'GET', '/api/v1/pods');
    expect((await scrape(b.base)).text).toContain('resource="pods"');
    const res = await fetch(`${b.base}/metrics`, { method: 'DELETE' });
    expect(await res.text()).toBe('metrics reset\n');
    const { text } = await scrape(b.base);
    expect(text).not.toContain('resource="pods"');
    expect(text).toContain('\nprocess_cpu_seconds_total ');
  });

  it('owns /metrics only', () => {
    expect(metricsA.ownsPath('/metrics')).toBe(true);
    expect(metricsA.mux.owns('/metrics/')).toBe(false);
    expect(metricsA.ownsPath('/metricsx')).toBe(false);
  });
});

describe('verb cleaning', () => {
  const info = (over: Partial<RequestInfo>): RequestInfo => ({
    isResourceRequest: true, path: '/api/v1/pods', verb: 'list', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1',
    namespace: '', resource: 'pods', subresource: '', name: '', parts: [], ...over,
  });
  const verbOf = (method: string, i: RequestInfo, querystring = '', contentType?: string) =>
    requestLabels({ method, querystring, contentType, info: i, unrouted: false })!.verb;

  it('maps methods as kube cleanVerb does', () => {
    expect(verbOf('HEAD', info({ name: 'p' }))).toBe('GET');
    expect(verbOf('HEAD', info({}))).toBe('LIST');
    expect(verbOf('PUT', info({ name: 'p', verb: 'update' }))).toBe('PUT');
    expect(verbOf('OPTIONS', info({ verb: 'options' }))).toBe('other');
    expect(verbOf('PATCH', info({ name: 'p', verb: 'patch' }), '', 'application/apply-patch+yaml; charset=utf-8')).toBe('PATCH');
    expect(verbOf('GET', info({ verb: 'watch', path: '/api/v1/watch/pods' }))).toBe('WATCH');
    expect(verbOf('POST', info({ name: 'p', subresource: 'exec', verb: 'create' }))).toBe('CONNECT');
    expect(verbOf('GET', info({ name: 'p', subresource: 'status', verb: 'get' }))).toBe('GET');
  });

  it('takes scope from the request info as kube CleanScope does', () => {
    const scopeOf = (i: RequestInfo) => requestLabels({ method: 'GET', querystring: '', contentType: undefined, info: i, unrouted: false })!.scope;
    expect(scopeOf(info({ verb: 'create' }))).toBe('resource');
    expect(scopeOf(info({ namespace: 'ns' }))).toBe('namespace');
    expect(scopeOf(info({ name: 'n', namespace: 'ns' }))).toBe('resource');
    expect(scopeOf(info({}))).toBe('cluster');
  });

  it('cleans dryRun: sorted distinct values, invalid for anything but All', () => {
    const dryRunOf = (q: string) => requestLabels({ method: 'POST', querystring: q, contentType: undefined, info: info({ verb: 'create' }), unrouted: false })!.dry_run;
    expect(dryRunOf('dryRun=All&dryRun=All')).toBe('All');
    expect(dryRunOf('dryRun=all')).toBe('invalid');
    expect(dryRunOf('fieldManager=x')).toBe('');
  });
});
