// The watch cache (kube's Cacher): one backend watch per server keeps a replica of the whole store in
// memory; gets, lists and watches are served from it once it has caught up with the revision a read
// needs, and one backend event fans out to any number of client watchers. Writes go to the backend.
// What the replica cannot answer (history from before it started, a replica that cannot catch up in
// time) is asked of the backend itself.
import type { Logger } from 'pino';
import type { GetOptions, ListOptions, ListResult, Preconditions, Storage, StoredObject, TryUpdate, WatchOptions, Watcher } from '../interface.js';
import { MemoryStorage } from '../memory/index.js';
import { decodeContinue, encodeContinue } from '../continue-token.js';
import { StorageError } from '../interface.js';
import { parseResourceVersion } from '../resource-version.js';

const ROOT = '/registry/';
/** How long a read waits for the replica to reach the revision it needs before asking the backend
 *  (kube's cacher waits up to 3 s too: the backend's own reads are much slower than waiting). */
const FRESHNESS_WAIT_MS = 3000;

export interface CacherOptions {
  logger?: Logger;
  watcherQueueLimit?: number;
  bookmarkIntervalMs?: number;
  /** How long a read waits for the cache to reach the revision it needs (kube: 3 s). */
  freshnessWaitMs?: number;
  /** Recent events kept for watches from the past (kube's largest watch cache: 100 Ki); older ones are the backend's. */
  windowEvents?: number;
}

/** Counters and levels for /metrics (kube's apiserver_watch_cache_* family). */
export interface CacheStats {
  watchers: number;
  revision: number;
  /** Events held for watches that start in the past. */
  windowEvents: number;
  eventsReceived: number;
  eventsDispatched: number;
  terminatedWatchers: number;
  initializations: number;
}

/** A compacted continue token: kube's 410 offers a token that goes on at the latest revision; add it when the backend did not. */
function withLatestContinue(err: unknown, key: string, opts: ListOptions): never {
  if (err instanceof StorageError && err.code === 'Expired' && opts.continue && !err.continueToken) {
    const prefix = key.endsWith('/') ? key : `${key}/`;
    const { fromKey } = decodeContinue(opts.continue, prefix);
    throw new StorageError('Expired', err.key, err.message, err.revision, err.currentRevision, encodeContinue(fromKey, prefix, -1));
  }
  throw err;
}

export class Cacher implements Storage {
  private replica: MemoryStorage;
  private feed?: Watcher;
  private waiters: Array<{ revision: number; resolve: () => void }> = [];
  private closed = false;
  /** Resolved once, by the first complete load; later reloads keep serving the previous replica meanwhile. */
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  private initializations = 0;
  private eventsReceived = 0;
  /** Dispatch counters of replicas already replaced (a restart starts a new replica). */
  private retired = { dispatched: 0, terminated: 0 };

  private constructor(private readonly backend: Storage, private readonly options: CacherOptions) {
    this.replica = this.newReplica();
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
  }

  private newReplica(): MemoryStorage {
    const { watcherQueueLimit, bookmarkIntervalMs, freshnessWaitMs, windowEvents } = this.options;
    return new MemoryStorage({ watcherQueueLimit, bookmarkIntervalMs, freshnessWaitMs, maxWindowEvents: windowEvents ?? 100 * 1024 });
  }

  static async create(backend: Storage, options: CacherOptions = {}): Promise<Cacher> {
    const cacher = new Cacher(backend, options);
    await cacher.start();
    await cacher.ready;
    return cacher;
  }

