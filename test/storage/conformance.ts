// One storage conformance suite, run against every backend: the invariants of DESIGN.md
// (monotonic revisions, no lost update, ordered exactly-once watches, consistent paged lists,
// compaction → Expired, large objects and odd keys).
import { afterEach, describe, expect, it } from 'vitest';
import { StorageError, type Storage, type StoredObject, type WatchEvent, type Watcher } from '../../src/storage/interface.js';

export interface ConformanceInstance {
  storage: Storage;
  /** Closes the instance and opens a new one on the same data (backends that persist). */
  restart?: () => Promise<Storage>;
  /** Another instance sharing the same data (backends that several servers share). */
  second?: () => Promise<Storage>;
  cleanup: () => Promise<void>;
}

export type ConformanceFactory = () => Promise<ConformanceInstance>;

const obj = (name: string, extra: Record<string, unknown> = {}): StoredObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, ...extra });

/** Reads events until `count` non-bookmark events arrived (or the timeout). */
export async function take(w: Watcher, count: number, ms = 5000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const iterator = w[Symbol.asyncIterator]();
  const deadline = Date.now() + ms;
  while (out.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await Promise.race([iterator.next(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left))]);
    if (next === 'timeout' || next.done) break;
    if (next.value.type !== 'BOOKMARK') out.push(next.value);
  }
  return out;
}

async function storageError(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StorageError) return err;
    throw err;
  }
  throw new Error('expected a StorageError');
}

