// Node port allocation through the API, as kube's service REST does it: from
// --service-node-port-range, random ports above the static band, chosen ports checked against the
// range and the ports taken, one port per service port number across protocols, kept on update,
// released on delete, on a change to ClusterIP and when the write fails; dry runs take nothing;
// health check node ports for LoadBalancer services with externalTrafficPolicy Local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const MERGE = { ...JSON_HEADERS, 'content-type': 'application/merge-patch+json' };
const base = '/api/v1/namespaces/default/services';
type Spec = Record<string, unknown>;
const service = (name: string, spec: Spec = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', ports: [{ port: 80 }], ...spec } });

describe('service node ports (range 30000+39: forty ports, the lower 16 kept for users\' choices)', () => {
  let server: TestServer;
  const create = (name: string, spec?: Spec, query = '') => server.request('POST', `${base}${query}`, { headers: JSON_HEADERS, body: service(name, spec) });
  const get = async (name: string) => (await server.request('GET', `${base}/${name}`)).json();
  const remove = (name: string) => server.request('DELETE', `${base}/${name}`);
  const patch = (name: string, body: Spec) => server.request('PATCH', `${base}/${name}`, { headers: MERGE, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startTestServer({ serviceNodePortRange: '30000+39', writeKubeconfig: false });
  });
  afterAll(async () => server?.close());

  it('gives each port of a NodePort service a distinct port of the range, above the static band', async () => {
    const r = await create('web', { ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] });
    expect(r.status).toBe(201);
    const ports = r.json().spec.ports.map((p: { nodePort: number }) => p.nodePort);
    expect(new Set(ports).size).toBe(2);
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(30016);
    for (const port of ports) expect(port).toBeLessThanOrEqual(30039);
    const table = await server.request('GET', `${base}/web`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(table.json().rows[0].cells[4]).toBe(`80:${ports[0]}/TCP,443:${ports[1]}/TCP`);
  });

  it('refuses a chosen port outside the range with kube\'s 422', async () => {
    const r = await create('bad', { ports: [{ port: 80, nodePort: 80 }] });
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({
      reason: 'Invalid',
      message: 'Service "bad" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-30039',
      details: { name: 'bad', kind: 'Service', causes: [{ reason: 'FieldValueInvalid', field: 'spec.ports[0].nodePort' }] },
    });
  });

  it('refuses a port another service holds, and gives it out once that service is gone', async () => {
    expect((await create('chosen', { ports: [{ port: 80, nodePort: 30001 }] })).status).toBe(201);
    const dup = await create('dup', { ports: [{ port: 81 }, { port: 80, nodePort: 30001 }] });
    expect(dup.status).toBe(422);
    expect(dup.json().message).toBe('Service "dup" is invalid: spec.ports[1].nodePort: Invalid value: 30001: provided port is already allocated');
    expect((await remove('chosen')).status).toBe(200);
    const again = await create('dup', { ports: [{ port: 80, nodePort: 30001 }] });
    expect(again.status).toBe(201);
    expect(again.json().spec.ports[0].nodePort).toBe(30001);
    await remove('dup');
  });

  it('one service port number gets one node port for TCP and UDP, chosen or allocated', async () => {
    const dns = await create('dns', { ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP' }] });
    expect(dns.status).toBe(201);
    const [tcp, udp] = dns.json().spec.ports;
    expect(udp.nodePort).toBe(tcp.nodePort);
    const chosen = await create('dns2', { ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP', nodePort: 30002 }] });
    expect(chosen.status).toBe(201);
    expect(chosen.json().spec.ports.map((p: { nodePort: number }) => p.nodePort)).toEqual([30002, 30002]);
    await remove('dns');
    await remove('dns2');
    expect((await create('reuse', { ports: [{ port: 80, nodePort: 30002 }] })).status).toBe(201);
    await remove('reuse');
  });

  it('an invalid service gives back the port it was allocated; a dry run takes nothing', async () => {
    const bad = await create('bad', { ports: [{ port: 80, nodePort: 30003 }], sessionAffinity: 'Sometimes' });
    expect(bad.status).toBe(422);
    const dry = await create('dry', { ports: [{ port: 80, nodePort: 30003 }] }, '?dryRun=All');
    expect(dry.status).toBe(201);
    const dryAny = await create('dry', {}, '?dryRun=All');
    expect(dryAny.json().spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect((await create('taker', { ports: [{ port: 80, nodePort: 30003 }] })).status).toBe(201);
    await remove('taker');
  });

  it('an update that leaves node ports out keeps them; a changed one takes the new and releases the old', async () => {
    const before = (await get('web')).spec.ports;
    const put = await server.request('PUT', `${base}/web`, { headers: JSON_HEADERS, body: service('web', { ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }) });
    expect(put.status).toBe(200);
    expect(put.json().spec.ports.map((p: { nodePort: number }) => p.nodePort)).toEqual(before.map((p: { nodePort: number }) => p.nodePort));
    const moved = await patch('web', { spec: { ports: [{ name: 'http', port: 80, nodePort: 30004 }, { name: 'https', port: 443, nodePort: before[1].nodePort }] } });
    expect(moved.status).toBe(200);
    expect(moved.json().spec.ports[0].nodePort).toBe(30004);
    const old = await create('old', { ports: [{ port: 80, nodePort: before[0].nodePort }] });
    expect(old.status).toBe(201);
    await remove('old');
  });

  it('turning a service into ClusterIP drops and releases its node ports; back to NodePort allocates again', async () => {
    const held = (await get('web')).spec.ports.map((p: { nodePort: number }) => p.nodePort);
    const toClusterIP = await server.request('PUT', `${base}/web`, { headers: JSON_HEADERS, body: JSON.stringify({ ...(await get('web')), spec: { ...(await get('web')).spec, type: 'ClusterIP', externalTrafficPolicy: undefined } }) });
    expect(toClusterIP.status).toBe(200);
    for (const port of toClusterIP.json().spec.ports) expect(port).not.toHaveProperty('nodePort');
    expect((await create('taker', { ports: [{ port: 80, nodePort: held[0] }] })).status).toBe(201);
    await remove('taker');
    const back = await patch('web', { spec: { type: 'NodePort' } });
    expect(back.status).toBe(200);
    for (const port of back.json().spec.ports) expect(port.nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('a failed update gives back the port it took', async () => {
    const r = await patch('web', { spec: { ports: [{ name: 'http', port: 80, nodePort: 30005 }], sessionAffinity: 'Sometimes' } });
    expect(r.status).toBe(422);
    expect((await create('taker', { ports: [{ port: 80, nodePort: 30005 }] })).status).toBe(201);
    await remove('taker');
  });

  it('LoadBalancer services get node ports unless allocateLoadBalancerNodePorts is false', async () => {
    const lb = await create('lb', { type: 'LoadBalancer' });
    expect(lb.status).toBe(201);
    expect(lb.json().spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.json().spec).not.toHaveProperty('healthCheckNodePort');
    const none = await create('lb-none', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
    expect(none.status).toBe(201);
    expect(none.json().spec.ports[0]).not.toHaveProperty('nodePort');
  });

  it('externalTrafficPolicy Local gives a LoadBalancer a health check node port, checked, kept and released', async () => {
    const local = await create('local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(local.status).toBe(201);
    const hc = local.json().spec.healthCheckNodePort;
    expect(hc).toBeGreaterThanOrEqual(30000);
    expect(hc).not.toBe(local.json().spec.ports[0].nodePort);
    const taken = await create('hc', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: hc });
    expect(taken.status).toBe(500);
    expect(taken.json()).toMatchObject({ reason: 'InternalError', message: `Internal error occurred: failed to allocate requested HealthCheck NodePort ${hc}: provided port is already allocated` });
    const kept = await patch('local', { spec: { ports: [{ port: 80 }] } });
    expect(kept.status).toBe(200);
    expect(kept.json().spec.healthCheckNodePort).toBe(hc);
    const cluster = await patch('local', { spec: { externalTrafficPolicy: 'Cluster' } });
    expect(cluster.status).toBe(200);
    expect(cluster.json().spec).not.toHaveProperty('healthCheckNodePort');
    // Its port's node port is chosen in the static band, so the random one cannot take the freed port first.
    expect((await create('hc', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: hc, ports: [{ port: 80, nodePort: 30006 }] })).status).toBe(201);
  });

  it('answers 500 "range is full" as kube does once every port is taken, and deletes free them', async () => {
    const made: string[] = [];
    let full;
    for (let i = 0; i < 40; i++) {
      const r = await create(`f${i}`);
      if (r.status !== 201) {
        full = r;
        break;
      }
      made.push(`f${i}`);
    }
    expect(full?.status).toBe(500);
    expect(full?.json()).toMatchObject({ reason: 'InternalError', message: 'Internal error occurred: failed to allocate a nodePort: range is full' });
    await remove(made[0]);
    expect((await create('last')).status).toBe(201);
  });
});