  /** Loads the current state (watch-list) and follows the backend from there, reconnecting when the feed ends. */
  private async start(): Promise<void> {
    const feed = await this.backend.watch(ROOT, { resourceVersion: '', recursive: true, sendInitialEvents: true, allowBookmarks: true });
    this.feed = feed;
    const replica = this.newReplica();
    let loading = true;
    void (async () => {
      for await (const event of feed) {
        if (loading) {
          if (event.type === 'ADDED' && event.key) replica.seed(event.key, event.object);
          else if (event.type === 'BOOKMARK' && event.object.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true') {
            replica.seeded(event.revision);
            loading = false;
            const old = this.replica;
            this.replica = replica;
            this.initializations++;
            if (old !== replica) {
              const stats = old.stats();
              this.retired.dispatched += stats.eventsDispatched;
              this.retired.terminated += stats.terminatedWatchers;
              void old.close();
            }
            this.markReady();
            this.wake();
          }
          continue;
        }
        replica.replicate(event);
        if (event.type !== 'BOOKMARK') this.eventsReceived++;
        this.wake();
      }
      // The feed ended (backend gone, or we fell behind): start over unless closing.
      if (!this.closed) {
        this.options.logger?.warn('watch cache feed ended; reloading');
        await this.restart();
      }
    })().catch((err: unknown) => this.options.logger?.error({ err }, 'watch cache feed failed'));
  }

  private async restart(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      try {
        await this.start();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private wake(): void {
    const now = this.replica.revisionNow;
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) (waiter.revision <= now ? waiter.resolve() : still.push(waiter));
    this.waiters = still;
  }

  /** True once the replica has reached `revision` (waiting up to FRESHNESS_WAIT_MS). */
  private async caughtUp(revision: number): Promise<boolean> {
    await this.ready;
    if (this.replica.revisionNow >= revision) return true;
    return new Promise<boolean>((resolve) => {
      const waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        // Not reached in time: forget the waiter (the read goes to the backend).
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, this.options.freshnessWaitMs ?? FRESHNESS_WAIT_MS);
      this.waiters.push(waiter);
    });
  }

  private probe?: Promise<number>;
  private nextProbe?: Promise<number>;

  /**
   * The backend's current revision for a consistent read. Concurrent reads share probes, but a read
   * never uses a probe that was already under way when it arrived (it could miss a write the reader
   * saw acknowledged): it joins the next one, as kube's consistent reads share progress requests.
   */
  private latestRevision(): Promise<number> {
    if (!this.probe) {
      this.probe = this.backend.currentRevision().finally(() => (this.probe = undefined));
      return this.probe;
    }
    this.nextProbe ??= this.probe
      .catch(() => undefined)
      .then(() => {
        this.nextProbe = undefined;
        return this.latestRevision();
      });
    return this.nextProbe;
  }

  /** The revision a read must see: "" means the latest (a consistent read); "0" means anything; N at least N. */
  private async neededRevision(key: string, resourceVersion: string | undefined, operation: 'get' | 'list'): Promise<number> {
    const asked = parseResourceVersion(key, resourceVersion, operation);
    return asked === undefined ? this.latestRevision() : asked;
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    if (await this.caughtUp(await this.neededRevision(key, opts.resourceVersion, 'get'))) return this.replica.get(key, { ...opts, resourceVersion: undefined });
    return this.backend.get(key, opts);
  }

  /**
   * The snapshot revision a list reads, as kube's ShouldDelegateList sees it: a continue token's
   * (null when it asks for the latest), an Exact revision, or the legacy paged list with a revision.
   * 'invalid' for a token the replica should refuse; undefined for a read of the latest state.
   */
  private snapshotOf(key: string, opts: ListOptions): number | null | 'invalid' | undefined {
    const recursive = opts.recursive ?? true;
    if (opts.continue && recursive) {
      try {
        const { revision } = decodeContinue(opts.continue, key.endsWith('/') ? key : `${key}/`);
        return revision > 0 ? revision : null;
      } catch {
        return 'invalid';
      }
    }
    const rv = opts.resourceVersion;
    if (!rv || rv === '0' || !/^[0-9]+$/.test(rv)) return undefined;
    const match = opts.resourceVersionMatch ?? '';
    if (match === 'Exact' || (match === '' && recursive && opts.limit !== undefined && opts.limit > 0)) return Number(rv);
    return undefined;
  }

