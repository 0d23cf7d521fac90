// kube's WithAudit (k8s.io/apiserver/pkg/endpoints/filters/audit.go), placed after authentication and
// before impersonation: the policy picks the request's level from the authenticated user and the
// request info; the event goes to the backend at RequestReceived, at ResponseStarted for long-running
// requests (when their headers go out), at ResponseComplete, or at Panic when a handler fails with
// something that is not an intended answer. Without a policy (or a backend) nothing is audited.
// A RequestReceived event the backend cannot record (only in --audit-log-mode=blocking-strict) refuses
// the request with kube's plain-text 500.
import type { KubeContext, KubeMiddleware } from '../context.js';
import { authorizationAttributes } from './authorization.js';
import { isStatusError } from '../../endpoints/status.js';
import { StorageError } from '../../storage/interface.js';
import { storageErrorToStatus } from '../../storage/errors.js';
import type { PolicyRuleEvaluator } from '../../audit/policy-evaluator.js';
import type { AuditBackend } from '../../audit/types.js';
import { RequestAudit } from '../../audit/request-audit.js';
import { newEvent } from '../../audit/request-metadata.js';
import type { AuditMetrics } from '../../audit/metrics.js';

/** Emits ResponseStarted once for a long-running request: when its headers go out, or when asked to. */
function watchResponseStart(ctx: KubeContext, audit: RequestAudit): () => void {
  const res = ctx.res;
  let started = false;
  const start = (code?: number) => {
    if (started) return;
    started = true;
    if (code !== undefined) audit.setResponseCode(code);
    audit.processStage('ResponseStarted');
  };
  const original = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
    start(args[0]);
    return original.apply(this, args);
  } as typeof res.writeHead;
  return () => start();
}

/** responsewriters.InternalError: plain text, the request URI quoted, HTML metacharacters escaped. */
function internalError(ctx: KubeContext, message: string): void {
  ctx.status = 500;
  ctx.set('Content-Type', 'text/plain; charset=utf-8');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = `Internal Server Error: ${JSON.stringify(ctx.originalUrl)}: ${message}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') + '\n';
}

export function createAuditFilter(evaluate: PolicyRuleEvaluator, backend: AuditBackend, metrics?: AuditMetrics): KubeMiddleware {
  return async function audit(ctx, next) {
    const attrs = authorizationAttributes(ctx.state.user, ctx.state.requestInfo);
    const config = evaluate(attrs);
    metrics?.observePolicyLevel(config.level);
    if (config.level === 'None') return next();
    const audit = new RequestAudit(newEvent(ctx, attrs, config.level), config, backend, metrics);
    ctx.state.audit = audit;
    for (const [key, value] of Object.entries(ctx.state.authenticationAuditAnnotations ?? {})) audit.addAnnotation(key, value);
    if (!audit.processStage('RequestReceived')) {
      metrics?.requestRejected();
      return internalError(ctx, 'failed to store audit event');
    }
    const longRunning = ctx.state.longRunning === true;
    const ensureStarted = longRunning ? watchResponseStart(ctx, audit) : () => undefined;
    try {
      await next();
    } catch (err) {
      const status = isStatusError(err) ? err.status : err instanceof StorageError ? storageErrorToStatus(err, { group: '', resource: '' }, '').status : undefined;
      if (!status) {
        audit.setResponseStatus({ code: 500, status: 'Failure', reason: 'InternalError', message: `APIServer panic'd: ${(err as Error)?.message ?? String(err)}` });
        audit.processStage('Panic');
        throw err;
      }
      // The Status is written further out (panic recovery); it is this request's answer all the same.
      audit.logResponseObject(status);
      ensureStarted();
      audit.processStage('ResponseComplete');
      throw err;
    }
    if (!audit.event.responseStatus) {
      const code = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      if (ctx.respond === false && !ctx.res.headersSent) {
        // kube's fakedSuccessStatus: nothing was written.
        audit.setResponseStatus({ code: 200, status: 'Success', message: 'Connection closed early' });
        ensureStarted();
      } else audit.setResponseCode(code);
    } else if (!audit.event.responseStatus.code) audit.setResponseCode(ctx.respond === false ? ctx.res.statusCode : ctx.status);
    audit.processStage('ResponseComplete');
  };
}
