// One tail of the log per storage instance, fanned out to every watcher in this process. It reads
// entries in revision order, waits a bounded time for holes (writers still in flight) and fills the
// ones whose writers died, so all watchers of all instances see the same order.
import type { ChangeStream } from 'mongodb';
import type { LogCollections, LogEntry } from './log.js';
import type { Revisions } from './revisions.js';
import { bookmark, eventFor, loadPrevious } from './events.js';
import type { WatchQueue } from './watch-queue.js';

export interface TailerOptions {
  pollIntervalMs: number;
  bookmarkIntervalMs: number;
  batchSize: number;
}

const HOLE_POLL_MS = 5;

export class Tailer {
  /** The last revision delivered: the log is complete up to here. */
  position = 0;
  private readonly watchers = new Set<WatchQueue>();
  private started: Promise<void> | null = null;
  private closed = false;
  private wakeup: (() => void) | null = null;
  private bookmarkTimer: NodeJS.Timeout | null = null;
  private changeStream: ChangeStream | null = null;

  constructor(
    private readonly c: LogCollections,
    private readonly revisions: Revisions,
    private readonly opts: TailerOptions,
  ) {}

  /** Starts tailing at the current revision (once); watchers catch up on older history themselves. */
  ensureStarted(): Promise<void> {
    if (!this.started) {
      this.started = (async () => {
        const current = await this.revisions.current();
        await this.revisions.settle(current);
        this.position = Math.max(this.position, current);
        void this.loop();
        this.bookmarkTimer = setInterval(() => this.sendBookmarks(), this.opts.bookmarkIntervalMs);
        this.bookmarkTimer.unref();
        this.openChangeStream();
      })();
      this.started.catch(() => (this.started = null));
    }
    return this.started;
  }

  add(w: WatchQueue): void {
    this.watchers.add(w);
  }

  remove(w: WatchQueue): void {
    this.watchers.delete(w);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Polls now (a local write just landed, or a change stream said so). */
  wake(): void {
    const w = this.wakeup;
    this.wakeup = null;
    w?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    await this.changeStream?.close().catch(() => undefined);
    this.wake();
    for (const w of [...this.watchers]) w.stop();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeup = null;
        resolve();
      }, ms);
      this.wakeup = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    let backoff = this.opts.pollIntervalMs;
    while (!this.closed) {
      let wait: number;
      try {
        const outcome = await this.pollOnce();
        wait = outcome === 'more' ? 0 : outcome === 'hole' ? HOLE_POLL_MS : this.opts.pollIntervalMs;
        backoff = this.opts.pollIntervalMs;
      } catch {
        // The server is away: keep the position and the watchers, and try again (nothing is lost).
        backoff = Math.min(backoff * 2, 1000);
        wait = backoff;
      }
      if (wait > 0 && !this.closed) await this.sleep(wait);
    }
  }

  private async pollOnce(): Promise<'more' | 'idle' | 'hole'> {
    const from = this.position;
    const entries = await this.c.log
      .find({ _id: { $gt: from } })
      .sort({ _id: 1 })
      .limit(this.opts.batchSize)
      .toArray();
    const ready: LogEntry[] = [];
    for (const e of entries) {
      if (e._id !== from + ready.length + 1) break;
      ready.push(e);
    }
    if (ready.length > 0) {
      await this.deliver(ready);
      this.position = ready[ready.length - 1]._id;
      this.revisions.markSettled(this.position);
    }
    if (ready.length < entries.length) {
      // A hole before the next entry: a writer in flight, or one that died holding its revision.
      const next = entries[ready.length]._id;
      for (let r = this.position + 1; r < next; r++) await this.revisions.fillIfStale(r);
      return ready.length > 0 ? 'more' : 'hole';
    }
    return entries.length === this.opts.batchSize ? 'more' : 'idle';
  }

  private async deliver(entries: LogEntry[]): Promise<void> {
    const watchers = [...this.watchers];
    if (watchers.length === 0) return;
    const needPrev = watchers.some((w) => w.spec.predicate);
    const prevOf = needPrev
      ? await loadPrevious(entries, (ids) => this.c.log.find({ _id: { $in: ids } }).toArray())
      : () => undefined;
    for (const w of watchers) {
      for (const e of entries) {
        if (e.gap || !w.matchesKey(e.key)) continue;
        const event = eventFor(e, w.spec, prevOf);
        if (event) w.offerLive(event);
      }
    }
  }

  private sendBookmarks(): void {
    for (const w of this.watchers) {
      if (w.spec.allowBookmarks && w.caughtUp && this.position >= w.lastRevision) w.push(bookmark(this.position));
    }
  }

  /** Where the deployment has change streams, they wake the poller at once; polling stays the truth. */
  private openChangeStream(): void {
    try {
      const stream = this.c.log.watch([], { batchSize: 1 });
      stream.on('change', () => this.wake());
      stream.on('error', () => {
        void stream.close().catch(() => undefined);
        if (this.changeStream === stream) this.changeStream = null;
      });
      this.changeStream = stream;
    } catch {
      this.changeStream = null;
    }
  }
}
