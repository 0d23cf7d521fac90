// kube's event validation (pkg/apis/core/validation/events.go) on the internal event: the legacy
// rules every event passes, and the strict ones for events written through events.k8s.io/v1.
import type { FieldError } from '../../endpoints/status.js';
import { fieldInvalid, fieldRequired, GoLiteral, goTime } from '../../registry/validation/field-errors.js';
import { isDNS1123Subdomain, isQualifiedName } from '../../registry/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../registry/validation/object-meta.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { deepEqual } from '../../registry/deep-equal.js';
import type { EventReference, InternalEvent } from './internal-event.js';

export const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
export const ACTION_LENGTH_LIMIT = 128;
export const REASON_LENGTH_LIMIT = 128;
export const NOTE_LENGTH_LIMIT = 1024;

const byteLength = (s: string) => Buffer.byteLength(s);
const atMost = (limit: number) => `can have at most ${limit} characters`;

/** legacyValidateEvent: what every event, of either API version, must satisfy. */
export function legacyValidateEvent(event: InternalEvent): FieldError[] {
  const errors: FieldError[] = [];
  const involvedNamespace = event.involvedObject.namespace ?? '';
  const mismatch = () => fieldInvalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!event.eventTime) {
    // Old-style events: about a cluster-scoped object only from "default" (or no namespace).
    if (involvedNamespace === '') {
      if (event.namespace !== '' && event.namespace !== 'default') errors.push(mismatch());
    } else if (event.namespace !== involvedNamespace) errors.push(mismatch());
  } else {
    if (involvedNamespace === '' && event.namespace !== 'default' && event.namespace !== 'kube-system') errors.push(mismatch());
    if (event.reportingController === '') errors.push(fieldRequired('reportingController', ''));
    for (const msg of isQualifiedName(event.reportingController)) errors.push(fieldInvalid('reportingController', event.reportingController, msg));
    if (event.reportingInstance === '') errors.push(fieldRequired('reportingInstance', ''));
    if (byteLength(event.reportingInstance) > REPORTING_INSTANCE_LENGTH_LIMIT) errors.push(fieldInvalid('reportingInstance', '', atMost(REPORTING_INSTANCE_LENGTH_LIMIT)));
    if (event.action === '') errors.push(fieldRequired('action', ''));
    if (byteLength(event.action) > ACTION_LENGTH_LIMIT) errors.push(fieldInvalid('action', '', atMost(ACTION_LENGTH_LIMIT)));
    if (event.reason === '') errors.push(fieldRequired('reason', ''));
    if (byteLength(event.reason) > REASON_LENGTH_LIMIT) errors.push(fieldInvalid('reason', '', atMost(REASON_LENGTH_LIMIT)));
    if (byteLength(event.message) > NOTE_LENGTH_LIMIT) errors.push(fieldInvalid('message', '', atMost(NOTE_LENGTH_LIMIT)));
  }
  for (const msg of isDNS1123Subdomain(event.namespace)) errors.push(fieldInvalid('namespace', event.namespace, msg));
  return errors;
}

/** validateV1EventSeries */
function validateSeries(event: InternalEvent): FieldError[] {
  if (!event.series) return [];
  const errors: FieldError[] = [];
  if ((event.series.count ?? 0) < 2) errors.push(fieldInvalid('series.count', '', 'should be at least 2'));
  if (!event.series.lastObservedTime) errors.push(fieldRequired('series.lastObservedTime', ''));
  return errors;
}

