// Watchers of the embedded store: each a bounded queue read by async iteration; the hub hands every
// change to the watchers whose key it falls under. A watcher that falls too far behind is ended
// (client-go then re-lists) so that it can neither block the others nor grow memory without bound.
import type { Predicate, StoredObject, WatchEvent, Watcher } from '../interface.js';

export interface WatchSpec {
  /** The key, or the prefix (ending in '/') when recursive. */
  key: string;
  recursive: boolean;
  predicate?: Predicate;
  allowBookmarks: boolean;
}

/** Shared by the watchers of one store, for metrics (plain increments: nothing on the hot path). */
export interface WatchCounters {
  dispatched: number;
  terminated: number;
}

export class MemoryWatcher implements Watcher {
  private readonly queue: WatchEvent[] = [];
  private head = 0;
  /** Queue index after the last initial event. */
  private initialEnd = 0;
  private waiting: ((r: IteratorResult<WatchEvent>) => void) | null = null;
  private ended = false;
  private lastRevision = 0;
  /** How many events the watch started with (its initial state and the bookmark ending it). */
  initialEvents = 0;

  constructor(
    readonly spec: WatchSpec,
    private readonly limit: number,
    private readonly onStop: (w: MemoryWatcher) => void,
    private readonly counters: WatchCounters = { dispatched: 0, terminated: 0 },
  ) {}

  startAt(revision: number): void {
    this.lastRevision = revision;
  }

  get revision(): number {
    return this.lastRevision;
  }

  matchesKey(key: string): boolean {
    return this.spec.recursive ? key.startsWith(this.spec.key) : key === this.spec.key;
  }

  /** A change to a key this watcher covers; with a predicate, kube's cacher turns leaving into DELETED and entering into ADDED. */
  offer(key: string, event: WatchEvent, previous: StoredObject | null): void {
    if (this.ended || event.revision <= this.lastRevision || !this.matchesKey(key)) return;
    this.lastRevision = event.revision;
    const predicate = this.spec.predicate;
    if (!predicate) return this.push(event);
    if (event.type === 'DELETED') {
      if (predicate(event.object)) this.push(event);
      return;
    }
    const now = predicate(event.object);
    const before = previous !== null && predicate(previous);
    if (now && before) this.push(event);
    else if (now) this.push({ ...event, type: 'ADDED' });
    else if (before) this.push({ type: 'DELETED', object: event.object, revision: event.revision });
  }

  /** The initial state of a watch: queued whatever its size (it is the client's snapshot, not lag). */
  pushInitial(event: WatchEvent): void {
    if (this.ended) return;
    this.queue.push(event);
    this.initialEnd = this.queue.length;
    this.initialEvents++;
  }

  /** Live events queued and not yet read (initial events do not count against the limit). */
  private get lag(): number {
    return this.queue.length - Math.max(this.head, this.initialEnd);
  }

  push(event: WatchEvent): void {
    if (this.ended) return;
    this.counters.dispatched++;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
      return;
    }
    if (this.lag >= this.limit) {
      this.counters.terminated++;
      this.stop();
      return;
    }
    this.queue.push(event);
  }

  bookmark(revision: number): void {
    if (!this.spec.allowBookmarks || this.ended || this.queue.length - this.head > 0) return;
    this.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(revision) } }, revision });
  }

  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.head = 0;
    this.onStop(this);
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => {
        if (this.head < this.queue.length) {
          const value = this.queue[this.head++];
          if (this.head === this.queue.length) {
            this.queue.length = 0;
            this.head = 0;
            this.initialEnd = 0;
          } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
            // A reader that never quite catches up must not keep what it has read alive.
            this.queue.splice(0, this.head);
            this.initialEnd = Math.max(0, this.initialEnd - this.head);
            this.head = 0;
          }
          return Promise.resolve({ value, done: false });
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/**
 * The watchers of one store, indexed by the key or prefix they watch: a change is offered only to
 * the watchers of its key and of the prefixes above it (a handful of map lookups), not to every
 * watcher of the store.
 */
export class WatcherHub {
  private readonly byPrefix = new Map<string, Set<MemoryWatcher>>();
  private readonly byKey = new Map<string, Set<MemoryWatcher>>();
  private count = 0;
  private bookmarking = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly bookmarkIntervalMs: number,
    private readonly currentRevision: () => number,
  ) {}

  private indexOf(watcher: MemoryWatcher): Map<string, Set<MemoryWatcher>> {
    return watcher.spec.recursive ? this.byPrefix : this.byKey;
  }

  add(watcher: MemoryWatcher): void {
    const index = this.indexOf(watcher);
    let set = index.get(watcher.spec.key);
    if (!set) index.set(watcher.spec.key, (set = new Set()));
    if (set.has(watcher)) return;
    set.add(watcher);
    this.count++;
    if (watcher.spec.allowBookmarks) this.bookmarking++;
    if (this.bookmarking > 0 && !this.timer) {
      // One timer for all watchers: a bookmark tells idle watchers how far the store has got.
      this.timer = setInterval(() => this.bookmarkAll(), this.bookmarkIntervalMs);
      this.timer.unref();
    }
  }

  remove(watcher: MemoryWatcher): void {
    const index = this.indexOf(watcher);
    const set = index.get(watcher.spec.key);
    if (!set?.delete(watcher)) return;
    if (set.size === 0) index.delete(watcher.spec.key);
    this.count--;
    if (watcher.spec.allowBookmarks && --this.bookmarking === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  get size(): number {
    return this.count;
  }

  private bookmarkAll(): void {
    const revision = this.currentRevision();
    for (const index of [this.byPrefix, this.byKey]) {
      for (const set of index.values()) for (const w of set) w.bookmark(revision);
    }
  }

  dispatch(key: string, event: WatchEvent, previous: StoredObject | null): void {
    const exact = this.byKey.get(key);
    if (exact) for (const watcher of exact) watcher.offer(key, event, previous);
    if (this.byPrefix.size === 0) return;
    for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) {
      const set = this.byPrefix.get(key.slice(0, i + 1));
      if (set) for (const watcher of set) watcher.offer(key, event, previous);
    }
  }

  close(): void {
    const all: MemoryWatcher[] = [];
    for (const index of [this.byPrefix, this.byKey]) for (const set of index.values()) all.push(...set);
    for (const watcher of all) watcher.stop();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
