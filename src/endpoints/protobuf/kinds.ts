// The built-in kinds kube-chain reads from protobuf, by apiVersion and kind.
import type { MessageDescriptor } from './schema.js';
import { configMap, event as coreEvent, namespace, secret, serviceAccount } from './types/core.js';
import { lease } from './types/coordination.js';
import { endpoints, node, pod, service } from './types/core-objects.js';
import { endpointSlice } from './types/discovery.js';
import { apiService } from './types/apiregistration.js';
import { clusterRole, clusterRoleBinding, role, roleBinding } from './types/rbac.js';
import { event as eventsEvent } from './types/events.js';
import { deleteOptions } from './types/meta.js';
import { localSubjectAccessReview, selfSubjectAccessReview, selfSubjectRulesReview, subjectAccessReview } from './types/authorization.js';
import { selfSubjectReview, tokenRequest, tokenReview } from './types/authentication.js';

const KINDS = new Map<string, MessageDescriptor>([
  ['v1/ConfigMap', configMap],
  ['v1/Secret', secret],
  ['v1/Namespace', namespace],
  ['v1/ServiceAccount', serviceAccount],
  ['v1/Event', coreEvent],
  ['v1/Pod', pod],
  ['v1/Service', service],
  ['v1/Node', node],
  ['v1/Endpoints', endpoints],
  ['discovery.k8s.io/v1/EndpointSlice', endpointSlice],
  ['apiregistration.k8s.io/v1/APIService', apiService],
  ['events.k8s.io/v1/Event', eventsEvent],
  ['coordination.k8s.io/v1/Lease', lease],
  ['rbac.authorization.k8s.io/v1/Role', role],
  ['rbac.authorization.k8s.io/v1/ClusterRole', clusterRole],
  ['rbac.authorization.k8s.io/v1/RoleBinding', roleBinding],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', clusterRoleBinding],
  // The body of serviceaccounts/token.
  ['authentication.k8s.io/v1/TokenRequest', tokenRequest],
  ['authorization.k8s.io/v1/SubjectAccessReview', subjectAccessReview],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', selfSubjectAccessReview],
  ['authorization.k8s.io/v1/LocalSubjectAccessReview', localSubjectAccessReview],
  ['authorization.k8s.io/v1/SelfSubjectRulesReview', selfSubjectRulesReview],
  ['authentication.k8s.io/v1/TokenReview', tokenReview],
  ['authentication.k8s.io/v1/SelfSubjectReview', selfSubjectReview],
  // kube registers DeleteOptions in every group-version it serves, and in meta.k8s.io/v1.
  ['meta.k8s.io/v1/DeleteOptions', deleteOptions],
  ['v1/DeleteOptions', deleteOptions],
  ['events.k8s.io/v1/DeleteOptions', deleteOptions],
  ['coordination.k8s.io/v1/DeleteOptions', deleteOptions],
  ['rbac.authorization.k8s.io/v1/DeleteOptions', deleteOptions],
  ['discovery.k8s.io/v1/DeleteOptions', deleteOptions],
  ['admissionregistration.k8s.io/v1/DeleteOptions', deleteOptions],
  ['flowcontrol.apiserver.k8s.io/v1/DeleteOptions', deleteOptions],
  ['apiregistration.k8s.io/v1/DeleteOptions', deleteOptions],
  ['apiextensions.k8s.io/v1/DeleteOptions', deleteOptions],
]);

export function protobufDescriptorFor(apiVersion: string, kind: string): MessageDescriptor | undefined {
  return KINDS.get(`${apiVersion}/${kind}`);
}
