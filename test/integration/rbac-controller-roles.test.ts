// kube-controller-manager's controller roles as kube-apiserver 1.32 creates them at start: every
// system:controller:* ClusterRole of kube's golden file (test/fixtures/rbac/controller-roles-1.32.yaml)
// with exactly its rules, labels and annotations, no other controller role, and a ClusterRoleBinding of
// the same name to the controller's service account in kube-system; the RBAC authorizer then lets each
// controller's service account do what its role says and nothing more; kubectl shows the same rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { startTestServer, type TestServer } from '../support/server.js';
import { kubectl } from '../support/kubectl.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const BOOTSTRAP_ANNOTATIONS = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

type Rule = Record<string, string[]>;

async function golden(): Promise<Record<string, Rule[]>> {
  const path = fileURLToPath(new URL('../fixtures/rbac/controller-roles-1.32.yaml', import.meta.url));
  return load(await readFile(path, 'utf8')) as Record<string, Rule[]>;
}

describe('controller roles', () => {
  let server: TestServer;
  let expected: Record<string, Rule[]>;
  beforeAll(async () => {
    expected = await golden();
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const serviceAccount = (name: string) => ({
    name: `system:serviceaccount:kube-system:${name}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  });

  async function review(user: { name: string; groups: string[] }, attributes: Record<string, string>) {
    const res = await server.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: user.name, groups: user.groups, resourceAttributes: attributes } }),
    });
    expect(res.status).toBe(201);
    return res.json().status as { allowed: boolean; reason?: string };
  }

  it('serves exactly kube\'s controller cluster roles, rule for rule', async () => {
    const res = await server.request('GET', `${RBAC}/clusterroles?labelSelector=kubernetes.io%2Fbootstrapping%3Drbac-defaults`);
    expect(res.status).toBe(200);
    const roles = (res.json().items as any[]).filter((role) => role.metadata.name.startsWith('system:controller:'));
    expect(roles.map((role) => role.metadata.name).sort()).toEqual(Object.keys(expected).sort());
    for (const role of roles) {
      expect({ name: role.metadata.name, rules: role.rules }).toEqual({ name: role.metadata.name, rules: expected[role.metadata.name] });
      expect(role.metadata.labels).toEqual(BOOTSTRAP_LABELS);
      expect(role.metadata.annotations).toEqual(BOOTSTRAP_ANNOTATIONS);
      expect(role.aggregationRule).toBeUndefined();
    }
  });

  it('binds each role to its controller\'s service account in kube-system', async () => {
    const res = await server.request('GET', `${RBAC}/clusterrolebindings`);
    const bindings = new Map((res.json().items as any[]).map((b) => [b.metadata.name, b]));
    for (const name of Object.keys(expected)) {
      const binding = bindings.get(name);
      expect(binding, name).toBeDefined();
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: name.slice('system:controller:'.length), namespace: 'kube-system' }]);
      expect(binding.metadata.labels).toEqual(BOOTSTRAP_LABELS);
      expect(binding.metadata.annotations).toEqual(BOOTSTRAP_ANNOTATIONS);
    }
  });

  it('lets a controller\'s service account do what its role grants, with kube\'s reason, and nothing more', async () => {
    const ns = await review(serviceAccount('namespace-controller'), { verb: 'deletecollection', group: 'apps', resource: 'deployments', namespace: 'team-a' });
    expect(ns).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "system:controller:namespace-controller" of ClusterRole "system:controller:namespace-controller" to ServiceAccount "namespace-controller/kube-system"',
    });
    expect((await review(serviceAccount('deployment-controller'), { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'status', namespace: 'team-a' })).allowed).toBe(true);
    expect((await review(serviceAccount('deployment-controller'), { verb: 'get', resource: 'secrets', namespace: 'team-a' })).allowed).toBe(false);
    expect((await review(serviceAccount('horizontal-pod-autoscaler'), { verb: 'update', group: 'example.com', resource: 'widgets', subresource: 'scale', namespace: 'team-a' })).allowed).toBe(true);
    expect((await review(serviceAccount('legacy-service-account-token-cleaner'), { verb: 'get', resource: 'configmaps', name: 'other', namespace: 'kube-system' })).allowed).toBe(false);
    // The same account name in another namespace is someone else.
    const stranger = { name: 'system:serviceaccount:team-a:namespace-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated'] };
    expect((await review(stranger, { verb: 'delete', resource: 'configmaps', namespace: 'team-a' })).allowed).toBe(false);
  });

  it('shows kubectl the golden rules', async () => {
    const res = await kubectl(server.kubeconfigPath, ['get', 'clusterrole', 'system:controller:deployment-controller', '-o', 'yaml']);
    expect(res.stderr).toBe('');
    const role = load(res.stdout) as any;
    expect(role.rules).toEqual(expected['system:controller:deployment-controller']);
    const bindings = await kubectl(server.kubeconfigPath, ['get', 'clusterrolebinding', 'system:controller:deployment-controller', '-o', 'wide']);
    expect(bindings.stdout).toMatch(/system:controller:deployment-controller\s+ClusterRole\/system:controller:deployment-controller\s+\S+\s+kube-system\/deployment-controller/);
  });
});
