// One limited priority level's seats and queues: fair queuing over shuffle-sharded queues, as kube's
// queueset does it with every request one seat wide. A request runs at once while seats are free and
// nobody waits; otherwise (Queue levels) it joins the shortest queue of its flow's hand, unless that
// queue is full. When a seat frees, the waiting queue with the least virtual service goes next; a queue
// that was idle starts from the level's current virtual time, so idling earns no credit. Reject levels
// never queue. A request waits at most its wait limit, or until its client goes away.
import { dealHand } from './shuffle-shard.js';

export type RejectReason = 'concurrency-limit' | 'queue-full' | 'time-out' | 'cancelled';

export interface QueueSetConfig {
  concurrencyLimit: number;
  /** Without queuing (limitResponse Reject), a full level rejects at once. */
  queuing?: { queues: number; handSize: number; queueLengthLimit: number };
}

interface Waiter {
  queue: Queue;
  dispatch: () => void;
}

interface Queue {
  waiting: Waiter[];
  executing: number;
  /** Virtual time at which this queue's next request would start (in units of one request). */
  virtualStart: number;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; reason: RejectReason };


export class QueueSet {
  private executing = 0;
  private waitingCount = 0;
  private queues: Queue[] = [];
  private virtualTime = 0;

  constructor(private config: QueueSetConfig) {
    this.queues = this.newQueues(config);
  }

  private newQueues(config: QueueSetConfig): Queue[] {
    return Array.from({ length: config.queuing?.queues ?? 0 }, () => ({ waiting: [], executing: 0, virtualStart: this.virtualTime }));
  }

  /** A changed configuration applies to what arrives next; requests already waiting keep their place. */
  reconfigure(config: QueueSetConfig): void {
    const sameQueues = config.queuing?.queues === this.config.queuing?.queues;
    this.config = config;
    if (!sameQueues) {
      // Waiting requests move to the front of the new queues, in their order.
      const old = this.queues;
      this.queues = this.newQueues(config);
      const leftovers = old.flatMap((q) => q.waiting);
      if (leftovers.length > 0) {
        const holder: Queue = { waiting: leftovers, executing: 0, virtualStart: this.virtualTime - 1 };
        for (const w of leftovers) w.queue = holder;
        this.queues.push(holder);
      }
    }
    this.dispatch();
  }

  get inUse(): number {
    return this.executing;
  }
  get waiting(): number {
    return this.waitingCount;
  }

  async acquire(hash: bigint, waitLimitMs: number, cancelled: AbortSignal): Promise<Admission> {
    if (this.executing < this.config.concurrencyLimit && this.waitingCount === 0) return this.admit(undefined);
    const queuing = this.config.queuing;
    if (!queuing) return { admitted: false, reason: 'concurrency-limit' };
    const hand = dealHand(hash, queuing.queues, queuing.handSize).map((i) => this.queues[i]);
    const queue = hand.reduce((best, q) => (q.waiting.length + q.executing < best.waiting.length + best.executing ? q : best));
    if (queue.waiting.length >= queuing.queueLengthLimit) return { admitted: false, reason: 'queue-full' };
    if (queue.waiting.length === 0 && queue.executing === 0) queue.virtualStart = Math.max(queue.virtualStart, this.virtualTime);

    return new Promise<Admission>((resolve) => {
      let settled = false;
      const finish = (admission: Admission) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        cancelled.removeEventListener('abort', onCancel);
        resolve(admission);
      };
      const waiter: Waiter = { queue, dispatch: () => finish(this.admit(waiter.queue)) };
      const leave = (reason: RejectReason) => {
        const index = waiter.queue.waiting.indexOf(waiter);
        if (index < 0) return;
        waiter.queue.waiting.splice(index, 1);
        this.waitingCount--;
        finish({ admitted: false, reason });
      };
      const onCancel = () => leave('cancelled');
      const timer = setTimeout(() => leave('time-out'), waitLimitMs);
      cancelled.addEventListener('abort', onCancel, { once: true });
      queue.waiting.push(waiter);
      this.waitingCount++;
      this.dispatch();
    });
  }

  private admit(queue: Queue | undefined): Admission {
    this.executing++;
    if (queue) queue.executing++;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.executing--;
        if (queue) queue.executing--;
        this.dispatch();
      },
    };
  }

  /** Fills free seats from the waiting queue with the least virtual start. */
  private dispatch(): void {
    while (this.executing < this.config.concurrencyLimit && this.waitingCount > 0) {
      let next: Queue | undefined;
      for (const q of this.queues) if (q.waiting.length > 0 && (!next || q.virtualStart < next.virtualStart)) next = q;
      if (!next) return;
      const waiter = next.waiting.shift()!;
      this.waitingCount--;
      this.virtualTime = Math.max(this.virtualTime, next.virtualStart);
      next.virtualStart += 1;
      waiter.dispatch();
    }
    // Drop an emptied holder of requests left from an earlier configuration.
    const last = this.queues[this.queues.length - 1];
    if (last && this.queues.length > (this.config.queuing?.queues ?? 0) && last.waiting.length === 0) this.queues.pop();
  }
}
