// kube's WithAudit (k8s.io/apiserver/pkg/endpoints/filters/audit.go), placed after authentication and
// before impersonation: the policy picks the request's level from the authenticated user and the
// request info; the event goes to the backend at RequestReceived, at ResponseStarted for long-running
// requests (when their headers go out), at ResponseComplete, or at Panic when a handler fails with
// something that is not an intended answer. Without a policy (or a backend) nothing is audited.
import type { KubeContext, KubeMiddleware } from '../context.js';
import { authorizationAttributes } from './authorization.js';
import { isStatusError } from '../../endpoints/status.js';
import { StorageError } from '../../storage/interface.js';
import { storageErrorToStatus } from '../../storage/errors.js';
import type { PolicyRuleEvaluator } from '../../audit/policy-evaluator.js';
import { AUDIT_API_VERSION, type AuditBackend, type AuditEvent, type Level, type ObjectReference } from '../../audit/types.js';
import { RequestAudit, auditUser } from '../../audit/request-audit.js';
import { formatMicroTime, wallClockMs } from '../../audit/micro-time.js';
import { sourceIPs } from '../../audit/source-ips.js';
import type { AuthorizationAttributes } from '../../auth/authorizer.js';

const MAX_USER_AGENT_LENGTH = 1024;

function newEvent(ctx: KubeContext, attrs: AuthorizationAttributes, level: Level): AuditEvent {
  const received = formatMicroTime(wallClockMs(ctx.state.startTime ?? performance.now()));
  let userAgent = ctx.get('user-agent');
  if (userAgent.length > MAX_USER_AGENT_LENGTH) userAgent = `${userAgent.slice(0, MAX_USER_AGENT_LENGTH)}...TRUNCATED`;
  const event: AuditEvent = {
    kind: 'Event',
    apiVersion: AUDIT_API_VERSION,
    level,
    auditID: ctx.state.auditID,
    stage: 'RequestReceived',
    requestURI: ctx.originalUrl,
    verb: attrs.verb,
    user: attrs.user ? auditUser(attrs.user) : {},
    sourceIPs: sourceIPs(ctx.req),
    userAgent: userAgent || undefined,
    requestReceivedTimestamp: received,
    stageTimestamp: received,
  };
  if (attrs.isResourceRequest) {
    const ref: ObjectReference = {};
    if (attrs.resource) ref.resource = attrs.resource;
    if (attrs.namespace) ref.namespace = attrs.namespace;
    if (attrs.name) ref.name = attrs.name;
    if (attrs.apiGroup) ref.apiGroup = attrs.apiGroup;
    if (attrs.apiVersion) ref.apiVersion = attrs.apiVersion;
    if (attrs.subresource) ref.subresource = attrs.subresource;
    event.objectRef = ref;
  }
  return event;
}

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

export function createAuditFilter(evaluate: PolicyRuleEvaluator, backend: AuditBackend): KubeMiddleware {
  return async function audit(ctx, next) {
    const attrs = authorizationAttributes(ctx.state.user, ctx.state.requestInfo);
    const config = evaluate(attrs);
    if (config.level === 'None') return next();
    const audit = new RequestAudit(newEvent(ctx, attrs, config.level), config, backend);
    ctx.state.audit = audit;
    audit.processStage('RequestReceived');
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
