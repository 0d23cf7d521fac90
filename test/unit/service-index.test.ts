// The aggregator's in-memory Services/Endpoints/EndpointSlices: the resolver answers from it, follows
// changes as they are written, and still finds what was written a moment before the index heard of it.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/storage/memory/index.js';
import { ServiceIndex } from '../../src/aggregator/service-index.js';
import { ServiceResolver } from '../../src/aggregator/service-resolver.js';

const service = (name: string, port = 443) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec: { ports: [{ name: 'https', port, targetPort: 8443 }] } });
const endpoints = (name: string, ips: string[]) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'ns' }, subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'https', port: 8443 }] }] });
const slice = (name: string, serviceName: string, ip: string) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': serviceName } },
  addressType: 'IPv4',
  endpoints: [{ addresses: [ip], conditions: { ready: true } }],
  ports: [{ name: 'https', port: 9443 }],
});
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('ServiceIndex', () => {
  let index: ServiceIndex | undefined;
  afterEach(() => index?.stop());

  async function setup() {
    const storage = new MemoryStorage();
    index = new ServiceIndex(storage, pino({ level: 'silent' }));
    await index.start();
    const heard: string[] = [];
    index.onChange((namespace, name) => heard.push(`${namespace}/${name}`));
    return { storage, index, heard, resolver: new ServiceResolver(storage, index) };
  }

  it('resolves from what it holds and follows address changes, telling listeners after it has them', async () => {
    const { storage, index, heard, resolver } = await setup();
    await storage.create('/registry/services/ns/api', service('api'));
    await storage.create('/registry/endpoints/ns/api', endpoints('api', ['192.0.2.10']));
    await until(() => heard.includes('ns/api') && index.endpointsOf('ns', 'api') !== undefined);
    expect(await resolver.resolve('ns', 'api', 443)).toEqual({ ok: true, host: '192.0.2.10', port: 8443 });

    let seenAtNotice: unknown;
    index.onChange(() => (seenAtNotice = index.endpointsOf('ns', 'api')?.subsets));
    await storage.guaranteedUpdate('/registry/endpoints/ns/api', undefined, () => endpoints('api', ['192.0.2.11']));
    await until(() => (seenAtNotice as Array<{ addresses: Array<{ ip: string }> }> | undefined)?.[0]?.addresses[0]?.ip === '192.0.2.11');
    expect(await resolver.resolve('ns', 'api', 443)).toEqual({ ok: true, host: '192.0.2.11', port: 8443 });

    await storage.delete('/registry/endpoints/ns/api');
    await until(() => index.endpointsOf('ns', 'api') === undefined);
    expect(await resolver.resolve('ns', 'api', 443)).toEqual({ ok: false, reason: 'EndpointsNotFound' });
    expect(await resolver.resolve('ns', 'api', 80)).toEqual({ ok: false, reason: 'ServicePortError' });
  });

  it('finds a service written a moment ago, before its watch event arrives', async () => {
    const { storage, resolver } = await setup();
    await storage.create('/registry/services/ns/fresh', service('fresh'));
    await storage.create('/registry/endpoints/ns/fresh', endpoints('fresh', ['192.0.2.20']));
    expect(await resolver.resolve('ns', 'fresh', 443)).toEqual({ ok: true, host: '192.0.2.20', port: 8443 });
    expect(await resolver.resolve('ns', 'missing', 443)).toEqual({ ok: false, reason: 'ServiceNotFound' });
  });

  it('groups EndpointSlices by their service label, and moves a relabelled slice', async () => {
    const { storage, index, resolver } = await setup();
    await storage.create('/registry/services/ns/a', service('a'));
    await storage.create('/registry/services/ns/b', service('b'));
    await storage.create('/registry/discovery.k8s.io/endpointslices/ns/a-1', slice('a-1', 'a', '192.0.2.30'));
    await until(() => index.slicesOf('ns', 'a').length === 1);
    expect(await resolver.resolve('ns', 'a', 443)).toEqual({ ok: true, host: '192.0.2.30', port: 9443 });

    await storage.guaranteedUpdate('/registry/discovery.k8s.io/endpointslices/ns/a-1', undefined, () => slice('a-1', 'b', '192.0.2.30'));
    await until(() => index.slicesOf('ns', 'b').length === 1);
    expect(index.slicesOf('ns', 'a')).toEqual([]);
    expect(await resolver.resolve('ns', 'b', 443)).toEqual({ ok: true, host: '192.0.2.30', port: 9443 });
    expect(await resolver.resolve('ns', 'a', 443)).toEqual({ ok: false, reason: 'EndpointsNotFound' });
  });
});
