// API aggregation end to end: an APIService pointing at a Service whose Endpoints name a throwaway
// HTTPS backend. The backend must see the proxy's client certificate and the user in X-Remote-*,
// never the caller's credentials; watches stream; a dead backend is a quick 503 and recovery follows.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { DISCOVERY_ETAG, startAggregatedBackend, type AggregatedBackend } from '../support/aggregated-backend.js';
import { endpointHostIP } from '../support/host-ip.js';

const json = { 'content-type': 'application/json' };

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() - started > ms) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Creates a core object through the API when the server serves it, else straight into storage. */
async function createCore(server: TestServer, resource: string, namespace: string, body: Record<string, any>): Promise<void> {
  const res = await server.request('POST', `/api/v1/namespaces/${namespace}/${resource}`, { headers: json, body: JSON.stringify(body) });
  if (res.status === 201) return;
  if (res.status !== 404) throw new Error(`creating ${resource}: ${res.status} ${res.text}`);
  await server.api.storage.create(`/registry/${resource}/${namespace}/${body.metadata.name}`, { ...body, metadata: { ...body.metadata, namespace } });
}

function availableOf(apiService: any): { status?: string; reason?: string; message?: string } {
  return (apiService.status?.conditions ?? []).find((c: any) => c.type === 'Available') ?? {};
}

