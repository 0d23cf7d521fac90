// RBAC end to end over HTTPS: a token-file user bound to `view` in one namespace reads there and
// nothing else; every denial is kube's 403 (responsewriters.forbiddenMessage + apierrors.NewForbidden).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';

const VIEWER = { authorization: 'Bearer viewer-token' };
const JSON_BODY = { 'content-type': 'application/json' };

interface Resource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  body: (name: string) => Record<string, unknown>;
  /** What `view` lets one read. */
  readable: boolean;
}

const RESOURCES: Resource[] = [
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', body: (name) => ({ metadata: { name }, data: { a: 'b' } }), readable: true },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', body: (name) => ({ metadata: { name } }), readable: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', body: (name) => ({ metadata: { name }, stringData: { a: 'b' } }), readable: false },
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', body: (name) => ({ metadata: { name }, spec: {} }), readable: false },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'roles',
    kind: 'Role',
    body: (name) => ({ metadata: { name }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }),
    readable: false,
  },
];

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;
type Verb = (typeof VERBS)[number];
const READ_VERBS: Verb[] = ['get', 'list', 'watch'];
const NAMESPACES = ['allowed', 'other'];

function collectionPath(r: Resource, namespace: string): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${root}/namespaces/${namespace}/${r.resource}`;
}

/** What kube answers when RBAC has no rule for the request. */
function forbidden(r: Resource, verb: Verb, namespace: string, name: string): string {
  const qualified = r.group ? `${r.resource}.${r.group}` : r.resource;
  const subject = name ? `${qualified} "${name}"` : qualified;
  return `${subject} is forbidden: User "viewer" cannot ${verb} resource "${r.resource}" in API group "${r.group}" in the namespace "${namespace}"`;
}

function request(server: TestServer, r: Resource, verb: Verb, namespace: string) {
  const collection = collectionPath(r, namespace);
  const item = `${collection}/obj`;
  const opts = { cert: undefined, headers: { ...VIEWER, ...JSON_BODY } };
  switch (verb) {
    case 'get':
      return server.anonymous('GET', item, opts);
    case 'list':
      return server.anonymous('GET', collection, opts);
    case 'watch':
      return server.anonymous('GET', `${collection}?watch=1&timeoutSeconds=1`, opts);
    case 'create':
      return server.anonymous('POST', collection, { ...opts, body: JSON.stringify(r.body('new')) });
    case 'update':
      return server.anonymous('PUT', item, { ...opts, body: JSON.stringify(r.body('obj')) });
    case 'patch':
      return server.anonymous('PATCH', item, { ...opts, headers: { ...VIEWER, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { x: 'y' } } }) });
    case 'delete':
      return server.anonymous('DELETE', item, opts);
    case 'deletecollection':
      return server.anonymous('DELETE', collection, opts);
  }
}

describe('a user with only `view` in one namespace', () => {
  let server: TestServer;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-rbac-'));
    const tokenAuthFile = join(dir, 'tokens.csv');
    await writeFile(tokenAuthFile, 'viewer-token,viewer,uid-viewer,"team"\n');
    server = await startTestServer({ tokenAuthFile });
    const admin = (method: string, path: string, body: unknown) => server.request(method, path, { headers: JSON_BODY, body: JSON.stringify(body) });
    for (const ns of NAMESPACES) {
      expect((await admin('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status).toBe(201);
      for (const r of RESOURCES) expect((await admin('POST', collectionPath(r, ns), r.body('obj'))).status).toBe(201);
    }
    const binding = { metadata: { name: 'viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'viewer' }] };
    expect((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/allowed/rolebindings', binding)).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  const cases = NAMESPACES.flatMap((ns) => RESOURCES.flatMap((r) => VERBS.map((verb) => [ns, r.resource, verb] as const)));
  it.each(cases)('in %s: %s %s', async (ns, resource, verb) => {
    const r = RESOURCES.find((x) => x.resource === resource)!;
    const res = await request(server, r, verb, ns);
    const allowed = ns === 'allowed' && r.readable && READ_VERBS.includes(verb);
    if (allowed) {
      expect(res.status).toBe(200);
      return;
    }
    expect(res.status).toBe(403);
    const name = verb === 'get' || verb === 'update' || verb === 'patch' || verb === 'delete' ? 'obj' : '';
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: forbidden(r, verb, ns, name),
      reason: 'Forbidden',
      details: { ...(name ? { name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.resource },
      code: 403,
    });
  });

  it('may read its namespace but no other, nor list namespaces', async () => {
    const as = { cert: undefined, headers: VIEWER };
    expect((await server.anonymous('GET', '/api/v1/namespaces/allowed', as)).status).toBe(200);
    const other = await server.anonymous('GET', '/api/v1/namespaces/other', as);
    expect(other.json().message).toBe('namespaces "other" is forbidden: User "viewer" cannot get resource "namespaces" in API group "" in the namespace "other"');
    const list = await server.anonymous('GET', '/api/v1/namespaces', as);
    expect(list.json().message).toBe('namespaces is forbidden: User "viewer" cannot list resource "namespaces" in API group "" at the cluster scope');
  });

  it('may read discovery and the public paths, not /metrics', async () => {
    const as = { cert: undefined, headers: VIEWER };
    expect((await server.anonymous('GET', '/apis', as)).status).toBe(200);
    expect((await server.anonymous('GET', '/version', as)).status).toBe(200);
    const metrics = await server.anonymous('GET', '/metrics', as);
    expect(metrics.status).toBe(403);
    expect(metrics.json().message).toBe('forbidden: User "viewer" cannot get path "/metrics"');
  });

  it('a binding to a missing role shows in the denial reason', async () => {
    const binding = { metadata: { name: 'broken' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' }, subjects: [{ kind: 'Group', name: 'team' }] };
    expect((await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/other/rolebindings', { headers: JSON_BODY, body: JSON.stringify(binding) })).status).toBe(201);
    const res = await server.anonymous('GET', '/api/v1/namespaces/other/secrets', { cert: undefined, headers: VIEWER });
    expect(res.json().message).toBe(
      'secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "other": RBAC: role.rbac.authorization.k8s.io "missing" not found',
    );
  });

  it('loses its access as soon as the binding is deleted', async () => {
    expect((await server.request('DELETE', '/apis/rbac.authorization.k8s.io/v1/namespaces/allowed/rolebindings/viewer')).status).toBe(200);
    const res = await server.anonymous('GET', '/api/v1/namespaces/allowed/configmaps', { cert: undefined, headers: VIEWER });
    expect(res.status).toBe(403);
  });
});
