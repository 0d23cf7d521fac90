// The embedded store runs the shared conformance suite, plus what is particular to it.
import { describe, expect, it } from 'vitest';
import { describeStorageConformance, take } from './conformance.js';
import { createMemoryStorage, MemoryStorage } from '../../src/storage/memory/index.js';

describeStorageConformance('memory', async () => {
  // A short freshness wait: reads ahead of the store fail after it (kube waits 3 s).
  const storage = createMemoryStorage({ freshnessWaitMs: 50 });
  return { storage, cleanup: () => storage.close() };
});

describe('memory store watchers', () => {
  it('fans one event out to 10,000 watchers', async () => {
    const storage = new MemoryStorage();
    const watchers = await Promise.all(Array.from({ length: 10_000 }, () => storage.watch('/registry/cm/', { resourceVersion: '0' })));
    const started = performance.now();
    await storage.create('/registry/cm/ns/a', { metadata: { name: 'a', namespace: 'ns' } });
    const received = await Promise.all(watchers.map((w) => take(w, 1, 5000)));
    const elapsed = performance.now() - started;
    expect(received.every((events) => events.length === 1 && events[0].type === 'ADDED')).toBe(true);
    expect(elapsed).toBeLessThan(5000);
    for (const w of watchers) w.stop();
    await storage.close();
  });

  it('drops a watcher that falls too far behind, and its iteration ends', async () => {
    const storage = new MemoryStorage({ watcherQueueLimit: 5 });
    const slow = await storage.watch('/registry/cm/', { resourceVersion: '0' });
    for (let i = 0; i < 10; i++) await storage.create(`/registry/cm/ns/${i}`, { metadata: { name: String(i) } });
    const events = await take(slow, 100, 500);
    expect(events.length).toBeLessThanOrEqual(5);
    const next = await slow[Symbol.asyncIterator]().next();
    expect(next.done).toBe(true);
    await storage.close();
  });

  it('sends periodic bookmarks to watchers that allow them', async () => {
    const storage = new MemoryStorage({ bookmarkIntervalMs: 20 });
    const w = await storage.watch('/registry/cm/', { resourceVersion: '0', allowBookmarks: true });
    const first = await w[Symbol.asyncIterator]().next();
    expect(first.value.type).toBe('BOOKMARK');
    w.stop();
    await storage.close();
  });

  it('ends every watcher when the store closes', async () => {
    const storage = new MemoryStorage();
    const w = await storage.watch('/registry/cm/', { resourceVersion: '0' });
    const pending = w[Symbol.asyncIterator]().next();
    await storage.close();
    expect((await pending).done).toBe(true);
  });
});

describe('memory store reads and watches (kube semantics)', () => {
  const cm = (name: string) => ({ metadata: { name, namespace: 'ns' } });

  it('waits for a resourceVersion the store has not reached, then answers TooLargeResourceVersion', async () => {
    const storage = new MemoryStorage({ freshnessWaitMs: 200 });
    const a = await storage.create('/registry/cm/ns/a', cm('a'));
    const ahead = String(Number(a.metadata.resourceVersion) + 1);
    // A write that arrives within the wait lets the read through.
    const pending = storage.list('/registry/cm/ns/', { resourceVersion: ahead });
    await storage.create('/registry/cm/ns/b', cm('b'));
    expect((await pending).items).toHaveLength(2);
    const started = Date.now();
    const err = await storage.get('/registry/cm/ns/a', { resourceVersion: '999' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(err).toMatchObject({ code: 'TooLargeResourceVersion', message: 'Too large resource version: 999, current: 2' });
    await storage.close();
  });

  it('refuses a resourceVersion together with a continue token (400, as kube)', async () => {
    const storage = new MemoryStorage();
    for (const n of ['a', 'b']) await storage.create(`/registry/cm/ns/${n}`, cm(n));
    const page = await storage.list('/registry/cm/ns/', { limit: 1 });
    const err = await storage.list('/registry/cm/ns/', { limit: 1, continue: page.continue, resourceVersion: page.resourceVersion }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BadRequest', message: 'specifying resource version is not allowed when using continue' });
    await storage.close();
  });

  it('offers each change only to the watchers of its key and of the prefixes above it', async () => {
    const storage = new MemoryStorage();
    const everything = await storage.watch('/registry/', { resourceVersion: '0' });
    const kind = await storage.watch('/registry/cm/', { resourceVersion: '0' });
    const namespace = await storage.watch('/registry/cm/ns/', { resourceVersion: '0' });
    const other = await storage.watch('/registry/cm/other/', { resourceVersion: '0' });
    const one = await storage.watch('/registry/cm/ns/a', { resourceVersion: '0', recursive: false });
    const lookalike = await storage.watch('/registry/cm/ns/a', { resourceVersion: '0' }); // prefix "/registry/cm/ns/a/"
    await storage.create('/registry/cm/ns/a', cm('a'));
    await storage.create('/registry/cm/ns/ab', cm('ab'));
    await storage.create('/registry/cm/other/c', cm('c'));
    const names = async (w: Awaited<ReturnType<typeof storage.watch>>, n: number) => (await take(w, n, 200)).map((e) => e.object.metadata.name);
    expect(await names(everything, 4)).toEqual(['a', 'ab', 'c']);
    expect(await names(kind, 4)).toEqual(['a', 'ab', 'c']);
    expect(await names(namespace, 4)).toEqual(['a', 'ab']);
    expect(await names(other, 4)).toEqual(['c']);
    expect(await names(one, 4)).toEqual(['a']);
    expect(await names(lookalike, 4)).toEqual([]);
    expect(storage.watcherCount).toBe(6);
    await storage.close();
    expect(storage.watcherCount).toBe(0);
  });

  it('sends an initial state larger than the slow-watcher bound without dropping the watcher', async () => {
    const storage = new MemoryStorage({ watcherQueueLimit: 10 });
    for (let i = 0; i < 50; i++) await storage.create(`/registry/cm/ns/o${String(i).padStart(2, '0')}`, cm(`o${i}`));
    const w = await storage.watch('/registry/cm/', { resourceVersion: '' });
    await storage.create('/registry/cm/ns/z', cm('z'));
    const events = await take(w, 51, 1000);
    expect(events).toHaveLength(51);
    expect(events[50].object.metadata.name).toBe('z');
    await storage.close();
  });

  it('starts a watch with sendInitialEvents=false and no revision at now, without the current state', async () => {
    const storage = new MemoryStorage();
    await storage.create('/registry/cm/ns/a', cm('a'));
    const w = await storage.watch('/registry/cm/', { sendInitialEvents: false });
    await storage.create('/registry/cm/ns/b', cm('b'));
    expect((await take(w, 2, 200)).map((e) => e.object.metadata.name)).toEqual(['b']);
    await storage.close();
  });
});
