// rbac.authorization.k8s.io/v1 types (k8s.io/api/rbac/v1: generated.proto for field numbers, types.go for JSON tags).
import { message, repeatedOf, str, type MessageDescriptor } from '../schema.js';
import { labelSelector, metadataField } from './meta.js';

const policyRule: MessageDescriptor = {
  name: 'PolicyRule',
  fields: [
    repeatedOf(str(1, 'verbs', 'always')),
    repeatedOf(str(2, 'apiGroups')),
    repeatedOf(str(3, 'resources')),
    repeatedOf(str(4, 'resourceNames')),
    repeatedOf(str(5, 'nonResourceURLs', 'omitempty', 'NonResourceURLs')),
  ],
};

const aggregationRule: MessageDescriptor = {
  name: 'AggregationRule',
  fields: [repeatedOf(message(1, 'clusterRoleSelectors', () => labelSelector))],
};

const subject: MessageDescriptor = {
  name: 'Subject',
  fields: [str(1, 'kind', 'always'), str(2, 'apiGroup', 'omitempty', 'APIGroup'), str(3, 'name', 'always'), str(4, 'namespace')],
};

const roleRef: MessageDescriptor = {
  name: 'RoleRef',
  fields: [str(1, 'apiGroup', 'always', 'APIGroup'), str(2, 'kind', 'always'), str(3, 'name', 'always')],
};

export const role: MessageDescriptor = { name: 'Role', fields: [metadataField(), repeatedOf(message(2, 'rules', () => policyRule, 'always'))] };

export const clusterRole: MessageDescriptor = {
  name: 'ClusterRole',
  fields: [metadataField(), repeatedOf(message(2, 'rules', () => policyRule, 'always')), message(3, 'aggregationRule', () => aggregationRule, 'pointer')],
};

export const roleBinding: MessageDescriptor = {
  name: 'RoleBinding',
  fields: [metadataField(), repeatedOf(message(2, 'subjects', () => subject)), message(3, 'roleRef', () => roleRef, 'always')],
};

export const clusterRoleBinding: MessageDescriptor = { ...roleBinding, name: 'ClusterRoleBinding' };
