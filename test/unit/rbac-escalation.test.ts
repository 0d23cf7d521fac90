// Escalation prevention as kube's policybased RBAC storage does it (pkg/registry/rbac/*/policybased,
// pkg/registry/rbac/validation.ConfirmNoEscalation, kube 1.32), with kube's Forbidden messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserInfo } from '../../src/auth/user.js';
import { isStatusError } from '../../src/endpoints/status.js';
import { rbacFixture, type RBACFixture } from './rbac-support.js';

const alice: UserInfo = { name: 'alice', groups: ['devs', 'system:authenticated'] };

async function refusal(promise: Promise<unknown>): Promise<{ code: number; message: string; reason: string }> {
  try {
    await promise;
  } catch (err) {
    if (isStatusError(err)) return { code: err.code, message: err.status.message ?? '', reason: err.status.reason ?? '' };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('escalation prevention', () => {
  let f: RBACFixture;
  beforeAll(async () => {
    f = await rbacFixture();
    // alice may manage roles and bindings in "team" (not escalate or bind: "*" would include them) and read pods there.
    await f.create(f.stores.roles, 'team', {
      metadata: { name: 'rbac-manager', namespace: 'team' },
      rules: [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      ],
    });
    await f.create(f.stores.roleBindings, 'team', {
      metadata: { name: 'alice-manager', namespace: 'team' },
      roleRef: { kind: 'Role', name: 'rbac-manager' },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
  });
  afterAll(() => f.close());

  const role = (name: string, rules: unknown[]) => ({ metadata: { name, namespace: 'team' }, rules });

  it('lets a user create a role granting what they hold', async () => {
    const created = await f.create(f.stores.roles, 'team', role('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), alice);
    expect(created.metadata.name).toBe('reader');
  });

  it('refuses a role granting more, listing the missing rules compacted and sorted', async () => {
    const result = await refusal(
      f.create(f.stores.roles, 'team', role('writer', [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['get', 'delete'] }]), alice),
    );
    expect(result).toEqual({
      code: 403,
      reason: 'Forbidden',
      message:
        'roles.rbac.authorization.k8s.io "writer" is forbidden: user "alice" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["deployments"], Verbs:["get" "delete"]}\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n' +
        '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "delete"]}\n' +
        '{APIGroups:["apps"], Resources:["pods"], Verbs:["get" "delete"]}',
    });
  });

  it('refuses a cluster role to a user with no cluster-wide rights, whatever they hold in a namespace', async () => {
    const result = await refusal(f.create(f.stores.clusterRoles, '', { metadata: { name: 'c' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }, alice));
    expect(result.message).toBe(
      'clusterroles.rbac.authorization.k8s.io "c" is forbidden: user "alice" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}',
    );
  });

  it('lets a user with `escalate` grant more', async () => {
    await f.create(f.stores.roles, 'team', role('escalator', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }]));
    await f.create(f.stores.roleBindings, 'team', { metadata: { name: 'carol-escalates', namespace: 'team' }, roleRef: { kind: 'Role', name: 'escalator' }, subjects: [{ kind: 'User', name: 'carol' }] });
    const carol: UserInfo = { name: 'carol', groups: ['system:authenticated'] };
    const created = await f.create(f.stores.roles, 'team', role('big', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), carol);
    expect(created.metadata.name).toBe('big');
  });

  it('refuses to bind a role whose rules the user does not hold', async () => {
    const binding = { metadata: { name: 'bind-big', namespace: 'team' }, roleRef: { kind: 'Role', name: 'big' }, subjects: [{ kind: 'User', name: 'alice' }] };
    const result = await refusal(f.create(f.stores.roleBindings, 'team', binding, alice));
    expect(result.message).toBe(
      'rolebindings.rbac.authorization.k8s.io "bind-big" is forbidden: user "alice" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}',
    );
  });

  it('lets a user bind a role whose rules they hold', async () => {
    const binding = { metadata: { name: 'bind-reader', namespace: 'team' }, roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'dave' }] };
    expect((await f.create(f.stores.roleBindings, 'team', binding, alice)).metadata.name).toBe('bind-reader');
  });

  it('names a missing role as the registry does', async () => {
    const binding = { metadata: { name: 'bind-missing', namespace: 'team' }, roleRef: { kind: 'Role', name: 'nope' }, subjects: [{ kind: 'User', name: 'dave' }] };
    expect((await refusal(f.create(f.stores.roleBindings, 'team', binding, alice))).message).toBe(
      'rolebindings.rbac.authorization.k8s.io "bind-missing" is forbidden: roles.rbac.authorization.k8s.io "nope" not found',
    );
  });

  it('lets a user with `bind` on the role bind it', async () => {
    await f.create(f.stores.roles, 'team', role('binder', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'], resourceNames: ['big'] }]));
    await f.create(f.stores.roleBindings, 'team', { metadata: { name: 'erin-binds', namespace: 'team' }, roleRef: { kind: 'Role', name: 'binder' }, subjects: [{ kind: 'User', name: 'erin' }, { kind: 'User', name: 'alice' }] });
    const erin: UserInfo = { name: 'erin', groups: ['system:authenticated'] };
    const binding = { metadata: { name: 'erin-big', namespace: 'team' }, roleRef: { kind: 'Role', name: 'big' }, subjects: [{ kind: 'User', name: 'frank' }] };
    expect((await f.create(f.stores.roleBindings, 'team', binding, erin)).metadata.name).toBe('erin-big');
  });

  it('refuses an aggregationRule to anyone without full authority (or escalate)', async () => {
    await f.create(f.stores.clusterRoles, '', { metadata: { name: 'aggregator-maker' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['create'] }] });
    await f.create(f.stores.clusterRoleBindings, '', { metadata: { name: 'gina' }, roleRef: { kind: 'ClusterRole', name: 'aggregator-maker' }, subjects: [{ kind: 'User', name: 'gina' }] });
    const gina: UserInfo = { name: 'gina', groups: ['system:authenticated'] };
    const result = await refusal(f.create(f.stores.clusterRoles, '', { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } }, gina));
    expect(result.message).toBe('clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule');
  });

  it('system:masters is never checked', async () => {
    const created = await f.create(f.stores.clusterRoles, '', { metadata: { name: 'anything' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }, { name: 'root', groups: ['system:masters'] });
    expect(created.metadata.name).toBe('anything');
  });
});