export function describeStorageConformance(name: string, factory: ConformanceFactory): void {
  describe(`storage conformance: ${name}`, () => {
    let instance: ConformanceInstance | undefined;
    const open = async () => {
      instance = await factory();
      return instance;
    };
    afterEach(async () => {
      await instance?.cleanup();
      instance = undefined;
    });

    it('gives every write a new, higher revision and sets metadata.resourceVersion to it', async () => {
      const { storage } = await open();
      const start = await storage.currentRevision();
      const a = await storage.create('/registry/cm/ns/a', obj('a'));
      const b = await storage.create('/registry/cm/ns/b', obj('b'));
      const a2 = await storage.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, data: { x: '1' } }));
      const revisions = [a, b, a2].map((o) => Number(o.metadata.resourceVersion));
      expect(revisions[0]).toBeGreaterThan(start);
      expect(revisions[1]).toBeGreaterThan(revisions[0]);
      expect(revisions[2]).toBeGreaterThan(revisions[1]);
      expect(await storage.currentRevision()).toBe(revisions[2]);
      expect((await storage.get('/registry/cm/ns/a'))!.data).toEqual({ x: '1' });
    });

    it('refuses a second create of a key and answers a missing key with KeyNotFound', async () => {
      const { storage } = await open();
      await storage.create('/registry/cm/ns/a', obj('a'));
      expect((await storageError(storage.create('/registry/cm/ns/a', obj('a')))).code).toBe('KeyExists');
      expect((await storageError(storage.get('/registry/cm/ns/missing'))).code).toBe('KeyNotFound');
      expect(await storage.get('/registry/cm/ns/missing', { ignoreNotFound: true })).toBeNull();
      expect((await storageError(storage.delete('/registry/cm/ns/missing'))).code).toBe('KeyNotFound');
    });

    it('loses no increment under 50 concurrent guaranteedUpdates', async () => {
      const { storage } = await open();
      await storage.create('/registry/cm/ns/counter', obj('counter', { data: { n: '0' } }));
      await Promise.all(
        Array.from({ length: 50 }, () =>
          storage.guaranteedUpdate('/registry/cm/ns/counter', undefined, async (cur) => {
            await new Promise((r) => setTimeout(r, Math.random() * 3));
            return { ...cur, data: { n: String(Number(cur.data.n) + 1) } };
          }),
        ),
      );
      expect((await storage.get('/registry/cm/ns/counter'))!.data.n).toBe('50');
    });

    it('lets one of two writers with the same resourceVersion precondition win; the other fails', async () => {
      const { storage } = await open();
      const created = await storage.create('/registry/cm/ns/a', obj('a'));
      const rv = created.metadata.resourceVersion;
      const write = (v: string) => storage.guaranteedUpdate('/registry/cm/ns/a', { resourceVersion: rv }, (cur) => ({ ...cur, data: { v } }));
      const results = await Promise.allSettled([write('one'), write('two')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason).toBeInstanceOf(StorageError);
      expect(['InvalidObj', 'ResourceVersionConflicts']).toContain((failure.reason as StorageError).code);
    });

    it('writes nothing for an update that changes nothing', async () => {
      const { storage } = await open();
      const created = await storage.create('/registry/cm/ns/a', obj('a', { data: { x: '1' } }));
      const same = await storage.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, data: { x: '1' } }));
      expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      expect(await storage.currentRevision()).toBe(Number(created.metadata.resourceVersion));
    });

    it('checks uid preconditions on delete', async () => {
      const { storage } = await open();
      await storage.create('/registry/cm/ns/a', obj('a', { metadata: { name: 'a', namespace: 'ns', uid: 'u1' } }));
      expect((await storageError(storage.delete('/registry/cm/ns/a', { uid: 'other' }))).code).toBe('InvalidObj');
      const deleted = await storage.delete('/registry/cm/ns/a', { uid: 'u1' });
      expect(deleted.metadata.name).toBe('a');
      expect(await storage.get('/registry/cm/ns/a', { ignoreNotFound: true })).toBeNull();
    });

    it('delivers every change after R exactly once, in revision order, including deletes', async () => {
      const { storage } = await open();
      const first = await storage.create('/registry/cm/ns/a', obj('a'));
      const w = await storage.watch('/registry/cm/ns/', { resourceVersion: first.metadata.resourceVersion });
      await storage.create('/registry/cm/ns/b', obj('b'));
      await storage.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, data: { x: '1' } }));
      await storage.delete('/registry/cm/ns/b');
      await storage.create('/registry/other/ns/c', obj('c'));
      const events = await take(w, 3);
      w.stop();
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'b'],
        ['MODIFIED', 'a'],
        ['DELETED', 'b'],
      ]);
      const revisions = events.map((e) => e.revision);
      expect([...revisions].sort((x, y) => x - y)).toEqual(revisions);
      expect(new Set(revisions).size).toBe(3);
      expect(events.map((e) => e.object.metadata.resourceVersion)).toEqual(revisions.map(String));
    });

    it('starts a watch without a revision with the current state as ADDED, then follows', async () => {
      const { storage } = await open();
      await storage.create('/registry/cm/ns/a', obj('a'));
      await storage.create('/registry/cm/ns/b', obj('b'));
      const w = await storage.watch('/registry/cm/ns/', { resourceVersion: '' });
      await storage.create('/registry/cm/ns/c', obj('c'));
      const events = await take(w, 3);
      w.stop();
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
        ['ADDED', 'c'],
      ]);
    });

    it('ends watch-list initial events with an initial-events-end bookmark', async () => {
      const { storage } = await open();
      await storage.create('/registry/cm/ns/a', obj('a'));
      const w = await storage.watch('/registry/cm/ns/', { sendInitialEvents: true, allowBookmarks: true });
      const iterator = w[Symbol.asyncIterator]();
      const added = await iterator.next();
      const bookmark = await iterator.next();
      w.stop();
      expect(added.value.type).toBe('ADDED');
      expect(bookmark.value.type).toBe('BOOKMARK');
      expect(bookmark.value.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      expect(Number(bookmark.value.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(added.value.object.metadata.resourceVersion));
    });

    it('turns a change that leaves or enters a watch predicate into DELETED or ADDED', async () => {
      const { storage } = await open();
      const created = await storage.create('/registry/cm/ns/a', obj('a', { metadata: { name: 'a', namespace: 'ns', labels: { on: 'yes' } } }));
      const w = await storage.watch('/registry/cm/ns/', { resourceVersion: created.metadata.resourceVersion, predicate: (o) => o.metadata.labels?.on === 'yes' });
      await storage.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { on: 'no' } } }));
      await storage.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { on: 'yes' } } }));
      const events = await take(w, 2);
      w.stop();
      expect(events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
    });

    it('pages a list through continue tokens over one consistent snapshot while writes go on', async () => {
      const { storage } = await open();
      for (let i = 0; i < 25; i++) await storage.create(`/registry/cm/ns/item-${String(i).padStart(2, '0')}`, obj(`item-${i}`));
      const first = await storage.list('/registry/cm/ns/', { limit: 10 });
      expect(first.items).toHaveLength(10);
      expect(first.continue).toBeTruthy();
      // remainingItemCount is optional in kube ("when known"); when given it must be right.
      if (first.remainingItemCount !== undefined) expect(first.remainingItemCount).toBe(15);
      // Writes after the first page must not show in the later pages.
      await storage.create('/registry/cm/ns/item-99', obj('item-99'));
      await storage.delete('/registry/cm/ns/item-20');
      await storage.guaranteedUpdate('/registry/cm/ns/item-15', undefined, (cur) => ({ ...cur, data: { changed: 'yes' } }));
      const names: string[] = first.items.map((o) => o.metadata.name);
      let token = first.continue;
      let changed: StoredObject | undefined;
      while (token) {
        const page = await storage.list('/registry/cm/ns/', { limit: 10, continue: token });
        expect(page.resourceVersion).toBe(first.resourceVersion);
        names.push(...page.items.map((o) => o.metadata.name));
        changed ??= page.items.find((o) => o.metadata.name === 'item-15');
        token = page.continue;
      }
      expect(names).toHaveLength(25);
      expect(names).toContain('item-20');
      expect(names).not.toContain('item-99');
      expect(changed?.data).toBeUndefined();
    });

    it('answers a bad continue token with InvalidContinue and a compacted one with Expired', async () => {
      const { storage } = await open();
      for (let i = 0; i < 3; i++) await storage.create(`/registry/cm/ns/i${i}`, obj(`i${i}`));
      expect((await storageError(storage.list('/registry/cm/ns/', { continue: 'not-a-token!' }))).code).toBe('InvalidContinue');
      const page = await storage.list('/registry/cm/ns/', { limit: 1 });
      await storage.create('/registry/cm/ns/later', obj('later'));
      await storage.compact(await storage.currentRevision());
      expect((await storageError(storage.list('/registry/cm/ns/', { continue: page.continue }))).code).toBe('Expired');
    });

    it('offers, with an Expired continue token, one that goes on at the latest revision (kube\'s rv -1)', async () => {
      const { storage } = await open();
      for (let i = 0; i < 4; i++) await storage.create(`/registry/cm/ns/i${i}`, obj(`i${i}`));
      const page = await storage.list('/registry/cm/ns/', { limit: 2 });
      await storage.delete('/registry/cm/ns/i3');
      await storage.create('/registry/cm/ns/i4', obj('i4'));
      await storage.compact(await storage.currentRevision());
      const err = await storageError(storage.list('/registry/cm/ns/', { limit: 2, continue: page.continue }));
      expect(err.code).toBe('Expired');
      expect(err.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
      expect(err.continueToken).toBeTruthy();
      const token = JSON.parse(Buffer.from(err.continueToken!, 'base64url').toString());
      expect(token.rv).toBe(-1);
      // Going on with it reads the latest state after the first page.
      const rest = await storage.list('/registry/cm/ns/', { limit: 10, continue: err.continueToken });
      expect(rest.items.map((o) => o.metadata.name)).toEqual(['i2', 'i4']);
      expect(rest.resourceVersion).toBe(String(await storage.currentRevision()));
    });

    it('lists in key order, and a paged list with a resourceVersion reads that exact snapshot (kube\'s legacy exact)', async () => {
      const { storage } = await open();
      for (const n of ['b', 'a-1', 'a', 'c.x', 'a.b']) await storage.create(`/registry/cm/ns/${n}`, obj(n));
      const all = await storage.list('/registry/cm/ns/');
      expect(all.items.map((o) => o.metadata.name)).toEqual(['a', 'a-1', 'a.b', 'b', 'c.x']);
      const at = all.resourceVersion;
      await storage.create('/registry/cm/ns/0', obj('0'));
      await storage.delete('/registry/cm/ns/b');
      const paged = await storage.list('/registry/cm/ns/', { resourceVersion: at, limit: 100 });
      expect(paged.resourceVersion).toBe(at);
      expect(paged.items.map((o) => o.metadata.name)).toEqual(['a', 'a-1', 'a.b', 'b', 'c.x']);
      // Without a limit, a resourceVersion means "not older than": the latest state.
      const latest = await storage.list('/registry/cm/ns/', { resourceVersion: at });
      expect(latest.items.map((o) => o.metadata.name)).toEqual(['0', 'a', 'a-1', 'a.b', 'c.x']);
    });

    it('answers an exact list at a compacted revision with Expired', async () => {
      const { storage } = await open();
      const a = await storage.create('/registry/cm/ns/a', obj('a'));
      await storage.guaranteedUpdate('/registry/cm/ns/a', undefined, (cur) => ({ ...cur, data: { x: '1' } }));
      await storage.create('/registry/cm/ns/b', obj('b'));
      await storage.compact(await storage.currentRevision());
      const err = await storageError(storage.list('/registry/cm/ns/', { resourceVersion: a.metadata.resourceVersion, resourceVersionMatch: 'Exact' }));
      expect(err.code).toBe('Expired');
    });

    it('sends the current state to a watch-list from a revision, then the initial-events-end bookmark', async () => {
      const { storage } = await open();
      const a = await storage.create('/registry/cm/ns/a', obj('a'));
      await storage.create('/registry/cm/ns/b', obj('b'));
      const w = await storage.watch('/registry/cm/ns/', { resourceVersion: a.metadata.resourceVersion, sendInitialEvents: true, allowBookmarks: true });
      const iterator = w[Symbol.asyncIterator]();
      const seen: WatchEvent[] = [];
      for (let i = 0; i < 3; i++) seen.push((await iterator.next()).value);
      w.stop();
      expect(seen.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
        ['BOOKMARK', undefined],
      ]);
      expect(seen[2].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    });

    it('answers a watch from a compacted revision with Expired (too old resource version)', async () => {
      const { storage } = await open();
      const a = await storage.create('/registry/cm/ns/a', obj('a'));
      await storage.create('/registry/cm/ns/b', obj('b'));
      await storage.create('/registry/cm/ns/c', obj('c'));
      await storage.compact(await storage.currentRevision());
      const err = await storageError(
        (async () => {
          const w = await storage.watch('/registry/cm/ns/', { resourceVersion: a.metadata.resourceVersion });
          // Backends may also report it as the watch's first event.
          const [first] = await take(w, 1, 2000);
          w.stop();
          if (first?.type === 'ERROR') throw new StorageError('Expired', '', String(first.object.message));
        })(),
      );
      expect(err.code).toBe('Expired');
      expect(err.message).toMatch(/too old resource version/);
    });

    it('lists at an exact revision, and refuses one ahead of the store', async () => {
      const { storage } = await open();
      const a = await storage.create('/registry/cm/ns/a', obj('a'));
      await storage.create('/registry/cm/ns/b', obj('b'));
      const exact = await storage.list('/registry/cm/ns/', { resourceVersion: a.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
      expect(exact.items.map((o) => o.metadata.name)).toEqual(['a']);
      const ahead = String((await storage.currentRevision()) + 1000);
      expect((await storageError(storage.list('/registry/cm/ns/', { resourceVersion: ahead }))).code).toBe('TooLargeResourceVersion');
    });

    it('round-trips a 1.5 MiB object and keys with every legal character', async () => {
      const { storage } = await open();
      const big = 'x'.repeat(1.5 * 1024 * 1024);
      await storage.create('/registry/cm/ns/big', obj('big', { data: { big } }));
      expect((await storage.get('/registry/cm/ns/big'))!.data.big).toHaveLength(big.length);
      // Every character a DNS-1123 subdomain name may hold, and the longest name.
      const names = ['a.b-c', 'a'.repeat(253), '0-9.z', 'x.y.z-1', 'abcdefghijklmnopqrstuvwxyz-0123456789.z'];
      for (const n of names) await storage.create(`/registry/cm/ns/${n}`, obj(n));
      for (const n of names) expect((await storage.get(`/registry/cm/ns/${n}`))!.metadata.name).toBe(n);
      const listed = await storage.list('/registry/cm/ns/');
      expect(listed.items.map((o) => o.metadata.name).sort()).toEqual([...names, 'big'].sort());
    });

    it('resumes a watch from the last seen revision after a restart without missing anything', async (ctx) => {
      const inst = await open();
      if (!inst.restart) return ctx.skip();
      const a = await inst.storage.create('/registry/cm/ns/a', obj('a'));
      await inst.storage.create('/registry/cm/ns/b', obj('b'));
      const restarted = await inst.restart();
      await restarted.create('/registry/cm/ns/c', obj('c'));
      const w = await restarted.watch('/registry/cm/ns/', { resourceVersion: a.metadata.resourceVersion });
      const events = await take(w, 2);
      w.stop();
      expect(events.map((e) => e.object.metadata.name)).toEqual(['b', 'c']);
    });

    it('shows the writes of one instance in another\'s watch and list', async (ctx) => {
      const inst = await open();
      if (!inst.second) return ctx.skip();
      const other = await inst.second();
      const w = await other.watch('/registry/cm/ns/', { resourceVersion: String(await inst.storage.currentRevision()) });
      await inst.storage.create('/registry/cm/ns/shared', obj('shared'));
      const [event] = await take(w, 1);
      w.stop();
      expect(event?.type).toBe('ADDED');
      expect(event?.object.metadata.name).toBe('shared');
      const listed = await other.list('/registry/cm/ns/');
      expect(listed.items.map((o) => o.metadata.name)).toContain('shared');
    });
  });
}
