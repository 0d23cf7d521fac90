// kube-apiserver's RBAC post-start hook (ensureRBACPolicy, reconciliation.ReconcileClusterRole/-Binding
// without removing extras): each bootstrap (cluster) role and binding is created when missing; one that
// exists is reconciled (labels and annotations added, missing rules appended, aggregation selectors
// merged, missing subjects added, a changed roleRef recreated) unless its
// rbac.authorization.kubernetes.io/autoupdate annotation is "false".
import type { Store, RequestContext } from '../../registry/store.js';
import type { KubeObject } from '../../registry/resource.js';
import { StatusError } from '../../endpoints/status.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { MASTERS_GROUP } from '../user.js';
import { AUTO_UPDATE_ANNOTATION, RBAC_GROUP, normalizeRule, type PolicyRule, type Subject } from '../../kube-apis/rbac/types.js';
import { covers } from './covers.js';
import {
  BOOTSTRAP_ANNOTATIONS, BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_LABELS, BOOTSTRAP_ROLE_BINDINGS, BOOTSTRAP_ROLES,
  type BootstrapClusterRole, type BootstrapClusterRoleBinding, type BootstrapRole, type BootstrapRoleBinding,
} from './bootstrap-policy.js';
import { CONTROLLER_CLUSTER_ROLE_BINDINGS, CONTROLLER_CLUSTER_ROLES } from './controller-policy.js';

const APISERVER: RequestContext = { user: { name: 'system:apiserver', groups: [MASTERS_GROUP] }, dryRun: false, fieldManager: 'kube-apiserver', subresource: '' };

const API_VERSION = `${RBAC_GROUP}/v1`;

function roleObject(role: BootstrapClusterRole): KubeObject {
  const obj: KubeObject = {
    apiVersion: API_VERSION,
    kind: 'ClusterRole',
    metadata: { name: role.name, labels: { ...BOOTSTRAP_LABELS, ...role.labels }, annotations: { ...BOOTSTRAP_ANNOTATIONS } },
    rules: role.rules ? structuredClone(role.rules) : null,
  };
  if (role.aggregationRule) obj.aggregationRule = structuredClone(role.aggregationRule);
  return obj;
}

function namespacedRoleObject(role: BootstrapRole): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Role',
    metadata: { name: role.name, namespace: role.namespace, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...BOOTSTRAP_ANNOTATIONS } },
    rules: structuredClone(role.rules),
  };
}

function bindingObject(binding: BootstrapClusterRoleBinding | BootstrapRoleBinding): KubeObject {
  const namespaced = 'namespace' in binding;
  const obj: KubeObject = {
    apiVersion: API_VERSION,
    kind: namespaced ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: { name: binding.name, ...(namespaced ? { namespace: binding.namespace } : {}), labels: { ...BOOTSTRAP_LABELS }, annotations: { ...BOOTSTRAP_ANNOTATIONS } },
    roleRef: { apiGroup: RBAC_GROUP, kind: namespaced ? 'Role' : 'ClusterRole', name: binding.role },
  };
  if (binding.subjects.length > 0) obj.subjects = structuredClone(binding.subjects);
  return obj;
}

const autoUpdate = (obj: KubeObject) => obj.metadata?.annotations?.[AUTO_UPDATE_ANNOTATION] !== 'false';

function mergeMeta(existing: KubeObject, expected: KubeObject): KubeObject {
  const meta = existing.metadata;
  return {
    ...existing,
    metadata: {
      ...meta,
      labels: { ...expected.metadata.labels, ...meta.labels },
      annotations: { ...expected.metadata.annotations, ...meta.annotations },
    },
  };
}

