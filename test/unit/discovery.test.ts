import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DiscoveryRegistry,
  compareKubeAwareVersions,
  discoveryMux,
  groupVersionHandler,
  storageVersionHash,
} from '../../src/aggregator/discovery/index.js';
import type { KubeMiddleware } from '../../src/server/context.js';
import { configmaps, def, eventsV1, leases, namespaces, serve, type Served } from './discovery-support.js';

const AGG_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGG_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

function chain(registry: DiscoveryRegistry): KubeMiddleware {
  const mux = discoveryMux(registry, { serverAddress: '10.0.0.1:6443' });
  return (ctx, next) => {
    if (mux.owns(ctx.path)) return mux.handle(ctx, next);
    const m = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))\/?$/.exec(ctx.path);
    if (m) return m[1] ? groupVersionHandler(registry, '', m[1])(ctx, next) : groupVersionHandler(registry, m[2], m[3])(ctx, next);
    return next();
  };
}

describe('kube-aware version order', () => {
  it('orders GA > beta > alpha, then major, then minor; non-kube versions last, alphabetically', () => {
    const versions = ['foo', 'v1alpha1', 'v1beta1', 'v2beta1', 'v1', 'v2', 'v1beta2', 'bar', 'v10'];
    const sorted = [...versions].sort((a, b) => compareKubeAwareVersions(b, a));
    expect(sorted).toEqual(['v10', 'v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v1alpha1', 'bar', 'foo']);
  });
});

describe('storageVersionHash', () => {
  it('matches the values kube-apiserver publishes', () => {
    expect(storageVersionHash('', 'v1', 'ConfigMap')).toBe('qFsyl6wFWjQ=');
    expect(storageVersionHash('', 'v1', 'Namespace')).toBe('Q3oi5N2YM8M=');
    expect(storageVersionHash('', 'v1', 'Secret')).toBe('S6u1pOWzb84=');
    expect(storageVersionHash('', 'v1', 'ServiceAccount')).toBe('pbx9ZvyFpBE=');
    expect(storageVersionHash('', 'v1', 'Event')).toBe('r2yiGXH7wu8=');
    expect(storageVersionHash('coordination.k8s.io', 'v1', 'Lease')).toBe('gqkMMb/YqFM=');
  });
});

