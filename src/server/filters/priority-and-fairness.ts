// kube's WithPriorityAndFairness (k8s.io/apiserver/pkg/server/filters/priority-and-fairness.go), used
// instead of the max-in-flight filter when --enable-priority-and-fairness is on: each request is
// classified by the first matching FlowSchema (by matchingPrecedence, then name), answered with the
// X-Kubernetes-PF-FlowSchema-UID and -PriorityLevel-UID headers, its work estimated in seats, and then
// runs, waits in its flow's queue, or is rejected with 429, Retry-After and kube's text (as a Status,
// like the max-in-flight filter). Exempt levels never wait. A watch holds its seats only while it
// initializes: until its handler has sent the initial events (ctx.state.watchInitialized) or ends;
// it is then counted among the watches a change will reach. Other long-running requests are not
// classified at all.
import type { KubeContext, KubeMiddleware } from '../context.js';
import type { InflightCounts } from './flow-control.js';
import { TOO_MANY_REQUESTS_MESSAGE } from './flow-control.js';
import { StatusError, newTooManyRequests } from '../../endpoints/status.js';
import type { APFConfigController, ClassifiedSchema } from '../flowcontrol/config-controller.js';
import { flowDistinguisher, matchesFlowSchema } from '../flowcontrol/matching.js';
import { flowHash } from '../flowcontrol/shuffle-shard.js';
import { DroppedRequestsTracker } from '../flowcontrol/dropped-requests.js';
import type { APFMetrics } from '../flowcontrol/metrics.js';
import type { Admission, CancelWatch } from '../flowcontrol/queue-set.js';
import { maxSeatsOf, type WorkEstimator } from '../flowcontrol/work-estimator.js';
import type { WatchTracker } from '../flowcontrol/watch-tracker.js';
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

export interface PriorityAndFairnessDeps {
  controller: APFConfigController;
  metrics: APFMetrics;
  waitLimitMs: number;
  estimator: WorkEstimator;
  watches: WatchTracker;
}

export function createPriorityAndFairnessFilter({ controller, metrics, waitLimitMs, estimator, watches }: PriorityAndFairnessDeps): PriorityAndFairness {
  const dropped = new DroppedRequestsTracker();
  const counts: InflightCounts = { readOnly: 0, mutating: 0 };
  // SHA-256 of a flow's name, once per flow (bounded).
  const hashes = new Map<string, bigint>();
  const hashOf = (schema: string, distinguisher: string) => () => {
    const key = `${schema}\0${distinguisher}`;
    let hash = hashes.get(key);
    if (hash === undefined) {
      if (hashes.size >= 10_000) hashes.clear();
      hash = flowHash(schema, distinguisher);
      hashes.set(key, hash);
    }
    return hash;
  };

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
    const flow = metrics.forFlow(level.name, schema.name);
    const kind: keyof InflightCounts = NON_MUTATING_VERBS.has(info.verb) ? 'readOnly' : 'mutating';
    const estimate = estimator.estimate(info, (name) => queryParam(ctx, name), level.maxSeats);
    flow.estimatedSeats(maxSeatsOf(estimate));
    // kube tells flows apart only where there are queues to deal.
    const queues = level.exempt ? 0 : (level.queueSet.queues);
    const distinguisher = queues > 1 ? flowDistinguisher(schema.spec, user, info) : '';
    const started = level.exempt ? 0 : performance.now();

    let admission: Admission | Promise<Admission> = level.queueSet.acquire(
      { flowSchema: schema.name, distinguisher, hash: hashOf(schema.name, distinguisher), estimate, userName: user.name, info },
      waitLimitMs,
      clientGone(ctx),
    );
    if (admission instanceof Promise) {
      flow.inQueue.inc();
      try {
        admission = await admission;
      } finally {
        flow.inQueue.dec();
      }
    }
    if (!level.exempt) flow.waited(admission.admitted, (performance.now() - started) / 1000);
    if (!admission.admitted) {
      metrics.rejected.inc({ priority_level: level.name, flow_schema: schema.name, reason: admission.reason });
      dropped.record(level.name);
      throw newTooManyRequests(TOO_MANY_REQUESTS_MESSAGE, dropped.retryAfter(level.name));
    }

    const release = admission.release;
    flow.dispatched.inc();
    flow.executing.inc();
    counts[kind]++;
    let running = true;
    const done = () => {
      if (!running) return;
      running = false;
      counts[kind]--;
      flow.executing.dec();
      release();
    };
    let forgetWatch: (() => void) | undefined;
    if (isWatch) {
      forgetWatch = watches.register(info, queryParam(ctx, 'fieldSelector'));
      ctx.state.watchInitialized = done;
    }
    try {
      await next();
    } finally {
      done();
      forgetWatch?.();
    }
  };
  return { middleware, inflight: () => ({ ...counts }) };
}

/** A query parameter's first value (Go's url.Values.Get). */
function queryParam(ctx: KubeContext, name: string): string | undefined {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Leaves the queue when the client closes its connection before the response was sent. */
function clientGone(ctx: KubeContext): CancelWatch {
  return (cancel) => {
    const onClose = () => {
      if (!ctx.res.writableFinished) cancel();
    };
    ctx.res.once('close', onClose);
    return () => ctx.res.off('close', onClose);
  };
}
