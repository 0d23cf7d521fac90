// kube's event printer (pkg/printers/internalversion printEvent) and event field set
// (pkg/registry/core/event ToSelectableFields), on the internal event both API versions share.
// kube's server-side Table is always the wide one: kubectl hides the priority-1 columns itself.
import type { TableColumn } from '../../registry/resource.js';
import { column, translateAge } from '../printing.js';
import type { InternalEvent } from './internal-event.js';

export const EVENT_COLUMNS: TableColumn[] = [
  column('Last Seen', 'string', 'When the event was last seen.'),
  column('Type', 'string', 'The type of the event: Normal or Warning.'),
  column('Reason', 'string', 'Why the event happened, in a word.'),
  column('Object', 'string', 'The object the event is about.'),
  column('Subobject', 'string', 'The part of the object the event is about.', 1),
  column('Source', 'string', 'The component (and host) that reported the event.', 1),
  column('Message', 'string', 'What happened, for a human.'),
  column('First Seen', 'string', 'When the event was first seen.', 1),
  column('Count', 'string', 'How many times the event was seen.', 1),
  column('Name', 'string', 'The name of the event.', 1, 'name'),
];

const firstNonEmpty = (...values: (string | undefined)[]) => values.find((v) => v) ?? '';

/** formatEventSource: component (or reportingController), then ", host" (or reportingInstance) if any. */
function eventSource(event: InternalEvent): string {
  const component = firstNonEmpty(event.source.component, event.reportingController);
  const instance = firstNonEmpty(event.source.host, event.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

export function eventCells(event: InternalEvent, now: number = Date.now()): unknown[] {
  const age = (timestamp: string | undefined) => translateAge(timestamp, now);
  const firstSeen = event.firstTimestamp ? age(event.firstTimestamp) : age(event.eventTime);
  let lastSeen = event.lastTimestamp ? age(event.lastTimestamp) : firstSeen;
  let count = event.count;
  if (event.series) {
    lastSeen = age(event.series.lastObservedTime);
    count = event.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const kind = (event.involvedObject.kind ?? '').toLowerCase();
  const target = event.involvedObject.name ? `${kind}/${event.involvedObject.name}` : kind;
  return [lastSeen, event.type, event.reason, target, event.involvedObject.fieldPath ?? '', eventSource(event), event.message.trim(), firstSeen, count, event.name];
}

/** ToSelectableFields, keyed by the internal (core/v1) field names. */
export function internalEventFields(event: InternalEvent): Record<string, string> {
  const ref = event.involvedObject;
  return {
    'metadata.name': event.name,
    'metadata.namespace': event.namespace,
    'involvedObject.kind': ref.kind ?? '',
    'involvedObject.namespace': ref.namespace ?? '',
    'involvedObject.name': ref.name ?? '',
    'involvedObject.uid': ref.uid ?? '',
    'involvedObject.apiVersion': ref.apiVersion ?? '',
    'involvedObject.resourceVersion': ref.resourceVersion ?? '',
    'involvedObject.fieldPath': ref.fieldPath ?? '',
    reason: event.reason,
    // The internal ReportingController under its core/v1 name.
    reportingComponent: event.reportingController,
    source: event.source.component || event.reportingController,
    type: event.type,
  };
}
