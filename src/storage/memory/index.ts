// The embedded store: everything in memory, with etcd's model. One revision counter for the whole
// store; each key keeps its versions (MVCC) so that a list at revision R is a consistent snapshot and
// continue tokens resume it; watchers get every change after their revision, in order. Stored objects
// are frozen: readers share them without copying.
import type {
  GetOptions, ListOptions, ListResult, Preconditions, Storage, StoredObject, TryUpdate, WatchEvent, WatchOptions, Watcher,
} from '../interface.js';
import { StorageError } from '../interface.js';
import { decodeContinue, encodeContinue, InvalidContinueError } from '../continue-token.js';
import { deepFreeze, sameObject } from '../objects.js';
import { SortedKeys } from './sorted-keys.js';
import { MemoryWatcher, WatcherHub } from './watchers.js';

interface Version {
  revision: number;
  /** null: deleted at this revision. */
  object: StoredObject | null;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function parseRevision(key: string, rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^[0-9]+$/.test(rv)) throw new StorageError('InvalidObj', key, `invalid resource version: ${rv}`);
  return Number(rv);
}

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
    const event: WatchEvent = stored
      ? { type: previous ? 'MODIFIED' : 'ADDED', object: stored, revision }
      : { type: 'DELETED', object: withRevision(previous!, revision), revision };
    event.key = key;
    this.events.push(event);
    this.eventKeys.push(key);
    this.previous.push(previous);
    this.hub.dispatch(key, event, previous);
    return event;
  }

  async create(key: string, obj: StoredObject): Promise<StoredObject> {
    this.checkOpen(key);
    if (obj.metadata?.resourceVersion) throw new StorageError('Internal', key, 'resourceVersion should not be set on objects to be created');
    if (this.latest(key)) throw new StorageError('KeyExists', key, `key exists: ${key}`);
    return this.commit(key, obj, null).object;
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    this.checkOpen(key);
    const asked = parseRevision(key, opts.resourceVersion);
    if (asked !== undefined && asked > this.revision) throw this.tooLarge(key, asked);
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

  async list(key: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen(key);
    const recursive = opts.recursive ?? true;
    const prefix = asPrefix(key, recursive);
    let revision = this.revision;
    let fromKey = prefix;
    if (opts.continue) {
      let decoded;
      try {
        decoded = decodeContinue(opts.continue, prefix);
      } catch (err) {
        if (err instanceof InvalidContinueError) throw new StorageError('InvalidContinue', key, err.message);
        throw err;
      }
      if (decoded.revision < this.compacted) throw new StorageError('Expired', key, CONTINUE_EXPIRED, decoded.revision, this.compacted);
      if (decoded.revision > this.revision) throw this.tooLarge(key, decoded.revision);
      revision = decoded.revision;
      fromKey = decoded.fromKey;
    } else {
      const asked = parseRevision(key, opts.resourceVersion);
      if (asked !== undefined && asked > this.revision) throw this.tooLarge(key, asked);
      if (asked !== undefined && asked !== 0 && opts.resourceVersionMatch === 'Exact') {
        if (asked < this.compacted) throw this.tooOld(key, asked);
        revision = asked;
      }
    }
    if (!recursive) {
      const obj = this.at(key, revision);
      const items = obj && (!opts.predicate || opts.predicate(obj)) ? [obj] : [];
      return { items, resourceVersion: String(revision) };
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: StoredObject[] = [];
    let nextKey: string | undefined;
    const keys = this.keys.all;
    for (let i = this.keys.indexOf(fromKey); i < keys.length; i++) {
      const candidate = keys[i];
      if (!candidate.startsWith(prefix)) break;
      const obj = this.at(candidate, revision);
      if (!obj || (opts.predicate && !opts.predicate(obj))) continue;
      if (items.length < limit) {
        items.push(obj);
        continue;
      }
      // One more object is enough to know a next page exists. (remainingItemCount is optional in
      // kube; counting the rest would make every page walk the whole collection.)
      nextKey = candidate;
      break;
    }
    const result: ListResult = { items, resourceVersion: String(revision) };
    if (nextKey !== undefined) result.continue = encodeContinue(nextKey, prefix, revision);
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

  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    this.checkOpen(key);
    const recursive = opts.recursive ?? true;
    const prefix = asPrefix(key, recursive);
    const asked = parseRevision(key, opts.resourceVersion);
    const fromNow = asked === undefined || asked === 0;
    if (!fromNow && asked! < this.compacted) throw this.tooOld(key, asked!);
    const watcher = new MemoryWatcher(
      { key: prefix, recursive, predicate: opts.predicate, allowBookmarks: opts.allowBookmarks ?? false },
      this.options.watcherQueueLimit ?? 10_000,
      (w) => this.hub.remove(w),
    );
    if (fromNow) {
      // No revision (or "0"): the current state as ADDED events first, unless the client said not to.
      const initial = opts.sendInitialEvents ?? true;
      if (initial) {
        for (const candidate of this.keys.from(prefix)) {
          if (!candidate.startsWith(prefix)) break;
          if (!recursive && candidate !== prefix) continue;
          const obj = this.latest(candidate);
          if (obj && (!opts.predicate || opts.predicate(obj))) watcher.push({ type: 'ADDED', object: obj, revision: Number(obj.metadata.resourceVersion) });
        }
      }
      watcher.startAt(this.revision);
      if (opts.sendInitialEvents && opts.allowBookmarks) {
        watcher.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(this.revision), annotations: { 'k8s.io/initial-events-end': 'true' } } }, revision: this.revision });
      }
    } else {
      watcher.startAt(asked!);
      // Replay what happened after the asked revision, then follow live.
      const first = this.events.findIndex((e) => e.revision > asked!);
      if (first !== -1) for (let i = first; i < this.events.length; i++) watcher.offer(this.eventKeys[i], this.events[i], this.previous[i]);
    }
    this.hub.add(watcher);
    return watcher;
  }

  /**
   * Replica use (the watch cache): applies a change another store made, at that store's revision.
   * Events at or below the replica's revision are ignored (a resumed feed may repeat some).
   */
  replicate(event: WatchEvent): void {
    if (event.revision <= this.revision) return;
    if (event.type === 'BOOKMARK') {
      this.revision = event.revision;
      return;
    }
    const key = event.key;
    if (!key || (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED')) return;
    const previous = this.latest(key);
    if (event.type === 'DELETED') {
      if (previous) this.record(key, null, previous, event.revision);
      else this.revision = event.revision;
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
    this.hub.close();
  }
}

export function createMemoryStorage(options: MemoryStorageOptions = {}): Storage {
  return new MemoryStorage(options);
}
