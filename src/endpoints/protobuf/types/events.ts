// events.k8s.io/v1 Event (k8s.io/api/events/v1: generated.proto, types.go). Its series has no
// omitempty, unlike core/v1's.
import { message, microTime, scalar, str, time, type MessageDescriptor } from '../schema.js';
import { eventSource, objectReference } from './core.js';
import { metadataField } from './meta.js';

const eventSeries: MessageDescriptor = {
  name: 'EventSeries',
  fields: [scalar(1, 'count', 'int32', 'always'), microTime(2, 'lastObservedTime', 'always')],
};

export const event: MessageDescriptor = {
  name: 'Event',
  fields: [
    metadataField('always'),
    microTime(2, 'eventTime', 'always'),
    message(3, 'series', () => eventSeries, 'pointer'),
    str(4, 'reportingController'),
    str(5, 'reportingInstance'),
    str(6, 'action'),
    str(7, 'reason'),
    message(8, 'regarding', () => objectReference),
    message(9, 'related', () => objectReference, 'pointer'),
    str(10, 'note'),
    str(11, 'type'),
    message(12, 'deprecatedSource', () => eventSource),
    time(13, 'deprecatedFirstTimestamp'),
    time(14, 'deprecatedLastTimestamp'),
    scalar(15, 'deprecatedCount', 'int32'),
  ],
};
