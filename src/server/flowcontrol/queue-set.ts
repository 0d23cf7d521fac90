// One priority level's seats and queues, as kube's queueset (fair queuing for server requests) does it:
// - A request asks for max(initialSeats, finalSeats) seats and runs only when that many are free
//   (one wider than the whole limit runs alone). It holds them while it runs and, when it has final
//   seats, for its additional latency after it.
// - Reject levels (no queues) run a request at once or reject it. Queue levels deal the flow a hand of
//   queues (shuffle sharding) and put the request in the one with the least waiting work; it is
//   rejected only when all seats are taken and that queue is full.
// - Virtual time R advances, per second, by min(seats asked for, limit) / active queues. Each queue
//   has a nextDispatchR; the waiting request whose queue would finish it first (nextDispatchR + its
//   work in seat-seconds) goes next, round robin among equals. A request's work is its seats times
//   3 ms (kube's estimate of a request's service time) plus its final seats times its additional
//   latency; when it ends, its queue is charged what it really took.
// - A request waits at most its wait limit, or until its client goes away.
// Exempt levels use the same bookkeeping without a limit (for seat demand and the debug dumps).
import { dealHand } from './shuffle-shard.js';
import { maxSeatsOf, type WorkEstimate } from './work-estimator.js';
import { SeatDemandIntegrator } from './integrator.js';
import type { RequestInfo } from '../request-info.js';

export type RejectReason = 'concurrency-limit' | 'queue-full' | 'time-out' | 'cancelled';

export interface QueuingConfig {
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

export interface QueueSetConfig {
  /** The level's current concurrency limit (its nominal seats, give or take borrowing). */
  concurrencyLimit: number;
  /** Without queuing (limitResponse Reject), a full level rejects at once. */
  queuing?: QueuingConfig;
  /** The exempt level: every request runs at once. */
  exempt?: boolean;
}

export interface RequestDescription {
  flowSchema: string;
  distinguisher: string;
  /** The flow's hash, computed only if the request has to pick a queue. */
  hash: () => bigint;
  estimate: WorkEstimate;
  userName: string;
  info: RequestInfo;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; reason: RejectReason };

/** Calls cancel when the request's client goes away; returns the function that stops watching. */
export type CancelWatch = (cancel: () => void) => () => void;

/** A CancelWatch over an AbortSignal. */
export function cancelOnAbort(signal: AbortSignal): CancelWatch {
  return (cancel) => {
    signal.addEventListener('abort', cancel, { once: true });
    return () => signal.removeEventListener('abort', cancel);
  };
}

/** kube's estimate G of a request's service time, in seconds. */
const ESTIMATED_SERVICE_SECONDS = 0.003;

class Request {
  readonly maxSeats: number;
  readonly totalWork: number;
  estimate: WorkEstimate;
  /** Epoch milliseconds (with a fraction). */
  readonly arrivalTime: number;
  startTime = 0;
  startedAt = 0;
  settle: ((admission: Admission) => void) | undefined;

  constructor(
    readonly desc: RequestDescription,
    readonly arrivalR: number,
    public queue: Queue | undefined,
    now: number,
  ) {
    this.arrivalTime = performance.timeOrigin + now;
    this.estimate = desc.estimate;
    this.maxSeats = maxSeatsOf(desc.estimate);
    this.totalWork = desc.estimate.initialSeats * ESTIMATED_SERVICE_SECONDS + (desc.estimate.finalSeats * desc.estimate.additionalLatencyMs) / 1000;
  }
}

class Queue {
  waiting: Request[] = [];
  executing = new Set<Request>();
  seatsInUse = 0;
  nextDispatchR = 0;
  /** Sums over the waiting requests. */
  waitingInitialSeats = 0;
  waitingMaxSeats = 0;
  waitingWork = 0;

