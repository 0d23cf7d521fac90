// kube's WithTimeoutForNonLongRunningRequests: a request that has not finished in time gets a 504
// Status; its handler's late answer is dropped. The `timeout` query parameter may shorten the limit.
import type { KubeMiddleware } from '../context.js';
import { newTimeout } from '../../endpoints/status.js';
import { parseGoDuration } from '../../endpoints/go-duration.js';

export const TIMEOUT_MESSAGE = 'request did not complete within requested timeout - context deadline exceeded';

export function createTimeoutFilter(defaultSeconds: number): KubeMiddleware {
  const timeoutBody = JSON.stringify(newTimeout(TIMEOUT_MESSAGE, 0).status);
  return function timeout(ctx, next) {
    if (ctx.state.longRunning || defaultSeconds <= 0) return next();
    let ms = defaultSeconds * 1000;
    const param = ctx.query.timeout;
    if (typeof param === 'string' && param !== '') {
      const requested = parseGoDuration(param);
      // kube ignores an unparseable timeout (and logs it); a valid one only ever shortens the limit.
      if (requested !== undefined && requested > 0 && requested < ms) ms = requested;
    }
    // The 504 is written straight to the socket; Koa then finds the response ended and drops the
    // handler's late answer. No promise race: this runs on every request.
    const res = ctx.res;
    const timer = setTimeout(() => {
      if (res.headersSent || res.writableEnded) return;
      ctx.state.timedOut = true;
      res.writeHead(504, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(timeoutBody), 'Audit-Id': ctx.state.auditID });
      res.end(timeoutBody);
    }, ms);
    return next().finally(() => clearTimeout(timer));
  };
}
