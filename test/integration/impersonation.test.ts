// Impersonation over HTTPS, authorized by RBAC, as kube-apiserver 1.32 answers it: who may
// impersonate what, kube's 403s for each kind, the 500 for groups without a user, and who the
// request then runs as.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';

const json = { 'content-type': 'application/json' };
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

describe('impersonation', () => {
  let server: TestServer;
  let dir: string;
  const alice = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    server.anonymous(method, path, { headers: { ...json, authorization: 'Bearer tok-alice', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const admin = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    server.request(method, path, { headers: { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const whoami = async (send: typeof alice, headers: Record<string, string>) => (await send('POST', WHOAMI, headers, {})).json();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-impersonation-'));
    const tokens = join(dir, 'tokens.csv');
    await writeFile(tokens, 'tok-alice,alice,uid-alice,dev\n');
    server = await startTestServer({ tokenAuthFile: tokens, writeKubeconfig: false });
    // alice may impersonate the user "bob" and the group "dev" only.
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'impersonate-bob' }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['bob'] }, { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['dev'] }] };
    expect((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {}, role)).status).toBe(201);
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'alice-impersonates-bob' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonate-bob' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] };
    expect((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {}, binding)).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the request as the impersonated user, with system:authenticated added', async () => {
    expect((await whoami(alice, { 'Impersonate-User': 'bob' })).status.userInfo).toEqual({ username: 'bob', groups: ['system:authenticated'] });
    expect((await whoami(alice, { 'Impersonate-User': 'bob', 'Impersonate-Group': 'dev' })).status.userInfo).toEqual({ username: 'bob', groups: ['dev', 'system:authenticated'] });
    const full = await whoami(admin, { 'Impersonate-User': 'carol', 'Impersonate-Uid': 'u-9', 'Impersonate-Extra-Example.com%2FScopes': 'read', 'Impersonate-Group': 'system:masters' });
    expect(full.status.userInfo).toEqual({ username: 'carol', uid: 'u-9', groups: ['system:masters', 'system:authenticated'], extra: { 'example.com/scopes': ['read'] } });
    // Named unauthenticated, carol is not even system:basic-user.
    const unauthenticated = await admin('POST', WHOAMI, { 'Impersonate-User': 'carol', 'Impersonate-Group': 'system:unauthenticated' }, {});
    expect(unauthenticated.json().message).toBe('selfsubjectreviews.authentication.k8s.io is forbidden: User "carol" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope');
    const sa = await whoami(admin, { 'Impersonate-User': 'system:serviceaccount:default:robot' });
    expect(sa.status.userInfo.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
  });

  it('authorizes the impersonated user for the request itself', async () => {
    const res = await admin('GET', '/api/v1/namespaces/default/configmaps', { 'Impersonate-User': 'bob' });
    expect(res.status).toBe(403);
    expect(res.json().message).toBe('configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" in the namespace "default"');
    expect((await admin('GET', '/api/v1/namespaces/default/configmaps', { 'Impersonate-User': 'bob', 'Impersonate-Group': 'system:masters' })).status).toBe(200);
  });

  it('refuses what the requestor may not impersonate, with kube\'s 403 for each kind', async () => {
    const cases: Array<[Record<string, string>, string, Record<string, string>]> = [
      [{ 'Impersonate-User': 'carol' }, 'users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope', { name: 'carol', kind: 'users' }],
      [{ 'Impersonate-User': 'bob', 'Impersonate-Group': 'system:masters' }, 'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope', { name: 'system:masters', kind: 'groups' }],
      [{ 'Impersonate-User': 'system:serviceaccount:kube-system:robot' }, 'serviceaccounts "robot" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"', { name: 'robot', kind: 'serviceaccounts' }],
      [{ 'Impersonate-User': 'bob', 'Impersonate-Extra-Scopes': 'all' }, 'userextras.authentication.k8s.io "all" is forbidden: User "alice" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope', { name: 'all', group: 'authentication.k8s.io', kind: 'userextras' }],
      [{ 'Impersonate-User': 'bob', 'Impersonate-Uid': 'u-1' }, 'uids.authentication.k8s.io "u-1" is forbidden: User "alice" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope', { name: 'u-1', group: 'authentication.k8s.io', kind: 'uids' }],
    ];
    for (const [headers, message, details] of cases) {
      const res = await alice('GET', '/api/v1/namespaces/default/configmaps', headers);
      expect({ headers, status: res.status, body: res.json() }).toMatchObject({ headers, status: 403, body: { reason: 'Forbidden', message, details } });
    }
  });

  it('groups, extras or a uid without a user are an internal error, as kube answers them', async () => {
    const res = await admin('GET', '/api/v1/namespaces', { 'Impersonate-Group': 'system:masters' });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ reason: 'InternalError', message: 'Internal Server Error: "/api/v1/namespaces": requested [{Group  system:masters    }] without impersonating a user' });
  });

  it('answers access reviews for the impersonated user', async () => {
    const review = await admin('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { 'Impersonate-User': 'bob' }, { spec: { resourceAttributes: { verb: 'list', resource: 'secrets', namespace: 'default' } } });
    expect(review.json().status).toEqual({ allowed: false });
  });
});

describe('impersonation in the audit log', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-impersonation-audit-'));
    await writeFile(join(dir, 'policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
    server = await startTestServer({ auditPolicyFile: join(dir, 'policy.yaml'), auditLogPath: join(dir, 'audit.log'), writeKubeconfig: false });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the authenticated user and records the impersonated one', async () => {
    const res = await server.request('GET', '/api/v1/namespaces/default/configmaps', { headers: { 'Impersonate-User': 'bob', 'Impersonate-Group': 'system:masters' } });
    expect(res.status).toBe(200);
    const auditID = String(res.headers['audit-id']);
    const lines = (await readFile(join(dir, 'audit.log'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const [received, complete] = lines.filter((e) => e.auditID === auditID);
    // RequestReceived is written before impersonation runs, as in kube.
    expect(received.stage).toBe('RequestReceived');
    expect(received.impersonatedUser).toBeUndefined();
    expect(complete).toMatchObject({ stage: 'ResponseComplete', user: { username: 'kube-chain-admin' }, impersonatedUser: { username: 'bob', groups: ['system:masters', 'system:authenticated'] } });
  });
});
