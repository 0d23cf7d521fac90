// kube's serviceaccounts-controller: every active namespace has a `default` ServiceAccount. It is
// created when a namespace appears and created again when someone deletes it; a namespace being
// terminated is left alone.
import type { Logger } from 'pino';
import type { Storage } from '../storage/interface.js';
import type { RequestContext, Store } from '../registry/store.js';
import { StatusError } from '../endpoints/status.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
const RETRY_MS = 500;

const CONTROLLER: RequestContext = {
  user: { name: 'system:serviceaccount:kube-system:service-account-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
  dryRun: false,
  fieldManager: 'kube-controller-manager',
  subresource: '',
};

export class ServiceAccountsController {
  private readonly queued = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly watchers: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly namespaces: Store,
    private readonly serviceAccounts: Store,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.watch(this.namespaces.prefix(''), (type, obj) => {
      if (type !== 'DELETED') this.enqueue(obj.metadata.name);
    });
    await this.watch(this.serviceAccounts.prefix(''), (type, obj) => {
      if (type === 'DELETED' && obj.metadata.name === DEFAULT_SERVICE_ACCOUNT) this.enqueue(obj.metadata.namespace ?? '');
    });
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.watchers) stop();
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** Watches a prefix from now (with the current objects first); a watch that ends is started again. */
  private async watch(prefix: string, onEvent: (type: string, obj: Record<string, any>) => void): Promise<void> {
    const watcher = await this.storage.watch(prefix, { resourceVersion: '', recursive: true, sendInitialEvents: true });
    this.watchers.push(() => watcher.stop());
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) return;
        if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') onEvent(event.type, event.object);
      }
    })()
      .catch((err: unknown) => this.logger.warn({ err }, 'service account controller watch ended'))
      .finally(() => {
        if (this.stopped) return;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.watch(prefix, onEvent).catch((err: unknown) => this.logger.warn({ err }, 'service account controller could not watch again'));
        }, RETRY_MS);
        this.timers.add(timer);
      });
  }

  private enqueue(namespace: string, delayMs = 0): void {
    if (!namespace || this.stopped || this.queued.has(namespace)) return;
    this.queued.add(namespace);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queued.delete(namespace);
      this.sync(namespace).catch((err: unknown) => {
        this.logger.warn({ err, namespace }, 'could not create the default service account');
        this.enqueue(namespace, RETRY_MS);
      });
    }, delayMs);
    this.timers.add(timer);
  }

  private async sync(namespace: string): Promise<void> {
    const ns = await this.namespaces.get('', namespace).catch(() => null);
    if (!ns || ns.metadata.deletionTimestamp || (ns.status?.phase && ns.status.phase !== 'Active')) return;
    const existing = await this.serviceAccounts.get(namespace, DEFAULT_SERVICE_ACCOUNT).catch((err: unknown) => {
      if (err instanceof StatusError && err.code === 404) return null;
      throw err;
    });
    if (existing) return;
    await this.serviceAccounts.create(namespace, { metadata: { name: DEFAULT_SERVICE_ACCOUNT } }, CONTROLLER).catch((err: unknown) => {
      // Someone else made it meanwhile; a namespace that began terminating refuses it (403): both fine.
      if (err instanceof StatusError && (err.code === 409 || err.code === 403 || err.code === 404)) return;
      throw err;
    });
  }
}
