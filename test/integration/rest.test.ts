// The generic REST handlers over HTTPS, on a resource installed the way built-ins and CRDs are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { startTestServer, type TestServer } from '../support/server.js';
import { installGroupVersion } from '../../src/server/install-api.js';
import { defineResource } from '../../src/kube-apis/define.js';
import { specChanged } from '../../src/registry/store.js';
import { fieldInvalid } from '../../src/registry/validation/field-errors.js';

const widgets = defineResource({
  group: 'test.kube-chain.io',
  version: 'v1',
  resource: 'widgets',
  kind: 'Widget',
  namespaced: true,
  shortNames: ['wd'],
  strategy: {
    validate: (obj) => (obj.spec?.size !== undefined && typeof obj.spec.size !== 'number' ? [fieldInvalid('spec.size', obj.spec.size, 'must be a number')] : []),
    validateUpdate: () => [],
    generationChanged: specChanged,
  },
});

const base = '/apis/test.kube-chain.io/v1/namespaces/default/widgets';
const json = { 'content-type': 'application/json' };

describe('REST verbs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.api.storage.create('/registry/namespaces/default', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', uid: 'x' } }).catch(() => undefined);
    installGroupVersion(server.chain.kubeAPIServer, { group: 'test.kube-chain.io', version: 'v1', resources: [widgets] }, server.api);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates, gets, lists, updates, patches and deletes', async () => {
    const created = await server.request('POST', base, { headers: json, body: JSON.stringify({ apiVersion: 'test.kube-chain.io/v1', kind: 'Widget', metadata: { name: 'w1', labels: { app: 'a' } }, spec: { size: 1 } }) });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/json');
    const w1 = created.json();
    expect(w1.metadata).toMatchObject({ name: 'w1', namespace: 'default', generation: 1 });

    const got = await server.request('GET', `${base}/w1`);
    expect(got.json().metadata.uid).toBe(w1.metadata.uid);

    await server.request('POST', base, { headers: json, body: JSON.stringify({ metadata: { name: 'w2', labels: { app: 'b' } } }) });
    const list = (await server.request('GET', `${base}?labelSelector=app%3Da`)).json();
    expect(list.kind).toBe('WidgetList');
    expect(list.items.map((i: any) => i.metadata.name)).toEqual(['w1']);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);

    const replaced = await server.request('PUT', `${base}/w1`, { headers: json, body: JSON.stringify({ ...got.json(), spec: { size: 2 } }) });
    expect(replaced.status).toBe(200);
    expect(replaced.json().metadata.generation).toBe(2);

    const merged = await server.request('PATCH', `${base}/w1`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { color: 'red' } }) });
    expect(merged.status).toBe(200);
    expect(merged.json().spec).toEqual({ size: 2, color: 'red' });

    const jsonPatched = await server.request('PATCH', `${base}/w1`, { headers: { 'content-type': 'application/json-patch+json' }, body: JSON.stringify([{ op: 'replace', path: '/spec/size', value: 3 }]) });
    expect(jsonPatched.json().spec.size).toBe(3);

    const deleted = await server.request('DELETE', `${base}/w1`);
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'w1', group: 'test.kube-chain.io', kind: 'widgets', uid: w1.metadata.uid } });
    expect((await server.request('GET', `${base}/w1`)).status).toBe(404);
  });

  it('answers kube\'s errors: NotFound, AlreadyExists, Invalid, Conflict, BadRequest, 415', async () => {
    const missing = await server.request('GET', `${base}/nope`);
    expect(missing.json()).toMatchObject({ reason: 'NotFound', code: 404, message: 'widgets.test.kube-chain.io "nope" not found', details: { name: 'nope', group: 'test.kube-chain.io', kind: 'widgets' } });

    await server.request('POST', base, { headers: json, body: JSON.stringify({ metadata: { name: 'dup' } }) });
    const dup = await server.request('POST', base, { headers: json, body: JSON.stringify({ metadata: { name: 'dup' } }) });
    expect(dup.json()).toMatchObject({ reason: 'AlreadyExists', code: 409, message: 'widgets.test.kube-chain.io "dup" already exists' });

    const invalid = await server.request('POST', base, { headers: json, body: JSON.stringify({ metadata: { name: 'Bad_Name' }, spec: { size: 'x' } }) });
    expect(invalid.status).toBe(422);
    expect(invalid.json().message).toBe(
      `Widget.test.kube-chain.io "Bad_Name" is invalid: [metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.size: Invalid value: "x": must be a number]`,
    );
    expect(invalid.json().details.causes).toEqual([
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'metadata.name' }),
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'spec.size' }),
    ]);

    const stale = await server.request('PUT', `${base}/dup`, { headers: json, body: JSON.stringify({ metadata: { name: 'dup', resourceVersion: '1' } }) });
    expect(stale.json()).toMatchObject({ reason: 'Conflict', code: 409 });

    const malformed = await server.request('POST', base, { headers: json, body: '{"metadata": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json().reason).toBe('BadRequest');

    const badSelector = await server.request('GET', `${base}?labelSelector=a%20in%20(`);
    expect(badSelector.status).toBe(400);

    const badPatch = await server.request('PATCH', `${base}/dup`, { headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(badPatch.status).toBe(415);

    expect((await server.request('GET', '/apis/test.kube-chain.io/v1/namespaces/default/gadgets')).status).toBe(404);
  });

  it('creates nothing in a namespace that does not exist', async () => {
    const res = await server.request('POST', '/apis/test.kube-chain.io/v1/namespaces/missing/widgets', { headers: json, body: JSON.stringify({ metadata: { name: 'w' } }) });
    expect(res.status).toBe(404);
    expect(res.json().message).toBe('namespaces "missing" not found');
  });

  it('pages lists with limit and continue', async () => {
    for (let i = 0; i < 5; i++) await server.request('POST', base, { headers: json, body: JSON.stringify({ metadata: { name: `page-${i}`, labels: { paged: 'yes' } } }) });
    const first = (await server.request('GET', `${base}?labelSelector=paged&limit=2`)).json();
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toBeTruthy();
    const second = (await server.request('GET', `${base}?labelSelector=paged&limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)).json();
    expect(second.items.map((i: any) => i.metadata.name)).toEqual(['page-2', 'page-3']);
    const bad = await server.request('GET', `${base}?limit=2&continue=garbage!`);
    expect(bad.status).toBe(400);
  });

  it('serves YAML and Tables when asked', async () => {
    const yaml = await server.request('GET', `${base}/dup`, { headers: { accept: 'application/yaml' } });
    expect(yaml.headers['content-type']).toBe('application/yaml');
    expect(yaml.text).toContain('kind: Widget');
    const table = await server.request('GET', base, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(table.json().kind).toBe('Table');
    expect(table.json().columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Age']);
    const none = await server.request('GET', base, { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
    expect(none.status).toBe(406);
  });

  it('streams watch events as JSON lines', async () => {
    const list = (await server.request('GET', base)).json();
    const events: any[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = https.request(
        {
          hostname: '127.0.0.1',
          port: server.port,
          path: `${base}?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=2`,
          ca: server.tls.caPem,
          cert: server.tls.adminCertPem,
          key: server.tls.adminKeyPem,
        },
        (res) => {
          expect(res.headers['content-type']).toBe('application/json');
          let buffer = '';
          res.on('data', (chunk) => {
            buffer += chunk;
            let newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
              events.push(JSON.parse(buffer.slice(0, newline)));
              buffer = buffer.slice(newline + 1);
            }
          });
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    await server.request('POST', base, { headers: json, body: JSON.stringify({ metadata: { name: 'watched' } }) });
    await server.request('DELETE', `${base}/watched`);
    await done;
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'watched'],
      ['DELETED', 'watched'],
    ]);
  });
});

describe('storage observability', () => {
  it('publishes apiserver_storage_objects, storage latency and the storage readyz check', async () => {
    const server = await startTestServer();
    try {
      installGroupVersion(server.chain.kubeAPIServer, { group: 'test.kube-chain.io', version: 'v1', resources: [widgets] }, server.api);
      await server.api.storage.create('/registry/test.kube-chain.io/widgets/default/one', { metadata: { name: 'one', namespace: 'default' } });
      await server.request('GET', '/apis/test.kube-chain.io/v1/namespaces/default/widgets/one');
      const metrics = (await server.request('GET', '/metrics')).text;
      expect(metrics).toContain('apiserver_storage_objects{resource="widgets.test.kube-chain.io"} 1');
      expect(metrics).toMatch(/etcd_request_duration_seconds_count\{operation="get",group="test.kube-chain.io",resource="widgets"\} 1/);
      expect(metrics).toContain('apiserver_registered_watchers');
      const readyz = await server.request('GET', '/readyz?verbose');
      expect(readyz.text).toContain('[+]storage ok');
    } finally {
      await server.close();
    }
  });
});
