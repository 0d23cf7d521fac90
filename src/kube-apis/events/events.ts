// events.k8s.io/v1 Events: kube converts them to the internal event and validates that with the
// strict rules (so error paths carry the internal names: involvedObject, message, source, count...),
// prints them with the core event printer, and selects them by their own field names mapped onto the
// internal field set. (kube stores both API versions in one collection; here they are their own: see
// docs/status.md.)
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { schemaBacked } from '../schemas.js';
import { commonEventFields, object, str, time, type EventReference, type InternalEvent } from '../core/internal-event.js';
import { validateEventCreate, validateEventUpdate } from '../core/event-validation.js';
import { EVENT_COLUMNS, eventCells, internalEventFields } from '../core/event-printer.js';
import { decodeMicroTimes } from '../core/go-micro-time.js';

/** Decoding: the MicroTime fields must parse as Go parses them. */
const decode = (event: KubeObject) => decodeMicroTimes(event, ['eventTime', 'series.lastObservedTime'], 'Event', 'v1');

/** Convert_v1_Event_To_core_Event */
export function fromEventsV1Event(obj: KubeObject): InternalEvent {
  return {
    ...commonEventFields(obj),
    involvedObject: object<EventReference>(obj.regarding) ?? {},
    message: str(obj.note),
    source: object<InternalEvent['source']>(obj.deprecatedSource) ?? {},
    firstTimestamp: time(obj.deprecatedFirstTimestamp),
    lastTimestamp: time(obj.deprecatedLastTimestamp),
    count: typeof obj.deprecatedCount === 'number' ? obj.deprecatedCount : 0,
    reportingController: str(obj.reportingController),
  };
}

/** The events.k8s.io/v1 field labels and the internal fields kube maps them to. */
const FIELD_LABELS: Record<string, string> = {
  'metadata.name': 'metadata.name',
  'metadata.namespace': 'metadata.namespace',
  reason: 'reason',
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  type: 'type',
};

function selectableFields(obj: KubeObject): Record<string, string> {
  const internal = internalEventFields(fromEventsV1Event(obj));
  return Object.fromEntries(Object.entries(FIELD_LABELS).map(([label, field]) => [label, internal[field] ?? '']));
}

export const eventsV1 = defineResource({
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  ...schemaBacked('io.k8s.api.events.v1.Event'),
  strategy: {
    prepareForCreate: decode,
    prepareForUpdate: (event) => decode(event),
    validate: (event) => validateEventCreate(fromEventsV1Event(event), true),
    validateUpdate: (event, old) => validateEventUpdate(fromEventsV1Event(event), fromEventsV1Event(old), true),
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
  selectableFields,
  table: { columns: EVENT_COLUMNS, cells: (event) => eventCells(fromEventsV1Event(event)) },
});