  get active(): boolean {
    return this.waiting.length > 0 || this.executing.size > 0;
  }
}

export interface RequestDump {
  flowSchema: string;
  distinguisher: string;
  arrivalTime: number;
  /** 0 while waiting. */
  startTime: number;
  estimate: WorkEstimate;
  userName: string;
  info: RequestInfo;
}

export interface QueueDump {
  waiting: RequestDump[];
  executing: RequestDump[];
  seatsInUse: number;
  nextDispatchR: number;
  initialSeatsSum: number;
  maxSeatsSum: number;
  totalWorkSum: number;
}

export interface QueueSetDump {
  queues: QueueDump[];
  queuelessExecuting: RequestDump[];
  waiting: number;
  executing: number;
  seatsInUse: number;
  seatsWaiting: number;
  dispatched: number;
  rejected: number;
  timedOut: number;
  cancelled: number;
}

export class QueueSet {
  private queueList: Queue[] = [];
  private queueless = new Set<Request>();
  private requestsWaiting = 0;
  private requestsExecuting = 0;
  private seatsInUse = 0;
  private seatsWaiting = 0;
  /** Σ over queues of seats in use plus seats waiting, and the queues with work: R's rate. */
  private seatsRequested = 0;
  private activeQueues = 0;
  private currentR = 0;
  private lastRealTime = performance.now();
  private robinIndex = -1;
  private enqueues = 0;
  private hands = new Map<bigint, number[]>();
  private dispatched = 0;
  private rejected = 0;
  private cancelled = 0;
  /** Seats in use plus seats waiting, over time: what borrowing reads. */
  readonly seatDemand = new SeatDemandIntegrator();

  constructor(private config: QueueSetConfig) {
    this.queueList = Array.from({ length: config.queuing?.queues ?? 0 }, () => new Queue());
  }

  /** A changed configuration applies to what arrives next; requests already waiting keep their place. */
  reconfigure(config: QueueSetConfig): void {
    const wanted = config.queuing?.queues ?? 0;
    const dealing = wanted !== (this.config.queuing?.queues ?? 0) || config.queuing?.handSize !== this.config.queuing?.handSize;
    this.config = config;
    if (dealing) this.hands.clear();
    while (this.queueList.length < wanted) this.queueList.push(new Queue());
    this.dropIdleExtraQueues();
    this.syncTime();
    this.dispatchAsMuchAsPossible();
  }

  /** Borrowing moved seats to or from this level. */
  setConcurrencyLimit(limit: number): void {
    this.syncTime();
    this.config = { ...this.config, concurrencyLimit: limit };
    this.dispatchAsMuchAsPossible();
  }

  get concurrencyLimit(): number {
    return this.config.concurrencyLimit;
  }
  /** The queues requests are dealt to (0 without queuing). */
  get queues(): number {
    return this.config.exempt ? 0 : (this.config.queuing?.queues ?? 0);
  }
  get inUse(): number {
    return this.seatsInUse;
  }
  get waiting(): number {
    return this.requestsWaiting;
  }
  get executing(): number {
    return this.requestsExecuting;
  }
  get isIdle(): boolean {
    return this.requestsWaiting === 0 && this.requestsExecuting === 0;
  }

