// The embedded store: everything in memory, with etcd's model. One revision counter for the whole
// store; each key keeps its versions (MVCC) so that a list at revision R is a consistent snapshot and
// continue tokens resume it; watchers get every change after their revision, in order. Stored objects
// are frozen: readers share them without copying.
import type {
  GetOptions, ListOptions, ListResult, Preconditions, Storage, StoredObject, TryUpdate, WatchEvent, WatchOptions, Watcher,
} from '../interface.js';
import { StorageError } from '../interface.js';
import { continueAfter, decodeContinue, encodeContinue, InvalidContinueError } from '../continue-token.js';
import { deepFreeze, sameObject } from '../objects.js';
import { parseResourceVersion } from '../resource-version.js';
import { SortedKeys } from './sorted-keys.js';
import { MemoryWatcher, WatcherHub, type WatchCounters } from './watchers.js';

interface Version {
  revision: number;
  /** null: deleted at this revision. */
  object: StoredObject | null;
}

// etcd3/errors.go: a list or continue token at a compacted revision.
const LIST_EXPIRED = 'The resourceVersion for the provided list is too old.';
const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
/** kube's watch cache waits this long for a revision it has not reached before answering 504. */
const FRESHNESS_WAIT_MS = 3000;

function asPrefix(key: string, recursive: boolean): string {
  return recursive && !key.endsWith('/') ? `${key}/` : key;
}

function withRevision(obj: StoredObject, revision: number): StoredObject {
  return deepFreeze({ ...obj, metadata: { ...(obj.metadata ?? {}), resourceVersion: String(revision) } });
}

export interface MemoryStorageOptions {
  /** Events a watcher may have queued before it is dropped as too slow. */
  watcherQueueLimit?: number;
  /** How often watchers that allow bookmarks get one. */
  bookmarkIntervalMs?: number;
  /** How long a read at a revision the store has not reached waits for it (kube: 3 s) before TooLargeResourceVersion. */
  freshnessWaitMs?: number;
  /**
   * Replica use (the watch cache): keep at most this many recent events; older history is forgotten
   * as compaction would forget it (the cache then sends such reads and watches to its backend).
   * Unbounded by default: the embedded store keeps history until compaction, as etcd does.
   */
  maxWindowEvents?: number;
}

export class MemoryStorage implements Storage {
  private revision = 0;
  private compacted = 0;
  private readonly versions = new Map<string, Version[]>();
  private readonly keys = new SortedKeys();
  private readonly hub: WatcherHub;
  /** Recent changes, for watches that start in the past (kept back to the compaction horizon). */
  private readonly events: WatchEvent[] = [];
  private readonly eventKeys: string[] = [];
  private readonly previous: Array<StoredObject | null> = [];
  private closed = false;
  /** Reads waiting for the store to reach a revision. */
  private revisionWaiters: Array<{ revision: number; wake: () => void }> = [];
  private readonly counters: WatchCounters = { dispatched: 0, terminated: 0 };

  constructor(private readonly options: MemoryStorageOptions = {}) {
    this.hub = new WatcherHub(options.bookmarkIntervalMs ?? 60_000, () => this.revision);
  }

  private latest(key: string): StoredObject | null {
    const list = this.versions.get(key);
    return list && list.length > 0 ? list[list.length - 1].object : null;
  }

