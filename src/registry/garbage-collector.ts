// Garbage collection by ownerReferences, for every resource, built-in or custom (kube's garbage
// collector, reduced to one process): one storage watch keeps an index of owners to dependents.
// - An owner that is gone (deleted, or never there) takes its dependents with it: a dependent whose
//   last owner is gone is deleted (background), one with other owners left just loses the reference.
// - An owner being deleted with the `foregroundDeletion` finalizer waits for its dependents: they are
//   deleted, and once none is left the finalizer is removed, which completes the owner's deletion.
// - An owner being deleted with the `orphan` finalizer releases its dependents: their references to it
//   are removed, then the finalizer.
import type { Logger } from 'pino';
import type { Storage, StoredObject } from '../storage/interface.js';
import type { Store, RequestContext } from './store.js';
import { MASTERS_GROUP } from '../auth/user.js';

interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  blockOwnerDeletion?: boolean;
}

interface Node {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  store: Store;
  owners: OwnerRef[];
  deleting: boolean;
  finalizers: string[];
}

const GC_CONTEXT: RequestContext = {
  user: { name: 'system:serviceaccount:kube-system:generic-garbage-collector', groups: [MASTERS_GROUP] },
  dryRun: false,
  fieldManager: 'generic-garbage-collector',
  subresource: '',
};

export class GarbageCollector {
  private readonly byUid = new Map<string, Node>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly byKey = new Map<string, Node>();
  private pending = Promise.resolve();
  private stopped = false;
  private synced = false;
  private stopWatch?: () => void;

