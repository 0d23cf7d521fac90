// kube's WithAuthentication: the user goes on the context; no user, or a credential that fails, is a
// 401 with kube's Status. Once authenticated, the credentials and the front proxy's identity headers
// are removed from the request so that nothing behind this filter can reuse or trust them. A failure
// is audited first (kube's WithFailedAuthenticationAudit wraps the failed handler), when audit is on.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { KubeContext, KubeMiddleware } from '../context.js';
import type { Authenticator } from '../../auth/authenticator.js';
import { newUnauthorized } from '../../endpoints/status.js';
import { addWarning } from '../../endpoints/warnings.js';
import { takeRequestWarnings } from '../../auth/request-warnings.js';

/** kube's standard front-proxy headers (X-Remote-User, X-Remote-Uid, X-Remote-Group, X-Remote-Extra-*). */
const FRONT_PROXY_HEADERS = new Set(['x-remote-user', 'x-remote-uid', 'x-remote-group']);
const FRONT_PROXY_EXTRA_PREFIX = 'x-remote-extra-';

/** Headers a configured front proxy uses beyond the standard ones (--requestheader-*-headers), lower case. */
export interface ProxyHeaders {
  names: string[];
  prefixes: string[];
}

function strippedHeaderTest(custom: ProxyHeaders): (name: string) => boolean {
  const names = new Set(custom.names);
  return (name) => {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || FRONT_PROXY_HEADERS.has(lower) || lower.startsWith(FRONT_PROXY_EXTRA_PREFIX)) return true;
    return names.has(lower) || custom.prefixes.some((p) => lower.startsWith(p));
  };
}

function stripCredentials(req: IncomingMessage, isStrippedHeader: (name: string) => boolean): void {
  for (const name of Object.keys(req.headers)) if (isStrippedHeader(name)) delete req.headers[name];
  if (!req.rawHeaders.some((value, i) => i % 2 === 0 && isStrippedHeader(value))) return;
  const kept: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (!isStrippedHeader(req.rawHeaders[i])) kept.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  req.rawHeaders = kept;
}

/** kube's audiencesAreAcceptable: no audiences on either side, or at least one in common. */
export function audiencesAreAcceptable(apiAudiences: string[], responseAudiences: string[] | undefined): boolean {
  if (apiAudiences.length === 0 || !responseAudiences || responseAudiences.length === 0) return true;
  return responseAudiences.some((a) => apiAudiences.includes(a));
}

export function createAuthenticationFilter(
  authenticator: Authenticator,
  logger?: Logger,
  apiAudiences: string[] = [],
  proxyHeaders: ProxyHeaders = { names: [], prefixes: [] },
  auditFailure: (ctx: KubeContext) => void = () => undefined,
): KubeMiddleware {
  const isStrippedHeader = strippedHeaderTest(proxyHeaders);
  const unauthorized = (ctx: KubeContext) => {
    auditFailure(ctx);
    return newUnauthorized('Unauthorized');
  };
  return async function authentication(ctx, next) {
    let result;
    try {
      result = await authenticator.authenticate(ctx.req);
    } catch (err) {
      logger?.debug({ err: (err as Error).message, path: ctx.path }, 'Unable to authenticate the request');
      result = null;
    } finally {
      for (const warning of takeRequestWarnings(ctx.req)) addWarning(ctx, warning);
    }
    if (!result) throw unauthorized(ctx);
    if (!audiencesAreAcceptable(apiAudiences, result.audiences)) {
      logger?.debug({ audiences: result.audiences, accepted: apiAudiences }, 'unable to match the audience');
      throw unauthorized(ctx);
    }
    stripCredentials(ctx.req, isStrippedHeader);
    for (const warning of result.warnings ?? []) addWarning(ctx, warning);
    if (result.auditAnnotations) ctx.state.authenticationAuditAnnotations = result.auditAnnotations;
    ctx.state.user = result.user;
    return next();
  };
}
