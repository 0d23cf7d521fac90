// kube's WithPriorityAndFairness (k8s.io/apiserver/pkg/server/filters/priority-and-fairness.go), used
// instead of the max-in-flight filter when --enable-priority-and-fairness is on: each request is
// classified by the first matching FlowSchema (by matchingPrecedence, then name), answered with the
// X-Kubernetes-PF-FlowSchema-UID and -PriorityLevel-UID headers, and then runs, waits in its flow's
// queue, or is rejected with 429, Retry-After and kube's text (as a Status, like the max-in-flight
// filter). Exempt levels never wait. Watches are classified but take no seat (kube holds one only
// while a watch initializes); other long-running requests are not classified at all.
import type { KubeMiddleware } from '../context.js';
import type { InflightCounts } from './flow-control.js';
import { TOO_MANY_REQUESTS_MESSAGE } from './flow-control.js';
import { StatusError, newTooManyRequests } from '../../endpoints/status.js';
import type { APFConfigController, ClassifiedSchema } from '../flowcontrol/config-controller.js';
import { flowDistinguisher, matchesFlowSchema } from '../flowcontrol/matching.js';
import { flowHash } from '../flowcontrol/shuffle-shard.js';
import { DroppedRequestsTracker } from '../flowcontrol/dropped-requests.js';
import type { APFMetrics } from '../flowcontrol/metrics.js';
import type { UserInfo } from '../../auth/user.js';
import type { RequestInfo } from '../request-info.js';

export const FLOW_SCHEMA_UID_HEADER = 'X-Kubernetes-PF-FlowSchema-UID';
export const PRIORITY_LEVEL_UID_HEADER = 'X-Kubernetes-PF-PriorityLevel-UID';

const NON_MUTATING_VERBS = new Set(['get', 'list', 'watch']);

export function classify(controller: APFConfigController, user: UserInfo, info: RequestInfo): ClassifiedSchema | undefined {
  for (const schema of controller.schemas) if (matchesFlowSchema(user, info, schema.spec)) return schema;
  // Nothing matched (a catch-all that was edited away): kube falls back to catch-all.
  return controller.schemas.find((s) => s.name === 'catch-all');
}

export interface PriorityAndFairness {
  middleware: KubeMiddleware;
  inflight(): InflightCounts;
}

export function createPriorityAndFairnessFilter(controller: APFConfigController, metrics: APFMetrics, waitLimitMs: number): PriorityAndFairness {
  const dropped = new DroppedRequestsTracker();
  const counts: InflightCounts = { readOnly: 0, mutating: 0 };

  const middleware: KubeMiddleware = async (ctx, next) => {
    const info = ctx.state.requestInfo;
    const user = ctx.state.user;
    if (!info || !user) throw new StatusError(500, 'InternalError', `Internal Server Error: ${JSON.stringify(ctx.url)}`);
    const isWatch = info.verb === 'watch';
    if (ctx.state.longRunning && !isWatch) return next();
    const schema = classify(controller, user, info);
    if (!schema) return next();
    const level = schema.level;
    ctx.set(PRIORITY_LEVEL_UID_HEADER, level.uid);
    ctx.set(FLOW_SCHEMA_UID_HEADER, schema.uid);
    const labels = { priority_level: level.name, flow_schema: schema.name };
    const kind: keyof InflightCounts = NON_MUTATING_VERBS.has(info.verb) ? 'readOnly' : 'mutating';

    const run = async (release?: () => void) => {
      metrics.dispatched.inc(labels);
      metrics.executing.inc(labels);
      if (!isWatch) counts[kind]++;
      try {
        await next();
      } finally {
        if (!isWatch) counts[kind]--;
        metrics.executing.dec(labels);
        release?.();
      }
    };
    if (level.exempt || !level.queueSet || isWatch) return run();

    const started = performance.now();
    const gone = new AbortController();
    const onClose = () => {
      if (!ctx.res.writableFinished) gone.abort();
    };
    ctx.res.once('close', onClose);
    metrics.inQueue.inc(labels);
    let admission;
    try {
      admission = await level.queueSet.acquire(flowHash(schema.name, flowDistinguisher(schema.spec, user, info)), waitLimitMs, gone.signal);
    } finally {
      metrics.inQueue.dec(labels);
      ctx.res.off('close', onClose);
    }
    metrics.waitDuration.observe({ ...labels, execute: String(admission.admitted) }, (performance.now() - started) / 1000);
    if (!admission.admitted) {
      metrics.rejected.inc({ ...labels, reason: admission.reason });
      dropped.record(level.name);
      throw newTooManyRequests(TOO_MANY_REQUESTS_MESSAGE, dropped.retryAfter(level.name));
    }
    return run(admission.release);
  };
  return { middleware, inflight: () => ({ ...counts }) };
}
