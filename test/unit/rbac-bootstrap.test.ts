// kube's bootstrap policy, its reconciliation at start (ensureRBACPolicy) and ClusterRole aggregation
// (the clusterrole-aggregation controller), kube 1.32.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapPolicy } from '../../src/auth/rbac/reconcile.js';
import { BOOTSTRAP_CLUSTER_ROLES } from '../../src/auth/rbac/bootstrap-policy.js';
import { CONTROLLER_CLUSTER_ROLES } from '../../src/auth/rbac/controller-policy.js';
import { ADMIN, rbacFixture, type RBACFixture } from './rbac-support.js';

describe('bootstrap policy', () => {
  let f: RBACFixture;
  beforeAll(async () => {
    f = await rbacFixture();
  });
  afterAll(() => f.close());

  it('creates kube\'s default cluster roles and bindings, labelled and annotated', async () => {
    const { items } = await f.stores.clusterRoles.list('', {});
    const names = items.map((r) => r.metadata.name);
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:public-info-viewer', 'system:basic-user', 'system:monitoring', 'system:auth-delegator']) {
      expect(names).toContain(name);
    }
    expect(names).toHaveLength(BOOTSTRAP_CLUSTER_ROLES.length + CONTROLLER_CLUSTER_ROLES.length);
    const admin = items.find((r) => r.metadata.name === 'cluster-admin')!;
    expect(admin.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    expect(admin.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    const binding = await f.stores.clusterRoleBindings.get('', 'system:public-info-viewer');
    expect(binding.subjects.map((s: { name: string }) => s.name)).toEqual(['system:authenticated', 'system:unauthenticated']);
  });

  it('creates kube-system\'s and kube-public\'s own roles and bindings', async () => {
    const reader = await f.stores.roles.get('kube-system', 'extension-apiserver-authentication-reader');
    expect(reader.rules).toEqual([{ apiGroups: [''], resourceNames: ['extension-apiserver-authentication'], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    const binding = await f.stores.roleBindings.get('kube-system', 'system::leader-locking-kube-scheduler');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'system::leader-locking-kube-scheduler' });
    const scheduler = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };
    const lease = { user: scheduler, verb: 'update', isResourceRequest: true, path: '', namespace: 'kube-system', apiGroup: 'coordination.k8s.io', apiVersion: 'v1', resource: 'leases', subresource: '', name: 'kube-scheduler' };
    expect((await f.authorizer.authorize(lease)).decision).toBe('Allow');
    expect((await f.stores.roleBindings.get('kube-public', 'system:controller:bootstrap-signer')).subjects).toEqual([{ kind: 'ServiceAccount', name: 'bootstrap-signer', namespace: 'kube-system' }]);
  });

  it('aggregates view into edit and edit into admin', async () => {
    const view = await f.stores.clusterRoles.get('', 'view');
    const aggregateToView = await f.stores.clusterRoles.get('', 'system:aggregate-to-view');
    expect(view.rules).toEqual(aggregateToView.rules);
    const edit = await f.stores.clusterRoles.get('', 'edit');
    for (const rule of view.rules) expect(edit.rules).toContainEqual(rule);
    const admin = await f.stores.clusterRoles.get('', 'admin');
    expect(admin.rules).toContainEqual({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] });
  });

  it('keeps aggregated rules in sync as labelled roles come and go', async () => {
    const rule = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] };
    await f.create(f.stores.clusterRoles, '', { metadata: { name: 'widget-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [rule] });
    await f.settle();
    await f.settle();
    expect((await f.stores.clusterRoles.get('', 'view')).rules).toContainEqual(rule);
    expect((await f.stores.clusterRoles.get('', 'admin')).rules).toContainEqual(rule);
    await f.stores.clusterRoles.delete('', 'widget-viewer', {}, ADMIN);
    await f.settle();
    await f.settle();
    expect((await f.stores.clusterRoles.get('', 'view')).rules).not.toContainEqual(rule);
  });

  it('reconciles at start: missing rules and subjects come back, autoupdate=false is left alone', async () => {
    await f.stores.clusterRoles.update('', 'system:discovery', (cur) => ({ ...cur!, rules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }] }), ADMIN);
    await f.stores.clusterRoleBindings.update('', 'system:basic-user', (cur) => ({ ...cur!, subjects: [] }), ADMIN);
    await f.stores.clusterRoles.update(
      '',
      'system:monitoring',
      (cur) => ({ ...cur!, metadata: { ...cur!.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }] }),
      ADMIN,
    );
    await ensureBootstrapPolicy(f.stores);
    const discovery = await f.stores.clusterRoles.get('', 'system:discovery');
    expect(discovery.rules[0]).toEqual({ verbs: ['get'], nonResourceURLs: ['/api'] });
    expect(discovery.rules[1].nonResourceURLs).toContain('/apis/*');
    expect((await f.stores.clusterRoleBindings.get('', 'system:basic-user')).subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }]);
    expect((await f.stores.clusterRoles.get('', 'system:monitoring')).rules).toEqual([{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]);
  });
});
