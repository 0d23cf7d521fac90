// kube's max-in-flight filter: separate limits for read-only (get, list, watch) and mutating
// requests; long-running requests are not counted; system:masters is never turned away. Over the
// limit: 429 with Retry-After (a Status here; kube writes plain text).
import type { KubeMiddleware } from '../context.js';
import type { ServerOptions } from '../options.js';
import { newTooManyRequests } from '../../endpoints/status.js';
import { MASTERS_GROUP } from '../../auth/user.js';

const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);
export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.';

export interface FlowControl {
  middleware: KubeMiddleware;
  inflight(): { readOnly: number; mutating: number };
}

export function createFlowControlFilter(options: Pick<ServerOptions, 'maxRequestsInflight' | 'maxMutatingRequestsInflight'>): FlowControl {
  const counts = { readOnly: 0, mutating: 0 };
  const limits = { readOnly: options.maxRequestsInflight, mutating: options.maxMutatingRequestsInflight };
  const middleware: KubeMiddleware = async (ctx, next) => {
    if (ctx.state.longRunning) return next();
    const kind = READ_ONLY_VERBS.has(ctx.state.requestInfo.verb) ? 'readOnly' : 'mutating';
    const limit = limits[kind];
    if (limit <= 0) return next();
    if (counts[kind] >= limit && !ctx.state.user?.groups.includes(MASTERS_GROUP)) {
      throw newTooManyRequests(TOO_MANY_REQUESTS_MESSAGE, 1);
    }
    counts[kind]++;
    try {
      await next();
    } finally {
      counts[kind]--;
    }
  };
  return { middleware, inflight: () => ({ ...counts }) };
}