  constructor(
    private readonly storage: Storage,
    /** The store serving a kind (any served version of its group will do). */
    private readonly storeForKind: (apiVersion: string, kind: string) => Store | undefined,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    // Owners are judged missing only once the whole initial state is known.
    const watcher = await this.storage.watch('/registry/', { resourceVersion: '', recursive: true, sendInitialEvents: true, allowBookmarks: true });
    this.stopWatch = () => watcher.stop();
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) break;
        if (event.type === 'ADDED' || event.type === 'MODIFIED') this.observe(event.object);
        else if (event.type === 'DELETED') this.forget(event.object);
        else if (event.type === 'BOOKMARK' && !this.synced && event.object.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true') {
          this.synced = true;
          for (const node of this.byUid.values()) if (node.owners.length > 0) this.enqueue(() => this.checkOwners(node.uid));
        }
      }
    })().catch((err: unknown) => this.logger.error({ err }, 'garbage collector watch ended'));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  /** Resolves when the work queued so far is done (for tests and shutdown). */
  idle(): Promise<void> {
    return this.pending;
  }

  private enqueue(work: () => Promise<void>): void {
    this.pending = this.pending.then(work).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 404 && (err as { code?: number }).code !== 409) this.logger.warn({ err }, 'garbage collection step failed');
    });
  }

  private observe(obj: StoredObject): void {
    const meta = obj.metadata;
    const store = this.storeFor(obj);
    if (!store || !meta?.uid) return;
    const key = store.key(meta.namespace ?? '', meta.name);
    const previous = this.byKey.get(key);
    if (previous) this.unlink(previous);
    const node: Node = {
      key,
      uid: meta.uid,
      namespace: meta.namespace ?? '',
      name: meta.name,
      store,
      owners: (meta.ownerReferences ?? []) as OwnerRef[],
      deleting: Boolean(meta.deletionTimestamp),
      finalizers: meta.finalizers ?? [],
    };
    this.byKey.set(key, node);
    this.byUid.set(node.uid, node);
    for (const owner of node.owners) {
      let set = this.dependents.get(owner.uid);
      if (!set) this.dependents.set(owner.uid, (set = new Set()));
      set.add(node.uid);
    }
    // A dependent of an owner that is not there (deleted before this server saw it): collect it.
    if (this.synced && node.owners.length > 0) this.enqueue(() => this.checkOwners(node.uid));
    if (node.deleting && node.finalizers.includes('foregroundDeletion')) this.enqueue(() => this.deleteForeground(node.uid));
    if (node.deleting && node.finalizers.includes('orphan')) this.enqueue(() => this.orphan(node.uid));
    // A dependent that went away may let a foreground-deleting owner finish.
    for (const owner of node.owners) if (this.byUid.get(owner.uid)?.deleting) this.enqueue(() => this.deleteForeground(owner.uid));
  }

  private storeFor(obj: StoredObject): Store | undefined {
    return typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' ? this.storeForKind(obj.apiVersion, obj.kind) : undefined;
  }

  private unlink(node: Node): void {
    for (const owner of node.owners) this.dependents.get(owner.uid)?.delete(node.uid);
  }

  private forget(obj: StoredObject): void {
    const uid = obj.metadata?.uid;
    const node = uid ? this.byUid.get(uid) : undefined;
    if (!node) return;
    this.unlink(node);
    this.byUid.delete(node.uid);
    this.byKey.delete(node.key);
    const dependents = [...(this.dependents.get(node.uid) ?? [])];
    for (const dependentUid of dependents) this.enqueue(() => this.checkOwners(dependentUid));
    for (const owner of node.owners) if (this.byUid.get(owner.uid)?.deleting) this.enqueue(() => this.deleteForeground(owner.uid));
  }

  private ownerExists(owner: OwnerRef): boolean {
    return this.byUid.has(owner.uid);
  }

  /** Deletes a dependent whose owners are all gone, or drops the references to the gone ones. */
  private async checkOwners(uid: string): Promise<void> {
    const node = this.byUid.get(uid);
    if (!node || node.owners.length === 0) return;
    const missing = node.owners.filter((o) => !this.ownerExists(o));
    if (missing.length === 0) return;
    if (missing.length === node.owners.length) {
      await node.store.delete(node.namespace, node.name, { propagationPolicy: 'Background', preconditions: { uid } }, GC_CONTEXT);
      return;
    }
    const gone = new Set(missing.map((o) => o.uid));
    await this.patchOwners(node, (refs) => refs.filter((r) => !gone.has(r.uid)));
  }

  private async deleteForeground(ownerUid: string): Promise<void> {
    const owner = this.byUid.get(ownerUid);
    if (!owner || !owner.deleting || !owner.finalizers.includes('foregroundDeletion')) return;
    const remaining = [...(this.dependents.get(ownerUid) ?? [])].map((u) => this.byUid.get(u)).filter((n): n is Node => Boolean(n));
    const blocking = remaining.filter((d) => d.owners.some((o) => o.uid === ownerUid && o.blockOwnerDeletion));
    for (const dependent of remaining) {
      if (dependent.deleting) continue;
      const onlyOwner = dependent.owners.every((o) => o.uid === ownerUid);
      if (onlyOwner) await dependent.store.delete(dependent.namespace, dependent.name, { propagationPolicy: 'Foreground', preconditions: { uid: dependent.uid } }, GC_CONTEXT);
      else await this.patchOwners(dependent, (refs) => refs.filter((r) => r.uid !== ownerUid));
    }
    if (blocking.length === 0) await this.removeFinalizer(owner, 'foregroundDeletion');
  }

  private async orphan(ownerUid: string): Promise<void> {
    const owner = this.byUid.get(ownerUid);
    if (!owner || !owner.deleting || !owner.finalizers.includes('orphan')) return;
    for (const dependentUid of [...(this.dependents.get(ownerUid) ?? [])]) {
      const dependent = this.byUid.get(dependentUid);
      if (dependent) await this.patchOwners(dependent, (refs) => refs.filter((r) => r.uid !== ownerUid));
    }
    await this.removeFinalizer(owner, 'orphan');
  }

  /** Changes an object's metadata (ownerReferences, finalizers) with a read-modify-write. */
  private async updateMetadata(node: Node, change: (meta: Record<string, any>) => void): Promise<void> {
    await node.store.update(
      node.namespace,
      node.name,
      (current) => {
        const next = structuredClone(current!);
        change(next.metadata);
        delete next.metadata.resourceVersion;
        return next;
      },
      GC_CONTEXT,
      { patch: true },
    );
  }

  private patchOwners(node: Node, change: (refs: OwnerRef[]) => OwnerRef[]): Promise<void> {
    return this.updateMetadata(node, (meta) => {
      const refs = change((meta.ownerReferences ?? []) as OwnerRef[]);
      if (refs.length > 0) meta.ownerReferences = refs;
      else delete meta.ownerReferences;
    });
  }

  private removeFinalizer(node: Node, finalizer: string): Promise<void> {
    return this.updateMetadata(node, (meta) => {
      const finalizers = (meta.finalizers ?? []).filter((f: string) => f !== finalizer);
      if (finalizers.length > 0) meta.finalizers = finalizers;
      else delete meta.finalizers;
    });
  }
}
