// core/v1 types (k8s.io/api/core/v1: generated.proto for field numbers, types.go for JSON tags).
import { map, message, microTime, repeatedOf, scalar, str, time, type MessageDescriptor } from '../schema.js';
import { metadataField } from './meta.js';

export const objectReference: MessageDescriptor = {
  name: 'ObjectReference',
  fields: [
    str(1, 'kind'),
    str(2, 'namespace'),
    str(3, 'name'),
    str(4, 'uid', 'omitempty', 'UID'),
    str(5, 'apiVersion', 'omitempty', 'APIVersion'),
    str(6, 'resourceVersion'),
    str(7, 'fieldPath'),
  ],
};

export const localObjectReference: MessageDescriptor = { name: 'LocalObjectReference', fields: [str(1, 'name')] };

export const eventSource: MessageDescriptor = { name: 'EventSource', fields: [str(1, 'component'), str(2, 'host')] };

export const configMap: MessageDescriptor = {
  name: 'ConfigMap',
  fields: [metadataField(), scalar(4, 'immutable', 'bool', 'pointer'), map(2, 'data', 'string'), map(3, 'binaryData', 'bytes')],
};

export const secret: MessageDescriptor = {
  name: 'Secret',
  fields: [
    metadataField(),
    scalar(5, 'immutable', 'bool', 'pointer'),
    map(2, 'data', 'bytes'),
    map(4, 'stringData', 'string'),
    str(3, 'type'),
  ],
};

const namespaceSpec: MessageDescriptor = { name: 'NamespaceSpec', fields: [repeatedOf(str(1, 'finalizers'))] };

const namespaceCondition: MessageDescriptor = {
  name: 'NamespaceCondition',
  fields: [
    str(1, 'type', 'always'),
    str(2, 'status', 'always'),
    time(4, 'lastTransitionTime'),
    str(5, 'reason'),
    str(6, 'message'),
  ],
};

const namespaceStatus: MessageDescriptor = {
  name: 'NamespaceStatus',
  fields: [str(1, 'phase'), repeatedOf(message(2, 'conditions', () => namespaceCondition))],
};

export const namespace: MessageDescriptor = {
  name: 'Namespace',
  fields: [metadataField(), message(2, 'spec', () => namespaceSpec), message(3, 'status', () => namespaceStatus)],
};

export const serviceAccount: MessageDescriptor = {
  name: 'ServiceAccount',
  fields: [
    metadataField(),
    repeatedOf(message(2, 'secrets', () => objectReference)),
    repeatedOf(message(3, 'imagePullSecrets', () => localObjectReference)),
    scalar(4, 'automountServiceAccountToken', 'bool', 'pointer'),
  ],
};

const eventSeries: MessageDescriptor = {
  name: 'EventSeries',
  fields: [scalar(1, 'count', 'int32'), microTime(2, 'lastObservedTime')],
};

export const event: MessageDescriptor = {
  name: 'Event',
  fields: [
    metadataField('always'),
    message(2, 'involvedObject', () => objectReference, 'always'),
    str(3, 'reason'),
    str(4, 'message'),
    message(5, 'source', () => eventSource),
    time(6, 'firstTimestamp'),
    time(7, 'lastTimestamp'),
    scalar(8, 'count', 'int32'),
    str(9, 'type'),
    microTime(10, 'eventTime'),
    message(11, 'series', () => eventSeries, 'pointer'),
    str(12, 'action'),
    message(13, 'related', () => objectReference, 'pointer'),
    str(14, 'reportingComponent', 'always', 'ReportingController'),
    str(15, 'reportingInstance', 'always'),
  ],
};
