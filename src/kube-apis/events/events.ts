// events.k8s.io/v1 Events. (kube stores them together with core/v1 Events and converts between the
// two; here they are their own collection: see docs/status.md.)
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { EVENT_COLUMNS, referenceColumn, translateAge } from '../printing.js';
import { fieldInvalid, fieldNotSupported, fieldRequired, fieldTooLong } from '../../registry/validation/field-errors.js';
import { isQualifiedName } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';

const NOTE_MAX = 1024;
const FIELD_MAX = 128;

function validateEvent(event: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (!event.eventTime) errors.push(fieldRequired('eventTime'));
  if (!event.reportingController) errors.push(fieldRequired('reportingController'));
  else for (const msg of isQualifiedName(event.reportingController)) errors.push(fieldInvalid('reportingController', event.reportingController, msg));
  if (!event.reportingInstance) errors.push(fieldRequired('reportingInstance'));
  else if (event.reportingInstance.length > FIELD_MAX) errors.push(fieldTooLong('reportingInstance', FIELD_MAX));
  if (!event.action) errors.push(fieldRequired('action'));
  else if (event.action.length > FIELD_MAX) errors.push(fieldTooLong('action', FIELD_MAX));
  if (!event.reason) errors.push(fieldRequired('reason'));
  else if (event.reason.length > FIELD_MAX) errors.push(fieldTooLong('reason', FIELD_MAX));
  if (event.type !== 'Normal' && event.type !== 'Warning') errors.push(fieldNotSupported('type', event.type ?? '', ['Normal', 'Warning']));
  if ((event.note ?? '').length > NOTE_MAX) errors.push(fieldTooLong('note', NOTE_MAX));
  const regardingNamespace = event.regarding?.namespace;
  if (regardingNamespace && regardingNamespace !== event.metadata?.namespace) {
    errors.push(fieldInvalid('regarding.namespace', regardingNamespace, 'does not match event.namespace'));
  }
  return errors;
}

export const eventsV1 = defineResource({
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  ...schemaBacked('io.k8s.api.events.v1.Event'),
  strategy: { validate: validateEvent, validateUpdate: validateEvent },
  table: {
    columns: [EVENT_COLUMNS.lastSeen, EVENT_COLUMNS.type, EVENT_COLUMNS.reason, EVENT_COLUMNS.object, EVENT_COLUMNS.message],
    cells: (e) => [
      translateAge(e.series?.lastObservedTime ?? e.eventTime ?? e.metadata?.creationTimestamp),
      e.type ?? '',
      e.reason ?? '',
      referenceColumn(e.regarding),
      (e.note ?? '').trim(),
    ],
  },
});
