// ClusterIP allocation through the API, as kube's service REST does it: from
// --service-cluster-ip-range, never twice, released on delete and on type change, kept on update,
// not taken by dry runs; the range's network and broadcast addresses are never handed out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const base = '/api/v1/namespaces/default/services';
const service = (name: string, spec: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

describe('service cluster IPs (range 10.96.0.0/29: six addresses, the first held by default/kubernetes)', () => {
  let server: TestServer;
  const create = (name: string, spec?: Record<string, unknown>, query = '') => server.request('POST', `${base}${query}`, { headers: JSON_HEADERS, body: service(name, spec) });
  const remove = (name: string) => server.request('DELETE', `${base}/${name}`);

  beforeAll(async () => {
    server = await startTestServer({ serviceClusterIPRange: '10.96.0.0/29', writeKubeconfig: false });
  });
  afterAll(async () => server?.close());

  it('gives each service a distinct IP of the range, then answers 500 "range is full" as kube does', async () => {
    // kube-apiserver's own service takes the range's first address.
    const kubernetes = (await server.request('GET', `${base}/kubernetes`)).json();
    expect(kubernetes.spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: server.port }], type: 'ClusterIP', sessionAffinity: 'None' });
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => create(name)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ips = results.map((r) => r.json().spec.clusterIP as string);
    expect(new Set(ips).size).toBe(5);
    expect([...ips].sort()).toEqual(['10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
    for (const r of results) expect(r.json().spec).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', clusterIPs: [r.json().spec.clusterIP] });
    const full = await create('g');
    expect(full.status).toBe(500);
    expect(full.json()).toMatchObject({ reason: 'InternalError', message: 'Internal error occurred: failed to allocate a serviceIP: range is full' });
    // Headless and ExternalName services need no IP.
    expect((await create('h', { clusterIP: 'None' })).status).toBe(201);
    expect((await create('x', { type: 'ExternalName', externalName: 'db.example.com', ports: [] })).status).toBe(201);
  });

  it('refuses an IP already taken with kube\'s message, and gives it out again once its service is gone', async () => {
    const taken = (await server.request('GET', `${base}/a`)).json().spec.clusterIP as string;
    const dup = await create('dup', { clusterIP: taken });
    expect(dup.status).toBe(422);
    expect(dup.json()).toMatchObject({
      reason: 'Invalid',
      message: `Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"${taken}"}: failed to allocate IP ${taken}: provided IP is already allocated`,
      details: { name: 'dup', kind: 'Service', causes: [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs' }] },
    });
    expect((await remove('a')).status).toBe(200);
    const again = await create('dup', { clusterIP: taken });
    expect(again.status).toBe(201);
    expect(again.json().spec.clusterIPs).toEqual([taken]);
  });

  it('refuses IPs outside the range, and its network and broadcast addresses', async () => {
    for (const ip of ['10.97.0.1', '10.96.0.0', '10.96.0.7']) {
      const r = await create('out', { clusterIP: ip });
      expect(r.status).toBe(422);
      expect(r.json().message).toBe(`Service "out" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/29`);
    }
  });

  it('an invalid service gives back the IP it was allocated', async () => {
    await remove('b');
    const bad = await create('bad', { ports: [{ port: 0 }] });
    expect(bad.status).toBe(422);
    const good = await create('good');
    expect(good.status).toBe(201);
  });

  it('a dry run reserves nothing', async () => {
    await remove('c');
    const dry = await create('dry', {}, '?dryRun=All');
    expect(dry.status).toBe(201);
    expect(dry.json().spec.clusterIP).toMatch(/^10\.96\.0\.[1-6]$/);
    expect((await create('real')).status).toBe(201);
  });

  it('an update that leaves the IP out keeps it; changing it is refused', async () => {
    const before = (await server.request('GET', `${base}/d`)).json();
    const put = await server.request('PUT', `${base}/d`, { headers: JSON_HEADERS, body: service('d', { ports: [{ port: 8080 }] }) });
    expect(put.status).toBe(200);
    expect(put.json().spec.clusterIP).toBe(before.spec.clusterIP);
    const other = before.spec.clusterIP === '10.96.0.2' ? '10.96.0.3' : '10.96.0.2';
    const change = await server.request('PATCH', `${base}/d`, { headers: { ...JSON_HEADERS, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { clusterIP: other, clusterIPs: [other] } }) });
    expect(change.status).toBe(422);
    expect(change.json().message).toContain(`spec.clusterIPs[0]: Invalid value: []string{"${other}"}: may not change once set`);
  });

  it('turning a service into ExternalName releases its IP; turning it back allocates one', async () => {
    const ip = (await server.request('GET', `${base}/e`)).json().spec.clusterIP;
    const toExternal = await server.request('PUT', `${base}/e`, { headers: JSON_HEADERS, body: service('e', { type: 'ExternalName', externalName: 'e.example.com', ports: [] }) });
    expect(toExternal.status).toBe(200);
    expect(toExternal.json().spec).not.toHaveProperty('clusterIP');
    expect(toExternal.json().spec).not.toHaveProperty('ipFamilies');
    const reuse = await create('reuse', { clusterIP: ip });
    expect(reuse.status).toBe(201);
    await remove('reuse');
    const back = await server.request('PUT', `${base}/e`, { headers: JSON_HEADERS, body: service('e', { type: 'ClusterIP' }) });
    expect(back.status).toBe(200);
    expect(back.json().spec.clusterIP).toMatch(/^10\.96\.0\.[1-6]$/);
  });

  it('deleting a namespace releases the IPs of its services', async () => {
    await server.request('POST', '/api/v1/namespaces', { headers: JSON_HEADERS, body: JSON.stringify({ metadata: { name: 'gone' } }) });
    for (const name of ['d', 'e', 'f', 'dup', 'good', 'real']) await remove(name);
    const inNs = await server.request('POST', '/api/v1/namespaces/gone/services', { headers: JSON_HEADERS, body: service('s', { clusterIP: '10.96.0.3' }) });
    expect(inNs.status).toBe(201);
    await server.request('DELETE', '/api/v1/namespaces/gone');
    for (let i = 0; i < 100; i++) {
      if ((await server.request('GET', '/api/v1/namespaces/gone')).status === 404) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await create('after', { clusterIP: '10.96.0.3' })).status).toBe(201);
  });
});
