// Protobuf bodies for pods, services, nodes, endpoints and endpoint slices through the whole chain, as
// client-go's typed clients send them (content type application/vnd.kubernetes.protobuf).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { entry, envelope, ld, msg, vi } from '../support/protobuf-bytes.js';

const PROTOBUF = { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf, application/json' };

describe('protobuf request bodies for the aggregation-era core kinds', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ writeKubeconfig: false });
  });
  afterAll(async () => {
    await server?.close();
  });
  const post = (path: string, body: Buffer) => server.request('POST', path, { headers: PROTOBUF, body });

  it('creates a pod from protobuf, with resources, probes and volumes, and defaults it', async () => {
    const pod = Buffer.concat([
      msg(1, ld(1, 'proto-pod'), entry(11, 'app', 'proto')),
      msg(
        2,
        msg(1, ld(1, 'scratch'), msg(2, msg(2, msg(2, ld(1, '1Gi'))))),
        msg(
          2,
          ld(1, 'app'),
          ld(2, 'nginx'),
          msg(6, vi(3, 8080)),
          msg(8, entry(1, 'cpu', ld(1, '500m')), entry(2, 'cpu', ld(1, '250m'))),
          msg(9, ld(1, 'scratch'), ld(3, '/scratch')),
          msg(11, msg(1, msg(2, ld(1, '/ready'), msg(2, vi(1, 0), vi(2, 8080), ld(3, ''))))),
        ),
      ),
    ]);
    const res = await post('/api/v1/namespaces/default/pods', envelope('v1', 'Pod', pod));
    expect(res.status).toBe(201);
    const created = res.json();
    expect(created.metadata).toMatchObject({ name: 'proto-pod', namespace: 'default', labels: { app: 'proto' } });
    expect(created.spec.volumes[0]).toEqual({ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } });
    expect(created.spec.containers[0]).toMatchObject({
      name: 'app',
      image: 'nginx',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      resources: { limits: { cpu: '500m' }, requests: { cpu: '250m' } },
      // The service account admission plugin adds the token volume's mount after it.
      volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }, expect.objectContaining({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' })],
      readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    });
    expect(created.spec.restartPolicy).toBe('Always');
    const got = (await server.request('GET', '/api/v1/namespaces/default/pods/proto-pod')).json();
    expect(got.spec.containers[0].resources).toEqual({ limits: { cpu: '500m' }, requests: { cpu: '250m' } });
  });

  it('a pod whose protobuf fails validation is kube\'s 422; a bad quantity is the decoder\'s 400', async () => {
    const noImage = Buffer.concat([msg(1, ld(1, 'bad')), msg(2, msg(2, ld(1, 'app')))]);
    const invalid = await post('/api/v1/namespaces/default/pods', envelope('v1', 'Pod', noImage));
    expect(invalid.status).toBe(422);
    expect(invalid.json().message).toContain('spec.containers[0].image: Required value');
    const badQuantity = Buffer.concat([msg(1, ld(1, 'bad')), msg(2, msg(2, ld(1, 'app'), ld(2, 'nginx'), msg(8, entry(1, 'cpu', ld(1, 'x')))))]);
    const bad = await post('/api/v1/namespaces/default/pods', envelope('v1', 'Pod', badQuantity));
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ reason: 'BadRequest', message: expect.stringMatching(/^Pod in version "v1" cannot be handled as a Pod: quantities must match/) });
  });

  it('creates a selector-less service and its endpoints and slice, as people point an APIService at an outside server', async () => {
    const svc = Buffer.concat([msg(1, ld(1, 'outside')), msg(2, msg(1, ld(2, 'TCP'), vi(3, 443), msg(4, vi(1, 0), vi(2, 8443), ld(3, ''))))]);
    const createdSvc = await post('/api/v1/namespaces/default/services', envelope('v1', 'Service', svc));
    expect(createdSvc.status).toBe(201);
    expect(createdSvc.json().spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 443, targetPort: 8443, protocol: 'TCP' }] });

    const endpoints = Buffer.concat([msg(1, ld(1, 'outside')), msg(2, msg(1, ld(1, '192.0.2.10')), msg(3, vi(2, 8443), ld(3, 'TCP')))]);
    const createdEndpoints = await post('/api/v1/namespaces/default/endpoints', envelope('v1', 'Endpoints', endpoints));
    expect(createdEndpoints.status).toBe(201);
    expect(createdEndpoints.json().subsets).toEqual([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 8443, protocol: 'TCP' }] }]);

    const slice = Buffer.concat([
      msg(1, ld(1, 'outside-1'), entry(11, 'kubernetes.io/service-name', 'outside')),
      ld(4, 'IPv4'),
      msg(2, ld(1, '192.0.2.10'), msg(2, vi(1, true))),
      msg(3, ld(2, 'TCP'), vi(3, 8443)),
    ]);
    const createdSlice = await post('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', envelope('discovery.k8s.io/v1', 'EndpointSlice', slice));
    expect(createdSlice.status).toBe(201);
    expect(createdSlice.json()).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.10'], conditions: { ready: true } }], ports: [{ protocol: 'TCP', port: 8443 }] });

    // Deleting with DeleteOptions in the slice's own group, as client-go's typed client sends them.
    const deleteOptions = envelope('discovery.k8s.io/v1', 'DeleteOptions', ld(4, 'Background'));
    const deleted = await server.request('DELETE', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/outside-1', { headers: PROTOBUF, body: deleteOptions });
    expect(deleted.status).toBe(200);
    expect((await server.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/outside-1')).status).toBe(404);
  });

  it('creates a node from protobuf, capacity as quantities', async () => {
    const node = Buffer.concat([msg(1, ld(1, 'proto-node')), msg(2, ld(1, '10.244.1.0/24')), msg(3, entry(1, 'cpu', ld(1, '4')), entry(1, 'memory', ld(1, '8Gi')))]);
    const res = await post('/api/v1/nodes', envelope('v1', 'Node', node));
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ metadata: { name: 'proto-node' }, spec: { podCIDR: '10.244.1.0/24' } });
  });
});
