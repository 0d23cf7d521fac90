// The watch cache (kube's Cacher): one backend watch per server keeps a replica of the whole store in
// memory; gets, lists and watches are served from it once it has caught up with the revision a read
// needs, and one backend event fans out to any number of client watchers. Writes go to the backend.
// What the replica cannot answer (history from before it started, a replica that cannot catch up in
// time) is asked of the backend itself.
import type { Logger } from 'pino';
import type { GetOptions, ListOptions, ListResult, Preconditions, Storage, StoredObject, TryUpdate, WatchOptions, Watcher } from '../interface.js';
import { MemoryStorage } from '../memory/index.js';
import { decodeContinue } from '../continue-token.js';

const ROOT = '/registry/';
/** How long a read waits for the replica to reach the revision it needs before asking the backend
 *  (kube's cacher waits up to 3 s too: the backend's own reads are much slower than waiting). */
const FRESHNESS_WAIT_MS = 3000;

export interface CacherOptions {
  logger?: Logger;
  watcherQueueLimit?: number;
  bookmarkIntervalMs?: number;
}

export class Cacher implements Storage {
  private replica: MemoryStorage;
  private feed?: Watcher;
  private waiters: Array<{ revision: number; resolve: () => void }> = [];
  private closed = false;
  private ready!: Promise<void>;

  private constructor(private readonly backend: Storage, private readonly options: CacherOptions) {
    this.replica = new MemoryStorage({ watcherQueueLimit: options.watcherQueueLimit, bookmarkIntervalMs: options.bookmarkIntervalMs });
  }

  static async create(backend: Storage, options: CacherOptions = {}): Promise<Cacher> {
    const cacher = new Cacher(backend, options);
    await cacher.start();
    return cacher;
  }

  /** Loads the current state (watch-list) and follows the backend from there, reconnecting when the feed ends. */
  private async start(): Promise<void> {
    let initialized!: () => void;
    this.ready = new Promise<void>((resolve) => (initialized = resolve));
    const feed = await this.backend.watch(ROOT, { resourceVersion: '', recursive: true, sendInitialEvents: true, allowBookmarks: true });
    this.feed = feed;
    const replica = new MemoryStorage({ watcherQueueLimit: this.options.watcherQueueLimit, bookmarkIntervalMs: this.options.bookmarkIntervalMs });
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
            if (old !== replica) void old.close();
            initialized();
          }
          continue;
        }
        replica.replicate(event);
        this.wake();
      }
      // The feed ended (backend gone, or we fell behind): start over unless closing.
      if (!this.closed) {
        this.options.logger?.warn('watch cache feed ended; reloading');
        await this.restart();
      }
    })().catch((err: unknown) => this.options.logger?.error({ err }, 'watch cache feed failed'));
    await this.ready;
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
    let timer: NodeJS.Timeout | undefined;
    const reached = await Promise.race([
      new Promise<boolean>((resolve) => this.waiters.push({ revision, resolve: () => resolve(true) })),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), FRESHNESS_WAIT_MS))),
    ]);
    clearTimeout(timer);
    return reached;
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
  private async neededRevision(resourceVersion: string | undefined): Promise<number> {
    if (resourceVersion === '0') return 0;
    if (resourceVersion === undefined || resourceVersion === '') return this.latestRevision();
    return /^[0-9]+$/.test(resourceVersion) ? Number(resourceVersion) : 0;
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    if (await this.caughtUp(await this.neededRevision(opts.resourceVersion))) return this.replica.get(key, { ...opts, resourceVersion: undefined });
    return this.backend.get(key, opts);
  }

  async list(key: string, opts: ListOptions = {}): Promise<ListResult> {
    await this.ready;
    // A continue token or an exact revision reads a snapshot: the replica has it unless it predates it.
    let snapshot: number | undefined;
    if (opts.continue) {
      try {
        snapshot = decodeContinue(opts.continue, key.endsWith('/') ? key : `${key}/`).revision;
      } catch {
        return this.replica.list(key, opts); // the replica answers a bad token as the backend would
      }
    } else if (opts.resourceVersionMatch === 'Exact' && opts.resourceVersion && opts.resourceVersion !== '0') {
      snapshot = Number(opts.resourceVersion);
    }
    if (snapshot !== undefined) {
      return snapshot >= this.replica.horizon && snapshot <= this.replica.revisionNow ? this.replica.list(key, opts) : this.backend.list(key, opts);
    }
    if (await this.caughtUp(await this.neededRevision(opts.resourceVersion))) {
      return this.replica.list(key, { ...opts, resourceVersion: undefined, resourceVersionMatch: '' });
    }
    return this.backend.list(key, opts);
  }

  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    await this.ready;
    const asked = opts.resourceVersion;
    if (asked && asked !== '0' && /^[0-9]+$/.test(asked) && Number(asked) < this.replica.horizon) {
      // Older than the replica: the backend still has that history (or says it is compacted).
      return this.backend.watch(key, opts);
    }
    if (asked === undefined || asked === '') await this.caughtUp(await this.latestRevision());
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
    this.feed?.stop();
    await this.replica.close();
    await this.backend.close();
  }

  /** Watchers served by the replica, and objects it holds (for metrics). */
  stats(): { watchers: number; revision: number } {
    return { watchers: this.replica.watcherCount, revision: this.replica.revisionNow };
  }
}

