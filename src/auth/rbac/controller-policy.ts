// kube's controller roles (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/controller_policy.go), as a
// kube-apiserver 1.32 with default feature gates reconciles them (the 1.32 patch releases included: the
// namespace controller and the controllers of kubernetes#130405 may watch what they list; the volume
// controllers without the GlusterFS and OpenStack rules kubernetes#125995 removed in 1.32): one
// system:controller:<name> ClusterRole per kube-controller-manager controller, bound by a ClusterRoleBinding
// of the same name to the service account kube-system/<name>. Rules are in kube's order, each rule's
// lists sorted as kube's rule builder sorts them. Roles behind feature gates that are off by default in
// 1.32 (resource claims, service CIDRs, SELinux warnings, volume attributes classes, storage version
// migration and garbage collection) are left out, as kube leaves them out.
import type { PolicyRule, Subject } from '../../kube-apis/rbac/types.js';
import type { BootstrapClusterRole, BootstrapClusterRoleBinding } from './bootstrap-policy.js';

export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

function r(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  return resourceNames ? { apiGroups, resourceNames, resources, verbs } : { apiGroups, resources, verbs };
}

const CORE = [''];
const APPS_EXTENSIONS = ['apps', 'extensions'];
const READ = ['get', 'list', 'watch'];
const ALL_WRITES = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
/** eventsRule(): every controller may record events, in both event APIs. */
const EVENTS = r(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']);

/** The controllers' rules, by controller name (the role's name without system:controller:). */
const CONTROLLER_RULES: Record<string, PolicyRule[]> = {
  'attachdetach-controller': [
    r(['list', 'watch'], CORE, ['persistentvolumeclaims', 'persistentvolumes']),
    r(READ, CORE, ['nodes']),
    r(['patch', 'update'], CORE, ['nodes/status']),
    r(['list', 'watch'], CORE, ['pods']),
    EVENTS,
    r(['create', 'delete', 'get', 'list', 'watch'], ['storage.k8s.io'], ['volumeattachments']),
    r(READ, ['storage.k8s.io'], ['csidrivers']),
    r(READ, ['storage.k8s.io'], ['csinodes']),
  ],
  'certificate-controller': [
    r(['delete', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
    r(['update'], ['certificates.k8s.io'], ['certificatesigningrequests/approval', 'certificatesigningrequests/status']),
    r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    r(['sign'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving', 'kubernetes.io/legacy-unknown']),
    r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    EVENTS,
  ],
  // Full power over cluster roles, so that it can write any aggregated rule.
  'clusterrole-aggregation-controller': [r(['escalate', 'get', 'list', 'patch', 'update', 'watch'], ['rbac.authorization.k8s.io'], ['clusterroles'])],
  'cronjob-controller': [
    r(['get', 'list', 'update', 'watch'], ['batch'], ['cronjobs']),
    r(ALL_WRITES, ['batch'], ['jobs']),
    r(['update'], ['batch'], ['cronjobs/status']),
    r(['update'], ['batch'], ['cronjobs/finalizers']),
    r(['delete', 'list', 'watch'], CORE, ['pods']),
    EVENTS,
  ],
  'daemon-set-controller': [
    r(READ, APPS_EXTENSIONS, ['daemonsets']),
    r(['update'], APPS_EXTENSIONS, ['daemonsets/status']),
    r(['update'], APPS_EXTENSIONS, ['daemonsets/finalizers']),
    r(['list', 'watch'], CORE, ['nodes']),
    r(['create', 'delete', 'list', 'patch', 'watch'], CORE, ['pods']),
    r(['create'], CORE, ['pods/binding']),
    r(ALL_WRITES, ['apps'], ['controllerrevisions']),
    EVENTS,
  ],
  'deployment-controller': [
    r(['get', 'list', 'update', 'watch'], APPS_EXTENSIONS, ['deployments']),
    r(['update'], APPS_EXTENSIONS, ['deployments/status']),
    r(['update'], APPS_EXTENSIONS, ['deployments/finalizers']),
    r(ALL_WRITES, APPS_EXTENSIONS, ['replicasets']),
    r(['get', 'list', 'update', 'watch'], CORE, ['pods']),
    EVENTS,
  ],
  'disruption-controller': [
    r(READ, APPS_EXTENSIONS, ['deployments']),
    r(READ, APPS_EXTENSIONS, ['replicasets']),
    r(READ, CORE, ['replicationcontrollers']),
    r(READ, ['policy'], ['poddisruptionbudgets']),
    r(READ, ['apps'], ['statefulsets']),
    r(['update'], ['policy'], ['poddisruptionbudgets/status']),
    r(['patch', 'update'], CORE, ['pods/status']),
    r(['get'], ['*'], ['*/scale']),
    EVENTS,
  ],
  'endpoint-controller': [
    r(READ, CORE, ['pods', 'services']),
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], CORE, ['endpoints']),
    r(['create'], CORE, ['endpoints/restricted']),
    EVENTS,
  ],
  'endpointslice-controller': [
    r(READ, CORE, ['nodes', 'pods', 'services']),
    // Slices it creates are owned by their service with blockOwnerDeletion.
    r(['update'], CORE, ['services/finalizers']),
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    EVENTS,
  ],
  'endpointslicemirroring-controller': [
    r(READ, CORE, ['endpoints', 'services']),
    r(['update'], CORE, ['services/finalizers']),
    r(['update'], CORE, ['endpoints/finalizers']),
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    EVENTS,
  ],
  'ephemeral-volume-controller': [
    r(READ, CORE, ['pods']),
    r(['update'], CORE, ['pods/finalizers']),
    r(['create', 'get', 'list', 'watch'], CORE, ['persistentvolumeclaims']),
    EVENTS,
  ],
  'expand-controller': [
    r(['get', 'list', 'patch', 'update', 'watch'], CORE, ['persistentvolumes']),
    r(['patch', 'update'], CORE, ['persistentvolumeclaims/status']),
    r(READ, CORE, ['persistentvolumeclaims']),
    EVENTS,
  ],
  'generic-garbage-collector': [r(['delete', 'get', 'list', 'patch', 'update', 'watch'], ['*'], ['*']), EVENTS],
  'horizontal-pod-autoscaler': [
    r(READ, ['autoscaling'], ['horizontalpodautoscalers']),
    r(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
    r(['get', 'update'], ['*'], ['*/scale']),
    r(['list', 'watch'], CORE, ['pods']),
    r(['list', 'watch'], ['metrics.k8s.io'], ['pods']),
    r(READ, ['custom.metrics.k8s.io'], ['*']),
    r(READ, ['external.metrics.k8s.io'], ['*']),
    EVENTS,
  ],
  'job-controller': [
    r(['get', 'list', 'patch', 'update', 'watch'], ['batch'], ['jobs']),
    r(['update'], ['batch'], ['jobs/status']),
    r(['update'], ['batch'], ['jobs/finalizers']),
    r(['create', 'delete', 'list', 'patch', 'watch'], CORE, ['pods']),
    EVENTS,
  ],
  'legacy-service-account-token-cleaner': [
    r(['get'], CORE, ['configmaps'], ['kube-apiserver-legacy-service-account-token-tracking']),
    r(['delete', 'patch'], CORE, ['secrets']),
  ],
  'namespace-controller': [
    r(['delete', 'get', 'list', 'watch'], CORE, ['namespaces']),
    r(['update'], CORE, ['namespaces/finalize', 'namespaces/status']),
    r(['delete', 'deletecollection', 'get', 'list', 'watch'], ['*'], ['*']),
  ],
  'node-controller': [
    r(['delete', 'get', 'list', 'patch', 'update', 'watch'], CORE, ['nodes']),
    r(['patch', 'update'], CORE, ['nodes/status']),
    // Pods are deleted, and marked first, when their node goes.
    r(['patch', 'update'], CORE, ['pods/status']),
    r(['delete', 'get', 'list', 'watch'], CORE, ['pods']),
    EVENTS,
  ],
  'persistent-volume-binder': [
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], CORE, ['persistentvolumes']),
    r(['update'], CORE, ['persistentvolumes/status']),
    r(['get', 'list', 'update', 'watch'], CORE, ['persistentvolumeclaims']),
    r(['update'], CORE, ['persistentvolumeclaims/status']),
    r(['create', 'delete', 'get', 'list', 'watch'], CORE, ['pods']),
    r(READ, ['storage.k8s.io'], ['storageclasses']),
    // The recycler watches its pod's events.
    r(['watch'], CORE, ['events']),
    EVENTS,
  ],
  'pod-garbage-collector': [r(['delete', 'list', 'watch'], CORE, ['pods']), r(READ, CORE, ['nodes']), r(['patch'], CORE, ['pods/status'])],
  'pv-protection-controller': [r(['get', 'list', 'update', 'watch'], CORE, ['persistentvolumes']), EVENTS],
  'pvc-protection-controller': [r(['get', 'list', 'update', 'watch'], CORE, ['persistentvolumeclaims']), r(READ, CORE, ['pods']), EVENTS],
  'replicaset-controller': [
    r(['get', 'list', 'update', 'watch'], APPS_EXTENSIONS, ['replicasets']),
    r(['update'], APPS_EXTENSIONS, ['replicasets/status']),
    r(['update'], APPS_EXTENSIONS, ['replicasets/finalizers']),
    r(['create', 'delete', 'list', 'patch', 'watch'], CORE, ['pods']),
    EVENTS,
  ],
  'replication-controller': [
    // 1.0 controllers needed get and update.
    r(['get', 'list', 'update', 'watch'], CORE, ['replicationcontrollers']),
    r(['update'], CORE, ['replicationcontrollers/status']),
    r(['update'], CORE, ['replicationcontrollers/finalizers']),
    r(['create', 'delete', 'list', 'patch', 'watch'], CORE, ['pods']),
    EVENTS,
  ],
  // Quota counts anything, so it may see everything.
  'resourcequota-controller': [r(['list', 'watch'], ['*'], ['*']), r(['update'], CORE, ['resourcequotas/status']), EVENTS],
  'root-ca-cert-publisher': [r(['create', 'update'], CORE, ['configmaps']), EVENTS],
  'route-controller': [r(['list', 'watch'], CORE, ['nodes']), r(['patch'], CORE, ['nodes/status']), EVENTS],
  'service-account-controller': [r(['create'], CORE, ['serviceaccounts']), EVENTS],
  'service-controller': [r(READ, CORE, ['services']), r(['patch', 'update'], CORE, ['services/status']), r(['list', 'watch'], CORE, ['nodes']), EVENTS],
  'statefulset-controller': [
    r(['list', 'watch'], CORE, ['pods']),
    r(READ, ['apps'], ['statefulsets']),
    r(['update'], ['apps'], ['statefulsets/status']),
    r(['update'], ['apps'], ['statefulsets/finalizers']),
    r(['create', 'delete', 'get', 'patch', 'update'], CORE, ['pods']),
    r(ALL_WRITES, ['apps'], ['controllerrevisions']),
    r(['create', 'get', 'list', 'watch'], CORE, ['persistentvolumeclaims']),
    EVENTS,
    // StatefulSetAutoDeletePVC (on by default): claims are updated, deleted and owned by their pods.
    r(['delete', 'update'], CORE, ['persistentvolumeclaims']),
    r(['update'], CORE, ['pods/finalizers']),
  ],
  'ttl-after-finished-controller': [r(['delete', 'get', 'list', 'watch'], ['batch'], ['jobs']), EVENTS],
  'ttl-controller': [r(['list', 'patch', 'update', 'watch'], CORE, ['nodes']), EVENTS],
  'validatingadmissionpolicy-status-controller': [
    r(READ, ['admissionregistration.k8s.io'], ['validatingadmissionpolicies']),
    r(['get', 'patch', 'update'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status']),
    EVENTS,
  ],
};

export const CONTROLLER_CLUSTER_ROLES: BootstrapClusterRole[] = Object.entries(CONTROLLER_RULES).map(([name, rules]) => ({
  name: `${CONTROLLER_ROLE_PREFIX}${name}`,
  rules,
}));

/** addControllerRole's binding: the role, to the service account named after the controller in kube-system. */
export const CONTROLLER_CLUSTER_ROLE_BINDINGS: BootstrapClusterRoleBinding[] = Object.keys(CONTROLLER_RULES).map((name) => {
  const subject: Subject = { kind: 'ServiceAccount', name, namespace: 'kube-system' };
  return { name: `${CONTROLLER_ROLE_PREFIX}${name}`, role: `${CONTROLLER_ROLE_PREFIX}${name}`, subjects: [subject] };
});
