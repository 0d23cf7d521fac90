import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAPIRegistry, builtinSchemas, openapiMux, type OpenAPIV3Document } from '../../src/aggregator/openapi/index.js';
import { componentsRefResolver, patchSchemaFromOpenAPI } from '../../src/endpoints/patch/openapi-patch-schema.js';
import { configmaps, def, eventsV1, leases, namespaces, serve, type Served } from './discovery-support.js';

type Json = Record<string, any>;

/** A GET that leaves the body as sent (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** Every "$ref" in a value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Structural checks a valid kube-style OpenAPI 3.0 document passes. */
function validateV3(doc: OpenAPIV3Document): string[] {
  const problems: string[] = [];
  if (doc.openapi !== '3.0.0') problems.push('openapi is not 3.0.0');
  if (!doc.info?.title || !doc.info?.version) problems.push('info incomplete');
  const schemas = doc.components.schemas;
  for (const ref of refsIn(doc)) {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m || !schemas[m[1]]) problems.push(`unresolved ${ref}`);
  }
  const ids = new Set<string>();
  const opGVKs = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths) as [string, Json][]) {
    const declared = new Set<string>((item.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name));
    for (const method of Object.keys(item)) {
      if (method === 'parameters') continue;
      if (!METHODS.includes(method)) problems.push(`${path}: unknown key ${method}`);
      const op = item[method] as Json;
      if (ids.has(op.operationId)) problems.push(`duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      if (!op.responses || !Object.keys(op.responses).length) problems.push(`${op.operationId}: no responses`);
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      for (const p of params) {
        if (!['query', 'path', 'header'].includes(p.in) || !p.schema?.type) problems.push(`${op.operationId}: bad parameter ${p.name}`);
        if (p.in === 'path' && p.required !== true) problems.push(`${op.operationId}: path parameter ${p.name} not required`);
      }
      const opDeclared = new Set([...declared, ...(op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name)]);
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) if (!opDeclared.has(name)) problems.push(`${op.operationId}: {${name}} undeclared`);
      const gvk = op['x-kubernetes-group-version-kind'];
      if (gvk) opGVKs.add(`${gvk.group}/${gvk.version}/${gvk.kind}`);
    }
  }
  // Every kind a schema declares for a served group-version has operations.
  const served = new Set([...opGVKs].map((g) => g.split('/').slice(0, 2).join('/')));
  for (const schema of Object.values(schemas) as Json[]) {
    for (const g of schema['x-kubernetes-group-version-kind'] ?? []) {
      const key = `${g.group}/${g.version}/${g.kind}`;
      if (!served.has(`${g.group}/${g.version}`) || g.kind.endsWith('List') || ['Status', 'DeleteOptions', 'WatchEvent', 'APIResourceList'].includes(g.kind)) continue;
      if (!opGVKs.has(key)) problems.push(`no path for ${key}`);
    }
  }
  return problems;
}

describe('built-in schemas (openapi/)', () => {
  const schemas = builtinSchemas() as Record<string, Json>;

  it('are named as kube names them and carry their group-version-kind', () => {
    expect(schemas['io.k8s.api.core.v1.ConfigMap']['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    expect(schemas['io.k8s.api.coordination.v1.LeaseList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'coordination.k8s.io', kind: 'LeaseList', version: 'v1' }]);
    expect(schemas['io.k8s.api.events.v1.Event']['x-kubernetes-group-version-kind']).toEqual([{ group: 'events.k8s.io', kind: 'Event', version: 'v1' }]);
    for (const name of [
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
      'io.k8s.api.core.v1.SecretList',
      'io.k8s.api.core.v1.NamespaceCondition',
      'io.k8s.api.core.v1.ServiceAccountList',
      'io.k8s.api.core.v1.EventList',
      'io.k8s.api.coordination.v1.LeaseSpec',
    ]) {
      expect(schemas[name], name).toBeDefined();
    }
  });

  it('every $ref resolves among them', () => {
    for (const ref of refsIn(schemas)) expect(schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
  });

  it('describe fields for kubectl explain (configmap.data)', () => {
    const data = schemas['io.k8s.api.core.v1.ConfigMap'].properties.data;
    expect(data.type).toBe('object');
    expect(data.additionalProperties).toEqual({ type: 'string', default: '' });
    expect(data.description.length).toBeGreaterThan(40);
  });

  it('have kube patch and list extensions where kube has them', () => {
    const meta = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties;
    expect(meta.ownerReferences).toMatchObject({
      'x-kubernetes-patch-merge-key': 'uid',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    });
    expect(meta.finalizers).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' });
    expect(meta.managedFields['x-kubernetes-list-type']).toBe('atomic');
    expect(schemas['io.k8s.api.core.v1.NamespaceStatus'].properties.conditions).toMatchObject({ 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-list-map-keys': ['type'] });
    expect(schemas['io.k8s.api.core.v1.ServiceAccount'].properties.secrets['x-kubernetes-patch-merge-key']).toBe('name');
    expect(schemas['io.k8s.api.core.v1.ObjectReference']['x-kubernetes-map-type']).toBe('atomic');
  });

  it('are read by the strategic merge patch schema reader', () => {
    const resolve = componentsRefResolver({ components: { schemas } });
    const patchSchema = patchSchemaFromOpenAPI(schemas['io.k8s.api.core.v1.ConfigMap'], resolve);
    const metadata = patchSchema.lookupForStruct('metadata').schema;
    expect(metadata.lookupForSlice('ownerReferences').meta).toEqual({ mergeKey: 'uid', strategies: ['merge'] });
  });
});

describe('OpenAPI v3 documents', () => {
  const registry = new OpenAPIRegistry();
  registry.addGroupVersion({ group: '', version: 'v1', resources: [configmaps, namespaces] });
  registry.addGroupVersion({ group: 'coordination.k8s.io', version: 'v1', resources: [leases] });
  registry.addGroupVersion({ group: 'events.k8s.io', version: 'v1', resources: [eventsV1] });
  const core = registry.document('api/v1')!;
  const paths = core.paths as Record<string, Json>;

  it('are structurally valid: every $ref resolves, every kind has paths, ids are unique', () => {
    for (const path of registry.groupVersionPaths()) expect(validateV3(registry.document(path)!), path).toEqual([]);
  });

  it('have kube operation IDs, actions and group-version-kinds', () => {
    const ops: Record<string, [string, string, string]> = {};
    for (const [path, item] of Object.entries(paths)) for (const [m, op] of Object.entries(item)) if (m !== 'parameters') ops[(op as Json).operationId] = [path, m, (op as Json)['x-kubernetes-action']];
    expect(ops.listCoreV1NamespacedConfigMap).toEqual(['/api/v1/namespaces/{namespace}/configmaps', 'get', 'list']);
    expect(ops.listCoreV1ConfigMapForAllNamespaces).toEqual(['/api/v1/configmaps', 'get', 'list']);
    expect(ops.createCoreV1NamespacedConfigMap).toEqual(['/api/v1/namespaces/{namespace}/configmaps', 'post', 'post']);
    expect(ops.deleteCoreV1CollectionNamespacedConfigMap).toEqual(['/api/v1/namespaces/{namespace}/configmaps', 'delete', 'deletecollection']);
    expect(ops.readCoreV1NamespacedConfigMap).toEqual(['/api/v1/namespaces/{namespace}/configmaps/{name}', 'get', 'get']);
    expect(ops.replaceCoreV1NamespacedConfigMap[2]).toBe('put');
    expect(ops.patchCoreV1NamespacedConfigMap[2]).toBe('patch');
    expect(ops.deleteCoreV1NamespacedConfigMap[2]).toBe('delete');
    expect(ops.watchCoreV1NamespacedConfigMapList).toEqual(['/api/v1/watch/namespaces/{namespace}/configmaps', 'get', 'watchlist']);
    expect(ops.watchCoreV1NamespacedConfigMap).toEqual(['/api/v1/watch/namespaces/{namespace}/configmaps/{name}', 'get', 'watch']);
    expect(ops.watchCoreV1ConfigMapListForAllNamespaces[0]).toBe('/api/v1/watch/configmaps');
    expect(ops.listCoreV1Namespace[0]).toBe('/api/v1/namespaces');
    expect(ops.readCoreV1NamespaceStatus).toEqual(['/api/v1/namespaces/{name}/status', 'get', 'get']);
    expect(ops.replaceCoreV1NamespaceFinalize).toEqual(['/api/v1/namespaces/{name}/finalize', 'put', 'put']);
    expect(ops.getCoreV1APIResources).toEqual(['/api/v1/', 'get', undefined]);
    // namespaces have no deletecollection in kube
    expect(ops.deleteCoreV1CollectionNamespace).toBeUndefined();
    const coordination = registry.document('apis/coordination.k8s.io/v1')!.paths as Record<string, Json>;
    expect(coordination['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}'].patch.operationId).toBe('patchCoordinationV1NamespacedLease');
    expect(coordination['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}'].patch.tags).toEqual(['coordination_v1']);
  });

  it('patch operations carry the GVK and fieldValidation, so kubectl sends it', () => {
    const patch = paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'ConfigMap', version: 'v1' });
    expect(patch.parameters.map((p: Json) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(patch.parameters.find((p: Json) => p.name === 'fieldValidation')).toMatchObject({ in: 'query', schema: { type: 'string', uniqueItems: true } });
    expect(Object.keys(patch.requestBody.content)).toEqual([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(patch.requestBody.content['application/merge-patch+json'].schema.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    expect(patch.responses['401']).toEqual({ description: 'Unauthorized' });
  });

  it('hoist parameters common to a path, sorted by name', () => {
    const item = paths['/api/v1/namespaces/{namespace}/configmaps/{name}'];
    expect(item.parameters.map((p: Json) => p.name)).toEqual(['name', 'namespace', 'pretty']);
    const all = paths['/api/v1/configmaps'];
    expect(all.parameters.map((p: Json) => p.name)).toEqual([
      'allowWatchBookmarks',
      'continue',
      'fieldSelector',
      'labelSelector',
      'limit',
      'pretty',
      'resourceVersion',
      'resourceVersionMatch',
      'sendInitialEvents',
      'timeoutSeconds',
      'watch',
    ]);
    expect(all.get.parameters).toBeUndefined();
    const list = paths['/api/v1/namespaces/{namespace}/configmaps'].get;
    expect(list.parameters.map((p: Json) => p.name)).toContain('labelSelector');
    expect(Object.keys(list.responses['200'].content)).toContain('application/json;stream=watch');
  });

  it('contain only the schemas the group-version references', () => {
    const schemas = registry.document('apis/coordination.k8s.io/v1')!.components.schemas;
    expect(Object.keys(schemas)).toContain('io.k8s.api.coordination.v1.Lease');
    expect(Object.keys(schemas)).toContain('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(Object.keys(schemas)).not.toContain('io.k8s.api.core.v1.ConfigMap');
    expect(Object.keys(core.components.schemas)).not.toContain('io.k8s.api.coordination.v1.Lease');
  });

  it('custom resources: their own schemas, no strategic merge patch, kube-style schema names', () => {
    const reg = new OpenAPIRegistry();
    const crontab = def({ group: 'stable.example.com', version: 'v1', resource: 'crontabs', kind: 'CronTab', subresources: [{ name: 'status', kind: 'CronTab', verbs: ['get', 'patch', 'update'] }] });
    reg.addGroupVersion({
      group: 'stable.example.com',
      version: 'v1',
      resources: [crontab],
      source: 'crd',
      schemas: { 'com.example.stable.v1.CronTab': { type: 'object', properties: { spec: { type: 'object', description: 'the spec' } }, 'x-kubernetes-group-version-kind': [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }] } },
    });
    const doc = reg.document('apis/stable.example.com/v1')!;
    expect(validateV3(doc)).toEqual([]);
    expect(doc.components.schemas['com.example.stable.v1.CronTab']).toBeDefined();
    expect(doc.components.schemas['com.example.stable.v1.CronTabList']).toBeDefined();
    const item = (doc.paths as Record<string, Json>)['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'];
    expect(Object.keys(item.patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
    expect(item.patch.operationId).toBe('patchStableExampleComV1NamespacedCronTab');
    expect(item.patch.tags).toEqual(['stableExampleCom_v1']);
  });
});

describe('/openapi endpoints', () => {
  let registry: OpenAPIRegistry;
  let server: Served;

  beforeAll(async () => {
    registry = new OpenAPIRegistry();
    registry.addGroupVersion({ group: '', version: 'v1', resources: [configmaps, namespaces] });
    registry.addGroupVersion({ group: 'coordination.k8s.io', version: 'v1', resources: [leases] });
    const mux = openapiMux(registry);
    server = await serve((ctx, next) => (mux.owns(ctx.path) ? mux.handle(ctx, next) : next()));
  });
  afterAll(() => server.close());

  it('/openapi/v3 lists group-versions with hash-versioned URLs, as kube-aggregator writes it', async () => {
    const res = await server.get('/openapi/v3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('last-modified')).toBeTruthy();
    const index = res.json();
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/coordination.k8s.io/v1']);
    expect(index.paths['api/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    expect(res.text.startsWith('{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=')).toBe(true);
  });

  it('a group-version document: JSON, ETag = hash, Vary: Accept, no caching without hash', async () => {
    const url: string = (await server.get('/openapi/v3')).json().paths['api/v1'].serverRelativeURL;
    const hash = url.split('hash=')[1];
    const res = await server.get('/openapi/v3/api/v1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('etag')).toBe(`"${hash}"`);
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('cache-control')).toBeNull();
    expect(res.json().openapi).toBe('3.0.0');
  });

  it('with the current hash the answer is immutable and cacheable for a year', async () => {
    const url: string = (await server.get('/openapi/v3')).json().paths['api/v1'].serverRelativeURL;
    const res = await server.get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, immutable');
    const expires = Date.parse(res.headers.get('expires')!.replace(/UTC$/, 'GMT'));
    expect(expires - Date.now()).toBeGreaterThan(364 * 24 * 3600 * 1000);
    expect(res.headers.get('expires')).toMatch(/ UTC$/);
  });

  it('with a stale hash it redirects (301) to the current one', async () => {
    const res = await server.get('/openapi/v3/api/v1?hash=0123');
    expect(res.status).toBe(301);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    expect(res.text).toBe(`<a href="${location}">Moved Permanently</a>.\n\n`);
  });

  it('If-None-Match with the ETag is 304; unknown group-versions are 404; protobuf-only Accept is 406', async () => {
    const first = await server.get('/openapi/v3/apis/coordination.k8s.io/v1');
    const again = await server.get('/openapi/v3/apis/coordination.k8s.io/v1', { 'If-None-Match': first.headers.get('etag')! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const missing = await server.get('/openapi/v3/apis/nope.example.com/v1');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('');
    const pb = await server.get('/openapi/v3/api/v1', { Accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' });
    expect(pb.status).toBe(406);
  });

  it('follows group-versions as they come and go; the hash changes with the content', async () => {
    const before = (await server.get('/openapi/v3')).json().paths['api/v1'].serverRelativeURL;
    registry.addGroupVersion({ group: 'events.k8s.io', version: 'v1', resources: [eventsV1] });
    expect(Object.keys((await server.get('/openapi/v3')).json().paths)).toContain('apis/events.k8s.io/v1');
    expect((await server.get('/openapi/v3/apis/events.k8s.io/v1')).status).toBe(200);
    registry.addGroupVersion({ group: '', version: 'v1', resources: [configmaps] });
    const after = (await server.get('/openapi/v3')).json().paths['api/v1'].serverRelativeURL;
    expect(after).not.toBe(before);
    registry.removeGroupVersion('events.k8s.io', 'v1');
    expect(Object.keys((await server.get('/openapi/v3')).json().paths)).not.toContain('apis/events.k8s.io/v1');
    expect((await server.get('/openapi/v3/apis/events.k8s.io/v1')).status).toBe(404);
    registry.addGroupVersion({ group: '', version: 'v1', resources: [configmaps, namespaces] });
  });

  it('/openapi/v2 is a valid Swagger 2.0 document of every group-version, gzip-compressed on request', async () => {
    const res = await fetch(`${server.url}/openapi/v2`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('etag')).toMatch(/^"[0-9A-F]{128}"$/);
    const doc = (await res.json()) as Json;
    expect(doc.swagger).toBe('2.0');
    for (const ref of refsIn(doc)) expect(doc.definitions[ref.replace('#/definitions/', '')], ref).toBeDefined();
    expect(refsIn(doc).every((r) => r.startsWith('#/definitions/'))).toBe(true);
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(patch.parameters[0]).toEqual({ in: 'body', name: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } });
    expect(patch.parameters.find((p: Json) => p.name === 'fieldValidation')).toEqual({ description: expect.any(String), in: 'query', name: 'fieldValidation', type: 'string', uniqueItems: true });
    expect(patch['x-kubernetes-action']).toBe('patch');
    // v2 writes described references inline rather than through allOf.
    expect(doc.definitions['io.k8s.api.core.v1.ConfigMap'].properties.metadata.$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(doc.paths['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases']).toBeDefined();

    const raw = await rawGet(`${server.url}/openapi/v2`, { 'Accept-Encoding': 'gzip' });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers.vary).toBe('Accept-Encoding, Accept');
    expect(JSON.parse(gunzipSync(raw.body).toString()).swagger).toBe('2.0');
  });
});
