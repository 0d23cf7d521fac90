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

export class MemoryWatcher implements Watcher {
  private readonly queue: WatchEvent[] = [];
  private head = 0;
  private waiting: ((r: IteratorResult<WatchEvent>) => void) | null = null;
  private ended = false;
  private lastRevision = 0;

  constructor(
    readonly spec: WatchSpec,
    private readonly limit: number,
    private readonly onStop: (w: MemoryWatcher) => void,
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

  push(event: WatchEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
      return;
    }
    if (this.queue.length - this.head >= this.limit) {
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

export class WatcherHub {
  private readonly watchers = new Set<MemoryWatcher>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly bookmarkIntervalMs: number,
    private readonly currentRevision: () => number,
  ) {}

  add(watcher: MemoryWatcher): void {
    this.watchers.add(watcher);
    if (watcher.spec.allowBookmarks && !this.timer) {
      // One timer for all watchers: a bookmark tells idle watchers how far the store has got.
      this.timer = setInterval(() => {
        const revision = this.currentRevision();
        for (const w of this.watchers) w.bookmark(revision);
      }, this.bookmarkIntervalMs);
      this.timer.unref();
    }
  }

  remove(watcher: MemoryWatcher): void {
    this.watchers.delete(watcher);
  }

  get size(): number {
    return this.watchers.size;
  }

  dispatch(key: string, event: WatchEvent, previous: StoredObject | null): void {
    for (const watcher of this.watchers) watcher.offer(key, event, previous);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const watcher of [...this.watchers]) watcher.stop();
  }
}
