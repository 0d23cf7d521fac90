// kube's namespace controller: a namespace being deleted has every namespaced object of every
// resource deleted, its status conditions kept current, and, once nothing is left, the `kubernetes`
// finalizer removed through the finalize subresource, which completes the namespace's deletion.
import type { Logger } from 'pino';
import type { Storage, StoredObject } from '../storage/interface.js';
import type { RequestContext, Store } from '../registry/store.js';
import { MASTERS_GROUP } from '../auth/user.js';
import { nowTimestamp } from '../registry/store.js';

const FINALIZER = 'kubernetes';
const RECHECK_MS = 500;

const CONTROLLER: Omit<RequestContext, 'subresource'> = {
  user: { name: 'system:serviceaccount:kube-system:namespace-controller', groups: [MASTERS_GROUP] },
  dryRun: false,
  fieldManager: 'kube-controller-manager',
};

interface Remaining {
  /** "configmaps." → count: resources with objects left. */
  resources: Map<string, number>;
  /** finalizer → count of objects that carry it. */
  finalizers: Map<string, number>;
}

export class NamespaceController {
  private readonly queued = new Set<string>();
  private stopped = false;
  private stopWatch?: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly storage: Storage,
    private readonly namespaces: Store,
    /** Every namespaced resource's store, found anew each pass (CRDs come and go). */
    private readonly namespacedStores: () => Store[],
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const watcher = await this.storage.watch(this.namespaces.prefix(''), { resourceVersion: '', recursive: true, sendInitialEvents: true });
    this.stopWatch = () => watcher.stop();
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) break;
        if ((event.type === 'ADDED' || event.type === 'MODIFIED') && event.object.metadata?.deletionTimestamp) this.enqueue(event.object.metadata.name);
      }
    })().catch((err: unknown) => this.logger.error({ err }, 'namespace controller watch ended'));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    for (const timer of this.timers) clearTimeout(timer);
  }

  private enqueue(name: string, delayMs = 0): void {
    if (this.queued.has(name) || this.stopped) return;
    this.queued.add(name);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queued.delete(name);
      this.sync(name).catch((err: unknown) => {
        this.logger.warn({ err, namespace: name }, 'namespace deletion step failed');
        this.enqueue(name, RECHECK_MS);
      });
    }, delayMs);
    this.timers.add(timer);
  }

  private async sync(name: string): Promise<void> {
    const ns = await this.namespaces.get('', name).catch(() => null);
    if (!ns?.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER)) return;
    const remaining = await this.deleteContent(name);
    await this.updateConditions(name, remaining);
    if (remaining.resources.size > 0) {
      this.enqueue(name, RECHECK_MS);
      return;
    }
    await this.namespaces.update('', name, (current) => {
      const next = structuredClone(current!);
      next.spec = { ...(next.spec ?? {}), finalizers: (next.spec?.finalizers ?? []).filter((f: string) => f !== FINALIZER) };
      return next;
    }, { ...CONTROLLER, subresource: 'finalize' });
  }

  private async deleteContent(namespace: string): Promise<Remaining> {
    const remaining: Remaining = { resources: new Map(), finalizers: new Map() };
    for (const store of this.namespacedStores()) {
      const context: RequestContext = { ...CONTROLLER, subresource: '' };
      await store.deleteCollection(namespace, {}, { propagationPolicy: 'Background' }, context);
      const { items } = await store.list(namespace, {});
      if (items.length === 0) continue;
      remaining.resources.set(`${store.def.resource}.${store.def.group}`, items.length);
      for (const item of items as StoredObject[]) {
        for (const finalizer of item.metadata.finalizers ?? []) remaining.finalizers.set(finalizer, (remaining.finalizers.get(finalizer) ?? 0) + 1);
      }
    }
    return remaining;
  }

  /** The conditions kube's namespace controller reports while it deletes content. */
  private async updateConditions(name: string, remaining: Remaining): Promise<void> {
    const now = nowTimestamp();
    const condition = (type: string, status: 'True' | 'False', reason: string, message: string) => ({ type, status, lastTransitionTime: now, reason, message });
    const resources = [...remaining.resources].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${r} has ${n} resource instances`);
    const finalizers = [...remaining.finalizers].sort(([a], [b]) => a.localeCompare(b)).map(([f, n]) => `${f} in ${n} resource instances`);
    const conditions = [
      condition('NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'),
      condition('NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
      condition('NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
      resources.length > 0
        ? condition('NamespaceContentRemaining', 'True', 'SomeResourcesRemain', `Some resources are remaining: ${resources.join(', ')}`)
        : condition('NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'),
      finalizers.length > 0
        ? condition('NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`)
        : condition('NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
    ];
    await this.namespaces.update('', name, (current) => {
      const next = structuredClone(current!);
      const previous: Array<{ type: string; status: string; lastTransitionTime: string }> = next.status?.conditions ?? [];
      // A condition whose status did not change keeps its transition time, so a no-op writes nothing.
      next.status = {
        ...(next.status ?? {}),
        conditions: conditions.map((c) => {
          const old = previous.find((p) => p.type === c.type);
          return old && old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
        }),
      };
      return next;
    }, { ...CONTROLLER, subresource: 'status' });
  }
}
