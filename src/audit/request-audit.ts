// One request's audit event (kube's AuditContext): built by the audit filter, filled in by the parts
// of the chain that learn something (impersonation, authorization, the REST handlers), and handed to
// the backend once per stage.
import type { KubeContext } from '../server/context.js';
import type { Status } from '../endpoints/status.js';
import type { UserInfo } from '../auth/user.js';
import { levelAtLeast, type AuditBackend, type AuditEvent, type AuditUserInfo, type RequestAuditConfig, type ResponseStatus, type Stage } from './types.js';
import { formatMicroTime, wallClockMs } from './micro-time.js';
import type { AuditMetrics } from './metrics.js';

export class RequestAudit {
  constructor(
    readonly event: AuditEvent,
    private readonly config: RequestAuditConfig,
    private readonly backend: AuditBackend,
    private readonly metrics?: AuditMetrics,
  ) {}

  get level() {
    return this.event.level;
  }

  /** processAuditEvent: an omitted stage is skipped; RequestReceived is stamped with the request's
   *  arrival; every other event is counted and handed on. False when the backend could not record it. */
  processStage(stage: Stage): boolean {
    if (this.config.omitStages.includes(stage)) return true;
    this.event.stage = stage;
    this.event.stageTimestamp = stage === 'RequestReceived' ? this.event.requestReceivedTimestamp : formatMicroTime(wallClockMs());
    this.metrics?.observeEvent();
    return this.backend.processEvents([structuredClone(this.event)]);
  }

  /** AddAuditAnnotation: the first value set for a key stays. */
  addAnnotation(key: string, value: string): void {
    const annotations = (this.event.annotations ??= {});
    if (!(key in annotations)) annotations[key] = value;
  }

  logImpersonatedUser(user: UserInfo): void {
    if (!levelAtLeast(this.level, 'Metadata')) return;
    this.event.impersonatedUser = auditUser(user);
  }

  /** LogRequestObject: completes objectRef from the object's metadata; keeps the object at Request and above. */
  logRequestObject(obj: unknown): void {
    const meta = metadataOf(obj);
    const ref = (this.event.objectRef ??= {});
    if (meta) {
      if (!ref.namespace && typeof meta.namespace === 'string' && meta.namespace) ref.namespace = meta.namespace;
      if (!ref.name && typeof meta.name === 'string' && meta.name) ref.name = meta.name;
      if (!ref.uid && typeof meta.uid === 'string' && meta.uid) ref.uid = meta.uid;
      if (!ref.resourceVersion && typeof meta.resourceVersion === 'string' && meta.resourceVersion) ref.resourceVersion = meta.resourceVersion;
    }
    if (!levelAtLeast(this.level, 'Request')) return;
    this.event.requestObject = this.config.omitManagedFields ? withoutManagedFields(obj) : structuredClone(obj);
  }

  /** LogRequestPatch: the patch document as sent. */
  logRequestPatch(patch: unknown): void {
    if (!levelAtLeast(this.level, 'Request')) return;
    this.event.requestObject = structuredClone(patch);
  }

  /** LogResponseObject: a Status becomes the responseStatus; the object itself is kept at RequestResponse. */
  logResponseObject(obj: unknown): void {
    if (isStatus(obj)) this.setResponseStatus(obj);
    if (!levelAtLeast(this.level, 'RequestResponse')) return;
    this.event.responseObject = this.config.omitManagedFields ? withoutManagedFields(obj) : structuredClone(obj);
  }

  /** Copies the bounded fields of a Status, as kube does. */
  setResponseStatus(status: Partial<Status>): void {
    const copy: ResponseStatus = { metadata: {} };
    if (status.status) copy.status = status.status;
    if (status.message) copy.message = status.message;
    if (status.reason) copy.reason = status.reason;
    if (status.details) copy.details = status.details;
    if (status.code) copy.code = status.code;
    this.event.responseStatus = copy;
  }

  setResponseCode(code: number): void {
    this.event.responseStatus ??= { metadata: {} };
    this.event.responseStatus.code = code;
  }
}

export function auditUser(user: UserInfo): AuditUserInfo {
  const out: AuditUserInfo = { username: user.name };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length > 0) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = structuredClone(user.extra);
  return out;
}

function metadataOf(obj: unknown): Record<string, unknown> | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const meta = (obj as Record<string, unknown>).metadata;
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
}

function isStatus(obj: unknown): obj is Status {
  return typeof obj === 'object' && obj !== null && (obj as Record<string, unknown>).kind === 'Status';
}

/** copyWithoutManagedFields: the object (or each item of a list) without metadata.managedFields. */
function withoutManagedFields(obj: unknown): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const strip = (o: unknown) => {
    const meta = metadataOf(o);
    if (meta) delete meta.managedFields;
  };
  strip(copy);
  if (copy && Array.isArray(copy.items)) copy.items.forEach(strip);
  return copy;
}

/** The request's audit event, when the policy audits it (for the parts of the chain that add to it). */
export function requestAudit(ctx: KubeContext): RequestAudit | undefined {
  const audit = ctx.state.audit;
  return audit instanceof RequestAudit ? audit : undefined;
}
