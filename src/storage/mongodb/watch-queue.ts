// One client's watch: a bounded queue read through async iteration. A watcher that falls too far
// behind is ended (client-go then re-lists) so it can neither block the others nor grow memory.
import type { Predicate, WatchEvent, Watcher } from '../interface.js';

export interface WatchSpec {
  /** The key, or the prefix (ending in '/') when recursive. */
  key: string;
  recursive: boolean;
  predicate?: Predicate;
  allowBookmarks: boolean;
}

export class WatchQueue implements Watcher {
  private readonly events: WatchEvent[] = [];
  private waiting: (() => void) | null = null;
  private ended = false;
  /** Live events from the tail are held here until the catch-up from the log has been sent. */
  private held: WatchEvent[] | null = [];
  /** The revision of the last event queued: nothing at or below it is queued again. */
  lastRevision: number;

  constructor(
    readonly spec: WatchSpec,
    startRevision: number,
    private readonly limit: number,
    private readonly onStop: (w: WatchQueue) => void,
  ) {
    this.lastRevision = startRevision;
  }

  get closed(): boolean {
    return this.ended;
  }

  get caughtUp(): boolean {
    return this.held === null;
  }

  matchesKey(key: string): boolean {
    return this.spec.recursive ? key.startsWith(this.spec.key) : key === this.spec.key;
  }

  /** Queues an event from the live tail (held back while catching up). */
  offerLive(event: WatchEvent): void {
    if (this.held) {
      this.held.push(event);
      if (this.held.length > this.limit) this.stop();
      return;
    }
    this.push(event);
  }

  /** Queues an event in order; drops it if already sent (catch-up and tail may overlap). */
  push(event: WatchEvent): void {
    if (this.ended) return;
    if (event.type !== 'BOOKMARK' && event.type !== 'ERROR') {
      if (event.revision <= this.lastRevision) return;
      this.lastRevision = event.revision;
    }
    this.events.push(event);
    if (this.events.length > this.limit) {
      this.stop();
      return;
    }
    this.wake();
  }

  /** Ends the catch-up: releases the live events held meanwhile. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const e of held) this.push(e);
  }

  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.events.length = 0;
    this.onStop(this);
    this.wake();
  }

  /** Sends a final event (an ERROR Status) and ends. */
  finish(event: WatchEvent): void {
    if (this.ended) return;
    this.events.push(event);
    this.ended = true;
    this.onStop(this);
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    try {
      for (;;) {
        const next = this.events.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.waiting = resolve));
      }
    } finally {
      this.stop();
    }
  }
}
