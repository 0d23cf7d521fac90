// Object lifecycle as a client sees it: finalizers and graceful deletion, garbage collection by
// ownerReferences (background, foreground, orphan), and namespace deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const cms = '/api/v1/namespaces/default/configmaps';
const json = { 'content-type': 'application/json' };

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() - started > ms) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('lifecycle', () => {
  let server: TestServer;
  const create = async (body: object) => (await server.request('POST', cms, { headers: json, body: JSON.stringify(body) })).json();
  const status = async (name: string) => (await server.request('GET', `${cms}/${name}`)).status;
  const get = async (name: string) => (await server.request('GET', `${cms}/${name}`)).json();
  const ownedBy = (owner: { metadata: { name: string; uid: string } }, extra: object = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    ...extra,
  });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps an object with finalizers until they are removed, answering the delete with the object', async () => {
    await create({ metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const res = await server.request('DELETE', `${cms}/held`);
    expect(res.status).toBe(200);
    expect(res.json().kind).toBe('ConfigMap');
    expect(res.json().metadata.deletionTimestamp).toBeDefined();
    expect(await status('held')).toBe(200);
    const adding = await server.request('PATCH', `${cms}/held`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { finalizers: ['example.com/hold', 'example.com/more'] } }) });
    expect(adding.status).toBe(422);
    expect(adding.json().message).toContain('no new finalizers can be added if the object is being deleted');
    await server.request('PATCH', `${cms}/held`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { finalizers: null } }) });
    expect(await status('held')).toBe(404);
  });

  it('deletes dependents in the background once their owner is gone', async () => {
    const owner = await create({ metadata: { name: 'owner-bg' } });
    await create({ metadata: { name: 'child-bg', ownerReferences: [ownedBy(owner)] } });
    await server.request('DELETE', `${cms}/owner-bg`);
    expect(await eventually(() => status('child-bg'), (s) => s === 404)).toBe(404);
  });

  it('keeps a dependent that still has another owner, dropping the gone one', async () => {
    const a = await create({ metadata: { name: 'owner-a' } });
    const b = await create({ metadata: { name: 'owner-b' } });
    await create({ metadata: { name: 'child-ab', ownerReferences: [ownedBy(a), ownedBy(b)] } });
    await server.request('DELETE', `${cms}/owner-a`);
    const child = await eventually(() => get('child-ab'), (c) => c.metadata?.ownerReferences?.length === 1);
    expect(child.metadata.ownerReferences.map((r: { name: string }) => r.name)).toEqual(['owner-b']);
  });

  it('deletes in the foreground: the owner waits with foregroundDeletion until dependents are gone', async () => {
    const owner = await create({ metadata: { name: 'owner-fg' } });
    await create({ metadata: { name: 'child-fg', ownerReferences: [ownedBy(owner, { blockOwnerDeletion: true })] } });
    const res = await server.request('DELETE', `${cms}/owner-fg`, { headers: json, body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' }) });
    expect(res.json().metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(await eventually(() => status('child-fg'), (s) => s === 404)).toBe(404);
    expect(await eventually(() => status('owner-fg'), (s) => s === 404)).toBe(404);
  });

  it('orphans dependents: their reference to the owner goes, they stay', async () => {
    const owner = await create({ metadata: { name: 'owner-or' } });
    await create({ metadata: { name: 'child-or', ownerReferences: [ownedBy(owner)] } });
    await server.request('DELETE', `${cms}/owner-or?propagationPolicy=Orphan`);
    expect(await eventually(() => status('owner-or'), (s) => s === 404)).toBe(404);
    const child = await get('child-or');
    expect(child.metadata.name).toBe('child-or');
    expect(child.metadata.ownerReferences).toBeUndefined();
  });

  it('deletes a namespace\'s content, reports it in conditions, then the namespace', async () => {
    await server.request('POST', '/api/v1/namespaces', { headers: json, body: JSON.stringify({ metadata: { name: 'doomed' } }) });
    await server.request('POST', '/api/v1/namespaces/doomed/configmaps', { headers: json, body: JSON.stringify({ metadata: { name: 'stuck', finalizers: ['example.com/hold'] } }) });
    const deleting = await server.request('DELETE', '/api/v1/namespaces/doomed');
    expect(deleting.json().status.phase).toBe('Terminating');
    const refused = await server.request('POST', '/api/v1/namespaces/doomed/configmaps', { headers: json, body: JSON.stringify({ metadata: { name: 'late' } }) });
    expect(refused.status).toBe(403);
    expect(refused.json().message).toBe('configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    const ns = await eventually(
      async () => (await server.request('GET', '/api/v1/namespaces/doomed')).json(),
      (n) => (n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True'),
    );
    const remaining = ns.status.conditions.find((c: { type: string }) => c.type === 'NamespaceFinalizersRemaining');
    expect(remaining.message).toBe('Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    await server.request('PATCH', '/api/v1/namespaces/doomed/configmaps/stuck', { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { finalizers: null } }) });
    expect(await eventually(async () => (await server.request('GET', '/api/v1/namespaces/doomed')).status, (s) => s === 404)).toBe(404);
  });
});
