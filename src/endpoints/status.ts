// The metav1.Status object and the error type that carries one through the server.
// Constructors mirror k8s.io/apimachinery/pkg/api/errors so that messages match kube-apiserver's.

export type StatusReason =
  | ''
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'ServerTimeout'
  | 'StoreReadError'
  | 'Timeout'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Expired'
  | 'ServiceUnavailable';

export type CauseType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid'
  | 'UnexpectedServerResponse'
  | 'FieldManagerConflict'
  | 'ResourceVersionTooLarge'
  | string;

export interface StatusCause {
  reason?: CauseType;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A group-qualified resource, e.g. {group: 'apps', resource: 'deployments'}. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** kube's GroupResource.String(): "resource.group", or "resource" for the core group. */
export function qualifiedResourceString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** An error that is answered with its Status object. Everything a handler throws on purpose is one. */
export class StatusError extends Error {
  readonly status: Status;
  /** Extra response headers, e.g. Retry-After. */
  readonly headers: Record<string, string>;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'StatusError';
    this.status = failureStatus(code, reason, message, details);
    this.headers = headers;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

/** Builds a Failure Status with the fields in kube's JSON order; empty details are omitted as Go's omitempty does. */
export function failureStatus(code: number, reason: StatusReason, message: string, details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code };
  // Rebuild to keep kube's field order: kind, apiVersion, metadata, status, message, reason, details, code.
  const ordered: Record<string, unknown> = { kind: status.kind, apiVersion: status.apiVersion, metadata: status.metadata, status: 'Failure' };
  if (message) ordered.message = message;
  if (reason) ordered.reason = reason;
  if (details !== undefined) ordered.details = compactDetails(details);
  ordered.code = code;
  return ordered as unknown as Status;
}

export function successStatus(details?: StatusDetails): Status {
  const ordered: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details !== undefined) ordered.details = compactDetails(details);
  return ordered as unknown as Status;
}

function compactDetails(details: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (details.name) out.name = details.name;
  if (details.group) out.group = details.group;
  if (details.kind) out.kind = details.kind;
  if (details.uid) out.uid = details.uid;
  if (details.causes && details.causes.length > 0) out.causes = details.causes;
  if (details.retryAfterSeconds) out.retryAfterSeconds = details.retryAfterSeconds;
  return out;
}

function resourceDetails(gr: GroupResource, name?: string): StatusDetails {
  return { name, group: gr.group, kind: gr.resource };
}

export function newNotFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResourceString(gr)} "${name}" not found`, resourceDetails(gr, name));
}

export function newAlreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResourceString(gr)} "${name}" already exists`, resourceDetails(gr, name));
}

export function newConflict(gr: GroupResource, name: string, reason: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResourceString(gr)} "${name}": ${reason}`,
    resourceDetails(gr, name),
  );
}

export const OBJECT_MODIFIED_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function newForbidden(gr: GroupResource | undefined, name: string, reason: string): StatusError {
  let message: string;
  if (!gr || (!gr.group && !gr.resource)) message = `forbidden: ${reason}`;
  else if (!name) message = `${qualifiedResourceString(gr)} is forbidden: ${reason}`;
  else message = `${qualifiedResourceString(gr)} "${name}" is forbidden: ${reason}`;
  return new StatusError(403, 'Forbidden', message, gr ? resourceDetails(gr, name) : {});
}

export function newUnauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(401, 'Unauthorized', message);
}

export function newBadRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function newMethodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResourceString(gr)}"`, {
    group: gr.group,
    kind: gr.resource,
  });
}

export function newGone(message: string): StatusError {
  return new StatusError(410, 'Gone', message);
}

/** kube's NewResourceExpired: 410 with reason Expired, as a watch or list from a compacted revision gets. */
export function newResourceExpired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function newTimeout(message: string, retryAfterSeconds = 0): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds });
}

export function newServerTimeout(gr: GroupResource, operation: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    500,
    'ServerTimeout',
    `The ${operation} operation against ${qualifiedResourceString(gr)} could not be completed at this time, please try again.`,
    { group: gr.group, kind: gr.resource, name: operation, retryAfterSeconds },
  );
}

export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
}

export function newRequestEntityTooLarge(message: string): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function newUnsupportedMediaType(message: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', message);
}

export function newNotAcceptable(message: string): StatusError {
  return new StatusError(406, 'NotAcceptable', message);
}

export function newServiceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

export function newInternalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** One field error as k8s.io/apimachinery/pkg/util/validation/field.Error; `message` is its Error() text without the field. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The part after "<field>: ", e.g. `Invalid value: "x": must be ...`. */
  detail: string;
}

/** kube's NewInvalid: `Kind "name" is invalid: <errors>` with one cause per field error. */
export function newInvalid(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  const texts = errors.map((e) => (e.field ? `${e.field}: ${e.detail}` : e.detail));
  const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${aggregate}`, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}
