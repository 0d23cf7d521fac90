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
