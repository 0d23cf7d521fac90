// The MongoDB backend against a real MongoDB-compatible server (MONGODB_URI, else FerretDB).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoStorage, type MongoStorageOptions } from '../../src/storage/mongodb/index.js';
import { StorageError, type Storage, type WatchEvent, type Watcher } from '../../src/storage/interface.js';
import { announceSkip, getMongoUri, uniqueDbName } from '../support/mongo.js';
import { describeStorageConformance, type ConformanceInstance } from './conformance.js';

const server = await getMongoUri();
if (!server) announceSkip('test/storage/mongodb.test.ts');

const open: Storage[] = [];
async function storage(dbName: string, extra: Partial<MongoStorageOptions> = {}): Promise<Storage> {
  const s = await createMongoStorage({ uri: server!.uri, dbName, pollIntervalMs: 20, gapTimeoutMs: 500, ...extra });
  open.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(open.map((s) => s.close().catch(() => undefined)));
  await server?.stop();
});

/** One database per conformance case: restart() closes the current instance and opens a new one on it. */
async function conformanceFactory(): Promise<ConformanceInstance> {
  const dbName = uniqueDbName('conf');
  let current = await storage(dbName);
  const mine: Storage[] = [current];
  return {
    storage: current,
    async restart() {
      await current.close();
      current = await storage(dbName);
      mine.push(current);
      return current;
    },
    async second() {
      const s = await storage(dbName);
      mine.push(s);
      return s;
    },
    async cleanup() {
      await Promise.all(mine.map((s) => s.close().catch(() => undefined)));
    },
  };
}

// The suite every backend runs.
if (server) describeStorageConformance('mongodb', conformanceFactory);

