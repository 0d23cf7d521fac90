// Records every request in the request metrics once its response is over: status and size are then
// final (whatever filter wrote them) and a watch's duration is its whole life, as kube measures it.
// It must run after the request-info filter (it reads ctx.state.requestInfo and longRunning).
import type { ServerResponse } from 'node:http';
import type { KubeContext, KubeMiddleware } from '../context.js';
import type { RequestMetrics } from './request-metrics.js';
import { requestLabels, reportedVerb, cleanScope, APISERVER_COMPONENT } from './request-labels.js';

export function createInstrument(metrics: RequestMetrics): KubeMiddleware {
  return function instrument(ctx, next) {
    const fallbackStart = performance.now();
    const endLongRunning = trackLongRunning(ctx, metrics);
    ctx.res.once('close', () => {
      endLongRunning?.();
      record(ctx, metrics, fallbackStart);
    });
    return next();
  };
}

function record(ctx: KubeContext, metrics: RequestMetrics, fallbackStart: number): void {
  const res = ctx.res;
  const method = ctx.method;
  const code = res.headersSent ? res.statusCode : 0;
  const labels = requestLabels({
    method,
    querystring: ctx.querystring,
    contentType: method === 'PATCH' ? ctx.get('Content-Type') : undefined,
    info: ctx.state.requestInfo,
    code,
    unrouted: ctx.state.unrouted === true,
  });
  if (!labels) return;
  const start = typeof ctx.state.startTime === 'number' ? ctx.state.startTime : fallbackStart;
  metrics.requestTotal.inc({ ...labels, code: String(code) });
  metrics.requestDuration.observe(labels, (performance.now() - start) / 1000);
  // kube records the sizes of reads only.
  if (labels.verb === 'GET' || labels.verb === 'LIST') {
    const size = contentLength(res);
    if (size !== undefined) {
      const { dry_run: _dryRun, ...sizeLabels } = labels;
      metrics.responseSizes.observe(sizeLabels, size);
    }
  }
}

/** Streams (chunked bodies) have no known size; everything Koa serializes carries Content-Length. */
function contentLength(res: ServerResponse): number | undefined {
  const header = res.getHeader('content-length');
  if (header === undefined) return undefined;
  const n = typeof header === 'number' ? header : Number(header);
  return Number.isFinite(n) ? n : undefined;
}

/** apiserver_longrunning_requests: up while a long-running resource request (a watch) is open. */
function trackLongRunning(ctx: KubeContext, metrics: RequestMetrics): (() => void) | undefined {
  const info = ctx.state.requestInfo;
  if (!ctx.state.longRunning || !info?.isResourceRequest) return undefined;
  const scope = cleanScope(info);
  const gauge = metrics.longRunning.labels({
    verb: reportedVerb({ method: ctx.method, querystring: ctx.querystring, contentType: undefined, info }, scope),
    group: info.apiGroup,
    version: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    scope,
    component: APISERVER_COMPONENT,
  });
  gauge.inc();
  return () => gauge.dec();
}
