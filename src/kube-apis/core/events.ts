// core/v1 Events (the event API kubectl get events reads): kube's legacy event validation only (no
// strict rules for this version, and object names need only be valid path segments), PUT may
// create, the shared event printer and field selectors.
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { validatePathSegmentName } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';
import { fromCoreV1Event } from './internal-event.js';
import { validateEventCreate, validateEventUpdate } from './event-validation.js';
import { EVENT_COLUMNS, eventCells, internalEventFields } from './event-printer.js';
import { decodeMicroTimes } from './go-micro-time.js';

/** Decoding: the MicroTime fields must parse as Go parses them. */
const decode = (event: KubeObject) => decodeMicroTimes(event, ['eventTime', 'series.lastObservedTime'], 'Event', 'v1');

export const coreEvents = defineResource({
  group: '',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  // The strategy checks no name rule for core/v1; only the generic path-segment rule applies.
  validateName: validatePathSegmentName,
  ...schemaBacked('io.k8s.api.core.v1.Event'),
  strategy: {
    prepareForCreate: decode,
    prepareForUpdate: (event) => decode(event),
    validate: (event) => validateEventCreate(fromCoreV1Event(event), false),
    validateUpdate: (event, old) => validateEventUpdate(fromCoreV1Event(event), fromCoreV1Event(old), false),
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
  selectableFields: (event) => internalEventFields(fromCoreV1Event(event)),
  table: { columns: EVENT_COLUMNS, cells: (event) => eventCells(fromCoreV1Event(event)) },
});
