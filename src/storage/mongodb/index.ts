// The MongoDB backend: a kine-like revision log (see log.ts and docs/storage-mongodb.md). Works on a
// standalone mongod and on servers without transactions or change streams (FerretDB); several
// instances may share one database.
import { MongoClient } from 'mongodb';
import {
  StorageError,
  type GetOptions,
  type ListOptions,
  type ListResult,
  type Preconditions,
  type Storage,
  type StoredObject,
  type TryUpdate,
  type WatchOptions,
  type Watcher,
} from '../interface.js';
import { decodeContinue, encodeContinue, InvalidContinueError } from '../continue-token.js';
import { isDuplicateKey, toStorageError } from './driver-errors.js';
import { decodeObject, DURABLE, encodeObject, ensureIndexes, findByIds, logCollections, type LogCollections, type LogEntry } from './log.js';
import { listAt, prefixEnd } from './list.js';
import { recordHorizon, removeSuperseded } from './compact.js';
import { LogView, type NewEntry } from './log-view.js';
import { Tailer } from './tailer.js';
import { bookmark, eventFor, expiredEvent, loadPrevious } from './events.js';
import { WatchQueue, type WatchSpec } from './watch-queue.js';

export interface MongoStorageOptions {
  uri: string;
  /** Defaults to the database named in the URI, else "kube_chain". */
  dbName?: string;
  /** Collections are <prefix>_log and <prefix>_meta. Default "kube". */
  collectionPrefix?: string;
  /** How often the log is polled for writes of other instances. Default 50 ms. */
  pollIntervalMs?: number;
  /** How long a hole in the log is waited for before it is filled with a gap entry. Default 2 s. */
  gapTimeoutMs?: number;
  /** Period of BOOKMARK events for watchers that allow them. Default 5 s. */
  bookmarkIntervalMs?: number;
  /** How long an operation waits for an unreachable server before failing. Default 2 s. */
  serverSelectionTimeoutMS?: number;
  /** Events a watcher may have queued before it is dropped. Default 10,000. */
  watchQueueLimit?: number;
  /** Time between recording a compaction horizon and removing history below it. Default 5 s. */
  compactionGraceMs?: number;
}

const CATCH_UP_BATCH = 500;
const HORIZON_MAX_AGE_MS = 1000;

/** Connects, creates the indexes and repairs the revision counter; throws Unreachable when it cannot. */
export async function createMongoStorage(opts: MongoStorageOptions): Promise<Storage> {
  const selection = opts.serverSelectionTimeoutMS ?? 2000;
  const client = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: selection,
    connectTimeoutMS: selection,
    heartbeatFrequencyMS: 1000,
    socketTimeoutMS: 30_000,
    // A retried insert could not tell its own first attempt from a rival: we handle outcomes ourselves.
    retryWrites: false,
    writeConcern: DURABLE,
    ignoreUndefined: true,
  });
  try {
    await client.connect();
    const db = client.db(opts.dbName ?? (client.options.dbName !== 'test' ? client.options.dbName : 'kube_chain'));
    const collections = logCollections(db, opts.collectionPrefix ?? 'kube');
    await ensureIndexes(collections);
    const storage = new MongoStorage(client, collections, opts);
    await storage.init();
    return storage;
  } catch (err) {
    await client.close().catch(() => undefined);
    throw toStorageError(err, '');
  }
}

function parseRevision(key: string, rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '' || rv === '0') return undefined;
  if (!/^[0-9]+$/.test(rv)) throw new StorageError('InvalidObj', key, `invalid resource version: ${rv}`);
  return Number(rv);
}

