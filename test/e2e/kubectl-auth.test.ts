// `kubectl auth` against kube-chain: can-i (resources, subresources, non-resource URLs, --list),
// whoami, for the admin (system:masters) and for a static-token user, answered with kube's words
// and exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { kubectl } from '../support/kubectl.js';

/** A kubeconfig for the server that authenticates with a bearer token only. */
function tokenKubeconfig(server: TestServer, token: string): string {
  const ca = Buffer.from(server.tls.caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c',
    '  cluster:',
    `    server: ${server.url}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: u',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: c',
    '  context: {cluster: c, user: u, namespace: default}',
    'current-context: c',
    '',
  ].join('\n');
}

async function startWithTokens(dir: string, name: string, options: Parameters<typeof startTestServer>[0]) {
  const tokens = join(dir, 'tokens.csv');
  await writeFile(tokens, 'tok-alice,alice,uid-alice,"dev,qa"\n');
  const server = await startTestServer({ tokenAuthFile: tokens, ...options });
  const aliceConfig = join(server.dataDir, `alice-${name}.kubeconfig`);
  await writeFile(aliceConfig, tokenKubeconfig(server, 'tok-alice'));
  return {
    server,
    admin: (...args: string[]) => kubectl(server.kubeconfigPath, args),
    alice: (...args: string[]) => kubectl(aliceConfig, args),
  };
}

describe('kubectl auth', () => {
  let dir: string;
  let open: Awaited<ReturnType<typeof startWithTokens>>;
  let deny: Awaited<ReturnType<typeof startWithTokens>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-kubectl-auth-'));
    open = await startWithTokens(dir, 'open', {});
    deny = await startWithTokens(dir, 'deny', { authorizationMode: ['AlwaysDeny'] });
  });
  afterAll(async () => {
    await open?.server.close();
    await deny?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('can-i answers yes for system:masters, with exit code 0', async () => {
    for (const args of [
      ['get', 'configmaps'],
      ['create', 'namespaces'],
      ['delete', 'secrets', '-n', 'kube-system'],
      ['update', 'namespaces', '--subresource', 'status'],
      ['get', '/logs'],
      ['*', '*', '--all-namespaces'],
    ]) {
      const result = await deny.admin('auth', 'can-i', ...args);
      expect({ args, ...result }).toMatchObject({ args, code: 0, stdout: 'yes\n' });
    }
  });

  it('can-i for a token user under RBAC: yes and no, with exit codes 0 and 1', async () => {
    expect(await open.alice('auth', 'can-i', 'create', 'selfsubjectaccessreviews.authorization.k8s.io')).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(await open.alice('auth', 'can-i', 'get', '/version')).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(await open.alice('auth', 'can-i', 'list', 'secrets')).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await open.alice('auth', 'can-i', 'get', '/metrics')).toMatchObject({ code: 1, stdout: 'no\n' });
  });

  it('can-i is refused when the user may not even ask (AlwaysDeny), with kube\'s 403', async () => {
    const result = await deny.alice('auth', 'can-i', 'get', 'configmaps');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "alice" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope: Everything is forbidden.',
    );
  });

  it('a user bound to view in one namespace reads there and nothing else', async () => {
    expect((await open.admin('create', 'namespace', 'team')).code).toBe(0);
    expect((await open.admin('create', 'rolebinding', 'alice-view', '--clusterrole=view', '--user=alice', '-n', 'team')).code).toBe(0);
    for (const [verb, resource, ns, answer] of [
      ['list', 'configmaps', 'team', 'yes'],
      ['get', 'configmaps', 'team', 'yes'],
      ['watch', 'events', 'team', 'yes'],
      ['list', 'configmaps', 'default', 'no'],
      ['create', 'configmaps', 'team', 'no'],
      ['delete', 'configmaps', 'team', 'no'],
      ['get', 'secrets', 'team', 'no'],
      ['get', 'configmaps', 'kube-system', 'no'],
      // A RoleBinding grants view's namespaces rule in its namespace only (kubectl still sends -n for it, as kube does).
      ['list', 'namespaces', 'team', 'yes'],
      ['list', 'namespaces', 'default', 'no'],
    ]) {
      const result = await open.alice('auth', 'can-i', verb, resource, '-n', ns);
      expect({ verb, resource, ns, out: result.stdout, code: result.code }).toEqual({ verb, resource, ns, out: `${answer}\n`, code: answer === 'yes' ? 0 : 1 });
    }
    const list = await open.alice('auth', 'can-i', '--list', '-n', 'team');
    expect(list.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n/);
    expect(list.stdout).toMatch(/\nconfigmaps\s+\[\]\s+\[\]\s+\[get list watch\]\n/);
    expect(list.stdout).toMatch(/\nselfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\n/);
    expect((await open.alice('auth', 'can-i', '--list', '-n', 'default')).stdout).not.toMatch(/\nconfigmaps\s/);
    expect((await open.alice('get', 'configmaps', '-n', 'team')).code).toBe(0);
    expect((await open.alice('get', 'configmaps', '-n', 'default')).stderr).toContain(
      'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
  });

  it('--as and --as-group: denied and allowed as kube answers them', async () => {
    // The admin may impersonate anyone (system:masters).
    const denied = await open.admin('--as', 'bob', 'get', 'configmaps');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Error from server (Forbidden): configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" in the namespace "default"');
    expect((await open.admin('--as', 'bob', '--as-group', 'system:masters', 'get', 'configmaps')).code).toBe(0);
    expect((await open.admin('auth', 'whoami', '--as', 'bob', '--as-group', 'dev', '--as-uid', 'u-7')).stdout).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+bob\nUID\s+u-7\nGroups\s+\[dev system:authenticated\]\n$/);
    // alice may not impersonate.
    const refused = await open.alice('--as', 'bob', 'get', 'configmaps');
    expect(refused.stderr).toContain('users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
    // can-i on someone else's behalf.
    expect(await open.admin('auth', 'can-i', 'list', 'configmaps', '--as', 'bob')).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await open.admin('auth', 'can-i', 'list', 'configmaps', '-n', 'team', '--as', 'alice')).toMatchObject({ code: 0, stdout: 'yes\n' });
    const list = await open.admin('auth', 'can-i', '--list', '-n', 'team', '--as', 'alice');
    expect(list.stdout).toMatch(/\nconfigmaps\s+\[\]\s+\[\]\s+\[get list watch\]\n/);
    const bobList = await open.admin('auth', 'can-i', '--list', '-n', 'team', '--as', 'bob');
    expect(bobList.stdout).not.toMatch(/\nconfigmaps\s/);
    expect(bobList.stdout).toMatch(/\nselfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\n/);
  });

  it('whoami prints the user, uid, groups and extras', async () => {
    const alice = await open.alice('auth', 'whoami');
    expect(alice.code).toBe(0);
    expect(alice.stdout).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+alice\nUID\s+uid-alice\nGroups\s+\[dev qa system:authenticated\]\n$/);
    const admin = await open.admin('auth', 'whoami', '-o', 'json');
    const review = JSON.parse(admin.stdout);
    expect(review).toMatchObject({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: { username: 'kube-chain-admin', groups: ['system:masters', 'system:authenticated'] } } });
    expect(review.status.userInfo.extra['authentication.kubernetes.io/credential-id'][0]).toMatch(/^X509SHA256=/);
  });
});
