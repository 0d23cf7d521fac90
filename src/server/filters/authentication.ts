// kube's WithAuthentication: the user goes on the context; no user, or a bad credential, is a 401.
import type { Logger } from 'pino';
import type { KubeMiddleware } from '../context.js';
import type { Authenticator } from '../../auth/authenticator.js';
import { newUnauthorized } from '../../endpoints/status.js';

export function createAuthenticationFilter(authenticator: Authenticator, logger?: Logger): KubeMiddleware {
  return async function authentication(ctx, next) {
    let result;
    try {
      result = await authenticator.authenticate(ctx.req);
    } catch (err) {
      logger?.debug({ err: (err as Error).message, path: ctx.path }, 'Unable to authenticate the request');
      throw newUnauthorized();
    }
    if (!result) throw newUnauthorized();
    ctx.state.user = result.user;
    return next();
  };
}
