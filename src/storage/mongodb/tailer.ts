// One tail of the log per storage instance, fanned out to every watcher in this process. The log view
// reads entries in revision order (waiting a bounded time for holes, filling those whose writers
// died), so all watchers of all instances see the same order; this polls it for the writes of other
// instances and hands each run of entries to the watchers.
import type { ChangeStream } from 'mongodb';
import { findByIds, type LogCollections, type LogEntry } from './log.js';
import type { LogView } from './log-view.js';
import { bookmark, eventFor, internalErrorEvent, loadPrevious } from './events.js';
import type { WatchQueue } from './watch-queue.js';

export interface TailerOptions {
  pollIntervalMs: number;
  bookmarkIntervalMs: number;
}

const HOLE_POLL_MS = 5;
const HORIZON_REFRESH_MS = 1000;

export class Tailer {
  private readonly watchers = new Set<WatchQueue>();
  private started: Promise<void> | null = null;
  private closed = false;
  private wakeup: (() => void) | null = null;
  private bookmarkTimer: NodeJS.Timeout | null = null;
  private changeStream: ChangeStream | null = null;

  constructor(
    private readonly c: LogCollections,
    private readonly view: LogView,
    private readonly opts: TailerOptions,
  ) {
    view.onApplied = (entries) => this.deliver(entries);
  }

  /** The last revision delivered to watchers. */
  get position(): number {
    return this.view.position;
  }

  /** Starts polling for other instances' writes (once); watchers catch up on older history themselves. */
  ensureStarted(): Promise<void> {
    if (!this.started) {
      this.started = (async () => {
        await this.view.catchUp();
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
    let horizonAt = Date.now();
    while (!this.closed) {
      let wait: number;
      try {
        if (Date.now() - horizonAt > HORIZON_REFRESH_MS) {
          horizonAt = Date.now();
          await this.view.refreshHorizon();
        }
        const outcome = await this.view.advance();
        wait = outcome === 'moved' ? 0 : outcome === 'hole' ? HOLE_POLL_MS : this.opts.pollIntervalMs;
        backoff = this.opts.pollIntervalMs;
      } catch {
        // The server is away: keep the position and the watchers, and try again (nothing is lost).
        backoff = Math.min(backoff * 2, 1000);
        wait = backoff;
      }
      if (wait > 0 && !this.closed) await this.sleep(wait);
    }
  }

  private async deliver(entries: LogEntry[]): Promise<void> {
    const watchers = [...this.watchers];
    if (watchers.length === 0) return;
    const needPrev = watchers.some((w) => w.spec.predicate);
    const prevOf = needPrev
      ? await loadPrevious(entries, (ids) => findByIds(this.c, ids))
      : () => undefined;
    for (const w of watchers) {
      try {
        for (const e of entries) {
          if (e.gap || !w.matchesKey(e.key)) continue;
          const event = eventFor(e, w.spec, prevOf);
          if (event) w.offerLive(event);
        }
      } catch (err) {
        // A predicate that throws ends its own watch, never the tail that every watcher shares.
        w.finish(internalErrorEvent(err, this.position));
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
