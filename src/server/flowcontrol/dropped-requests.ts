// The Retry-After a rejected request is told, per priority level (kube's DroppedRequestsTracker): it
// starts at 1 second, doubles (to at most 60) while a level keeps rejecting at least 3 requests per
// second of the current value, and comes down by one when rejections fall below it.
const MAX_RETRY_AFTER = 60;

interface SecondCount {
  second: number;
  count: number;
}

class LevelDrops {
  history: SecondCount[] = [];
  currentSecond = 0;
  currentCount = 0;
  retryAfter = 1;
  lastRaise = 0;

  record(second: number): void {
    if (second === this.currentSecond) {
      this.currentCount++;
      return;
    }
    this.history.push({ second: this.currentSecond, count: this.currentCount });
    const keep = Math.min(2 * this.retryAfter, MAX_RETRY_AFTER);
    this.history = this.history.filter((h) => second - h.second <= keep);
    this.currentSecond = second;
    this.currentCount = 1;
    this.adjust(second);
  }

  private adjust(second: number): void {
    let dropped = 0;
    for (const h of this.history) if (second - h.second <= this.retryAfter && h.second < second) dropped += h.count;
    if (second - this.lastRaise >= this.retryAfter && dropped >= 3 * this.retryAfter) {
      this.retryAfter = Math.min(this.retryAfter * 2, MAX_RETRY_AFTER);
      this.lastRaise = second;
    } else if (dropped < this.retryAfter && this.retryAfter > 1) this.retryAfter--;
  }
}

export class DroppedRequestsTracker {
  private readonly levels = new Map<string, LevelDrops>();
  constructor(private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {}

  record(level: string): void {
    let drops = this.levels.get(level);
    if (!drops) this.levels.set(level, (drops = new LevelDrops()));
    drops.record(this.nowSeconds());
  }

  retryAfter(level: string): number {
    return this.levels.get(level)?.retryAfter ?? 1;
  }
}