describe('discovery endpoints', () => {
  let registry: DiscoveryRegistry;
  let server: Served;

  beforeAll(async () => {
    registry = new DiscoveryRegistry();
    registry.addGroupVersion({ group: '', version: 'v1', resources: [namespaces, configmaps] });
    registry.addGroupVersion({ group: 'coordination.k8s.io', version: 'v1', resources: [leases] });
    registry.addGroupVersion({ group: 'events.k8s.io', version: 'v1', resources: [eventsV1] });
    server = await serve(chain(registry));
  });
  afterAll(() => server.close());

  it('/api answers APIVersions without apiVersion, with serverAddressByClientCIDRs', async () => {
    const res = await server.get('/api');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.text).toBe('{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}]}\n');
    expect((await server.get('/api/')).status).toBe(200);
  });

  it('/api rejects other methods with a 405 Status', async () => {
    const res = await server.get('/api', {}, 'POST');
    expect(res.status).toBe(405);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
  });

  it('/api/v1 lists resources sorted by name, subresources included, no apiVersion', async () => {
    const res = await server.get('/api/v1');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['kind', 'groupVersion', 'resources']);
    expect(body.kind).toBe('APIResourceList');
    expect(body.groupVersion).toBe('v1');
    expect(body.resources.map((r: { name: string }) => r.name)).toEqual(['configmaps', 'namespaces', 'namespaces/finalize', 'namespaces/status']);
    expect(body.resources[0]).toEqual({
      name: 'configmaps',
      singularName: 'configmap',
      namespaced: true,
      kind: 'ConfigMap',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['cm'],
      storageVersionHash: 'qFsyl6wFWjQ=',
    });
    expect(body.resources[3]).toEqual({ name: 'namespaces/status', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['get', 'patch', 'update'] });
    expect(Object.keys(body.resources[0])).toEqual(['name', 'singularName', 'namespaced', 'kind', 'verbs', 'shortNames', 'storageVersionHash']);
  });

  it('/apis/<g>/<v> carries apiVersion v1; events.k8s.io events hash as core Events (shared storage)', async () => {
    const res = await server.get('/apis/events.k8s.io/v1/');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['kind', 'apiVersion', 'groupVersion', 'resources']);
    expect(body.groupVersion).toBe('events.k8s.io/v1');
    expect(body.resources[0].storageVersionHash).toBe('r2yiGXH7wu8=');
  });

  it('/apis lists groups in kube priority order with apiVersion v1 and no server addresses', async () => {
    const res = await server.get('/apis');
    const body = res.json();
    expect(body.kind).toBe('APIGroupList');
    expect(body.apiVersion).toBe('v1');
    expect(body.groups.map((g: { name: string }) => g.name)).toEqual(['events.k8s.io', 'coordination.k8s.io']);
    expect(body.groups[1]).toEqual({
      name: 'coordination.k8s.io',
      versions: [{ groupVersion: 'coordination.k8s.io/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'coordination.k8s.io/v1', version: 'v1' },
    });
  });

  it('/apis/<group> answers APIGroup; unknown groups fall through', async () => {
    const res = await server.get('/apis/coordination.k8s.io');
    expect(res.json()).toMatchObject({ kind: 'APIGroup', apiVersion: 'v1', name: 'coordination.k8s.io' });
    expect((await server.get('/apis/coordination.k8s.io/')).status).toBe(200);
    expect((await server.get('/apis/nope.example.com')).text).toBe('fell through');
  });

  it('YAML and pretty output', async () => {
    const yaml = await server.get('/apis', { Accept: 'application/yaml' });
    expect(yaml.headers.get('content-type')).toBe('application/yaml');
    expect(yaml.text).toContain('kind: APIGroupList');
    const pretty = await server.get('/apis?pretty=true');
    expect(pretty.text.startsWith('{\n  "kind": "APIGroupList"')).toBe(true);
  });

  it('an Accept nothing can satisfy is 406; protobuf first falls through to JSON', async () => {
    const res = await server.get('/apis/coordination.k8s.io', { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' });
    expect(res.status).toBe(406);
    expect(res.json().reason).toBe('NotAcceptable');
    const pb = await server.get('/api', { Accept: 'application/vnd.kubernetes.protobuf, application/json' });
    expect(pb.headers.get('content-type')).toBe('application/json');
  });

  it('aggregated /apis: v2 document, content type, ETag, Vary and Cache-Control', async () => {
    const res = await server.get('/apis', { Accept: `${AGG_V2},${AGG_V2BETA1},application/json` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(AGG_V2);
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('cache-control')).toBe('public');
    expect(res.headers.get('etag')).toMatch(/^"[0-9A-F]{128}"$/);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(body.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect(body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['events.k8s.io', 'coordination.k8s.io']);
    expect(body.items[1]).toEqual({
      metadata: { name: 'coordination.k8s.io', creationTimestamp: null },
      versions: [
        {
          version: 'v1',
          resources: [
            {
              resource: 'leases',
              responseKind: { group: '', version: '', kind: 'Lease' },
              scope: 'Namespaced',
              singularResource: 'lease',
              verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
            },
          ],
          freshness: 'Current',
        },
      ],
    });
  });

  it('aggregated /api holds only the core group, subresources nested under their parent', async () => {
    const res = await server.get('/api', { Accept: AGG_V2 });
    const body = res.json();
    expect(body.items).toHaveLength(1);
    expect(body.items[0].metadata).toEqual({ creationTimestamp: null });
    const ns = body.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'namespaces');
    expect(ns.subresources).toEqual([
      { subresource: 'finalize', responseKind: { group: '', version: '', kind: 'Namespace' }, verbs: ['update'] },
      { subresource: 'status', responseKind: { group: '', version: '', kind: 'Namespace' }, verbs: ['get', 'patch', 'update'] },
    ]);
    expect(ns.scope).toBe('Cluster');
  });

  it('v2beta1 is served with its own apiVersion and content type, same ETag', async () => {
    const v2 = await server.get('/apis', { Accept: AGG_V2 });
    const beta = await server.get('/apis', { Accept: AGG_V2BETA1 });
    expect(beta.headers.get('content-type')).toBe(AGG_V2BETA1);
    expect(beta.json().apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect(beta.headers.get('etag')).toBe(v2.headers.get('etag'));
  });

  it('If-None-Match with the current ETag is 304 with no body', async () => {
    const first = await server.get('/apis', { Accept: AGG_V2 });
    const etag = first.headers.get('etag')!;
    const again = await server.get('/apis', { Accept: AGG_V2, 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('/apis/ (trailing slash) never aggregates, as kube registers it without the wrapper', async () => {
    const res = await server.get('/apis/', { Accept: AGG_V2 });
    expect(res.status).toBe(406);
    const plain = await server.get('/apis/', { Accept: `${AGG_V2},application/json` });
    expect(plain.json().kind).toBe('APIGroupList');
  });

  it('a change recomputes documents and the ETag; removal unlists the group', async () => {
    const before = (await server.get('/apis', { Accept: AGG_V2 })).headers.get('etag');
    registry.addGroupVersion({ group: 'example.com', version: 'v1beta1', resources: [def({ group: 'example.com', version: 'v1beta1', resource: 'widgets', kind: 'Widget' })] });
    const after = await server.get('/apis', { Accept: AGG_V2 });
    expect(after.headers.get('etag')).not.toBe(before);
    expect(after.json().items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['events.k8s.io', 'coordination.k8s.io', 'example.com']);
    expect((await server.get('/apis/example.com/v1beta1')).status).toBe(200);
    registry.removeGroupVersion('example.com', 'v1beta1');
    expect((await server.get('/apis', { Accept: AGG_V2 })).headers.get('etag')).toBe(before);
    expect((await server.get('/apis/example.com')).text).toBe('fell through');
    expect((await server.get('/apis/example.com/v1beta1')).text).toBe('fell through');
  });
});

describe('group and version ordering', () => {
  it('versions by priority then kube order; legacy groups tie-break by APIService name, aggregated by group name', () => {
    const registry = new DiscoveryRegistry();
    const w = (group: string, version: string) => ({ group, version, resources: [def({ group, version, resource: 'widgets', kind: 'Widget' })] });
    registry.addGroupVersion(w('b.example.com', 'v1'));
    registry.addGroupVersion(w('a.example.com', 'v1beta1'));
    registry.addGroupVersion(w('a.example.com', 'v1alpha1'));
    registry.addGroupVersion(w('a.example.com', 'v2'));
    registry.addGroupVersion(w('apps', 'v1'));
    const legacy = registry.groupList();
    // APIService names: v1.b.example.com < v1alpha1.a.example.com (both priority 1000).
    expect(legacy.map((g) => g.name)).toEqual(['apps', 'b.example.com', 'a.example.com']);
    expect(legacy[2].versions.map((v) => v.version)).toEqual(['v2', 'v1beta1', 'v1alpha1']);
    expect(legacy[2].preferredVersion.version).toBe('v2');
    const aggregated = registry.aggregated('apis').items;
    expect(aggregated.map((g) => g.metadata.name)).toEqual(['apps', 'a.example.com', 'b.example.com']);
  });

  it('CRD-sourced lists keep their order, verbs unsorted, and fully qualified response kinds', () => {
    const registry = new DiscoveryRegistry();
    const crd = def({
      group: 'stable.example.com',
      version: 'v1',
      resource: 'crontabs',
      kind: 'CronTab',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      subresources: [
        { name: 'status', kind: 'CronTab', verbs: ['get', 'patch', 'update'] },
        { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
      ],
    });
    registry.addGroupVersion({ group: 'stable.example.com', version: 'v1', resources: [crd], source: 'crd' });
    const list = registry.resourceList('stable.example.com', 'v1')!;
    expect(list.map((r) => r.name)).toEqual(['crontabs', 'crontabs/status', 'crontabs/scale']);
    expect(list[0].verbs).toEqual(['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
    expect(list[2]).toEqual({ name: 'crontabs/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    const agg = registry.aggregated('apis').items[0].versions![0].resources![0];
    expect(agg.responseKind).toEqual({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' });
    expect(agg.subresources).toEqual([
      { subresource: 'status', responseKind: { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('documents are cached until a change', () => {
    const registry = new DiscoveryRegistry();
    registry.addGroupVersion({ group: 'apps', version: 'v1', resources: [] });
    const first = registry.aggregated('apis');
    expect(registry.aggregated('apis')).toBe(first);
    expect(registry.groupList()).toBe(registry.groupList());
    registry.addGroupVersion({ group: 'batch', version: 'v1', resources: [] });
    expect(registry.aggregated('apis')).not.toBe(first);
  });

  it('group-versions of aggregated API servers: their own APIResourceList, Stale when unreachable', () => {
    const registry = new DiscoveryRegistry();
    registry.addGroupVersion({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      resources: [],
      priority: { group: 100, version: 100 },
      freshness: 'Stale',
      apiResources: [
        { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
        { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
      ],
    });
    expect(registry.resourceList('metrics.k8s.io', 'v1beta1')!.map((r) => r.name)).toEqual(['nodes', 'pods']);
    const version = registry.aggregated('apis').items[0].versions![0];
    expect(version.freshness).toBe('Stale');
    expect(version.resources![1]).toEqual({
      resource: 'pods',
      responseKind: { group: '', version: '', kind: 'PodMetrics' },
      scope: 'Namespaced',
      singularResource: '',
      verbs: ['get', 'list'],
    });
  });
});
