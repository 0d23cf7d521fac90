// core/v1 Events (the legacy event API kubectl get events reads).
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, EVENT_COLUMNS, referenceColumn, translateAge } from '../printing.js';
import { fieldInvalid, fieldNotSupported } from '../../registry/validation/field-errors.js';
import { schemaBacked } from '../schemas.js';

function validateEvent(event: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const involvedNamespace = event.involvedObject?.namespace;
  if (involvedNamespace && event.metadata?.namespace !== involvedNamespace) {
    errors.push(fieldInvalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
  }
  if (event.type !== undefined && event.type !== '' && event.type !== 'Normal' && event.type !== 'Warning') {
    errors.push(fieldNotSupported('type', event.type, ['Normal', 'Warning']));
  }
  return errors;
}

/** kube's event printer: the last time seen, from lastTimestamp, eventTime or the series. */
function lastSeen(event: KubeObject): string {
  const when = event.series?.lastObservedTime ?? event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  return translateAge(when);
}

export const coreEvents = defineResource({
  group: '',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  ...schemaBacked('io.k8s.api.core.v1.Event'),
  strategy: { validate: validateEvent, validateUpdate: validateEvent, allowCreateOnUpdate: true },
  selectableFields: (e) => ({
    'metadata.name': e.metadata?.name ?? '',
    'metadata.namespace': e.metadata?.namespace ?? '',
    'involvedObject.kind': e.involvedObject?.kind ?? '',
    'involvedObject.namespace': e.involvedObject?.namespace ?? '',
    'involvedObject.name': e.involvedObject?.name ?? '',
    'involvedObject.uid': e.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': e.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': e.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': e.involvedObject?.fieldPath ?? '',
    reason: e.reason ?? '',
    reportingComponent: e.reportingComponent ?? '',
    source: e.source?.component ?? e.reportingComponent ?? '',
    type: e.type ?? '',
  }),
  table: {
    columns: [
      EVENT_COLUMNS.lastSeen,
      EVENT_COLUMNS.type,
      EVENT_COLUMNS.reason,
      EVENT_COLUMNS.object,
      column('Subobject', 'string', 'The part of the object, when the event is about one.', 1),
      column('Source', 'string', 'The component that reported the event.', 1),
      EVENT_COLUMNS.message,
      column('First Seen', 'string', 'When the event was first seen.', 1),
      column('Count', 'string', 'How many times the event was seen.', 1),
      column('Name', 'string', 'The name of the event.', 1, 'name'),
    ],
    cells: (e) => [
      lastSeen(e),
      e.type ?? '',
      e.reason ?? '',
      referenceColumn(e.involvedObject),
      e.involvedObject?.fieldPath ?? '',
      [e.source?.component, e.source?.host].filter(Boolean).join(', ') || e.reportingComponent || '',
      (e.message ?? '').trim(),
      translateAge(e.firstTimestamp ?? e.eventTime),
      String(e.series?.count ?? e.count ?? 1),
      e.metadata?.name ?? '',
    ],
  },
});
