// kube's StorageObjectCountTracker: how many objects each resource has in storage, refreshed
// periodically (kube polls every --etcd-count-metric-poll-period, 1 minute by default) so that the
// work estimator reads a number, never the storage. A count not refreshed for 3 minutes is stale (the
// estimator then assumes the worst); a resource never counted is unknown.
const STALE_AFTER_MS = 3 * 60_000;

export type ObjectCount = number | 'not-found' | 'stale';

export class ObjectCountTracker {
  private readonly counts = new Map<string, { count: number; at: number }>();
  private readonly sources = new Map<string, () => Promise<number>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly now: () => number = Date.now) {}

  set(groupResource: string, count: number): void {
    this.counts.set(groupResource, { count, at: this.now() });
  }

  get(groupResource: string): ObjectCount {
    const entry = this.counts.get(groupResource);
    if (!entry) return 'not-found';
    return this.now() - entry.at > STALE_AFTER_MS ? 'stale' : entry.count;
  }

  /** A resource to count at every poll (a later call for the same resource replaces the counter). */
  track(groupResource: string, count: () => Promise<number>): void {
    this.sources.set(groupResource, count);
  }

  /** Counts every tracked resource now, then every periodMs (0: never). */
  start(periodMs: number): void {
    this.stop();
    if (periodMs <= 0) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round of counting; a count that fails is left to go stale (as kube does). */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const [groupResource, count] of this.sources) {
        try {
          this.set(groupResource, await count());
        } catch {
          // left to go stale
        }
      }
    } finally {
      this.polling = false;
    }
  }
}
