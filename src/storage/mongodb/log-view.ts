// This instance's view of the revision log: the prefix of the log it has read (position), the newest
// entry of every key in that prefix (heads), and the compaction horizon.
//
// Everything here uses point lookups by _id (plus one full read at start): FerretDB v1 on SQLite pushes
// nothing else down to SQLite, so any other query scans the whole collection.
//
// Revisions are the log's own _ids. A writer appends at a slot it believes free; the unique _id makes
// two writers that chose the same slot collide (the loser takes the next). There is no counter
// document: FerretDB applies $inc without atomicity (measured: 50 parallel $inc gave 23 distinct
// values). Holes appear while writers are in flight, or when one dies or loses a race after choosing
// a slot. The rule that makes this safe: no revision is shown to anyone (acknowledged, read, listed,
// watched) before every revision below it is in the log. So a free slot is always above every revision
// anyone has seen, and filling a hole never reorders what someone saw. Holes whose writers are gone
// are filled with gap entries after a bounded wait.
import { gapEntry, type LogCollections, type LogEntry } from './log.js';
import { MongoBulkWriteError } from 'mongodb';
import { isDuplicateKey } from './driver-errors.js';

export interface Head {
  revision: number;
  createRevision: number;
  deleted: boolean;
}

const PROBE_WIDTH = 16;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

type Outcome = 'moved' | 'idle' | 'hole' | 'local';

export type NewEntry = Omit<LogEntry, '_id' | 'createRevision'> & { createRevision?: number };

interface QueuedAppend {
  entry: NewEntry;
  resolve: (written: LogEntry | null) => void;
  reject: (err: unknown) => void;
}

const APPEND_BATCH = 100;

/** The positions of the documents an insertMany refused as duplicates, or null for other failures. */
function duplicateIndexes(err: unknown): Set<number> | null {
  if (!(err instanceof MongoBulkWriteError)) return null;
  const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  if (errors.length === 0 || errors.some((e) => e.code !== 11000)) return null;
  return new Set(errors.map((e) => e.index));
}

export class LogView {
  /** Every revision up to here is in the log and applied to the heads (and delivered to watchers). */
  position = 0;
  /** The compaction horizon: history at and below it is gone. */
  horizon = 0;
  private readonly heads = new Map<string, Head>();
  /** Entries known above the position: this instance's own writes, and what probes found. */
  private readonly ahead = new Map<number, LogEntry>();
  private readonly holeSeen = new Map<number, number>();
  /** Slots this instance's writers chose and are writing: waited for here, never read from the server. */
  private readonly pending = new Set<number>();
  private changed: { promise: Promise<void>; resolve: () => void } = signal();
  private readonly queue: QueuedAppend[] = [];
  private flushing = false;
  private localNext = 1;
  private advancing: Promise<Outcome> | null = null;
  /** Probe one slot while idle, a run of slots while entries keep coming. */
  private width = 1;
  /** Called with each run of entries applied, in revision order (the watch fan-out). */
  onApplied: (entries: LogEntry[]) => Promise<void> = async () => undefined;

  constructor(
    private readonly c: LogCollections,
    private readonly gapTimeoutMs: number,
  ) {}

  /** Reads the whole log once (a start-up cost) to build the heads. */
  async load(): Promise<void> {
    await this.refreshHorizon();
    const all = await this.c.log
      .find({}, { projection: { value: 0 } })
      .toArray();
    all.sort((a, b) => a._id - b._id);
    let position = this.horizon;
    for (const e of all) {
      if (e._id <= this.horizon) this.applyHead(e);
      else if (e._id === position + 1) {
        this.applyHead(e);
        position = e._id;
      } else break;
    }
    this.position = Math.max(this.position, position);
    this.localNext = Math.max(this.localNext, this.position + 1, (all[all.length - 1]?._id ?? 0) + 1);
  }

  head(key: string): Head | undefined {
    return this.heads.get(key);
  }

  /**
   * Reads a key's head from the log itself (a range query: a full read on FerretDB). The fallback when
   * the view keeps losing on a key, e.g. a tombstone the view forgot at the horizon that compaction has
   * not removed yet.
   */
  async reloadHead(key: string): Promise<void> {
    const newest = await this.c.log
      .find({ key, _id: { $lte: this.position } }, { projection: { value: 0 } })
      .sort({ _id: -1 })
      .limit(1)
      .next();
    if (newest) this.applyHead(newest);
    else this.heads.delete(key);
  }

  async refreshHorizon(): Promise<number> {
    const doc = await this.c.meta.findOne({ _id: 'compacted' });
    const horizon = doc?.n ?? 0;
    if (horizon > this.horizon) {
      this.horizon = horizon;
      // Compaction removes tombstones at or below the horizon: forget them, as a fresh start would.
      for (const [key, h] of this.heads) if (h.deleted && h.revision <= horizon) this.heads.delete(key);
    }
    return this.horizon;
  }

  /** A slot for a new entry: above everything this instance has seen or handed out. */
  allocate(): number {
    const revision = Math.max(this.localNext, this.position + 1, this.horizon + 1);
    this.localNext = revision + 1;
    this.pending.add(revision);
    return revision;
  }

  /** A local writer is done with its slot (written, filled, or unknown after an error). */
  private release(revision: number, entry?: LogEntry): void {
    if (entry && revision > this.position) this.ahead.set(revision, entry);
    this.pending.delete(revision);
    const { resolve } = this.changed;
    this.changed = signal();
    resolve();
  }

