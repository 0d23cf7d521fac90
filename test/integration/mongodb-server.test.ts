// The whole server on --storage-backend=mongodb (FerretDB here): objects persist across a restart,
// and while the database is down /readyz says `[-]storage failed`, requests get a 5xx Status quickly
// (no hang, no crash), and everything recovers by itself when it comes back.
import { afterAll, describe, expect, it } from 'vitest';
import { announceSkip, getMongoUri, uniqueDbName } from '../support/mongo.js';
import { startTestServer } from '../support/server.js';

const mongo = await getMongoUri();
if (!mongo) announceSkip('test/integration/mongodb-server.test.ts');
afterAll(async () => {
  await mongo?.stop();
});

const json = { 'content-type': 'application/json' };

describe.skipIf(!mongo)('kube-chain on MongoDB', () => {
  // Two server starts on FerretDB: 60 s as the outage test below, for a loaded 2-core machine.
  it('keeps objects across a restart of the server', async () => {
    const uri = `${mongo!.uri.replace(/\/$/, '')}/${uniqueDbName('server')}`;
    const first = await startTestServer({ storageBackend: 'mongodb', mongodbUri: uri });
    const created = await first.request('POST', '/api/v1/namespaces/default/configmaps', { headers: json, body: JSON.stringify({ metadata: { name: 'kept' }, data: { a: '1' } }) });
    expect(created.status).toBe(201);
    await first.close();
    const second = await startTestServer({ storageBackend: 'mongodb', mongodbUri: uri });
    try {
      const got = await second.request('GET', '/api/v1/namespaces/default/configmaps/kept');
      expect(got.status).toBe(200);
      expect(got.json().data).toEqual({ a: '1' });
      expect(got.json().metadata.uid).toBe(created.json().metadata.uid);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('keeps CRDs and their custom resources across a restart, and serves them again', async () => {
    const uri = `${mongo!.uri.replace(/\/$/, '')}/${uniqueDbName('crds')}`;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gizmos.persist.example.com' },
      spec: {
        group: 'persist.example.com',
        scope: 'Namespaced',
        names: { plural: 'gizmos', kind: 'Gizmo' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 2 } } } } } } }],
      },
    };
    const first = await startTestServer({ storageBackend: 'mongodb', mongodbUri: uri });
    expect((await first.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { headers: json, body: JSON.stringify(crd) })).status).toBe(201);
    let created;
    for (let i = 0; i < 100; i++) {
      created = await first.request('POST', '/apis/persist.example.com/v1/namespaces/default/gizmos', { headers: json, body: JSON.stringify({ apiVersion: 'persist.example.com/v1', kind: 'Gizmo', metadata: { name: 'g' }, spec: {} }) });
      if (created.status !== 404) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(created!.status).toBe(201);
    await first.close();
    const second = await startTestServer({ storageBackend: 'mongodb', mongodbUri: uri });
    try {
      let got;
      for (let i = 0; i < 100; i++) {
        got = await second.request('GET', '/apis/persist.example.com/v1/namespaces/default/gizmos/g');
        if (got.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(got!.status).toBe(200);
      expect(got!.json()).toMatchObject({ spec: { size: 2 }, metadata: { uid: created!.json().metadata.uid } });
    } finally {
      await second.close();
    }
  }, 60_000);

  it.skipIf(!mongo?.local)('reports the database outage in /readyz and 5xx answers, then recovers', async () => {
    const uri = `${mongo!.uri.replace(/\/$/, '')}/${uniqueDbName('outage')}`;
    const server = await startTestServer({ storageBackend: 'mongodb', mongodbUri: uri });
    try {
      expect((await server.request('GET', '/readyz?verbose')).text).toContain('[+]storage ok');
      await mongo!.local!.kill('SIGKILL');
      const started = Date.now();
      const readyz = await server.request('GET', '/readyz?verbose');
      expect(readyz.status).toBe(500);
      expect(readyz.text).toContain('[-]storage failed: reason withheld');
      const write = await server.request('POST', '/api/v1/namespaces/default/configmaps', { headers: json, body: JSON.stringify({ metadata: { name: 'during' } }) });
      expect(write.status).toBe(503);
      expect(write.json()).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
      const read = await server.request('GET', '/api/v1/namespaces/default/configmaps');
      expect(read.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(15_000);
      await mongo!.local!.start();
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await server.request('GET', '/readyz')).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready).toBe(200);
      const after = await server.request('POST', '/api/v1/namespaces/default/configmaps', { headers: json, body: JSON.stringify({ metadata: { name: 'after' } }) });
      expect(after.status).toBe(201);
    } finally {
      await server.close();
    }
  }, 60_000);
});
