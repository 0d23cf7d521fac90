// What the watch cache adds over its backend: consistent reads once caught up, predicate
// transitions, bookmarks, watch-list, slow watchers dropped, cheap fan-out, history from the backend.
import { describe, expect, it } from 'vitest';
import { take } from './conformance.js';
import { Cacher } from '../../src/storage/cacher/index.js';
import { MemoryStorage } from '../../src/storage/memory/index.js';
import { StorageError, type GetOptions, type Storage, type StoredObject, type WatchOptions, type Watcher } from '../../src/storage/interface.js';

const cm = (name: string, labels: Record<string, string> = {}): StoredObject => ({ metadata: { name, namespace: 'ns', labels } });

async function cached(options: ConstructorParameters<typeof MemoryStorage>[0] = {}, cacheOptions: Parameters<typeof Cacher.create>[1] = {}) {
  const backend = new MemoryStorage({ freshnessWaitMs: 50, ...options });
  const cache = await Cacher.create(backend, { freshnessWaitMs: 500, ...cacheOptions });
  return { backend, cache };
}

describe('watch cache', () => {
  it('serves a consistent read of a write the backend acknowledged, even one that did not go through the cache', async () => {
    const { backend, cache } = await cached();
    await backend.create('/registry/cm/ns/direct', cm('direct'));
    expect((await cache.get('/registry/cm/ns/direct'))?.metadata.name).toBe('direct');
    expect((await cache.list('/registry/cm/ns/')).items.map((o) => o.metadata.name)).toEqual(['direct']);
    await cache.close();
  });

  it('turns changes that leave or enter a watcher\'s predicate into DELETED and ADDED', async () => {
    const { cache } = await cached();
    const w = await cache.watch('/registry/cm/', { resourceVersion: '0', predicate: (o) => o.metadata.labels?.app === 'x' });
    await cache.create('/registry/cm/ns/a', cm('a', { app: 'x' }));
    await cache.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'y' } } }));
    await cache.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, data: { only: 'while out' } }));
    await cache.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'x' } } }));
    await cache.delete('/registry/cm/ns/a');
    const events = await take(w, 5, 500);
    expect(events.map((e) => [e.type, e.object.metadata.labels?.app])).toEqual([
      ['ADDED', 'x'],
      ['DELETED', 'y'],
      ['ADDED', 'x'],
      ['DELETED', 'x'],
    ]);
    await cache.close();
  });

  it('sends watch-list initial events, the initial-events-end bookmark, then periodic bookmarks', async () => {
    const { cache } = await cached({ freshnessWaitMs: 50 }, { bookmarkIntervalMs: 30 });
    await cache.create('/registry/cm/ns/a', cm('a'));
    await cache.create('/registry/cm/ns/b', cm('b'));
    const revision = await cache.currentRevision();
    const w = await cache.watch('/registry/cm/', { sendInitialEvents: true, allowBookmarks: true });
    const it = w[Symbol.asyncIterator]();
    const first = [(await it.next()).value, (await it.next()).value, (await it.next()).value];
    expect(first.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(first[2].object.metadata).toEqual({ resourceVersion: String(revision), annotations: { 'k8s.io/initial-events-end': 'true' } });
    const periodic = (await it.next()).value;
    expect(periodic.type).toBe('BOOKMARK');
    expect(periodic.object.metadata).toEqual({ resourceVersion: String(revision) });
    // A watcher that did not ask for bookmarks gets none.
    const quiet = await cache.watch('/registry/cm/', { resourceVersion: String(revision) });
    const next = await Promise.race([quiet[Symbol.asyncIterator]().next(), new Promise((r) => setTimeout(() => r('nothing'), 100))]);
    expect(next).toBe('nothing');
    await cache.close();
  });

  it('drops a watcher whose queue passes the bound; the others go on', async () => {
    const { cache } = await cached({}, { watcherQueueLimit: 5 });
    const slow = await cache.watch('/registry/cm/', { resourceVersion: '0' });
    const reader = await cache.watch('/registry/cm/', { resourceVersion: '0' });
    const reading = take(reader, 20, 2000);
    for (let i = 0; i < 20; i++) {
      await cache.create(`/registry/cm/ns/o${i}`, cm(`o${i}`));
      await new Promise((r) => setImmediate(r)); // the reader keeps up; the slow one never reads
    }
    expect(await reading).toHaveLength(20);
    const drained = await take(slow, 100, 200);
    expect(drained.length).toBeLessThanOrEqual(5);
    expect((await slow[Symbol.asyncIterator]().next()).done).toBe(true);
    expect(cache.stats().terminatedWatchers).toBe(1);
    await cache.close();
  });

  it('delivers one event to 10,000 watchers of one prefix quickly, with the same object for all', async () => {
    const { cache } = await cached();
    const watchers: Watcher[] = await Promise.all(Array.from({ length: 10_000 }, () => cache.watch('/registry/cm/', { resourceVersion: '0' })));
    const arrivals = watchers.map((w) => w[Symbol.asyncIterator]().next());
    await cache.create('/registry/cm/ns/fan', cm('fan'));
    const acknowledged = performance.now();
    const events = await Promise.all(arrivals);
    const elapsed = performance.now() - acknowledged;
    expect(events.every((e) => e.value.type === 'ADDED')).toBe(true);
    // Shared, frozen: serialized once for all (no per-watcher copies).
    expect(new Set(events.map((e) => e.value.object)).size).toBe(1);
    expect(Object.isFrozen(events[0].value.object)).toBe(true);
    expect(elapsed).toBeLessThan(500);
    expect(cache.stats().watchers).toBe(10_000);
    await cache.close();
    expect(cache.stats().watchers).toBe(0);
  });

  it('keeps a bounded window of events; older watches and snapshots come from the backend', async () => {
    const { cache } = await cached({}, { windowEvents: 10 });
    const first = await cache.create('/registry/cm/ns/hot', cm('hot'));
    for (let i = 0; i < 40; i++) await cache.guaranteedUpdate('/registry/cm/ns/hot', undefined, (cur) => ({ ...cur, data: { n: String(i) } }));
    await cache.get('/registry/cm/ns/hot'); // caught up
    expect(cache.stats().windowEvents).toBeLessThanOrEqual(11);
    const w = await cache.watch('/registry/cm/', { resourceVersion: first.metadata.resourceVersion });
    const events = await take(w, 40, 1000);
    expect(events.map((e) => e.object.data.n)).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    const old = await cache.list('/registry/cm/', { resourceVersion: first.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
    expect(old.items[0].data).toBeUndefined();
    await cache.close();
  });

  it('survives its feed ending while the backend is down: no hung reads, watchers ended, reloaded once back', async () => {
    const backend = new MemoryStorage({ freshnessWaitMs: 50 });
    let down = false;
    const feeds: Watcher[] = [];
    const unreachable = () => Promise.reject(new StorageError('Unreachable', '', 'storage is unreachable'));
    const flaky: Storage = {
      create: (key, obj) => backend.create(key, obj),
      list: (key, opts) => backend.list(key, opts),
      guaranteedUpdate: (key, pre, fn, opts) => backend.guaranteedUpdate(key, pre, fn, opts),
      delete: (key, pre, validate) => backend.delete(key, pre, validate),
      compact: (revision) => backend.compact(revision),
      checkHealth: () => backend.checkHealth(),
      close: () => backend.close(),
      watch: async (key: string, opts?: WatchOptions) => {
        if (down) return unreachable();
        const feed = await backend.watch(key, opts);
        feeds.push(feed);
        return feed;
      },
      currentRevision: () => (down ? unreachable() : backend.currentRevision()),
      get: (key: string, opts?: GetOptions) => (down ? unreachable() : backend.get(key, opts)),
    };
    const cache = await Cacher.create(flaky, { freshnessWaitMs: 200 });
    await cache.create('/registry/cm/ns/a', cm('a'));
    const client = await cache.watch('/registry/cm/', { resourceVersion: '' });
    down = true;
    feeds[0].stop(); // the backend went away
    const started = Date.now();
    await expect(cache.get('/registry/cm/ns/a')).rejects.toMatchObject({ code: 'Unreachable' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await cache.get('/registry/cm/ns/a', { resourceVersion: '0' }))?.metadata.name).toBe('a'); // stale reads still served
    down = false;
    await backend.create('/registry/cm/ns/b', cm('b'));
    expect((await cache.get('/registry/cm/ns/b'))?.metadata.name).toBe('b'); // from the backend if not yet reloaded
    for (let i = 0; i < 40 && cache.stats().initializations < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(feeds).toHaveLength(2);
    expect(cache.stats().initializations).toBe(2);
    expect((await cache.get('/registry/cm/ns/b', { resourceVersion: '0' }))?.metadata.name).toBe('b'); // the reloaded replica
    // The client's watch ended with the old replica (it re-lists, as client-go does).
    expect((await client[Symbol.asyncIterator]().next()).done).toBe(true);
    await cache.close();
  });

  it('ends every watcher when it closes', async () => {
    const { cache } = await cached();
    const w = await cache.watch('/registry/cm/', { resourceVersion: '0' });
    const pending = w[Symbol.asyncIterator]().next();
    await cache.close();
    expect((await pending).done).toBe(true);
  });

  it('answers a watch from before the cache started from the backend\'s history, and 410 once compacted', async () => {
    const backend = new MemoryStorage();
    const a = await backend.create('/registry/cm/ns/a', cm('a'));
    await backend.create('/registry/cm/ns/b', cm('b'));
    const cache = await Cacher.create(backend);
    expect((await cache.list('/registry/cm/', { resourceVersion: '0' })).items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    const w = await cache.watch('/registry/cm/', { resourceVersion: a.metadata.resourceVersion });
    expect((await take(w, 1, 500)).map((e) => e.object.metadata.name)).toEqual(['b']);
    w.stop();
    await cache.compact(await cache.currentRevision());
    const err = await cache.watch('/registry/cm/', { resourceVersion: a.metadata.resourceVersion }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'Expired', message: `too old resource version: ${a.metadata.resourceVersion} (${await cache.currentRevision()})` });
    await cache.close();
  });
});
