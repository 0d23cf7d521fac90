// authorization.k8s.io/v1 review types (k8s.io/api/authorization/v1: generated.proto for field
// numbers, types.go for JSON tags and pointers).
import { map, message, repeatedOf, scalar, str, type MessageDescriptor } from '../schema.js';
import { metadataField } from './meta.js';

const fieldSelectorRequirement: MessageDescriptor = {
  name: 'FieldSelectorRequirement',
  fields: [str(1, 'key', 'always'), str(2, 'operator', 'always'), repeatedOf(str(3, 'values'))],
};

const labelSelectorRequirement: MessageDescriptor = {
  name: 'LabelSelectorRequirement',
  fields: [str(1, 'key', 'always'), str(2, 'operator', 'always'), repeatedOf(str(3, 'values'))],
};

const fieldSelectorAttributes: MessageDescriptor = {
  name: 'FieldSelectorAttributes',
  fields: [str(1, 'rawSelector'), repeatedOf(message(2, 'requirements', () => fieldSelectorRequirement))],
};

const labelSelectorAttributes: MessageDescriptor = {
  name: 'LabelSelectorAttributes',
  fields: [str(1, 'rawSelector'), repeatedOf(message(2, 'requirements', () => labelSelectorRequirement))],
};

const resourceAttributes: MessageDescriptor = {
  name: 'ResourceAttributes',
  fields: [
    str(1, 'namespace'),
    str(2, 'verb'),
    str(3, 'group'),
    str(4, 'version'),
    str(5, 'resource'),
    str(6, 'subresource'),
    str(7, 'name'),
    message(8, 'fieldSelector', () => fieldSelectorAttributes, 'pointer'),
    message(9, 'labelSelector', () => labelSelectorAttributes, 'pointer'),
  ],
};

const nonResourceAttributes: MessageDescriptor = { name: 'NonResourceAttributes', fields: [str(1, 'path'), str(2, 'verb')] };

const subjectAccessReviewSpec: MessageDescriptor = {
  name: 'SubjectAccessReviewSpec',
  fields: [
    message(1, 'resourceAttributes', () => resourceAttributes, 'pointer'),
    message(2, 'nonResourceAttributes', () => nonResourceAttributes, 'pointer'),
    str(3, 'user'),
    repeatedOf(str(4, 'groups')),
    map(5, 'extra', 'stringList'),
    str(6, 'uid', 'omitempty', 'UID'),
  ],
};

const selfSubjectAccessReviewSpec: MessageDescriptor = {
  name: 'SelfSubjectAccessReviewSpec',
  fields: [
    message(1, 'resourceAttributes', () => resourceAttributes, 'pointer'),
    message(2, 'nonResourceAttributes', () => nonResourceAttributes, 'pointer'),
  ],
};

const subjectAccessReviewStatus: MessageDescriptor = {
  name: 'SubjectAccessReviewStatus',
  fields: [scalar(1, 'allowed', 'bool', 'always'), scalar(4, 'denied', 'bool'), str(2, 'reason'), str(3, 'evaluationError')],
};

const resourceRule: MessageDescriptor = {
  name: 'ResourceRule',
  fields: [
    { ...repeatedOf(str(1, 'verbs')), presence: 'always' },
    repeatedOf(str(2, 'apiGroups', 'omitempty', 'APIGroups')),
    repeatedOf(str(3, 'resources')),
    repeatedOf(str(4, 'resourceNames')),
  ],
};

const nonResourceRule: MessageDescriptor = {
  name: 'NonResourceRule',
  fields: [{ ...repeatedOf(str(1, 'verbs')), presence: 'always' }, repeatedOf(str(2, 'nonResourceURLs', 'omitempty', 'NonResourceURLs'))],
};

const subjectRulesReviewStatus: MessageDescriptor = {
  name: 'SubjectRulesReviewStatus',
  fields: [
    { ...repeatedOf(message(1, 'resourceRules', () => resourceRule)), presence: 'always' },
    { ...repeatedOf(message(2, 'nonResourceRules', () => nonResourceRule)), presence: 'always' },
    scalar(3, 'incomplete', 'bool', 'always'),
    str(4, 'evaluationError'),
  ],
};

const selfSubjectRulesReviewSpec: MessageDescriptor = { name: 'SelfSubjectRulesReviewSpec', fields: [str(1, 'namespace')] };

const review = (name: string, spec: MessageDescriptor, status: MessageDescriptor): MessageDescriptor => ({
  name,
  fields: [metadataField(), message(2, 'spec', () => spec, 'always'), message(3, 'status', () => status)],
});

export const subjectAccessReview = review('SubjectAccessReview', subjectAccessReviewSpec, subjectAccessReviewStatus);
export const localSubjectAccessReview = review('LocalSubjectAccessReview', subjectAccessReviewSpec, subjectAccessReviewStatus);
export const selfSubjectAccessReview = review('SelfSubjectAccessReview', selfSubjectAccessReviewSpec, subjectAccessReviewStatus);
export const selfSubjectRulesReview = review('SelfSubjectRulesReview', selfSubjectRulesReviewSpec, subjectRulesReviewStatus);