describe('API aggregation', () => {
  let server: TestServer;
  let backend: AggregatedBackend;
  const getAPIService = async (name: string) => (await server.request('GET', `/apis/apiregistration.k8s.io/v1/apiservices/${name}`)).json();

  beforeAll(async () => {
    server = await startTestServer({ aggregatorResyncSeconds: 1 });
    const cm = (await server.request('GET', '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication')).json();
    backend = await startAggregatedBackend({ serviceName: 'api', namespace: 'default', clientCAPem: cm.data['requestheader-client-ca-file'], host: endpointHostIP() });
    await createCore(server, 'services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { ports: [{ name: 'https', port: 443, targetPort: backend.port }] } });
    await createCore(server, 'endpoints', 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'api' },
      subsets: [{ addresses: [{ ip: endpointHostIP() }], ports: [{ name: 'https', port: backend.port }] }],
    });
    const created = await server.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', {
      headers: json,
      body: JSON.stringify({
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'v1.example.com' },
        spec: { group: 'example.com', version: 'v1', service: { namespace: 'default', name: 'api' }, caBundle: Buffer.from(backend.caPem).toString('base64'), groupPriorityMinimum: 1000, versionPriority: 15 },
      }),
    });
    expect(created.status).toBe(201);
    expect(created.json().spec.service.port).toBe(443);
    expect(created.json().status).toEqual({});
    const ready = await eventually(() => getAPIService('v1.example.com'), (a) => availableOf(a).status === 'True');
    expect(availableOf(ready)).toMatchObject({ status: 'True', reason: 'Passed', message: 'all checks passed' });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  it('publishes extension-apiserver-authentication with the client CA and the requestheader settings', async () => {
    const cm = (await server.request('GET', '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication')).json();
    expect(cm.data['client-ca-file']).toBe(server.tls.caPem);
    expect(cm.data['requestheader-client-ca-file']).toContain('BEGIN CERTIFICATE');
    expect(cm.data['requestheader-allowed-names']).toBe('["front-proxy-client"]');
    expect(cm.data['requestheader-username-headers']).toBe('["X-Remote-User"]');
    expect(cm.data['requestheader-group-headers']).toBe('["X-Remote-Group"]');
    expect(cm.data['requestheader-extra-headers-prefix']).toBe('["X-Remote-Extra-"]');
    // Tampering is undone.
    await server.request('PATCH', '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication', {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ data: { 'requestheader-allowed-names': '[]' } }),
    });
    const restored = await eventually(
      async () => (await server.request('GET', '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication')).json(),
      (c) => c.data['requestheader-allowed-names'] === '["front-proxy-client"]',
    );
    expect(restored.data['requestheader-allowed-names']).toBe('["front-proxy-client"]');
  });

  it('proxies a GET with path and query, the proxy certificate and the user, never the caller credentials', async () => {
    backend.requests.length = 0;
    const res = await server.request('GET', '/apis/example.com/v1/namespaces/default/widgets/w1?labelSelector=a%3Db&limit=5', {
      headers: { 'X-Remote-User': 'mallory', 'X-Remote-Group': 'system:masters', 'X-Remote-Extra-Scopes': 'all', 'Impersonate-User': 'bob', 'Impersonate-Group': 'system:masters' },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, query: '?labelSelector=a%3Db&limit=5' });
    const seen = backend.requests.find((r) => r.url.startsWith('/apis/example.com/v1/namespaces/default/widgets/w1'))!;
    expect(seen.clientCN).toBe('front-proxy-client');
    // The admin impersonates bob: the backend is told the impersonated user, never the headers.
    expect(seen.headers['x-remote-user']).toBe('bob');
    expect(String(seen.headers['x-remote-group']).split(', ')).toEqual(['system:masters', 'system:authenticated']);
    expect(seen.headers['x-remote-extra-scopes']).toBeUndefined();
    expect(seen.headers['impersonate-user']).toBeUndefined();
    expect(seen.headers['impersonate-group']).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('never forwards a bearer token', async () => {
    backend.requests.length = 0;
    // Anonymous with a bogus token is a 401 at the front door; a request that authenticates by
    // certificate but also carries a header keeps the header out of the backend.
    await server.request('GET', '/apis/example.com/v1/namespaces/default/widgets/w2', { headers: { Authorization: 'Bearer not-forwarded' } });
    for (const r of backend.requests) expect(r.headers.authorization).toBeUndefined();
  });

  it('passes request bodies and backend errors through untouched', async () => {
    const posted = await server.request('POST', '/apis/example.com/v1/namespaces/default/widgets/w3', { headers: json, body: '{"size":9}' });
    expect(posted.status).toBe(201);
    expect(posted.json()).toEqual({ echoed: '{"size":9}' });
    const denied = await server.request('GET', '/apis/example.com/v1/namespaces/default/widgets/forbidden');
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ kind: 'Status', message: 'backend says no', reason: 'Forbidden' });
  });

  it('streams a watch through the proxy', async () => {
    const target = new URL(server.url);
    const lines: string[] = [];
    const admin = { cert: server.tls.adminCertPem, key: server.tls.adminKeyPem };
    const req = https.request({ method: 'GET', hostname: target.hostname, port: target.port, path: '/apis/example.com/v1/namespaces/default/widgets?watch=true', ca: server.tls.caPem, ...admin, agent: false });
    const opened = new Promise<import('node:http').IncomingMessage>((resolve) => req.on('response', resolve));
    req.end();
    const res = await opened;
    expect(res.statusCode).toBe(200);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    await eventually(async () => backend.watchers(), (n) => n > 0);
    backend.emit({ type: 'ADDED', object: { kind: 'Widget', metadata: { name: 'a' } } });
    await eventually(async () => lines.length, (n) => n >= 1);
    backend.emit({ type: 'MODIFIED', object: { kind: 'Widget', metadata: { name: 'a' } } });
    await eventually(async () => lines.length, (n) => n >= 2);
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['ADDED', 'MODIFIED']);
    req.destroy();
    await eventually(async () => backend.watchers(), (n) => n === 0);
    expect(backend.watchers()).toBe(0);
  });

  it('upgrades a connection through the proxy (the user in X-Remote-*, the bytes both ways)', async () => {
    backend.requests.length = 0;
    const target = new URL(server.url);
    const req = https.request({
      method: 'GET',
      hostname: target.hostname,
      port: target.port,
      path: '/apis/example.com/v1/namespaces/default/widgets/w1/exec',
      ca: server.tls.caPem,
      cert: server.tls.adminCertPem,
      key: server.tls.adminKeyPem,
      agent: false,
      headers: { Connection: 'Upgrade', Upgrade: 'echo', 'X-Remote-User': 'mallory' },
    });
    const upgraded = new Promise<{ status: number; socket: import('node:stream').Duplex }>((resolve) => req.on('upgrade', (res, socket) => resolve({ status: res.statusCode ?? 0, socket })));
    req.end();
    const { status, socket } = await upgraded;
    expect(status).toBe(101);
    const echoed = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.write('ping');
    expect(await echoed).toBe('ping');
    socket.destroy();
    const seen = backend.requests.find((r) => r.url.endsWith('/exec'))!;
    expect(seen.headers['x-remote-user']).toBe('kube-chain-admin');
    expect(seen.clientCN).toBe('front-proxy-client');
  });

  it('answers an unauthenticated upgrade request with a 401 on its socket', async () => {
    const res = await server.anonymous('GET', '/apis/example.com/v1/namespaces/default/widgets/w1/exec', { headers: { Connection: 'Upgrade', Upgrade: 'echo', Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
  });

  it('lists the remote group in discovery with its resources and merges its OpenAPI', async () => {
    const groups = await eventually(async () => (await server.request('GET', '/apis')).json(), (g) => g.groups.some((x: any) => x.name === 'example.com'));
    expect(groups.groups.find((g: any) => g.name === 'example.com')).toEqual({ name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }], preferredVersion: { groupVersion: 'example.com/v1', version: 'v1' } });
    const aggregated = await eventually(
      async () => (await server.request('GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } })).json(),
      (d) => d.items.some((g: any) => g.metadata.name === 'example.com' && g.versions[0].freshness === 'Current'),
    );
    const group = aggregated.items.find((g: any) => g.metadata.name === 'example.com');
    expect(group.versions[0]).toMatchObject({ version: 'v1', freshness: 'Current', resources: [{ resource: 'widgets', shortNames: ['wd'] }] });
    const index = await eventually(async () => (await server.request('GET', '/openapi/v3')).json(), (i) => 'apis/example.com/v1' in i.paths);
    const doc = (await server.request('GET', index.paths['apis/example.com/v1'].serverRelativeURL)).json();
    expect(doc.components.schemas['com.example.v1.Widget'].properties.size.description).toBe('How big.');
    expect(doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/com.example.v1.Widget' });
  });

  it('asks again with the ETag it holds, and keeps the resources on 304 Not Modified', async () => {
    const conditional = await eventually(
      async () => backend.requests.filter((r) => r.url === '/apis' && r.headers['if-none-match'] === DISCOVERY_ETAG).length,
      (n) => n > 0,
    );
    expect(conditional).toBeGreaterThan(0);
    const aggregated = (await server.request('GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } })).json();
    expect(aggregated.items.find((g: any) => g.metadata.name === 'example.com').versions[0]).toMatchObject({ freshness: 'Current', resources: [{ resource: 'widgets' }] });
  });

  it('answers 503 quickly while the backend is down, and recovers when it returns', async () => {
    await backend.close();
    const started = Date.now();
    const down = await server.request('GET', '/apis/example.com/v1/namespaces/default/widgets/w1');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toBe('text/plain; charset=utf-8');
    const dialed = endpointHostIP().includes(':') ? `\\[${endpointHostIP()}\\]` : endpointHostIP().replaceAll('.', '\\.');
    expect(down.text).toMatch(new RegExp(`^(service unavailable|dial tcp ${dialed}:\\d+: connect: connection refused)\\n$`));
    const failed = await eventually(() => getAPIService('v1.example.com'), (a) => availableOf(a).status === 'False');
    expect(availableOf(failed).reason).toBe('FailedDiscoveryCheck');
    expect(availableOf(failed).message).toMatch(
      new RegExp(`^failing or missing response from https://${dialed}:${backend.port}/apis/example\\.com/v1: Get "https://${dialed}:${backend.port}/apis/example\\.com/v1": dial tcp ${dialed}:${backend.port}: connect: connection refused$`),
    );
    const unavailable = await server.request('GET', '/apis/example.com/v1/namespaces/default/widgets/w1');
    expect(unavailable.status).toBe(503);
    expect(unavailable.text).toBe('service unavailable\n');
    const table = await server.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.example.com', { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(table.json().rows[0].cells.slice(0, 3)).toEqual(['v1.example.com', 'default/api', 'False (FailedDiscoveryCheck)']);

    await backend.restart();
    const back = await eventually(() => getAPIService('v1.example.com'), (a) => availableOf(a).status === 'True');
    expect(availableOf(back).reason).toBe('Passed');
    const res = await server.request('GET', '/apis/example.com/v1/namespaces/default/widgets/w1');
    expect(res.status).toBe(200);
  });

  it('reports a missing service, a wrong port and missing endpoints with kube reasons', async () => {
    const create = (name: string, service: object) =>
      server.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', {
        headers: json,
        body: JSON.stringify({ metadata: { name: `${name}.example.org` }, spec: { group: 'example.org', version: name, service, insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 10 } }),
      });
    await create('v1', { namespace: 'default', name: 'nothing' });
    await create('v2', { namespace: 'default', name: 'api', port: 8443 });
    await createCore(server, 'services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lonely' }, spec: { ports: [{ name: 'web', port: 443 }] } });
    await create('v3', { namespace: 'default', name: 'lonely' });
    const reasonOf = async (name: string) => availableOf(await eventually(() => getAPIService(name), (a) => availableOf(a).status === 'False'));
    expect(await reasonOf('v1.example.org')).toMatchObject({ reason: 'ServiceNotFound', message: 'service/nothing in "default" is not present' });
    expect(await reasonOf('v2.example.org')).toMatchObject({ reason: 'ServicePortError', message: 'service/api in "default" is not listening on port 8443' });
    expect(await reasonOf('v3.example.org')).toMatchObject({ reason: 'EndpointsNotFound', message: 'cannot find endpoints for service/lonely in "default"' });
    await createCore(server, 'endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'lonely' }, subsets: [{ addresses: [{ ip: endpointHostIP() }], ports: [{ name: 'other', port: 1 }] }] });
    const missing = await eventually(() => getAPIService('v3.example.org'), (a) => availableOf(a).reason === 'MissingEndpoints');
    expect(availableOf(missing).message).toBe('endpoints for service/lonely in "default" have no addresses with port name "web"');
    const res = await server.request('GET', '/apis/example.org/v1/things');
    expect(res.status).toBe(503);
    expect(res.text).toBe('service unavailable\n');
    // Discovery lists each of them once asked, with no resources and marked Stale, as kube's discovery manager.
    const aggregated = await eventually(
      async () => (await server.request('GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } })).json(),
      (d) => d.items.find((g: any) => g.metadata.name === 'example.org')?.versions.length === 3,
    );
    expect(aggregated.items.find((g: any) => g.metadata.name === 'example.org').versions).toEqual([
      { version: 'v3', freshness: 'Stale' },
      { version: 'v2', freshness: 'Stale' },
      { version: 'v1', freshness: 'Stale' },
    ]);
  });

  it('keeps local APIServices for every served group-version, CRD groups included', async () => {
    const list = (await server.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices')).json();
    const byName = new Map<string, any>(list.items.map((a: any) => [a.metadata.name, a]));
    expect(byName.get('v1.')).toMatchObject({ spec: { group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 }, metadata: { labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } } });
    expect(availableOf(byName.get('v1.'))).toMatchObject({ status: 'True', reason: 'Local', message: 'Local APIServices are always available' });
    expect(byName.get('v1.apiregistration.k8s.io').spec).toEqual({ group: 'apiregistration.k8s.io', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 15 });
    expect(byName.get('v1.coordination.k8s.io').spec).toMatchObject({ groupPriorityMinimum: 16500, versionPriority: 15 });

    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.stuff.example.net' },
      spec: { group: 'stuff.example.net', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' }, versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    expect((await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { headers: json, body: JSON.stringify(crd) })).status).toBe(201);
    const local = await eventually(async () => await server.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.stuff.example.net'), (r) => r.status === 200);
    expect(local.json()).toMatchObject({ metadata: { labels: { 'kube-aggregator.kubernetes.io/automanaged': 'true' } }, spec: { group: 'stuff.example.net', version: 'v1alpha1', groupPriorityMinimum: 1000, versionPriority: 100 } });
    await server.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.stuff.example.net');
    const gone = await eventually(async () => (await server.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.stuff.example.net')).status, (s) => s === 404);
    expect(gone).toBe(404);
  });
});
