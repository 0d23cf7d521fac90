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
import { decodeContinue, encodeContinue, InvalidContinueError } from './continue-token.js';
import { isDuplicateKey, toStorageError } from './driver-errors.js';
import { decodeObject, DURABLE, encodeObject, ensureIndexes, logCollections, type LogCollections, type LogEntry } from './log.js';
import { listAt } from './list.js';
import { recordHorizon, removeSuperseded } from './compact.js';
import { Revisions } from './revisions.js';
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
}

const TAIL_BATCH = 500;

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
  private readonly revisions: Revisions;
  private readonly tailer: Tailer;
  private closed = false;
  private readonly keyLocks = new Map<string, Promise<void>>();

  constructor(
    private readonly client: MongoClient,
    private readonly c: LogCollections,
    private readonly opts: MongoStorageOptions,
  ) {
    this.revisions = new Revisions(c, opts.gapTimeoutMs ?? 2000);
    this.tailer = new Tailer(c, this.revisions, {
      pollIntervalMs: opts.pollIntervalMs ?? 50,
      bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5000,
      batchSize: TAIL_BATCH,
    });
  }

  init(): Promise<void> {
    return this.revisions.init();
  }

  private async guard<T>(key: string, op: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError('Unreachable', key, 'storage is closed');
    try {
      return await op();
    } catch (err) {
      throw toStorageError(err, key);
    }
  }

  private latest(key: string): Promise<LogEntry | null> {
    return this.c.log.findOne({ key }, { sort: { _id: -1 } });
  }

  /** The key's newest entry and a fresh revision above everything written so far, in one round trip. */
  private async readForWrite(key: string): Promise<{ prev: LogEntry | null; revision: () => number }> {
    const [prev, newest] = await Promise.all([this.latest(key), this.revisions.current()]);
    return { prev, revision: () => this.revisions.allocate(Math.max(newest, prev?._id ?? 0)) };
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

  /** Appends an entry; false when it lost a race: another writer took (key, prevRevision) or the
   *  revision. The revision is then filled (a no-op if taken) so no reader waits on it. */
  private async append(entry: LogEntry): Promise<boolean> {
    try {
      await this.c.log.insertOne(entry);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either another writer took (key, prevRevision) first, or a reader gave up on this revision.
      await this.revisions.fill(entry._id);
      return false;
    }
    this.tailer.wake();
    return true;
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.guard(key, () => this.serialized(key, async () => {
      if (obj.metadata?.resourceVersion) {
        throw new StorageError('InvalidObj', key, 'resourceVersion should not be set on objects to be created');
      }
      const value = encodeObject(obj);
      for (;;) {
        const { prev, revision: allocate } = await this.readForWrite(key);
        if (prev && !prev.deleted) throw new StorageError('KeyExists', key, `key exists: ${key}`);
        const revision = allocate();
        const entry: LogEntry = { _id: revision, key, createRevision: revision, prevRevision: prev?._id ?? 0, deleted: false, value };
        if (await this.append(entry)) return decodeObject(value, revision);
      }
    }));
  }

  get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    return this.guard(key, async () => {
      const minimum = parseRevision(key, opts.resourceVersion);
      if (minimum !== undefined) {
        const current = await this.revisions.current();
        if (minimum > current) throw tooLarge(key, minimum, current);
      }
      const entry = await this.latest(key);
      if (!entry || entry.deleted) {
        if (opts.ignoreNotFound) return null;
        throw keyNotFound(key);
      }
      return decodeObject(entry.value, entry._id);
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
        await this.revisions.refreshHorizon();
        if (revision < this.revisions.horizon) {
          throw new StorageError(
            'Expired',
            key,
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
            revision,
            this.revisions.horizon,
          );
        }
        const current = await this.revisions.current();
        if (revision > current) throw tooLarge(key, revision, current);
      } else {
        const asked = parseRevision(key, opts.resourceVersion);
        const current = await this.revisions.current();
        if (asked !== undefined && asked > current) throw tooLarge(key, asked, current);
        if (asked !== undefined && opts.resourceVersionMatch === 'Exact') {
          await this.revisions.refreshHorizon();
          if (asked < this.revisions.horizon) throw tooOld(key, asked, this.revisions.horizon);
          revision = asked;
        } else {
          revision = current;
        }
      }
      await this.revisions.settle(revision);
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
    return this.guard(key, () => this.serialized(key, async () => {
      for (;;) {
        const { prev, revision: allocate } = await this.readForWrite(key);
        const live = prev && !prev.deleted ? prev : null;
        if (!live && !opts.ignoreNotFound) throw keyNotFound(key);
        const current = live ? decodeObject(live.value, live._id) : null;
        if (current) checkPreconditions(key, preconditions, current);
        // With ignoreNotFound, tryUpdate sees null for an absent key (kube passes a zero object).
        const updated = await tryUpdate(current as StoredObject);
        const value = encodeObject(updated);
        if (live && value === encodeObject(current as StoredObject)) return current as StoredObject;
        const revision = allocate();
        const entry: LogEntry = {
          _id: revision,
          key,
          createRevision: live ? live.createRevision : revision,
          prevRevision: prev?._id ?? 0,
          deleted: false,
          value,
        };
        if (await this.append(entry)) return decodeObject(value, revision);
        // Lost to a concurrent writer: read the new state and apply the update again.
      }
    }));
  }

  delete(
    key: string,
    preconditions?: Preconditions,
    validateDeletion?: (current: StoredObject) => void | Promise<void>,
  ): Promise<StoredObject> {
    return this.guard(key, () => this.serialized(key, async () => {
      for (;;) {
        const { prev, revision: allocate } = await this.readForWrite(key);
        if (!prev || prev.deleted) throw keyNotFound(key);
        const current = decodeObject(prev.value, prev._id);
        checkPreconditions(key, preconditions, current);
        if (validateDeletion) await validateDeletion(current);
        const revision = allocate();
        const entry: LogEntry = {
          _id: revision,
          key,
          createRevision: prev.createRevision,
          prevRevision: prev._id,
          deleted: true,
          value: prev.value,
        };
        if (await this.append(entry)) return current;
      }
    }));
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
      if (from !== undefined) {
        await this.revisions.refreshHorizon();
        if (from < this.revisions.horizon) throw tooOld(key, from, this.revisions.horizon);
      }
      // Registered synchronously with the tail position: live events after it are held, the log
      // supplies what lies between the asked revision and it.
      const start = this.tailer.position;
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
    for (const object of page.items) {
      queue.push({ type: 'ADDED', object, revision: Number(object.metadata.resourceVersion) });
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
    const keyFilter = queue.spec.recursive
      ? { $gte: queue.spec.key, $lt: queue.spec.key.slice(0, -1) + String.fromCharCode(queue.spec.key.charCodeAt(queue.spec.key.length - 1) + 1) }
      : queue.spec.key;
    const cursor = this.c.log.find({ key: keyFilter, _id: { $gt: from, $lte: to } }).sort({ _id: 1 }).batchSize(TAIL_BATCH);
    try {
      let batch: LogEntry[] = [];
      const flush = async () => {
        const prevOf = queue.spec.predicate
          ? await loadPrevious(batch, (ids) => this.c.log.find({ _id: { $in: ids } }).toArray())
          : () => undefined;
        for (const e of batch) {
          const event = eventFor(e, queue.spec, prevOf);
          if (event) queue.push(event);
        }
        batch = [];
      };
      for await (const entry of cursor) {
        batch.push(entry);
        if (batch.length >= TAIL_BATCH) await flush();
      }
      await flush();
    } finally {
      await cursor.close();
    }
    // Compaction may have run while we read: then the history we sent may have holes.
    await this.revisions.refreshHorizon();
    if (from < this.revisions.horizon) queue.finish(expiredEvent(from, this.revisions.horizon));
    queue.lastRevision = Math.max(queue.lastRevision, to);
  }

  currentRevision(): Promise<number> {
    return this.guard('', () => this.revisions.current());
  }

  compact(revision: number): Promise<void> {
    return this.guard('', async () => {
      await this.revisions.refreshHorizon();
      if (revision <= this.revisions.horizon) return;
      const current = await this.revisions.current();
      if (revision > current) throw tooLarge('', revision, current);
      await this.revisions.settle(revision);
      await recordHorizon(this.c, revision);
      await this.revisions.refreshHorizon();
      await removeSuperseded(this.c, revision);
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
    await this.tailer.close();
    await this.client.close();
  }
}
