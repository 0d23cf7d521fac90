// An event as kube's audit.k8s.io/v1 JSON encoder writes it: fields in the Go struct's order, empty
// ones left out.
import { escapeHtml } from '../endpoints/table/jsonpath.js';
import type { AuditEvent, AuditUserInfo, ObjectReference, ResponseStatus } from './types.js';

type Json = Record<string, unknown>;

function put(out: Json, key: string, value: unknown): void {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
  out[key] = value;
}

function user(u: AuditUserInfo): Json {
  const out: Json = {};
  put(out, 'username', u.username);
  put(out, 'uid', u.uid);
  put(out, 'groups', u.groups);
  if (u.extra && Object.keys(u.extra).length > 0) out.extra = u.extra;
  return out;
}

function objectRef(ref: ObjectReference): Json {
  const out: Json = {};
  for (const key of ['resource', 'namespace', 'name', 'uid', 'apiGroup', 'apiVersion', 'resourceVersion', 'subresource'] as const) put(out, key, ref[key]);
  return out;
}

function responseStatus(status: ResponseStatus): Json {
  const out: Json = { metadata: {} };
  put(out, 'status', status.status);
  put(out, 'message', status.message);
  put(out, 'reason', status.reason);
  if (status.details) out.details = status.details;
  if (status.code) out.code = status.code;
  return out;
}

export function orderedEvent(e: AuditEvent): Json {
  const out: Json = { kind: 'Event', apiVersion: e.apiVersion, level: e.level, auditID: e.auditID, stage: e.stage, requestURI: e.requestURI, verb: e.verb, user: user(e.user) };
  if (e.impersonatedUser) out.impersonatedUser = user(e.impersonatedUser);
  put(out, 'sourceIPs', e.sourceIPs);
  put(out, 'userAgent', e.userAgent);
  if (e.objectRef) out.objectRef = objectRef(e.objectRef);
  if (e.responseStatus) out.responseStatus = responseStatus(e.responseStatus);
  if (e.requestObject !== undefined) out.requestObject = e.requestObject;
  if (e.responseObject !== undefined) out.responseObject = e.responseObject;
  out.requestReceivedTimestamp = e.requestReceivedTimestamp;
  out.stageTimestamp = e.stageTimestamp;
  if (e.annotations && Object.keys(e.annotations).length > 0) out.annotations = e.annotations;
  return out;
}

/** One line of the JSON log format. */
export function encodeEventLine(e: AuditEvent): string {
  // Go's encoder escapes <, > and & (as the REST responses do).
  return `${escapeHtml(JSON.stringify(orderedEvent(e)))}\n`;
}

/** The body a webhook receives: an audit.k8s.io/v1 EventList. */
export function encodeEventList(events: AuditEvent[]): string {
  return escapeHtml(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: events.map(orderedEvent) }));
}