  /** Admits, rejects or queues the request; a queued one settles when dispatched, timed out or cancelled. */
  acquire(desc: RequestDescription, waitLimitMs: number, watchCancel: CancelWatch): Admission | Promise<Admission> {
    const now = this.syncTime();
    const queuing = this.config.queuing;
    if (!queuing || this.config.exempt) {
      if (!this.canAccommodate(maxSeatsOf(desc.estimate))) {
        this.rejected++;
        return { admitted: false, reason: 'concurrency-limit' };
      }
      const request = new Request(desc, this.currentR, undefined, now);
      this.start(request, now);
      this.queueless.add(request);
      return this.admission(request);
    }
    const queue = this.queueList[this.chooseQueue(desc.hash(), queuing)];
    const request = new Request(desc, this.currentR, queue, now);
    if (this.seatsInUse >= this.config.concurrencyLimit && queue.waiting.length >= queuing.queueLengthLimit) {
      this.rejected++;
      return { admitted: false, reason: 'queue-full' };
    }
    if (!queue.active) queue.nextDispatchR = this.currentR;
    // Nobody waits and the seats are free: the request would be dispatched as soon as queued.
    if (this.requestsWaiting === 0 && this.seatsInUse < this.config.concurrencyLimit && this.canAccommodate(request.maxSeats)) {
      this.runFromQueue(request, queue, now);
      return this.admission(request);
    }
    return new Promise<Admission>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let unwatch: (() => void) | undefined;
      request.settle = (admission) => {
        request.settle = undefined;
        if (timer) clearTimeout(timer);
        unwatch?.();
        resolve(admission);
      };
      this.enqueue(request, queue);
      this.dispatchAsMuchAsPossible();
      if (!request.settle) return;
      timer = setTimeout(() => this.leave(request, 'time-out'), waitLimitMs);
      unwatch = watchCancel(() => this.leave(request, 'cancelled'));
    });
  }

  /** The queue with the least waiting work in the flow's hand, visited from a rotating offset. */
  private chooseQueue(hash: bigint, queuing: QueuingConfig): number {
    let hand = this.hands.get(hash);
    if (!hand) {
      if (this.hands.size >= 10_000) this.hands.clear();
      hand = dealHand(hash, queuing.queues, queuing.handSize);
      this.hands.set(hash, hand);
    }
    const offset = this.enqueues++ % hand.length;
    let best = hand[offset];
    let least = Infinity;
    for (let i = 0; i < hand.length; i++) {
      const index = hand[(offset + i) % hand.length];
      const work = this.queueList[index].waitingWork;
      if (work < least) {
        least = work;
        best = index;
      }
    }
    return best;
  }

  private enqueue(request: Request, queue: Queue): void {
    const wasActive = queue.active;
    queue.waiting.push(request);
    queue.waitingInitialSeats += request.estimate.initialSeats;
    queue.waitingMaxSeats += request.maxSeats;
    queue.waitingWork += request.totalWork;
    if (!wasActive) this.activeQueues++;
    this.requestsWaiting++;
    this.seatsWaiting += request.maxSeats;
    this.seatsRequested += request.maxSeats;
    this.seatDemand.set(this.seatsInUse + this.seatsWaiting);
  }

  private unqueue(request: Request, queue: Queue, index: number): void {
    queue.waiting.splice(index, 1);
    queue.waitingInitialSeats -= request.estimate.initialSeats;
    queue.waitingMaxSeats -= request.maxSeats;
    queue.waitingWork -= request.totalWork;
    if (!queue.active) this.activeQueues--;
    this.requestsWaiting--;
    this.seatsWaiting -= request.maxSeats;
    this.seatsRequested -= request.maxSeats;
  }

  /** A waiting request whose time ran out or whose client went away. */
  private leave(request: Request, reason: RejectReason): void {
    const queue = request.queue;
    if (!queue || !request.settle) return;
    const index = queue.waiting.indexOf(request);
    if (index < 0) return;
    this.syncTime();
    this.unqueue(request, queue, index);
    this.rejected++;
    this.cancelled++;
    this.boundNextDispatch(queue);
    this.seatDemand.set(this.seatsInUse + this.seatsWaiting);
    this.dropIdleExtraQueues();
    request.settle({ admitted: false, reason });
    // A wide request that left may have been what the others waited behind.
    this.dispatchAsMuchAsPossible();
  }

  private canAccommodate(seats: number): boolean {
    if (this.config.exempt) return true;
    // Wider than the whole level: it runs alone.
    if (seats > this.config.concurrencyLimit) return this.requestsExecuting === 0;
    return this.seatsInUse + seats <= this.config.concurrencyLimit;
  }

  private start(request: Request, now: number): void {
    // Final seats are capped at the limit, the same work spread over a longer latency.
    const est = request.estimate;
    if (!this.config.exempt && est.finalSeats > this.config.concurrencyLimit && this.config.concurrencyLimit > 0) {
      request.estimate = { ...est, finalSeats: this.config.concurrencyLimit, additionalLatencyMs: (est.finalSeats * est.additionalLatencyMs) / this.config.concurrencyLimit };
    }
    request.startTime = performance.timeOrigin + now;
    request.startedAt = now;
    this.requestsExecuting++;
    this.seatsInUse += request.maxSeats;
    this.dispatched++;
    this.seatDemand.set(this.seatsInUse + this.seatsWaiting, now);
  }

  private runFromQueue(request: Request, queue: Queue, now = performance.now()): void {
    if (!queue.active) this.activeQueues++;
    this.start(request, now);
    queue.executing.add(request);
    queue.seatsInUse += request.maxSeats;
    this.seatsRequested += request.maxSeats;
    queue.nextDispatchR += request.totalWork;
  }

  private admission(request: Request): Admission {
    return { admitted: true, release: () => this.finish(request) };
  }

  private dispatchAsMuchAsPossible(): void {
    while (this.requestsWaiting > 0 && this.seatsInUse < this.config.concurrencyLimit && this.dispatchOne());
  }

  /** Dispatches the head of the queue that would finish it first; false when it cannot run yet. */
  private dispatchOne(): boolean {
    const n = this.queueList.length;
    let best: Queue | undefined;
    let bestIndex = -1;
    let bestFinish = Infinity;
    for (let i = 0; i < n; i++) {
      this.robinIndex = (this.robinIndex + 1) % n;
      const queue = this.queueList[this.robinIndex];
      const head = queue.waiting[0];
      if (!head) continue;
      const finish = queue.nextDispatchR + head.totalWork;
      if (finish < bestFinish) {
        bestFinish = finish;
        best = queue;
        bestIndex = this.robinIndex;
      }
    }
    if (!best) return false;
    const request = best.waiting[0];
    // Wait for enough seats rather than let narrower requests overtake it.
    if (!this.canAccommodate(request.maxSeats)) return false;
    this.unqueue(request, best, 0);
    this.robinIndex = bestIndex;
    this.runFromQueue(request, best);
    this.boundNextDispatch(best);
    request.settle?.(this.admission(request));
    return true;
  }

  private finish(request: Request): void {
    if (request.startedAt < 0) return;
    const now = this.syncTime();
    const servedSeconds = (now - request.startedAt) / 1000;
    request.startedAt = -1;
    this.requestsExecuting--;
    const queue = request.queue;
    if (queue) {
      queue.executing.delete(request);
      if (!queue.active) this.activeQueues--;
      // Charge the queue for the time the request really took rather than the estimate.
      queue.nextDispatchR -= request.estimate.initialSeats * (ESTIMATED_SERVICE_SECONDS - servedSeconds);
      this.boundNextDispatch(queue);
    } else this.queueless.delete(request);
    const latency = request.estimate.additionalLatencyMs;
    if (latency > 0) {
      // The seats stay taken while the change reaches its watchers; the client does not wait for it.
      setTimeout(() => {
        this.syncTime();
        this.releaseSeats(request);
        this.dispatchAsMuchAsPossible();
      }, latency).unref();
    } else this.releaseSeats(request, now);
    this.dispatchAsMuchAsPossible();
  }

  private releaseSeats(request: Request, now = performance.now()): void {
    this.seatsInUse -= request.maxSeats;
    const queue = request.queue;
    if (queue) {
      queue.seatsInUse -= request.maxSeats;
      this.seatsRequested -= request.maxSeats;
    }
    this.seatDemand.set(this.seatsInUse + this.seatsWaiting, now);
    this.dropIdleExtraQueues();
  }

  /** Anti-windup: a queue's next dispatch is never before its oldest request arrived. */
  private boundNextDispatch(queue: Queue): void {
    const head = queue.waiting[0];
    if (head && queue.nextDispatchR < head.arrivalR) queue.nextDispatchR = head.arrivalR;
  }

  /** Queues beyond a lowered queue count go once empty. */
  private dropIdleExtraQueues(): void {
    const wanted = this.config.queuing?.queues ?? 0;
    while (this.queueList.length > wanted) {
      const last = this.queueList[this.queueList.length - 1];
      if (last.active || last.seatsInUse > 0) return;
      this.queueList.pop();
      if (this.robinIndex >= this.queueList.length) this.robinIndex = this.queueList.length - 1;
    }
  }

  /** Advances virtual time to now; returns now (performance.now()). */
  private syncTime(): number {
    const now = performance.now();
    const elapsed = (now - this.lastRealTime) / 1000;
    this.lastRealTime = now;
    if (this.activeQueues > 0) this.currentR += (elapsed * Math.min(this.seatsRequested, this.config.concurrencyLimit)) / this.activeQueues;
    return now;
  }

  dump(): QueueSetDump {
    this.syncTime();
    const dumpRequest = (r: Request): RequestDump => ({
      flowSchema: r.desc.flowSchema,
      distinguisher: r.desc.distinguisher,
      arrivalTime: r.arrivalTime,
      startTime: r.startTime,
      estimate: r.estimate,
      userName: r.desc.userName,
      info: r.desc.info,
    });
    return {
      queues: this.queueList.map((q) => ({
        waiting: q.waiting.map(dumpRequest),
        executing: [...q.executing].map(dumpRequest),
        seatsInUse: q.seatsInUse,
        nextDispatchR: q.nextDispatchR,
        initialSeatsSum: q.waitingInitialSeats,
        maxSeatsSum: q.waitingMaxSeats,
        totalWorkSum: q.waitingWork,
      })),
      queuelessExecuting: [...this.queueless].map(dumpRequest),
      waiting: this.requestsWaiting,
      executing: this.requestsExecuting,
      seatsInUse: this.seatsInUse,
      seatsWaiting: this.seatsWaiting,
      dispatched: this.dispatched,
      rejected: this.rejected,
      // kube counts requests that time out in their queue as cancelled; its timed-out count stays 0.
      timedOut: 0,
      cancelled: this.cancelled,
    };
  }
}