  private at(key: string, revision: number): StoredObject | null {
    const list = this.versions.get(key);
    if (!list) return null;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].revision <= revision) return list[i].object;
    return null;
  }

  private checkOpen(key: string): void {
    if (this.closed) throw new StorageError('Unreachable', key, 'storage is closed');
  }

  private commit(key: string, object: StoredObject | null, previous: StoredObject | null): WatchEvent {
    const revision = this.revision + 1;
    return this.record(key, object ? withRevision(object, revision) : null, previous, revision);
  }

  /** Stores a version made at `revision` (stored: frozen, resourceVersion set) and tells the watchers. */
  private record(key: string, stored: StoredObject | null, previous: StoredObject | null, revision: number): WatchEvent {
    this.revision = revision;
    let list = this.versions.get(key);
    if (!list) {
      list = [];
      this.versions.set(key, list);
      this.keys.add(key);
    }
    list.push({ revision, object: stored });
    // Versions no read can reach any more (all but the newest at or below the horizon) go now.
    if (list.length > 2 && list[1].revision <= this.compacted) {
      let drop = 1;
      while (drop + 1 < list.length && list[drop + 1].revision <= this.compacted) drop++;
      list.splice(0, drop);
    }
    const event: WatchEvent = stored
      ? { type: previous ? 'MODIFIED' : 'ADDED', object: stored, revision }
      : { type: 'DELETED', object: withRevision(previous!, revision), revision };
    event.key = key;
    this.events.push(event);
    this.eventKeys.push(key);
    this.previous.push(previous);
    this.hub.dispatch(key, event, previous);
    if (this.revisionWaiters.length > 0) this.wakeWaiters();
    const max = this.options.maxWindowEvents;
    if (max !== undefined && this.events.length > max) this.forgetOldest(this.events.length - max + Math.ceil(max / 10));
    return event;
  }

  /** Drops the oldest `count` events (a tenth of the window at a time, so the cost is spread thin). */
  private forgetOldest(count: number): void {
    const horizon = this.events[count - 1].revision;
    this.events.splice(0, count);
    this.eventKeys.splice(0, count);
    this.previous.splice(0, count);
    this.compacted = Math.max(this.compacted, horizon);
  }

  private wakeWaiters(): void {
    const still: typeof this.revisionWaiters = [];
    for (const waiter of this.revisionWaiters) (waiter.revision <= this.revision || this.closed ? waiter.wake() : still.push(waiter));
    this.revisionWaiters = still;
  }

  /** Waits (up to freshnessWaitMs) for the store to reach `revision`; then TooLargeResourceVersion, as kube's watch cache. */
  private async fresh(key: string, revision: number): Promise<void> {
    if (revision <= this.revision) return;
    const waitMs = this.options.freshnessWaitMs ?? FRESHNESS_WAIT_MS;
    if (waitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.revisionWaiters = this.revisionWaiters.filter((w) => w !== waiter);
          resolve();
        }, waitMs);
        const waiter = { revision, wake: () => (clearTimeout(timer), resolve()) };
        this.revisionWaiters.push(waiter);
      });
    }
    this.checkOpen(key);
    if (revision > this.revision) throw this.tooLarge(key, revision);
  }

  async create(key: string, obj: StoredObject): Promise<StoredObject> {
    this.checkOpen(key);
    if (obj.metadata?.resourceVersion) throw new StorageError('Internal', key, 'resourceVersion should not be set on objects to be created');
    if (this.latest(key)) throw new StorageError('KeyExists', key, `key exists: ${key}`);
    return this.commit(key, obj, null).object;
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    this.checkOpen(key);
    const asked = parseResourceVersion(key, opts.resourceVersion, 'get');
    if (asked !== undefined) await this.fresh(key, asked);
    const obj = this.latest(key);
    if (!obj && !opts.ignoreNotFound) throw new StorageError('KeyNotFound', key, `key not found: ${key}`);
    return obj;
  }

  private tooLarge(key: string, revision: number): StorageError {
    return new StorageError('TooLargeResourceVersion', key, `Too large resource version: ${revision}, current: ${this.revision}`, revision, this.revision);
  }

  private tooOld(key: string, revision: number): StorageError {
    return new StorageError('Expired', key, `too old resource version: ${revision} (${this.compacted})`, revision, this.compacted);
  }

  /**
   * kube's list semantics (storage.ValidateListOptions and the watch cache): a continue token reads
   * its snapshot (rv < 0: the latest); resourceVersionMatch Exact, or a legacy paged list with a
   * resourceVersion, reads the snapshot at that revision; otherwise the latest state, once the store
   * has reached the revision asked for.
   */
  async list(key: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen(key);
    const recursive = opts.recursive ?? true;
    const prefix = asPrefix(key, recursive);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    let revision = this.revision;
    let fromKey = prefix;
    if (opts.continue && recursive) {
      let decoded;
      try {
        decoded = decodeContinue(opts.continue, prefix);
      } catch (err) {
        if (err instanceof InvalidContinueError) throw new StorageError('InvalidContinue', key, err.message);
        throw err;
      }
      if (opts.resourceVersion && opts.resourceVersion !== '0') {
        throw new StorageError('BadRequest', key, 'specifying resource version is not allowed when using continue');
      }
      fromKey = decoded.fromKey;
      if (decoded.revision > 0) {
        await this.fresh(key, decoded.revision);
        if (decoded.revision < this.compacted) {
          throw new StorageError('Expired', key, CONTINUE_EXPIRED, decoded.revision, this.compacted, encodeContinue(fromKey, prefix, -1));
        }
        revision = decoded.revision;
      } else {
        revision = this.revision;
      }
    } else {
      const asked = parseResourceVersion(key, opts.resourceVersion, 'list');
      if (asked !== undefined && asked > 0) {
        await this.fresh(key, asked);
        const match = opts.resourceVersionMatch ?? '';
        const exact = match === 'Exact' || (match === '' && recursive && limit !== Infinity);
        if (exact) {
          if (asked < this.compacted) throw new StorageError('Expired', key, LIST_EXPIRED, asked, this.compacted);
          revision = asked;
        } else {
          revision = this.revision;
        }
      } else {
        revision = this.revision;
      }
    }
    if (!recursive) {
      const obj = this.at(key, revision);
      const items = obj && (!opts.predicate || opts.predicate(obj)) ? [obj] : [];
      return { items, resourceVersion: String(revision) };
    }
    const latest = revision === this.revision;
    const items: StoredObject[] = [];
    let lastKey: string | undefined;
    let more = false;
    const keys = this.keys.all;
    for (let i = this.keys.indexOf(fromKey); i < keys.length; i++) {
      const candidate = keys[i];
      if (!candidate.startsWith(prefix)) break;
      const obj = latest ? this.latest(candidate) : this.at(candidate, revision);
      if (!obj || (opts.predicate && !opts.predicate(obj))) continue;
      if (items.length < limit) {
        items.push(obj);
        lastKey = candidate;
        continue;
      }
      // One more object is enough to know a next page exists. (remainingItemCount is optional in
      // kube; counting the rest would make every page walk the whole collection.)
      more = true;
      break;
    }
    const result: ListResult = { items, resourceVersion: String(revision) };
    if (more && lastKey !== undefined) result.continue = continueAfter(lastKey, prefix, revision);
    return result;
  }

  private checkPreconditions(key: string, p: Preconditions | undefined, current: StoredObject): void {
    if (!p) return;
    const meta = current.metadata ?? {};
    if (p.uid !== undefined && p.uid !== meta.uid) {
      throw new StorageError('InvalidObj', key, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${meta.uid ?? ''}`);
    }
    if (p.resourceVersion !== undefined && p.resourceVersion !== meta.resourceVersion) {
      throw new StorageError('InvalidObj', key, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`);
    }
  }

  async guaranteedUpdate(key: string, preconditions: Preconditions | undefined, tryUpdate: TryUpdate, opts: { ignoreNotFound?: boolean } = {}): Promise<StoredObject> {
    this.checkOpen(key);
    for (;;) {
      const current = this.latest(key);
      if (!current && !opts.ignoreNotFound) throw new StorageError('KeyNotFound', key, `key not found: ${key}`);
      if (current) this.checkPreconditions(key, preconditions, current);
      const updated = await tryUpdate(current as StoredObject);
      // Someone else wrote meanwhile (tryUpdate may await): read-modify-write again on the new state.
      if (this.latest(key) !== current) continue;
      this.checkOpen(key);
      if (current && sameObject(updated, current)) return current;
      const { resourceVersion: _ignored, ...metadata } = updated.metadata ?? {};
      return this.commit(key, { ...updated, metadata }, current).object;
    }
  }

  async delete(key: string, preconditions?: Preconditions, validateDeletion?: (current: StoredObject) => void | Promise<void>): Promise<StoredObject> {
    this.checkOpen(key);
    for (;;) {
      const current = this.latest(key);
      if (!current) throw new StorageError('KeyNotFound', key, `key not found: ${key}`);
      this.checkPreconditions(key, preconditions, current);
      if (validateDeletion) await validateDeletion(current);
      if (this.latest(key) !== current) continue;
      return this.commit(key, null, current).object;
    }
  }

  /**
   * kube's cacher: sendInitialEvents=true sends the current state (once the store has reached the
   * revision asked for) then, with bookmarks allowed, a BOOKMARK annotated initial-events-end; a watch
   * without a revision (or "0") sends the current state too unless sendInitialEvents=false; a watch
   * from N sends every change after N (410 when N is compacted).
   */
  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    this.checkOpen(key);
    const recursive = opts.recursive ?? true;
    const prefix = asPrefix(key, recursive);
    const asked = parseResourceVersion(key, opts.resourceVersion, 'watch');
    const fromNow = asked === undefined || asked === 0;
    const initial = opts.sendInitialEvents ?? fromNow;
    if (opts.sendInitialEvents && !fromNow) await this.fresh(key, asked!);
    if (!initial && !fromNow && asked! < this.compacted) throw this.tooOld(key, asked!);
    const watcher = new MemoryWatcher(
      { key: prefix, recursive, predicate: opts.predicate, allowBookmarks: opts.allowBookmarks ?? false },
      this.options.watcherQueueLimit ?? 10_000,
      (w) => this.hub.remove(w),
      this.counters,
    );
    if (initial) {
      const keys = this.keys.all;
      for (let i = this.keys.indexOf(prefix); i < keys.length; i++) {
        const candidate = keys[i];
        if (recursive ? !candidate.startsWith(prefix) : candidate !== prefix) break;
        const obj = this.latest(candidate);
        if (obj && (!opts.predicate || opts.predicate(obj))) watcher.pushInitial({ type: 'ADDED', object: obj, revision: Number(obj.metadata.resourceVersion), key: candidate });
      }
      watcher.startAt(this.revision);
      if (opts.sendInitialEvents && opts.allowBookmarks) {
        const metadata = { resourceVersion: String(this.revision), annotations: { 'k8s.io/initial-events-end': 'true' } };
        watcher.pushInitial({ type: 'BOOKMARK', object: { metadata }, revision: this.revision });
      }
    } else if (fromNow) {
      watcher.startAt(this.revision);
    } else {
      watcher.startAt(asked!);
      // Replay what happened after the asked revision, then follow live.
      for (let i = this.firstEventAfter(asked!); i < this.events.length; i++) watcher.offer(this.eventKeys[i], this.events[i], this.previous[i]);
    }
    this.hub.add(watcher);
    return watcher;
  }

  /** Index of the first recorded event after `revision` (events are in revision order). */
  private firstEventAfter(revision: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Replica use (the watch cache): applies a change another store made, at that store's revision.
   * Events at or below the replica's revision are ignored (a resumed feed may repeat some).
   */
  replicate(event: WatchEvent): void {
    if (event.revision <= this.revision) return;
    if (event.type === 'BOOKMARK') {
      this.revision = event.revision;
      if (this.revisionWaiters.length > 0) this.wakeWaiters();
      return;
    }
    const key = event.key;
    if (!key || (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED')) return;
    const previous = this.latest(key);
    if (event.type === 'DELETED') {
      if (previous) this.record(key, null, previous, event.revision);
      else this.revision = event.revision;
      if (this.revisionWaiters.length > 0) this.wakeWaiters();
      return;
    }
    this.record(key, deepFreeze(event.object), previous, event.revision);
  }

  /** Replica use: the state of a key as first loaded (initial events arrive in key order, not revision order). */
  seed(key: string, object: StoredObject): void {
    let list = this.versions.get(key);
    if (!list) {
      list = [];
      this.versions.set(key, list);
      this.keys.add(key);
    }
    list.push({ revision: Number(object.metadata?.resourceVersion ?? 0), object: deepFreeze(object) });
  }

  /** Replica use: the loaded snapshot is complete at `revision`; history before it is unknown. */
  seeded(revision: number): void {
    this.revision = Math.max(this.revision, revision);
    this.compacted = revision;
  }

  /** The oldest revision a watch or an exact list can start from. */
  get horizon(): number {
    return this.compacted;
  }

  get watcherCount(): number {
    return this.hub.size;
  }

  get revisionNow(): number {
    return this.revision;
  }

  /** Watchers, revision, history window and watcher counters (for metrics). */
  stats(): { watchers: number; revision: number; windowEvents: number; eventsDispatched: number; terminatedWatchers: number } {
    return {
      watchers: this.hub.size,
      revision: this.revision,
      windowEvents: this.events.length,
      eventsDispatched: this.counters.dispatched,
      terminatedWatchers: this.counters.terminated,
    };
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.compacted) return;
    const horizon = Math.min(revision, this.revision);
    this.compacted = horizon;
    for (const [key, list] of this.versions) {
      // Keep the newest version at or below the horizon (the snapshot there) and everything after.
      let keepFrom = 0;
      for (let i = 0; i < list.length; i++) if (list[i].revision <= horizon) keepFrom = i;
      if (keepFrom > 0) list.splice(0, keepFrom);
      if (list.length === 1 && list[0].object === null && list[0].revision <= horizon) {
        this.versions.delete(key);
        this.keys.delete(key);
      }
    }
    let drop = 0;
    while (drop < this.events.length && this.events[drop].revision <= horizon) drop++;
    this.events.splice(0, drop);
    this.eventKeys.splice(0, drop);
    this.previous.splice(0, drop);
  }

  async checkHealth(): Promise<void> {
    if (this.closed) throw new Error('storage is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeWaiters();
    this.hub.close();
  }
}

export function createMemoryStorage(options: MemoryStorageOptions = {}): Storage {
  return new MemoryStorage(options);
}
