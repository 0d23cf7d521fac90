// kube's WithTimeoutForNonLongRunningRequests: a request that has not finished in time gets a 504
// Status; its handler's late answer is dropped. The `timeout` query parameter may shorten the limit.
import type { KubeMiddleware } from '../context.js';
import { newTimeout } from '../../endpoints/status.js';
import { writeStatusError } from '../../endpoints/write-status.js';
import { parseGoDuration } from '../../endpoints/go-duration.js';

export const TIMEOUT_MESSAGE = 'request did not complete within requested timeout - context deadline exceeded';

export function createTimeoutFilter(defaultSeconds: number): KubeMiddleware {
  return async function timeout(ctx, next) {
    if (ctx.state.longRunning || defaultSeconds <= 0) return next();
    let ms = defaultSeconds * 1000;
    const param = ctx.query.timeout;
    if (typeof param === 'string' && param !== '') {
      const requested = parseGoDuration(param);
      // kube ignores an unparseable timeout (and logs it); a valid one only ever shortens the limit.
      if (requested !== undefined && requested > 0 && requested < ms) ms = requested;
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    try {
      const handled = next().then(() => 'done' as const);
      const winner = await Promise.race([handled, expired]);
      if (winner === 'timeout') {
        handled.catch(() => undefined); // the handler's late failure has nobody to answer
        ctx.state.timedOut = true;
        writeStatusError(ctx, newTimeout(TIMEOUT_MESSAGE, 0));
      }
    } finally {
      clearTimeout(timer);
    }
  };
}
