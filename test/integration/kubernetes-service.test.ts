// default/kubernetes as kube-apiserver keeps it: the Service on the range's first IP, port 443 to the
// secure port, and each running server's advertised address in its Endpoints and EndpointSlice; a
// server that stops takes its address out (seen with two servers sharing MongoDB).
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { announceSkip, getMongoUri, uniqueDbName } from '../support/mongo.js';

const mongo = await getMongoUri();
if (!mongo) announceSkip('test/integration/kubernetes-service.test.ts (two servers on one database)');
afterAll(async () => {
  await mongo?.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const endpointsOf = async (server: TestServer) => (await server.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).json();

describe('the kubernetes service', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ advertiseAddress: '192.0.2.77', writeKubeconfig: false });
  });
  afterAll(async () => server?.close());

  it('is created on the first IP of the range, pointing at the secure port', async () => {
    const service = (await server.request('GET', '/api/v1/namespaces/default/services/kubernetes')).json();
    expect(service.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(service.spec).toEqual({
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: server.port }],
      clusterIP: '10.0.0.1',
      clusterIPs: ['10.0.0.1'],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
  });

  it('lists the advertised address in its Endpoints and EndpointSlice', async () => {
    const endpoints = await endpointsOf(server);
    expect(endpoints.metadata.labels).toEqual({ 'endpointslice.kubernetes.io/skip-mirror': 'true' });
    expect(endpoints.subsets).toEqual([{ addresses: [{ ip: '192.0.2.77' }], ports: [{ name: 'https', port: server.port, protocol: 'TCP' }] }]);
    const slice = (await server.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).json();
    expect(slice).toMatchObject({
      metadata: { labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.0.2.77'], conditions: { ready: true } }],
      ports: [{ name: 'https', port: server.port, protocol: 'TCP' }],
    });
  });
});

describe.skipIf(!mongo)('the kubernetes service with two servers on one database', () => {
  it('carries both addresses while both run, and one when the other has stopped', async () => {
    const uri = `${mongo!.uri.replace(/\/$/, '')}/${uniqueDbName('kubesvc')}`;
    // Both on one port (on two loopback addresses), as the servers behind one service run.
    const port = await freePort();
    const first = await startTestServer({ storageBackend: 'mongodb', mongodbUri: uri, advertiseAddress: '192.0.2.81', securePort: port, writeKubeconfig: false });
    const second = await startTestServer({ storageBackend: 'mongodb', mongodbUri: uri, advertiseAddress: '192.0.2.82', bindAddress: '127.0.0.2', securePort: port, writeKubeconfig: false });
    const ips = async () => ((await endpointsOf(first)).subsets as Array<{ addresses: Array<{ ip: string }> }>).flatMap((s) => s.addresses.map((a) => a.ip));
    // The first server reads through its watch cache, which hears of the second's writes a moment later.
    const eventually = async (want: string[]) => {
      let seen: string[] = [];
      for (let i = 0; i < 100 && JSON.stringify(seen) !== JSON.stringify(want); i++) {
        seen = await ips();
        if (JSON.stringify(seen) !== JSON.stringify(want)) await new Promise((r) => setTimeout(r, 100));
      }
      return seen;
    };
    try {
      expect(await eventually(['192.0.2.81', '192.0.2.82'])).toEqual(['192.0.2.81', '192.0.2.82']);
      await second.close();
      expect(await eventually(['192.0.2.81'])).toEqual(['192.0.2.81']);
    } finally {
      await second.close();
      await first.close();
    }
  }, 60_000);
});
