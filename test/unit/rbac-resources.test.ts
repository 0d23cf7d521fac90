// rbac.authorization.k8s.io/v1 objects as kube 1.32 validates, defaults and prints them
// (pkg/apis/rbac/validation, pkg/apis/rbac/v1/defaults.go, pkg/printers/internalversion).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStatusError } from '../../src/endpoints/status.js';
import type { Store } from '../../src/registry/store.js';
import type { KubeObject } from '../../src/registry/resource.js';
import { clusterRoleBindings, roleBindings, roles } from '../../src/kube-apis/rbac/index.js';
import { ADMIN, rbacFixture, type RBACFixture } from './rbac-support.js';

async function refusal(promise: Promise<unknown>): Promise<{ code: number; message: string; causes?: unknown }> {
  try {
    await promise;
  } catch (err) {
    if (isStatusError(err)) return { code: err.code, message: err.status.message ?? '', causes: err.status.details?.causes };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('RBAC objects', () => {
  let f: RBACFixture;
  beforeAll(async () => {
    f = await rbacFixture();
  });
  afterAll(() => f.close());
  const create = (store: Store, ns: string, obj: KubeObject) => store.create(ns, obj, ADMIN);

  it('rules need verbs; resource rules need apiGroups and resources', async () => {
    const result = await refusal(create(f.stores.roles, 'ns', { metadata: { name: 'r' }, rules: [{}, { verbs: ['get'], resources: ['pods'] }] }));
    expect(result.code).toBe(422);
    expect(result.message).toBe(
      'Role.rbac.authorization.k8s.io "r" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource, rules[1].apiGroups: Required value: resource rules must supply at least one api group]',
    );
  });

  it('nonResourceURLs only in ClusterRoles, never with resources', async () => {
    const inRole = await refusal(create(f.stores.roles, 'ns', { metadata: { name: 'r' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }));
    expect(inRole.message).toBe('Role.rbac.authorization.k8s.io "r" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs');
    const mixed = await refusal(create(f.stores.clusterRoles, '', { metadata: { name: 'c' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }] }));
    expect(mixed.message).toBe('ClusterRole.rbac.authorization.k8s.io "c" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs');
  });

  it('an aggregationRule needs a selector', async () => {
    const result = await refusal(create(f.stores.clusterRoles, '', { metadata: { name: 'a' }, aggregationRule: {} }));
    expect(result.message).toBe('ClusterRole.rbac.authorization.k8s.io "a" is invalid: aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil');
  });

  it('names only need to be path segments', async () => {
    expect((await create(f.stores.clusterRoles, '', { metadata: { name: 'system:Odd_Name' }, rules: [] })).metadata.name).toBe('system:Odd_Name');
    expect((await refusal(create(f.stores.clusterRoles, '', { metadata: { name: 'a/b' } }))).message).toBe(
      'ClusterRole.rbac.authorization.k8s.io "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain \'/\'',
    );
  });

  it('a Role without rules is stored with "rules": null', async () => {
    const created = await create(f.stores.roles, 'ns', { metadata: { name: 'empty' } });
    expect(created.rules).toBeNull();
  });

  it('defaults roleRef.apiGroup and the apiGroup of User and Group subjects', async () => {
    const created = await create(f.stores.roleBindings, 'ns', {
      metadata: { name: 'b' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'u' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 'default' }],
    });
    expect(created.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(created.subjects).toEqual([
      { kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'g', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'default' },
    ]);
  });

  it('checks subjects and roleRef as kube does', async () => {
    const result = await refusal(
      create(f.stores.clusterRoleBindings, '', {
        metadata: { name: 'b' },
        roleRef: { apiGroup: 'x', kind: 'Role', name: '' },
        subjects: [{ kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: 'v1' }, { kind: 'User', name: 'u', apiGroup: 'x' }, { kind: 'Robot', name: 'r' }, { kind: 'Group' }],
      }),
    );
    expect(result.message).toBe(
      'ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: [roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io", roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", roleRef.name: Required value, ' +
        'subjects[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\'), ' +
        'subjects[0].apiGroup: Unsupported value: "v1": supported values: "", subjects[0].namespace: Required value, subjects[1].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io", ' +
        'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group", subjects[3].name: Required value]',
    );
  });

  it('roleRef cannot change', async () => {
    await create(f.stores.roleBindings, 'ns', { metadata: { name: 'fixed' }, roleRef: { kind: 'ClusterRole', name: 'view' } });
    const result = await refusal(f.stores.roleBindings.update('ns', 'fixed', (cur) => ({ ...cur!, roleRef: { ...cur!.roleRef, name: 'edit' } }), ADMIN));
    expect(result.message).toBe(
      'RoleBinding.rbac.authorization.k8s.io "fixed" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    );
  });

  it('a body of the wrong shape is a 400, as Go decoding fails', async () => {
    const result = await refusal(create(f.stores.roles, 'ns', { metadata: { name: 'x' }, rules: [{ verbs: 'get' }] }));
    expect(result.code).toBe(400);
    expect(result.message).toBe('Role in version "v1" cannot be handled as a Role: json: cannot unmarshal string into Go struct field PolicyRule.rules.verbs of type []string');
  });

  it('prints roles with Created At, bindings with Role and the wide subject columns', () => {
    expect(roles.table.columns.map((c) => [c.name, c.type, c.priority])).toEqual([['Name', 'string', 0], ['Created At', 'date', 0]]);
    expect(roles.table.cells({ metadata: { name: 'r', creationTimestamp: '2024-01-02T03:04:05Z' } })).toEqual(['r', '2024-01-02T03:04:05Z']);
    expect(roleBindings.table.columns.map((c) => [c.name, c.priority])).toEqual([['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
    const cells = clusterRoleBindings.table.cells({
      metadata: { name: 'b', creationTimestamp: new Date(Date.now() - 3 * 3600_000).toISOString() },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'u1' }, { kind: 'User', name: 'u2' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
    });
    expect(cells).toEqual(['b', 'ClusterRole/view', '3h', 'u1, u2', 'g', 'ns/sa']);
  });
});