/** Reads events until `count` non-bookmark events arrived (or the timeout). */
async function take(w: Watcher, count: number, ms = 5000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const it = w[Symbol.asyncIterator]();
  const deadline = Date.now() + ms;
  while (out.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await Promise.race([it.next(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
    if (!next || next.done) break;
    if (next.value.type !== 'BOOKMARK') out.push(next.value);
  }
  return out;
}

function cm(name: string, data: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

async function rejects(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return err as StorageError;
  }
  throw new Error('expected a StorageError');
}

describe.skipIf(!server)('mongodb backend', () => {
  let s: Storage;
  beforeAll(async () => {
    s = await storage(uniqueDbName('basic'));
  });

  it('creates, gets, updates and deletes with one revision for the whole store', async () => {
    const created = await s.create('/registry/configmaps/default/a', cm('a', { x: '1' }));
    const rv1 = Number(created.metadata.resourceVersion);
    expect(rv1).toBeGreaterThan(0);
    expect((await rejects(s.create('/registry/configmaps/default/a', cm('a')))).code).toBe('KeyExists');
    // kube's etcd3 store: storage.ErrResourceVersionSetOnCreate, a plain error (500).
    const withRv = await rejects(s.create('/registry/configmaps/default/rv', { ...cm('rv'), metadata: { name: 'rv', resourceVersion: '5' } }));
    expect([withRv.code, withRv.message]).toEqual(['Internal', 'resourceVersion should not be set on objects to be created']);
    const got = await s.get('/registry/configmaps/default/a');
    expect(got).toEqual(created);
    const updated = await s.guaranteedUpdate('/registry/configmaps/default/a', undefined, (cur) => ({ ...cur, data: { x: '2' } }));
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(rv1);
    const same = await s.guaranteedUpdate('/registry/configmaps/default/a', undefined, (cur) => cur);
    expect(same.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    const last = await s.delete('/registry/configmaps/default/a');
    expect(last.data).toEqual({ x: '2' });
    expect((await rejects(s.get('/registry/configmaps/default/a'))).code).toBe('KeyNotFound');
    expect(await s.get('/registry/configmaps/default/a', { ignoreNotFound: true })).toBeNull();
    expect(await s.currentRevision()).toBeGreaterThan(Number(updated.metadata.resourceVersion));
    // Re-created after a delete.
    const again = await s.create('/registry/configmaps/default/a', cm('a'));
    expect(Number(again.metadata.resourceVersion)).toBeGreaterThan(Number(updated.metadata.resourceVersion));
  });

  it('checks preconditions as kube does', async () => {
    const obj = await s.create('/registry/configmaps/default/pre', { ...cm('pre'), metadata: { name: 'pre', uid: 'u1' } });
    const err = await rejects(s.guaranteedUpdate('/registry/configmaps/default/pre', { resourceVersion: '1' }, (c) => c));
    expect(err.code).toBe('InvalidObj');
    expect(err.message).toBe(
      `Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
    const uidErr = await rejects(s.delete('/registry/configmaps/default/pre', { uid: 'other' }));
    expect(uidErr.message).toBe('Precondition failed: UID in precondition: other, UID in object meta: u1');
  });

  it('loses no increment under 30 concurrent guaranteedUpdates', async () => {
    const key = '/registry/configmaps/default/counter';
    await s.create(key, cm('counter', { n: '0' }));
    await Promise.all(
      Array.from({ length: 30 }, () =>
        s.guaranteedUpdate(key, undefined, (cur) => ({ ...cur, data: { n: String(Number(cur.data.n) + 1) } })),
      ),
    );
    expect((await s.get(key))!.data.n).toBe('30');
  });

  it('lists a consistent snapshot page by page while writes go on', async () => {
    const prefix = '/registry/secrets/ns1/';
    for (let i = 0; i < 7; i++) await s.create(`${prefix}s${i}`, cm(`s${i}`));
    const first = await s.list(prefix, { limit: 3 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['s0', 's1', 's2']);
    expect(first.continue).toBeTruthy();
    const token = JSON.parse(Buffer.from(first.continue!, 'base64url').toString());
    expect(token).toEqual({ v: 'meta.k8s.io/v1', rv: Number(first.resourceVersion), start: 's2\u0000' });
    await s.delete(`${prefix}s4`);
    await s.create(`${prefix}s35`, cm('s35'));
    const second = await s.list(prefix, { limit: 3, continue: first.continue });
    expect(second.resourceVersion).toBe(first.resourceVersion);
    expect(second.items.map((o) => o.metadata.name)).toEqual(['s3', 's4', 's5']);
    const third = await s.list(prefix, { limit: 3, continue: second.continue });
    expect(third.items.map((o) => o.metadata.name)).toEqual(['s6']);
    expect(third.continue).toBeUndefined();
    const now = await s.list(prefix);
    expect(now.items.map((o) => o.metadata.name)).toEqual(['s0', 's1', 's2', 's3', 's35', 's5', 's6']);
    expect((await rejects(s.list(prefix, { continue: 'not a token!' }))).code).toBe('InvalidContinue');
    const bad = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 5, start: '../x' })).toString('base64url');
    expect((await rejects(s.list(prefix, { continue: bad }))).code).toBe('InvalidContinue');
  });

  it('lists with a predicate and limit as kube pages: limit counts matches', async () => {
    const prefix = '/registry/pods/p/';
    for (let i = 0; i < 6; i++) await s.create(`${prefix}p${i}`, { ...cm(`p${i}`), metadata: { name: `p${i}`, labels: { odd: String(i % 2) } } });
    const pred = (o: Record<string, any>) => o.metadata.labels.odd === '1';
    const page = await s.list(prefix, { limit: 2, predicate: pred });
    expect(page.items.map((o) => o.metadata.name)).toEqual(['p1', 'p3']);
    const rest = await s.list(prefix, { limit: 2, predicate: pred, continue: page.continue });
    expect(rest.items.map((o) => o.metadata.name)).toEqual(['p5']);
  });

  it('watches from a revision: every later change once, in order, including deletes', async () => {
    const prefix = '/registry/things/w/';
    const base = await s.currentRevision();
    await s.create(`${prefix}a`, cm('a'));
    await s.guaranteedUpdate(`${prefix}a`, undefined, (c) => ({ ...c, data: { v: '1' } }));
    const w = await s.watch(prefix, { resourceVersion: String(base) });
    await s.delete(`${prefix}a`);
    await s.create(`${prefix}b`, cm('b'));
    const events = await take(w, 4);
    w.stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a', 'ADDED b']);
    const revs = events.map((e) => e.revision);
    expect([...revs].sort((x, y) => x - y)).toEqual(revs);
    expect(events[2].object.metadata.resourceVersion).toBe(String(events[2].revision));
  });

  it('fills a hole left by a writer that died holding a revision', async () => {
    const db = uniqueDbName('gap');
    const prefix = '/registry/gaps/';
    const first = await storage(db);
    const base = await first.currentRevision();
    // Another instance chose two slots, wrote the second and died before writing the first.
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(server!.uri);
    const orphan = { _id: base + 2, key: `${prefix}orphan`, createRevision: base + 2, prevRevision: 0, deleted: false, value: JSON.stringify(cm('orphan')) };
    await client.db(db).collection('kube_log').insertOne(orphan as never);
    await client.close();
    // Never acknowledged, so not shown while the hole is open.
    expect((await first.list(prefix)).items).toEqual([]);
    const w = await first.watch(prefix, { resourceVersion: String(base) });
    // A new instance starts above it; its write waits for the hole, fills it, and then both show.
    const second = await storage(db);
    const started = Date.now();
    const mine = await second.create(`${prefix}mine`, cm('mine'));
    expect(Number(mine.metadata.resourceVersion)).toBe(base + 3);
    expect(Date.now() - started).toBeLessThan(3000);
    const events = await take(w, 2, 5000);
    w.stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name} ${e.revision}`)).toEqual([
      `ADDED orphan ${base + 2}`,
      `ADDED mine ${base + 3}`,
    ]);
    expect((await first.list(prefix)).items.map((o) => o.metadata.name)).toEqual(['mine', 'orphan']);
  });

  it('gives Expired for a watch or exact list below the compaction horizon', async () => {
    const key = '/registry/compact/x';
    const c1 = await s.create(key, cm('x'));
    await s.guaranteedUpdate(key, undefined, (c) => ({ ...c, data: { v: '2' } }));
    const now = await s.currentRevision();
    await s.compact(now);
    const old = Number(c1.metadata.resourceVersion);
    const err = await rejects(s.watch('/registry/compact/', { resourceVersion: String(old) }));
    expect(err.code).toBe('Expired');
    expect(err.message).toBe(`too old resource version: ${old} (${now})`);
    expect((await rejects(s.list('/registry/compact/', { resourceVersion: String(old), resourceVersionMatch: 'Exact' }))).code).toBe('Expired');
    expect((await s.get(key))!.data).toEqual({ v: '2' });
    expect((await s.list('/registry/compact/')).items).toHaveLength(1);
  });

  it('removes superseded history after the grace period; the state stays readable from a fresh instance', async () => {
    const db = uniqueDbName('compact');
    const a = await storage(db, { compactionGraceMs: 0 });
    const key = '/registry/compacted/k';
    await a.create(key, cm('k', { v: '0' }));
    for (let i = 1; i <= 5; i++) await a.guaranteedUpdate(key, undefined, (c) => ({ ...c, data: { v: String(i) } }));
    await a.create('/registry/compacted/gone', cm('gone'));
    await a.delete('/registry/compacted/gone');
    await a.create('/registry/compacted/last', cm('last'));
    const horizon = await a.currentRevision();
    await a.compact(horizon);
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(server!.uri);
    const log = client.db(db).collection('kube_log');
    const deadline = Date.now() + 5000;
    while ((await log.countDocuments({})) > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = (await log.find({}).toArray()).map((d) => d.key).sort();
    await client.close();
    expect(left).toEqual(['/registry/compacted/k', '/registry/compacted/last']);
    const b = await storage(db);
    expect((await b.get(key))!.data).toEqual({ v: '5' });
    expect((await b.list('/registry/compacted/')).items.map((o) => o.metadata.name)).toEqual(['k', 'last']);
    const recreated = await b.create('/registry/compacted/gone', cm('gone'));
    expect(Number(recreated.metadata.resourceVersion)).toBeGreaterThan(horizon);
    const updated = await b.guaranteedUpdate(key, undefined, (c) => ({ ...c, data: { v: '6' } }));
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(horizon);
  });

  it('re-creates a deleted key while compaction of its tombstone is pending', async () => {
    const db = uniqueDbName('regrace');
    const a = await storage(db, { compactionGraceMs: 60_000 });
    const key = '/registry/regrace/k';
    await a.create(key, cm('k'));
    await a.delete(key);
    await a.compact(await a.currentRevision());
    const started = Date.now();
    const again = await a.create(key, cm('k', { v: '2' }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await a.get(key))!.data).toEqual({ v: '2' });
    expect((await rejects(a.create(key, cm('k')))).code).toBe('KeyExists');
    const b = await storage(db);
    expect((await b.get(key))!.metadata.resourceVersion).toBe(again.metadata.resourceVersion);
  });

  it('filters watches with a predicate as kube: entering is ADDED, leaving is DELETED', async () => {
    const prefix = '/registry/pred/';
    const key = `${prefix}p`;
    const base = await s.currentRevision();
    const w = await s.watch(prefix, { resourceVersion: String(base), predicate: (o) => o.data?.color === 'blue' });
    await s.create(key, cm('p', { color: 'red' }));
    await s.guaranteedUpdate(key, undefined, (c) => ({ ...c, data: { color: 'blue' } }));
    await s.guaranteedUpdate(key, undefined, (c) => ({ ...c, data: { color: 'blue', size: 'l' } }));
    await s.guaranteedUpdate(key, undefined, (c) => ({ ...c, data: { color: 'green' } }));
    const events = await take(w, 3);
    w.stop();
    expect(events.map((e) => `${e.type} ${JSON.stringify(e.object.data)}`)).toEqual([
      'ADDED {"color":"blue"}',
      'MODIFIED {"color":"blue","size":"l"}',
      'DELETED {"color":"blue","size":"l"}',
    ]);
    expect(events[2].object.metadata.resourceVersion).toBe(String(events[2].revision));
  });

  it('ends only the watch whose predicate throws', async () => {
    const prefix = '/registry/throwing/';
    const rv = String(await s.currentRevision());
    const bad = await s.watch(prefix, { resourceVersion: rv, predicate: () => { throw new Error('bad selector'); } });
    const good = await s.watch(prefix, { resourceVersion: rv });
    await s.create(`${prefix}a`, cm('a'));
    await s.create(`${prefix}b`, cm('b'));
    const badEvents = await take(bad, 2, 2000);
    expect(badEvents.map((e) => e.type)).toEqual(['ERROR']);
    const goodEvents = await take(good, 2);
    good.stop();
    expect(goodEvents.map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
  });

  it('sends initial events then the initial-events-end bookmark for watch-list', async () => {
    const prefix = '/registry/wl/';
    await s.create(`${prefix}a`, cm('a'));
    await s.create(`${prefix}b`, cm('b'));
    const w = await s.watch(prefix, { sendInitialEvents: true, allowBookmarks: true, resourceVersion: '' });
    const it = w[Symbol.asyncIterator]();
    const first = [(await it.next()).value, (await it.next()).value, (await it.next()).value];
    w.stop();
    expect(first.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`)).toEqual(['ADDED a', 'ADDED b', 'BOOKMARK ']);
    expect(first[2].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(Number(first[2].object.metadata.resourceVersion)).toBeGreaterThanOrEqual(first[1].revision);
  });

  it('round-trips a 1.5 MiB object and keys with every legal character', async () => {
    const big = { ...cm('big'), data: { blob: 'x'.repeat(1.5 * 1024 * 1024) } };
    await s.create('/registry/configmaps/default/big', big);
    expect((await s.get('/registry/configmaps/default/big'))!.data.blob.length).toBe(1.5 * 1024 * 1024);
    const name = 'a-b.c_d:e~0123456789.Z';
    const annotated = { ...cm(name), metadata: { name, annotations: { 'example.com/$weird.key': 'v' } } };
    await s.create(`/registry/odd/${name}`, annotated);
    const back = await s.get(`/registry/odd/${name}`);
    expect(back!.metadata.annotations).toEqual({ 'example.com/$weird.key': 'v' });
  });
});

describe.skipIf(!server)('mongodb backend: several instances on one database', () => {
  it('sees the writes of another instance in its watch and its list', async () => {
    const db = uniqueDbName('multi');
    const a = await storage(db);
    const b = await storage(db);
    const prefix = '/registry/shared/';
    const w = await b.watch(prefix, { resourceVersion: String(await b.currentRevision()) });
    await a.create(`${prefix}one`, cm('one'));
    await a.guaranteedUpdate(`${prefix}one`, undefined, (c) => ({ ...c, data: { v: '2' } }));
    await b.create(`${prefix}two`, cm('two'));
    await a.delete(`${prefix}one`);
    const events = await take(w, 4);
    w.stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED one', 'MODIFIED one', 'ADDED two', 'DELETED one']);
    const listed = await b.list(prefix);
    expect(listed.items.map((o) => o.metadata.name)).toEqual(['two']);
    expect(Number(listed.resourceVersion)).toBeGreaterThanOrEqual(events[3].revision);
  });

  it('keeps one winner when two instances race on one key', async () => {
    const db = uniqueDbName('race');
    const a = await storage(db);
    const b = await storage(db);
    const key = '/registry/race/counter';
    await a.create(key, cm('counter', { n: '0' }));
    const bump = (s: Storage) => s.guaranteedUpdate(key, undefined, (c) => ({ ...c, data: { n: String(Number(c.data.n) + 1) } }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? a : b)));
    expect((await b.get(key))!.data.n).toBe('20');
    // Two writers with the same resourceVersion precondition: exactly one wins.
    const rv = (await a.get(key))!.metadata.resourceVersion;
    const results = await Promise.allSettled(
      [a, b].map((s) => s.guaranteedUpdate(key, { resourceVersion: rv }, (c) => ({ ...c, data: { n: 'x' } }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as StorageError).code).toBe('InvalidObj');
    // The same for creates.
    const creates = await Promise.allSettled([a, b].map((s) => s.create('/registry/race/new', cm('new'))));
    expect(creates.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('resumes a watch from the last seen revision after a restart, missing nothing', async () => {
    const db = uniqueDbName('resume');
    const writer = await storage(db);
    let reader = await storage(db);
    const prefix = '/registry/resume/';
    const w1 = await reader.watch(prefix, { resourceVersion: String(await reader.currentRevision()) });
    for (let i = 0; i < 5; i++) await writer.create(`${prefix}k${i}`, cm(`k${i}`));
    const seen = await take(w1, 5);
    expect(seen).toHaveLength(5);
    const last = seen[4].revision;
    await reader.close();
    for (let i = 5; i < 10; i++) await writer.create(`${prefix}k${i}`, cm(`k${i}`));
    await writer.delete(`${prefix}k0`);
    reader = await storage(db);
    const w2 = await reader.watch(prefix, { resourceVersion: String(last) });
    await writer.create(`${prefix}k10`, cm('k10'));
    const rest = await take(w2, 7);
    w2.stop();
    expect(rest.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED k5', 'ADDED k6', 'ADDED k7', 'ADDED k8', 'ADDED k9', 'DELETED k0', 'ADDED k10',
    ]);
    expect(rest.every((e) => e.revision > last)).toBe(true);
  });
});
