// meta/v1 types (k8s.io/apimachinery/pkg/apis/meta/v1: generated.proto for field numbers, types.go
// for JSON tags and pointers).
import { map, message, repeatedOf, scalar, str, time, type MessageDescriptor } from '../schema.js';

export const ownerReference: MessageDescriptor = {
  name: 'OwnerReference',
  fields: [
    str(5, 'apiVersion', 'always', 'APIVersion'),
    str(1, 'kind', 'always'),
    str(3, 'name', 'always'),
    str(4, 'uid', 'always', 'UID'),
    scalar(6, 'controller', 'bool', 'pointer'),
    scalar(7, 'blockOwnerDeletion', 'bool', 'pointer'),
  ],
};

export const managedFieldsEntry: MessageDescriptor = {
  name: 'ManagedFieldsEntry',
  fields: [
    str(1, 'manager'),
    str(2, 'operation'),
    str(3, 'apiVersion', 'omitempty', 'APIVersion'),
    time(4, 'time', 'pointer'),
    str(6, 'fieldsType'),
    { number: 7, json: 'fieldsV1', go: 'FieldsV1', type: { kind: 'fieldsV1' }, presence: 'pointer' },
    str(8, 'subresource'),
  ],
};

export const objectMeta: MessageDescriptor = {
  name: 'ObjectMeta',
  fields: [
    str(1, 'name'),
    str(2, 'generateName'),
    str(3, 'namespace'),
    str(4, 'selfLink'),
    str(5, 'uid', 'omitempty', 'UID'),
    str(6, 'resourceVersion'),
    scalar(7, 'generation', 'int64'),
    time(8, 'creationTimestamp', 'omitzero'),
    time(9, 'deletionTimestamp', 'pointer'),
    scalar(10, 'deletionGracePeriodSeconds', 'int64', 'pointer'),
    map(11, 'labels', 'string'),
    map(12, 'annotations', 'string'),
    repeatedOf(message(13, 'ownerReferences', () => ownerReference)),
    repeatedOf(str(14, 'finalizers')),
    repeatedOf(message(17, 'managedFields', () => managedFieldsEntry)),
  ],
};

export const preconditions: MessageDescriptor = {
  name: 'Preconditions',
  fields: [str(1, 'uid', 'pointer', 'UID'), str(2, 'resourceVersion', 'pointer')],
};

export const deleteOptions: MessageDescriptor = {
  name: 'DeleteOptions',
  fields: [
    scalar(1, 'gracePeriodSeconds', 'int64', 'pointer'),
    message(2, 'preconditions', () => preconditions, 'pointer'),
    scalar(3, 'orphanDependents', 'bool', 'pointer'),
    str(4, 'propagationPolicy', 'pointer'),
    repeatedOf(str(5, 'dryRun')),
    scalar(6, 'ignoreStoreReadErrorWithClusterBreakingPotential', 'bool', 'pointer'),
  ],
};

export const labelSelectorRequirement: MessageDescriptor = {
  name: 'LabelSelectorRequirement',
  fields: [str(1, 'key', 'always'), str(2, 'operator', 'always'), repeatedOf(str(3, 'values'))],
};

export const labelSelector: MessageDescriptor = {
  name: 'LabelSelector',
  fields: [map(1, 'matchLabels', 'string'), repeatedOf(message(2, 'matchExpressions', () => labelSelectorRequirement))],
};

export const condition: MessageDescriptor = {
  name: 'Condition',
  fields: [
    str(1, 'type', 'always'),
    str(2, 'status', 'always'),
    scalar(3, 'observedGeneration', 'int64'),
    time(4, 'lastTransitionTime', 'always'),
    str(5, 'reason', 'always'),
    str(6, 'message', 'always'),
  ],
};

/** The message every object kind starts with. */
export const metadataField = (presence: 'omitempty' | 'always' = 'omitempty') =>
  message(1, 'metadata', () => objectMeta, presence, 'ObjectMeta');