  /**
   * Appends an entry at a free slot (moving on when a slot is taken). Returns it with its revision, or
   * null when another writer took (key, prevRevision) first; the slot is then filled so nobody waits.
   * Concurrent appends are written together, one insertMany per round (a group commit: FerretDB on
   * SQLite writes one transaction per command, and inserts of 32 writers at once crawl).
   */
  append(entry: NewEntry): Promise<LogEntry | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, APPEND_BATCH);
        const docs = batch.map(({ entry }) => {
          const revision = this.allocate();
          return { ...entry, _id: revision, createRevision: entry.createRevision ?? revision } as LogEntry;
        });
        await this.insertBatch(batch, docs);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async insertBatch(batch: QueuedAppend[], docs: LogEntry[]): Promise<void> {
    let failed = new Set<number>();
    try {
      await this.c.log.insertMany(docs, { ordered: false });
    } catch (err) {
      const duplicates = duplicateIndexes(err);
      if (!duplicates) {
        // Unknown outcome (the server went away): the slots stay holes unless the inserts landed.
        for (const d of docs) this.release(d._id);
        for (const b of batch) b.reject(err);
        return;
      }
      failed = duplicates;
    }
    const retry: QueuedAppend[] = [];
    await Promise.all(
      docs.map(async (doc, i) => {
        const item = batch[i];
        if (!failed.has(i)) {
          this.release(doc._id, doc);
          item.resolve(doc);
          return;
        }
        try {
          // Either the slot is taken, or (key, prevRevision) is: only a lookup tells which on FerretDB.
          const there = await this.c.log.findOne({ _id: doc._id });
          if (there) {
            this.release(doc._id, there);
            retry.push(item);
            return;
          }
          const filled = await this.fill(doc._id);
          this.release(doc._id, filled ?? undefined);
          item.resolve(null);
        } catch (err) {
          this.release(doc._id);
          item.reject(err);
        }
      }),
    );
    if (retry.length > 0) {
      // Another instance wrote there: read what it wrote rather than probe its run slot by slot.
      await this.catchUp().catch(() => undefined);
      this.queue.unshift(...retry);
    }
  }

  /** Writes a gap entry at a slot nobody will use; a duplicate means someone used it after all. */
  async fill(revision: number): Promise<LogEntry | null> {
    const gap = gapEntry(revision);
    this.holeSeen.delete(revision);
    try {
      await this.c.log.insertOne(gap);
      return gap;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return null;
    }
  }

  /**
   * Moves the position over the entries that follow it (one run of probes at a time). An empty slot
   * right after the position is the frontier, unless an entry is known beyond it: then it is a hole.
   */
  advance(target = 0): Promise<Outcome> {
    if (!this.advancing) {
      this.advancing = this.probe(target).finally(() => (this.advancing = null));
    }
    return this.advancing;
  }

  /**
   * Reads up to the newest revision anyone can have seen: a consistent read starts here. An empty slot
   * after the position ends it even with entries beyond: those are not acknowledged yet (see above).
   */
  async catchUp(): Promise<void> {
    for (;;) {
      const outcome = await this.advance();
      // A slot a local writer is still writing is not acknowledged: what lies beyond is not either.
      if (outcome === 'idle' || outcome === 'local') return;
      if (outcome === 'hole') await sleep(2);
    }
  }

  /** Waits until the position reaches a revision known to exist, filling holes whose writers are gone. */
  async settle(target: number): Promise<void> {
    while (this.position < target) {
      const changed = this.changed.promise;
      const outcome = await this.advance(target);
      if (outcome === 'local') await Promise.race([changed, sleep(50)]);
      else if (outcome === 'hole') await sleep(2);
    }
  }

  private applyHead(e: Pick<LogEntry, '_id' | 'key' | 'createRevision' | 'deleted' | 'gap'>): void {
    if (e.gap) return;
    this.heads.set(e.key, { revision: e._id, createRevision: e.createRevision, deleted: e.deleted });
  }

  private async probe(target: number): Promise<Outcome> {
    const from = this.position;
    const width = target > from ? Math.min(PROBE_WIDTH, target - from) : this.width;
    const slots: number[] = [];
    let blockedByLocal = false;
    for (let r = from + 1; r <= from + width; r++) {
      if (this.pending.has(r) && !this.ahead.has(r)) {
        blockedByLocal = true;
        break;
      }
      slots.push(r);
    }
    const found = await Promise.all(slots.map((r) => this.ahead.get(r) ?? this.c.log.findOne({ _id: r })));
    const run: LogEntry[] = [];
    for (const e of found) {
      if (!e) break;
      run.push(e);
    }
    if (run.length > 0) {
      for (const e of run) {
        this.applyHead(e);
        this.ahead.delete(e._id);
        this.holeSeen.delete(e._id);
      }
      await this.onApplied(run);
      this.position = run[run.length - 1]._id;
      if (this.localNext <= this.position) this.localNext = this.position + 1;
      this.width = run.length === width ? PROBE_WIDTH : 1;
      return 'moved';
    }
    this.width = 1;
    if (blockedByLocal && slots.length === 0) return 'local';
    const beyond = target > from || found.some((e) => e) || [...this.ahead.keys()].some((r) => r > from);
    if (!beyond) return 'idle';
    const hole = from + 1;
    const seen = this.holeSeen.get(hole);
    if (seen === undefined) this.holeSeen.set(hole, Date.now());
    else if (Date.now() - seen >= this.gapTimeoutMs) await this.fill(hole);
    return 'hole';
  }
}
