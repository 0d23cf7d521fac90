// kube's LogRequestMetadata: a new event with what is known before the handler runs — the request,
// its level, the authenticated user (none when authentication failed), source IPs, user agent and,
// for resource requests, the object reference.
import type { KubeContext } from '../server/context.js';
import type { AuditAttributes } from './policy-evaluator.js';
import { AUDIT_API_VERSION, type AuditEvent, type Level, type ObjectReference } from './types.js';
import { auditUser } from './request-audit.js';
import { formatMicroTime, wallClockMs } from './micro-time.js';
import { sourceIPs } from './source-ips.js';

const MAX_USER_AGENT_LENGTH = 1024;

export function newEvent(ctx: KubeContext, attrs: AuditAttributes, level: Level): AuditEvent {
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
