// The watch cache over a real backend runs the same conformance suite: what a client sees through
// the cache must not differ from the backend (MongoDB when available, and the memory store always).
import { describe, expect, it, afterAll } from 'vitest';
import { describeStorageConformance, take } from './conformance.js';
import { Cacher } from '../../src/storage/cacher/index.js';
import { createMemoryStorage } from '../../src/storage/memory/index.js';
import { createMongoStorage } from '../../src/storage/mongodb/index.js';
import { announceSkip, getMongoUri, uniqueDbName } from '../support/mongo.js';

describeStorageConformance('watch cache over memory', async () => {
  const storage = await Cacher.create(createMemoryStorage({ freshnessWaitMs: 50 }), { freshnessWaitMs: 50 });
  return { storage, cleanup: () => storage.close() };
});

const mongo = await getMongoUri();
if (!mongo) announceSkip('test/storage/cacher.test.ts (watch cache over MongoDB)');
afterAll(async () => {
  await mongo?.stop();
});

if (mongo) {
  describeStorageConformance('watch cache over mongodb', async () => {
    const dbName = uniqueDbName('cacher');
    const open = (): Promise<Cacher> => createMongoStorage({ uri: mongo.uri, dbName, pollIntervalMs: 20 }).then((b) => Cacher.create(b));
    let current = await open();
    const all = [current];
    return {
      storage: current,
      async restart() {
        await current.close();
        current = await open();
        all.push(current);
        return current;
      },
      async second() {
        const s = await open();
        all.push(s);
        return s;
      },
      cleanup: async () => {
        await Promise.all(all.map((s) => s.close().catch(() => undefined)));
      },
    };
  });

  describe('watch cache over mongodb', () => {
    it('serves a consistent read right after a write through another instance', async () => {
      const dbName = uniqueDbName('cacher-read');
      const a = await Cacher.create(await createMongoStorage({ uri: mongo.uri, dbName, pollIntervalMs: 20 }));
      const b = await Cacher.create(await createMongoStorage({ uri: mongo.uri, dbName, pollIntervalMs: 20 }));
      await a.create('/registry/cm/ns/x', { metadata: { name: 'x', namespace: 'ns' } });
      expect((await b.get('/registry/cm/ns/x'))?.metadata.name).toBe('x');
      const w = await b.watch('/registry/cm/ns/', { resourceVersion: String(await b.currentRevision()) });
      await a.delete('/registry/cm/ns/x');
      const [event] = await take(w, 1);
      expect(event?.type).toBe('DELETED');
      w.stop();
      await a.close();
      await b.close();
    });
  });
}
