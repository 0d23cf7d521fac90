// Refuses a request whose declared body is over kube's limit (3 MiB) before anything reads it.
// Bodies without a Content-Length (chunked) are bounded while read: see endpoints/read-body.ts.
import type { KubeMiddleware } from '../context.js';
import { newRequestEntityTooLarge } from '../../endpoints/status.js';

export function createBodyLimitFilter(limitBytes: number): KubeMiddleware {
  return async function bodyLimit(ctx, next) {
    const declared = ctx.get('content-length');
    if (declared && Number(declared) > limitBytes) {
      // The client is still sending: close the connection after answering so its body is not read.
      ctx.set('Connection', 'close');
      throw newRequestEntityTooLarge(`limit is ${limitBytes}`);
    }
    return next();
  };
}