/** The role as it should be after reconciliation (unchanged when nothing is missing). */
export function reconcileClusterRole(existing: KubeObject, expected: KubeObject): KubeObject {
  const out = mergeMeta(existing, expected);
  const expectedSelectors: unknown[] = expected.aggregationRule?.clusterRoleSelectors ?? [];
  if (expectedSelectors.length > 0) {
    // An aggregated role's rules belong to the aggregation controller: only the selectors are reconciled.
    const selectors: unknown[] = [...(existing.aggregationRule?.clusterRoleSelectors ?? [])];
    for (const selector of expectedSelectors) if (!selectors.some((s) => deepEqual(s, selector))) selectors.push(selector);
    out.aggregationRule = { ...existing.aggregationRule, clusterRoleSelectors: selectors };
    return out;
  }
  const rules: PolicyRule[] = Array.isArray(existing.rules) ? existing.rules : [];
  const wanted: PolicyRule[] = expected.rules ?? [];
  const missing = wanted.filter((rule) => !covers(rules.map(normalizeRule), [rule]).covered);
  if (missing.length > 0) out.rules = [...rules, ...missing];
  return out;
}

export function reconcileClusterRoleBinding(existing: KubeObject, expected: KubeObject): KubeObject {
  const out = mergeMeta(existing, expected);
  const subjects: Subject[] = Array.isArray(existing.subjects) ? [...existing.subjects] : [];
  for (const subject of (expected.subjects ?? []) as Subject[]) if (!subjects.some((s) => deepEqual(s, subject))) subjects.push(subject);
  if (subjects.length > 0) out.subjects = subjects;
  return out;
}

type Reconcile = (existing: KubeObject, expected: KubeObject) => KubeObject;

const keyOf = (obj: KubeObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

async function ensureOne(store: Store, existing: KubeObject | undefined, expected: KubeObject, reconcile: Reconcile): Promise<void> {
  const name = expected.metadata.name as string;
  const namespace = (expected.metadata.namespace as string | undefined) ?? '';
  if (!existing) {
    await store.create(namespace, expected, APISERVER).catch((err: unknown) => {
      // Another server of the same storage got there first.
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    });
    return;
  }
  if (!autoUpdate(existing)) return;
  if (expected.roleRef && !deepEqual(existing.roleRef, expected.roleRef)) {
    // roleRef cannot change: the binding is recreated.
    await store.delete(namespace, name, {}, APISERVER);
    await store.create(namespace, expected, APISERVER);
    return;
  }
  const reconciled = reconcile(existing, expected);
  if (!deepEqual(reconciled, existing)) await store.update(namespace, name, () => reconciled, APISERVER);
}

/** One list of what exists, then every missing or outdated object written at once (a restart costs one read per kind). */
async function ensureAll(store: Store, expected: KubeObject[], reconcile: Reconcile): Promise<void> {
  const { items } = await store.list('', {});
  const existing = new Map(items.map((obj) => [keyOf(obj), obj]));
  await Promise.all(expected.map((obj) => ensureOne(store, existing.get(keyOf(obj)), obj, reconcile)));
}

export interface BootstrapStores {
  clusterRoles: Store;
  clusterRoleBindings: Store;
  roles: Store;
  roleBindings: Store;
}

/** Creates or reconciles the bootstrap cluster roles and their bindings (kube's ClusterRoles() and
 *  ControllerRoles(), as kube-apiserver's RBAC storage puts them together), and the namespaced ones. */
export async function ensureBootstrapPolicy(stores: BootstrapStores): Promise<void> {
  await Promise.all([
    ensureAll(stores.clusterRoles, [...BOOTSTRAP_CLUSTER_ROLES, ...CONTROLLER_CLUSTER_ROLES].map(roleObject), reconcileClusterRole),
    ensureAll(stores.clusterRoleBindings, [...BOOTSTRAP_CLUSTER_ROLE_BINDINGS, ...CONTROLLER_CLUSTER_ROLE_BINDINGS].map(bindingObject), reconcileClusterRoleBinding),
    ensureAll(stores.roles, BOOTSTRAP_ROLES.map(namespacedRoleObject), reconcileClusterRole),
    ensureAll(stores.roleBindings, BOOTSTRAP_ROLE_BINDINGS.map(bindingObject), reconcileClusterRoleBinding),
  ]);
}
