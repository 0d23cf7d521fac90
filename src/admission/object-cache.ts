// The objects under one storage prefix, kept current by a watch (as kube's admission plugins read
// their configuration from informers): changes apply without a restart. The watch is re-established
// after it ends, unless the cache was stopped.
import type { Logger } from 'pino';
import type { Storage, StoredObject } from '../storage/interface.js';

const RETRY_MS = 1000;

export class ObjectCache {
  private readonly objects = new Map<string, StoredObject>();
  private sorted: StoredObject[] | undefined = [];
  private stopped = false;
  private stopWatch: (() => void) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** Loads the current objects (resolves once they are in) and keeps watching. */
  async start(): Promise<void> {
    const list = await this.storage.list(this.prefix, { recursive: true });
    this.objects.clear();
    for (const obj of list.items) this.objects.set(this.keyOf(obj), obj);
    this.changed();
    const watcher = await this.storage.watch(this.prefix, { resourceVersion: list.resourceVersion, recursive: true });
    if (this.stopped) {
      watcher.stop();
      return;
    }
    this.stopWatch = () => watcher.stop();
    void (async () => {
      try {
        for await (const event of watcher) {
          if (event.type === 'ADDED' || event.type === 'MODIFIED') this.objects.set(this.keyOf(event.object), event.object);
          else if (event.type === 'DELETED') this.objects.delete(this.keyOf(event.object));
          else continue;
          this.changed();
        }
      } catch (err) {
        this.logger?.warn({ err: (err as Error).message, prefix: this.prefix }, 'admission configuration watch failed');
      }
      if (!this.stopped) this.retry = setTimeout(() => void this.start().catch(() => this.scheduleRetry()), RETRY_MS);
    })();
  }

  private scheduleRetry(): void {
    if (!this.stopped) this.retry = setTimeout(() => void this.start().catch(() => this.scheduleRetry()), RETRY_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.stopWatch?.();
  }

  /** Called after every change (compiled forms are rebuilt from the new objects). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The objects, sorted by namespace and name (kube's admission plugins sort configurations by name). */
  items(): readonly StoredObject[] {
    if (!this.sorted) this.sorted = [...this.objects.values()].sort((a, b) => (this.keyOf(a) < this.keyOf(b) ? -1 : this.keyOf(a) > this.keyOf(b) ? 1 : 0));
    return this.sorted;
  }

  private keyOf(obj: StoredObject): string {
    return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
  }

  private changed(): void {
    this.sorted = undefined;
    for (const listener of this.listeners) listener();
  }
}