  async list(key: string, opts: ListOptions = {}): Promise<ListResult> {
    await this.ready;
    const snapshot = this.snapshotOf(key, opts);
    // The replica answers a bad token (or a revision with a token) exactly as the backend would.
    if (snapshot === 'invalid') return this.replica.list(key, opts);
    if (typeof snapshot === 'number') {
      // A snapshot from before the replica started is only in the backend's history.
      if (snapshot < this.replica.horizon) return this.backend.list(key, opts).catch((err: unknown) => withLatestContinue(err, key, opts));
      return (await this.caughtUp(snapshot)) ? this.replica.list(key, opts) : this.backend.list(key, opts);
    }
    if (snapshot === null) {
      // A token that goes on at the latest revision: a consistent read.
      return (await this.caughtUp(await this.latestRevision())) ? this.replica.list(key, opts) : this.backend.list(key, opts);
    }
    if (await this.caughtUp(await this.neededRevision(key, opts.resourceVersion, 'list'))) {
      return this.replica.list(key, { ...opts, resourceVersion: undefined, resourceVersionMatch: '' });
    }
    return this.backend.list(key, opts);
  }

  /**
   * As kube's cacher: history older than the replica comes from the backend; sendInitialEvents=true
   * without a revision waits for the latest state first; sendInitialEvents=false without a revision
   * starts at the backend's current revision; a legacy watch without a revision starts from what the
   * cache holds (later changes follow as events).
   */
  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    await this.ready;
    const asked = opts.resourceVersion;
    parseResourceVersion(key, asked, 'watch');
    if (asked && asked !== '0' && /^[0-9]+$/.test(asked) && Number(asked) < this.replica.horizon && !opts.sendInitialEvents) {
      return this.backend.watch(key, opts);
    }
    if (!asked && opts.sendInitialEvents === true) {
      if (!(await this.caughtUp(await this.latestRevision()))) return this.backend.watch(key, opts);
    } else if (!asked && opts.sendInitialEvents === false) {
      const revision = await this.latestRevision();
      if (revision < this.replica.horizon) return this.backend.watch(key, opts);
      return this.replica.watch(key, { ...opts, resourceVersion: String(revision) });
    }
    return this.replica.watch(key, opts);
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.backend.create(key, obj);
  }

  guaranteedUpdate(key: string, preconditions: Preconditions | undefined, tryUpdate: TryUpdate, opts?: { ignoreNotFound?: boolean }): Promise<StoredObject> {
    return this.backend.guaranteedUpdate(key, preconditions, tryUpdate, opts);
  }

  delete(key: string, preconditions?: Preconditions, validateDeletion?: (current: StoredObject) => void | Promise<void>): Promise<StoredObject> {
    return this.backend.delete(key, preconditions, validateDeletion);
  }

  currentRevision(): Promise<number> {
    return this.backend.currentRevision();
  }

  async compact(revision: number): Promise<void> {
    await this.backend.compact(revision);
    await this.replica.compact(revision);
  }

  checkHealth(): Promise<void> {
    return this.backend.checkHealth();
  }

  async close(): Promise<void> {
    this.closed = true;
    // Reads waiting for freshness get the closed replica's answer now rather than after the wait.
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    this.feed?.stop();
    await this.replica.close();
    await this.backend.close();
  }

  /** Watchers served by the replica and the cache's counters (for metrics). */
  stats(): CacheStats {
    const replica = this.replica.stats();
    return {
      watchers: replica.watchers,
      revision: replica.revision,
      windowEvents: replica.windowEvents,
      eventsReceived: this.eventsReceived,
      eventsDispatched: this.retired.dispatched + replica.eventsDispatched,
      terminatedWatchers: this.retired.terminated + replica.terminatedWatchers,
      initializations: this.initializations,
    };
  }
}
