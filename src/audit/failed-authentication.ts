// kube's WithFailedAuthenticationAudit (k8s.io/apiserver/pkg/endpoints/filters/authn_audit.go): a request
// that fails authentication never reaches the audit filter, so the 401 is audited here. The policy is
// evaluated without a user (rules naming users or groups do not match); when the level is not None, one
// event is written at stage ResponseStarted (skipped when the rule omits that stage) with the empty
// user and a responseStatus of code 401 whose message names the credentials the client tried.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KubeContext } from '../server/context.js';
import { authorizationAttributes } from '../server/filters/authorization.js';
import type { PolicyRuleEvaluator } from './policy-evaluator.js';
import type { AuditMetrics } from './metrics.js';
import type { AuditBackend } from './types.js';
import { RequestAudit } from './request-audit.js';
import { newEvent } from './request-metadata.js';

/** Go's Request.BasicAuth: "Basic " (any case) and base64 of "user:password". */
function hasBasicAuth(authorization: string): boolean {
  if (authorization.length < 6 || authorization.slice(0, 6).toLowerCase() !== 'basic ') return false;
  const encoded = authorization.slice(6);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return false;
  return Buffer.from(encoded, 'base64').toString('latin1').includes(':');
}

function presentedCertificate(req: IncomingMessage): boolean {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return false;
  const cert = socket.getPeerCertificate();
  return cert !== null && typeof cert === 'object' && Object.keys(cert).length > 0;
}

/** getAuthMethods: the kinds of credentials the request carried, in kube's order and words. */
export function authenticationFailureMessage(req: IncomingMessage, query: URLSearchParams): string {
  const methods: string[] = [];
  const header = req.headers.authorization ?? '';
  if (hasBasicAuth(header)) methods.push('basic');
  const parts = header.trim().split(' ');
  if (parts.length > 1 && parts[0].toLowerCase() === 'bearer') methods.push('bearer');
  if ((query.get('access_token') ?? '').trim()) methods.push('access_token');
  if (presentedCertificate(req)) methods.push('x509');
  return methods.length > 0 ? `Authentication failed, attempted: ${methods.join(', ')}` : 'Authentication failed, no credentials provided';
}

export function createFailedAuthenticationAudit(evaluate: PolicyRuleEvaluator, backend: AuditBackend, metrics: AuditMetrics): (ctx: KubeContext) => void {
  return (ctx) => {
    const attrs = { ...authorizationAttributes(ctx.state.user, ctx.state.requestInfo), user: undefined };
    const config = evaluate(attrs);
    metrics.observePolicyLevel(config.level);
    if (config.level === 'None') return;
    const audit = new RequestAudit(newEvent(ctx, attrs, config.level), config, backend, metrics);
    audit.setResponseStatus({ message: authenticationFailureMessage(ctx.req, new URLSearchParams(ctx.querystring)) });
    audit.setResponseCode(401);
    audit.processStage('ResponseStarted');
  };
}
