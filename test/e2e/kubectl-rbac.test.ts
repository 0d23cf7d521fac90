// RBAC through the real kubectl: `kubectl create role/rolebinding/clusterrole/clusterrolebinding`,
// kube's printer columns, and a user refused an escalation with kube's message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { kubectl, type KubectlResult } from '../support/kubectl.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('kubectl against kube-chain: RBAC', () => {
  let server: TestServer;
  let asAdmin: (...args: string[]) => Promise<KubectlResult>;
  let asDev: (...args: string[]) => Promise<KubectlResult>;

  beforeAll(async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'kc-rbac-e2e-'));
    const tokenAuthFile = join(dir, 'tokens.csv');
    await writeFile(tokenAuthFile, 'dev-token,dev,uid-dev,"devs"\n');
    server = await startTestServer({ tokenAuthFile });
    // dev's kubeconfig: the admin's, with a bearer token instead of the client certificate.
    const config = load(await readFile(server.kubeconfigPath, 'utf8')) as { users: Array<{ user: Record<string, unknown> }> };
    config.users[0].user = { token: 'dev-token' };
    const devConfig = join(server.dataDir, 'dev.kubeconfig');
    await writeFile(devConfig, dump(config));
    asAdmin = (...args) => kubectl(server.kubeconfigPath, args);
    asDev = (...args) => kubectl(devConfig, args);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates roles and bindings imperatively and prints them as kube does', async () => {
    expect((await asAdmin('create', 'namespace', 'team')).code).toBe(0);
    expect((await asAdmin('create', 'role', 'cm-reader', '-n', 'team', '--verb=get,list,watch', '--resource=configmaps')).stdout.trim()).toBe('role.rbac.authorization.k8s.io/cm-reader created');
    expect((await asAdmin('create', 'rolebinding', 'dev-reads', '-n', 'team', '--role=cm-reader', '--user=dev', '--group=devs', '--serviceaccount=team:robot')).stdout.trim()).toBe(
      'rolebinding.rbac.authorization.k8s.io/dev-reads created',
    );
    const role = JSON.parse((await asAdmin('get', 'role', 'cm-reader', '-n', 'team', '-o', 'json')).stdout);
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    expect((await asAdmin('get', 'roles', '-n', 'team')).stdout).toMatch(/^NAME\s+CREATED AT\ncm-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const wide = (await asAdmin('get', 'rolebindings', '-n', 'team', '-o', 'wide')).stdout;
    expect(wide).toMatch(/^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n/);
    expect(wide).toMatch(/\ndev-reads\s+Role\/cm-reader\s+\d+s\s+dev\s+devs\s+team\/robot\n$/);
    expect((await asAdmin('get', 'clusterroles', 'view', 'cluster-admin', '-o', 'name')).stdout.trim()).toBe('clusterrole.rbac.authorization.k8s.io/view\nclusterrole.rbac.authorization.k8s.io/cluster-admin');
    expect((await asAdmin('get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide')).stdout).toMatch(/\ncluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s+\n$/);
  });

  it('the bound user reads there and nothing else, with kube\'s message', async () => {
    expect((await asAdmin('create', 'configmap', 'c1', '-n', 'team', '--from-literal=a=b')).code).toBe(0);
    expect((await asDev('get', 'configmaps', '-n', 'team', '-o', 'name')).stdout.trim()).toBe('configmap/c1');
    const denied = await asDev('get', 'configmaps', '-n', 'default');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Error from server (Forbidden): configmaps is forbidden: User "dev" cannot list resource "configmaps" in API group "" in the namespace "default"');
    const write = await asDev('delete', 'configmap', 'c1', '-n', 'team');
    expect(write.stderr).toContain('Error from server (Forbidden): configmaps "c1" is forbidden: User "dev" cannot delete resource "configmaps" in API group "" in the namespace "team"');
  });

  it('refuses an escalation with kube\'s message, and allows it once the user may escalate', async () => {
    // dev may manage roles in "team" (but not escalate or bind them).
    expect((await asAdmin('create', 'role', 'role-manager', '-n', 'team', '--verb=get,list,create,update,patch,delete', '--resource=roles.rbac.authorization.k8s.io')).code).toBe(0);
    expect((await asAdmin('create', 'rolebinding', 'dev-manages', '-n', 'team', '--role=role-manager', '--user=dev')).code).toBe(0);
    expect((await asDev('create', 'role', 'cm-reader-2', '-n', 'team', '--verb=get', '--resource=configmaps')).stdout.trim()).toBe('role.rbac.authorization.k8s.io/cm-reader-2 created');
    const escalation = await asDev('create', 'role', 'secret-admin', '-n', 'team', '--verb=get,delete', '--resource=secrets,configmaps');
    expect(escalation.code).not.toBe(0);
    expect(escalation.stderr).toContain(
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "secret-admin" is forbidden: user "dev" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["configmaps"], Verbs:["delete"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    );
    expect((await asAdmin('create', 'role', 'escalator', '-n', 'team', '--verb=escalate', '--resource=roles.rbac.authorization.k8s.io')).code).toBe(0);
    expect((await asAdmin('create', 'rolebinding', 'dev-escalates', '-n', 'team', '--role=escalator', '--user=dev')).code).toBe(0);
    expect((await asDev('create', 'role', 'secret-admin', '-n', 'team', '--verb=get,delete', '--resource=secrets,configmaps')).stdout.trim()).toBe('role.rbac.authorization.k8s.io/secret-admin created');
  });

  it('explains the RBAC kinds', async () => {
    const explain = await asAdmin('explain', 'rolebinding.subjects');
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('KIND:       RoleBinding');
    expect(explain.stdout).toContain('GROUP:      rbac.authorization.k8s.io');
  });
});