function checkPreconditions(key: string, p: Preconditions | undefined, current: StoredObject): void {
  if (!p) return;
  const meta = current.metadata ?? {};
  if (p.uid !== undefined && p.uid !== meta.uid) {
    throw new StorageError('InvalidObj', key, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${meta.uid ?? ''}`);
  }
  if (p.resourceVersion !== undefined && p.resourceVersion !== meta.resourceVersion) {
    throw new StorageError(
      'InvalidObj',
      key,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
    );
  }
}

function keyNotFound(key: string): StorageError {
  return new StorageError('KeyNotFound', key, `key not found: ${key}`);
}

function tooOld(key: string, revision: number, horizon: number): StorageError {
  return new StorageError('Expired', key, `too old resource version: ${revision} (${horizon})`, revision, horizon);
}

function tooLarge(key: string, revision: number, current: number): StorageError {
  return new StorageError(
    'TooLargeResourceVersion',
    key,
    `Too large resource version: ${revision}, current: ${current}`,
    revision,
    current,
  );
}

/** kube lists and watches a prefix as a directory. */
function asPrefix(key: string, recursive: boolean): string {
  return recursive && !key.endsWith('/') ? `${key}/` : key;
}

class MongoStorage implements Storage {
  private readonly view: LogView;
  private readonly tailer: Tailer;
  private closed = false;
  private readonly keyLocks = new Map<string, Promise<void>>();
  private readonly pendingRemovals = new Set<NodeJS.Timeout>();
  private horizonReadAt = 0;

  constructor(
    private readonly client: MongoClient,
    private readonly c: LogCollections,
    private readonly opts: MongoStorageOptions,
  ) {
    this.view = new LogView(c, opts.gapTimeoutMs ?? 2000);
    this.tailer = new Tailer(c, this.view, {
      pollIntervalMs: opts.pollIntervalMs ?? 50,
      bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5000,
    });
  }

  async init(): Promise<void> {
    await this.view.load();
    this.horizonReadAt = Date.now();
  }

  private async guard<T>(key: string, op: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError('Unreachable', key, 'storage is closed');
    try {
      return await op();
    } catch (err) {
      throw toStorageError(err, key);
    }
  }

  /** Writers to one key in this instance take turns: no point racing ourselves through the index. */
  private async serialized<T>(key: string, op: () => Promise<T>): Promise<T> {
    const before = this.keyLocks.get(key) ?? Promise.resolve();
    const run = before.then(op, op);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.keyLocks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.keyLocks.get(key) === tail) this.keyLocks.delete(key);
    }
  }

  /** Writes decide on tombstones against the horizon: keep the horizon at most a second old. */
  private async freshHorizon(): Promise<number> {
    if (Date.now() - this.horizonReadAt > HORIZON_MAX_AGE_MS) {
      await this.view.refreshHorizon();
      this.horizonReadAt = Date.now();
    }
    return this.view.horizon;
  }

  /** The stored entry of a head (one point lookup). */
  private async entryAt(revision: number): Promise<LogEntry | null> {
    return this.c.log.findOne({ _id: revision });
  }

  /**
   * Runs a write against this instance's view of the key. The view may lag other instances by a poll:
   * a decision that could be stale (not found, exists, precondition failed, nothing to change, lost
   * the race) is taken again once after reading up to the newest acknowledged revision.
   */
  private async write<T>(key: string, attempt: (caughtUp: boolean) => Promise<T | 'stale'>): Promise<T> {
    let caughtUp = false;
    for (let round = 0; ; round++) {
      const result = await attempt(caughtUp);
      if (result !== 'stale') return result;
      await this.view.catchUp();
      if (caughtUp && round >= 2) await this.view.reloadHead(key);
      caughtUp = true;
      // A rival beyond a hole is only readable once the hole is filled: do not spin meanwhile.
      if (round > 2) await new Promise((r) => setTimeout(r, Math.min(5 * round, 100)));
    }
  }

  private async appendAcknowledged(entry: NewEntry) {
    const written = await this.view.append(entry);
    if (written) {
      // Acknowledge only once every revision below it is in the log (see log-view.ts).
      await this.view.settle(written._id);
    }
    return written;
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.guard(key, () =>
      this.serialized(key, async () => {
        if (obj.metadata?.resourceVersion) {
          // kube's etcd3 store answers this with a plain error: a 500, not a Conflict.
          throw new StorageError('Internal', key, 'resourceVersion should not be set on objects to be created');
        }
        const value = encodeObject(obj);
        return this.write(key, async (caughtUp) => {
          await this.freshHorizon();
          const head = this.view.head(key);
          if (head && !head.deleted) {
            if (!caughtUp) return 'stale';
            throw new StorageError('KeyExists', key, `key exists: ${key}`);
          }
          const written = await this.appendAcknowledged({ key, prevRevision: head?.revision ?? 0, deleted: false, value });
          return written ? decodeObject(value, written._id) : 'stale';
        });
      }),
    );
  }

  get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    return this.guard(key, async () => {
      const minimum = parseRevision(key, opts.resourceVersion);
      if (opts.resourceVersion !== '0' && (minimum === undefined || minimum > this.view.position)) {
        await this.view.catchUp();
      }
      if (minimum !== undefined && minimum > this.view.position) throw tooLarge(key, minimum, this.view.position);
      for (;;) {
        const head = this.view.head(key);
        if (!head || head.deleted) {
          if (opts.ignoreNotFound) return null;
          throw keyNotFound(key);
        }
        const entry = await this.entryAt(head.revision);
        if (entry) return decodeObject(entry.value, entry._id);
        await this.view.catchUp(); // superseded and compacted meanwhile
      }
    });
  }

  list(key: string, opts: ListOptions = {}): Promise<ListResult> {
    return this.guard(key, async () => {
      const recursive = opts.recursive ?? true;
      const prefix = asPrefix(key, recursive);
      let revision: number;
      let fromKey: string | undefined;
      if (opts.continue) {
        let decoded: { fromKey: string; revision: number };
        try {
          decoded = decodeContinue(opts.continue, prefix);
        } catch (err) {
          if (err instanceof InvalidContinueError) throw new StorageError('InvalidContinue', key, err.message);
          throw err;
        }
        ({ fromKey, revision } = decoded);
        if (revision <= 0) {
          // kube's rv -1 token (offered with a 410): go on from the key at the latest revision.
          await this.view.catchUp();
          revision = this.view.position;
        } else {
          const horizon = await this.view.refreshHorizon();
          if (revision < horizon) {
            throw new StorageError(
              'Expired',
              key,
              'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
              revision,
              horizon,
              encodeContinue(fromKey!, prefix, -1),
            );
          }
          if (revision > this.view.position) await this.view.catchUp();
          if (revision > this.view.position) throw tooLarge(key, revision, this.view.position);
        }
      } else {
        const asked = parseRevision(key, opts.resourceVersion);
        if (opts.resourceVersion !== '0') await this.view.catchUp();
        if (asked !== undefined && asked > this.view.position) throw tooLarge(key, asked, this.view.position);
        // Exact, or kube's legacy rule: a paged list with a resourceVersion reads that snapshot.
        const exact = opts.resourceVersionMatch === 'Exact' || (!opts.resourceVersionMatch && recursive && (opts.limit ?? 0) > 0);
        if (asked !== undefined && exact) {
          const horizon = await this.view.refreshHorizon();
          if (asked < horizon) throw tooOld(key, asked, horizon);
          revision = asked;
        } else {
          revision = this.view.position;
        }
      }
      const page = await listAt(this.c.log, {
        key: prefix,
        recursive,
        revision,
        fromKey,
        limit: opts.limit,
        predicate: opts.predicate,
      });
      const result: ListResult = { items: page.items, resourceVersion: String(revision) };
      if (page.moreAfter !== undefined) result.continue = encodeContinue(`${page.moreAfter}\u0000`, prefix, revision);
      return result;
    });
  }

  guaranteedUpdate(
    key: string,
    preconditions: Preconditions | undefined,
    tryUpdate: TryUpdate,
    opts: { ignoreNotFound?: boolean } = {},
  ): Promise<StoredObject> {
    return this.guard(key, () =>
      this.serialized(key, () =>
        this.write(key, async (caughtUp) => {
          await this.freshHorizon();
          const head = this.view.head(key);
          const live = head && !head.deleted ? await this.entryAt(head.revision) : null;
          if (head && !head.deleted && !live) return 'stale';
          if (!live && !opts.ignoreNotFound) {
            if (!caughtUp) return 'stale';
            throw keyNotFound(key);
          }
          const current = live ? decodeObject(live.value, live._id) : null;
          if (current) {
            try {
              checkPreconditions(key, preconditions, current);
            } catch (err) {
              if (!caughtUp) return 'stale';
              throw err;
            }
          }
          // With ignoreNotFound, tryUpdate sees null for an absent key (kube passes a zero object).
          const updated = await tryUpdate(current as StoredObject);
          const value = encodeObject(updated);
          if (live && value === live.value) {
            // Nothing to write, as kube: but only a current state may answer for the store.
            return caughtUp ? (current as StoredObject) : 'stale';
          }
          const written = await this.appendAcknowledged({
            key,
            prevRevision: head?.revision ?? 0,
            createRevision: live ? live.createRevision : undefined,
            deleted: false,
            value,
          });
          return written ? decodeObject(value, written._id) : 'stale';
        }),
      ),
    );
  }

  delete(
    key: string,
    preconditions?: Preconditions,
    validateDeletion?: (current: StoredObject) => void | Promise<void>,
  ): Promise<StoredObject> {
    return this.guard(key, () =>
      this.serialized(key, () =>
        this.write(key, async (caughtUp) => {
          const head = this.view.head(key);
          const live = head && !head.deleted ? await this.entryAt(head.revision) : null;
          if (!live) {
            if (!caughtUp) return 'stale';
            throw keyNotFound(key);
          }
          const current = decodeObject(live.value, live._id);
          try {
            checkPreconditions(key, preconditions, current);
          } catch (err) {
            if (!caughtUp) return 'stale';
            throw err;
          }
          if (validateDeletion) await validateDeletion(current);
          const written = await this.appendAcknowledged({
            key,
            prevRevision: live._id,
            createRevision: live.createRevision,
            deleted: true,
            value: live.value,
          });
          return written ? current : 'stale';
        }),
      ),
    );
  }

  watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    return this.guard(key, async () => {
      const recursive = opts.recursive ?? true;
      const spec: WatchSpec = {
        key: asPrefix(key, recursive),
        recursive,
        predicate: opts.predicate,
        allowBookmarks: opts.allowBookmarks ?? false,
      };
      const from = parseRevision(key, opts.resourceVersion);
      const initialEvents = from === undefined ? opts.sendInitialEvents !== false : opts.sendInitialEvents === true;
      await this.tailer.ensureStarted();
      if (opts.resourceVersion !== '0') await this.view.catchUp();
      if (from !== undefined) {
        const horizon = await this.view.refreshHorizon();
        if (from < horizon) throw tooOld(key, from, horizon);
      }
      // Registered synchronously with the tail position: live events after it are held, the log
      // supplies what lies between the asked revision and it.
      const start = this.view.position;
      const queue = new WatchQueue(spec, 0, this.opts.watchQueueLimit ?? 10_000, (w) => this.tailer.remove(w));
      this.tailer.add(queue);
      try {
        if (initialEvents) await this.sendInitial(queue, start, opts);
        else if (from !== undefined && from < start) await this.catchUp(queue, from, start);
        queue.lastRevision = Math.max(queue.lastRevision, from ?? start, initialEvents ? start : 0);
        queue.release();
      } catch (err) {
        queue.stop();
        throw err;
      }
      return queue;
    });
  }

  private async sendInitial(queue: WatchQueue, at: number, opts: WatchOptions): Promise<void> {
    const page = await listAt(this.c.log, {
      key: queue.spec.key,
      recursive: queue.spec.recursive,
      revision: at,
      predicate: queue.spec.predicate,
    });
    for (const [i, object] of page.items.entries()) {
      queue.push({ type: 'ADDED', object, revision: Number(object.metadata.resourceVersion), key: page.keys[i] });
      queue.lastRevision = 0; // initial events are in key order, not revision order
    }
    queue.lastRevision = at;
    if (opts.sendInitialEvents === true && opts.allowBookmarks) {
      queue.push(bookmark(at, { 'k8s.io/initial-events-end': 'true' }));
    }
  }

  /** Sends the changes in (from, to] from the log, in revision order. */
  private async catchUp(queue: WatchQueue, from: number, to: number): Promise<void> {
    queue.lastRevision = from;
    const keyFilter = queue.spec.recursive ? { $gte: queue.spec.key, $lt: prefixEnd(queue.spec.key) } : queue.spec.key;
    const entries = await this.c.log.find({ key: keyFilter, _id: { $gt: from, $lte: to } }).toArray();
    entries.sort((a, b) => a._id - b._id);
    for (let i = 0; i < entries.length; i += CATCH_UP_BATCH) {
      const batch = entries.slice(i, i + CATCH_UP_BATCH);
      const prevOf = queue.spec.predicate ? await loadPrevious(batch, (ids) => findByIds(this.c, ids)) : () => undefined;
      for (const e of batch) {
        const event = eventFor(e, queue.spec, prevOf);
        if (event) queue.push(event);
      }
    }
    // Compaction may have run while we read: then the history we sent may have holes.
    const horizon = await this.view.refreshHorizon();
    if (from < horizon) queue.finish(expiredEvent(from, horizon));
    queue.lastRevision = Math.max(queue.lastRevision, to);
  }

  currentRevision(): Promise<number> {
    return this.guard('', async () => {
      await this.view.catchUp();
      return this.view.position;
    });
  }

  compact(revision: number): Promise<void> {
    return this.guard('', async () => {
      const horizon = await this.view.refreshHorizon();
      if (revision <= horizon) return;
      await this.view.catchUp();
      if (revision > this.view.position) throw tooLarge('', revision, this.view.position);
      await recordHorizon(this.c, revision);
      await this.view.refreshHorizon();
      // Other instances learn the horizon within a second; removing history waits for them.
      const timer = setTimeout(() => {
        this.pendingRemovals.delete(timer);
        if (!this.closed) void removeSuperseded(this.c, revision).catch(() => undefined);
      }, this.opts.compactionGraceMs ?? 5000);
      timer.unref();
      this.pendingRemovals.add(timer);
    });
  }

  checkHealth(): Promise<void> {
    return this.guard('', async () => {
      await this.client.db('admin').command({ ping: 1 });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.pendingRemovals) clearTimeout(t);
    await this.tailer.close();
    await this.client.close();
  }
}