/** ValidateEventCreate: `strict` for events.k8s.io/v1 (core/v1 keeps the legacy rules only). */
export function validateEventCreate(event: InternalEvent, strict: boolean): FieldError[] {
  const errors = legacyValidateEvent(event);
  if (!strict) return errors;
  // (ObjectMeta with NameIsDNSSubdomain: the store runs it with the resource's name rule.)
  errors.push(...validateSeries(event));
  if (!event.eventTime) errors.push(fieldRequired('eventTime', ''));
  if (event.type !== 'Normal' && event.type !== 'Warning') errors.push(fieldInvalid('type', '', `has invalid value: ${event.type}`));
  if (event.firstTimestamp) errors.push(fieldInvalid('firstTimestamp', '', 'needs to be unset'));
  if (event.lastTimestamp) errors.push(fieldInvalid('lastTimestamp', '', 'needs to be unset'));
  if (event.count !== 0) errors.push(fieldInvalid('count', '', 'needs to be unset'));
  if (event.source.component || event.source.host) errors.push(fieldInvalid('source', '', 'needs to be unset'));
  return errors;
}

/** %#v of the internal core.ObjectReference. */
function goObjectReference(ref: EventReference): GoLiteral {
  const q = (value: string | undefined) => goQuote(value ?? '');
  return new GoLiteral(
    `core.ObjectReference{Kind:${q(ref.kind)}, Namespace:${q(ref.namespace)}, Name:${q(ref.name)}, UID:${q(ref.uid)}, APIVersion:${q(ref.apiVersion)}, ResourceVersion:${q(ref.resourceVersion)}, FieldPath:${q(ref.fieldPath)}}`,
  );
}

const refFields = (ref: EventReference | undefined) =>
  ref && { kind: ref.kind ?? '', namespace: ref.namespace ?? '', name: ref.name ?? '', uid: ref.uid ?? '', apiVersion: ref.apiVersion ?? '', resourceVersion: ref.resourceVersion ?? '', fieldPath: ref.fieldPath ?? '' };

/** An RFC 3339 time as seconds and a nanosecond fraction, for apiequality.Semantic's instant comparison. */
function instant(value: string | undefined): string {
  if (!value) return '';
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  const seconds = Math.floor(Date.parse(value.replace(/\.\d+/, '')) / 1000);
  return Number.isNaN(seconds) ? value : `${seconds}.${fraction.padEnd(9, '0')}`;
}

interface ImmutableField {
  path: string;
  same: boolean;
  value: unknown;
}

/** ValidateEventUpdate: `strict` for events.k8s.io/v1, where an event's content cannot change. */
export function validateEventUpdate(event: InternalEvent, old: InternalEvent, strict: boolean): FieldError[] {
  const errors = legacyValidateEvent(event);
  if (!strict) return errors;
  if (!deepEqual(event.series ?? null, old.series ?? null)) errors.push(...validateSeries(event));
  const source = (s: InternalEvent['source']) => ({ component: s.component ?? '', host: s.host ?? '' });
  const text = (path: keyof InternalEvent & string): ImmutableField => ({ path, same: event[path] === old[path], value: event[path] });
  const when = (path: 'firstTimestamp' | 'lastTimestamp' | 'eventTime'): ImmutableField => ({ path, same: instant(event[path]) === instant(old[path]), value: goTime(event[path]) });
  const fields: ImmutableField[] = [
    { path: 'involvedObject', same: deepEqual(refFields(event.involvedObject), refFields(old.involvedObject)), value: goObjectReference(event.involvedObject) },
    text('reason'),
    text('message'),
    {
      path: 'source',
      same: deepEqual(source(event.source), source(old.source)),
      value: new GoLiteral(`core.EventSource{Component:${goQuote(event.source.component ?? '')}, Host:${goQuote(event.source.host ?? '')}}`),
    },
    when('firstTimestamp'),
    when('lastTimestamp'),
    { path: 'count', same: event.count === old.count, value: event.count },
    // kube checks reason twice.
    text('reason'),
    text('type'),
    when('eventTime'),
    text('action'),
    { path: 'related', same: deepEqual(refFields(event.related) ?? null, refFields(old.related) ?? null), value: event.related ? goObjectReference(event.related) : null },
    text('reportingController'),
    text('reportingInstance'),
  ];
  for (const field of fields) if (!field.same) errors.push(fieldInvalid(field.path, field.value, FIELD_IMMUTABLE_ERROR_MSG));
  return errors;
}
