// Revisions are the log's own _ids: a writer reads the newest _id and appends at the next one, and the
// unique _id makes two writers that chose the same revision collide (the loser retries). No counter
// document: FerretDB applies $inc without atomicity under concurrency (measured: 50 parallel $inc gave
// 23 distinct values). Writers of one instance take consecutive revisions and append concurrently, so
// the log can have short-lived holes: writers still in flight, or writers that died or lost a race
// after choosing a revision. Readers that need "everything up to R" wait a bounded time for a hole,
// then fill it with a gap entry; the unique _id makes a late writer fail (it retries), so the order
// every reader sees never changes once a prefix of the log is complete. Compaction never removes the
// newest entry, so the newest _id never goes back and no revision is ever used twice.
import { gapEntry, type LogCollections } from './log.js';
import { isDuplicateKey } from './driver-errors.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Revisions {
  /** Every revision at or below this one is in the log (an entry or a gap) or compacted away. */
  settled = 0;
  /** The compaction horizon: history at and below it is gone. */
  horizon = 0;
  /** When each hole was first seen, to fill it once it is older than the gap timeout. */
  private readonly holeSeen = new Map<number, number>();

  constructor(
    private readonly c: LogCollections,
    private readonly gapTimeoutMs: number,
  ) {}

  /** The next revision this instance hands out, at least: its own writers never share one. */
  private localNext = 1;

  async init(): Promise<void> {
    await this.refreshHorizon();
  }

  async refreshHorizon(): Promise<number> {
    const doc = await this.c.meta.findOne({ _id: 'compacted' });
    this.horizon = Math.max(this.horizon, doc?.n ?? 0);
    this.settled = Math.max(this.settled, this.horizon);
    return this.horizon;
  }

  /** The newest revision in the log (it may have holes below it still being written). */
  async current(): Promise<number> {
    const newest = await this.c.log.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).next();
    return Math.max(newest?._id ?? 0, this.horizon);
  }

  /** A revision above the newest one read just now and above any this instance handed out. */
  allocate(newest: number): number {
    const revision = Math.max(this.localNext, newest + 1, this.horizon + 1);
    this.localNext = revision + 1;
    return revision;
  }

  /** Writes a gap entry for a revision that will not be used; a duplicate means it is already taken. */
  async fill(revision: number): Promise<void> {
    try {
      await this.c.log.insertOne(gapEntry(revision));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    this.holeSeen.delete(revision);
  }

  /** True when the hole has waited long enough: its writer is presumed dead and the hole is filled. */
  async fillIfStale(revision: number): Promise<boolean> {
    const now = Date.now();
    const seen = this.holeSeen.get(revision);
    if (seen === undefined) {
      this.holeSeen.set(revision, now);
      return false;
    }
    if (now - seen < this.gapTimeoutMs) return false;
    await this.fill(revision);
    return true;
  }

  markSettled(revision: number): void {
    if (revision > this.settled) this.settled = revision;
    for (const r of this.holeSeen.keys()) if (r <= revision) this.holeSeen.delete(r);
  }

  /** Waits until every revision up to the target is in the log, filling stale holes. */
  async settle(target: number): Promise<void> {
    let pause = 2;
    while (this.settled < target) {
      const from = this.settled;
      const present = await this.c.log.countDocuments({ _id: { $gt: from, $lte: target } });
      if (present === target - from) {
        this.markSettled(target);
        return;
      }
      const ids = await this.c.log
        .find({ _id: { $gt: from, $lte: target } }, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .toArray();
      let expected = from + 1;
      let contiguous = from;
      for (const { _id } of ids) {
        if (_id !== expected) break;
        contiguous = _id;
        expected++;
      }
      this.markSettled(contiguous);
      const have = new Set(ids.map((d) => d._id));
      for (let r = contiguous + 1; r <= target; r++) {
        if (!have.has(r)) await this.fillIfStale(r);
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 50);
    }
  }
}
