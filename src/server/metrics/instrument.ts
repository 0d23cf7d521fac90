// Records requests in the request metrics once their response is over: status and size are then
// final and a watch's duration is its whole life, as kube measures it.
//
// Where they go in the handler chain, as in kube-apiserver:
// - `instrument` wraps the handlers: place it right before the server chain (after authorization), so
//   requests the authentication and authorization filters answer (401, 403) are not counted, as kube
//   does not count them; that also keeps unauthenticated clients from minting label values.
// - `droppedRecorder` goes right outside the in-flight limit: it counts what the limit turns away
//   (429), as kube's max-in-flight filter does with RecordDroppedRequest.
import type { ServerResponse } from 'node:http';
import type { KubeContext, KubeMiddleware } from '../context.js';
import { isStatusError } from '../../endpoints/status.js';
import type { RequestMetrics } from './request-metrics.js';
import { requestLabels, reportedVerb, cleanScope, droppedRequestLabels, APISERVER_COMPONENT, type LabelledRequest } from './request-labels.js';

export interface Instrumentation {
  instrument: KubeMiddleware;
  droppedRecorder: KubeMiddleware;
}

export function createInstrumentation(metrics: RequestMetrics): Instrumentation {
  // Requests the instrument saw: a 429 from a handler is the handler's, not the limit's.
  const instrumented = new WeakSet<KubeContext>();

  const instrument: KubeMiddleware = (ctx, next) => {
    instrumented.add(ctx);
    const fallbackStart = performance.now();
    const endLongRunning = trackLongRunning(ctx, metrics);
    ctx.res.once('close', () => {
      endLongRunning?.();
      record(ctx, metrics, fallbackStart);
    });
    return next();
  };

  const droppedRecorder: KubeMiddleware = async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isStatusError(err) && err.code === 429 && !instrumented.has(ctx)) recordDropped(ctx, metrics);
      throw err;
    }
    if (ctx.status === 429 && !instrumented.has(ctx)) recordDropped(ctx, metrics);
  };

  return { instrument, droppedRecorder };
}

function labelledRequest(ctx: KubeContext): LabelledRequest {
  const method = ctx.method;
  return {
    method,
    querystring: ctx.querystring,
    contentType: method === 'PATCH' ? ctx.get('Content-Type') : undefined,
    info: ctx.state.requestInfo,
  };
}

function record(ctx: KubeContext, metrics: RequestMetrics, fallbackStart: number): void {
  const res = ctx.res;
  const labels = requestLabels({ ...labelledRequest(ctx), unrouted: ctx.state.unrouted === true });
  if (!labels) return;
  // A response cut off before its headers has no status: kube's recorder reports 0 then too.
  const code = res.headersSent ? res.statusCode : 0;
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

function recordDropped(ctx: KubeContext, metrics: RequestMetrics): void {
  metrics.requestTotal.inc({ ...droppedRequestLabels(labelledRequest(ctx)), code: '429' });
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
