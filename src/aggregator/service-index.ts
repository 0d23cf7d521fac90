// Services, Endpoints and EndpointSlices held in memory and kept current by watches, as the listers
// behind kube's endpoint routing: the aggregator's proxy (per request) and the admission and
// conversion webhook clients (per call) resolve a Service without a storage read. Listeners hear which service changed after the index has the change, so whoever
// resolves on that news sees it.
import type { Logger } from 'pino';
import type { Storage, StoredObject } from '../storage/interface.js';

const SERVICES = '/registry/services/';
const ENDPOINTS = '/registry/endpoints/';
const ENDPOINT_SLICES = '/registry/discovery.k8s.io/endpointslices/';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const RELIST_DELAY_MS = 1000;

export type ServiceChangeListener = (namespace: string, serviceName: string) => void;

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class ServiceIndex {
  private readonly services = new Map<string, StoredObject>();
  private readonly endpoints = new Map<string, StoredObject>();
  /** namespace/service → slice name → slice. */
  private readonly slices = new Map<string, Map<string, StoredObject>>();
  private readonly listeners = new Set<ServiceChangeListener>();
  private readonly stops: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
  ) {}

  onChange(listener: ServiceChangeListener): void {
    this.listeners.add(listener);
  }

  service(namespace: string, name: string): StoredObject | undefined {
    return this.services.get(key(namespace, name));
  }

  endpointsOf(namespace: string, name: string): StoredObject | undefined {
    return this.endpoints.get(key(namespace, name));
  }

  slicesOf(namespace: string, serviceName: string): StoredObject[] {
    const found = this.slices.get(key(namespace, serviceName));
    return found ? [...found.values()] : [];
  }

  /** Lists, then watches; the index is complete when this resolves. */
  async start(): Promise<void> {
    await this.follow(SERVICES, (obj, deleted) => this.put(this.services, obj, deleted), () => this.services.clear());
    await this.follow(ENDPOINTS, (obj, deleted) => this.put(this.endpoints, obj, deleted), () => this.endpoints.clear());
    await this.follow(ENDPOINT_SLICES, (obj, deleted) => this.putSlice(obj, deleted), () => this.slices.clear());
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.stops) stop();
  }

  private put(map: Map<string, StoredObject>, obj: StoredObject, deleted: boolean): [string, string] {
    const namespace = String(obj.metadata?.namespace ?? '');
    const name = String(obj.metadata?.name ?? '');
    if (deleted) map.delete(key(namespace, name));
    else map.set(key(namespace, name), obj);
    return [namespace, name];
  }

  private putSlice(obj: StoredObject, deleted: boolean): [string, string] {
    const namespace = String(obj.metadata?.namespace ?? '');
    const name = String(obj.metadata?.name ?? '');
    const serviceName = String(obj.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '');
    // A slice may be relabelled to another service: drop it wherever it was first.
    for (const [owner, slices] of this.slices) {
      if (owner.startsWith(`${namespace}/`) && slices.delete(name) && slices.size === 0) this.slices.delete(owner);
    }
    if (!deleted && serviceName) {
      const owner = key(namespace, serviceName);
      const slices = this.slices.get(owner) ?? new Map<string, StoredObject>();
      slices.set(name, obj);
      this.slices.set(owner, slices);
    }
    return [namespace, serviceName];
  }

  private async follow(prefix: string, apply: (obj: StoredObject, deleted: boolean) => [string, string], clear: () => void): Promise<void> {
    const initial = await this.storage.list(prefix, { resourceVersion: '0', recursive: true });
    clear();
    for (const obj of initial.items) apply(obj, false);
    const watcher = await this.storage.watch(prefix, { resourceVersion: initial.resourceVersion, recursive: true });
    this.stops.push(() => watcher.stop());
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) return;
        if (event.type === 'BOOKMARK' || event.type === 'ERROR') continue;
        const [namespace, serviceName] = apply(event.object, event.type === 'DELETED');
        for (const listener of this.listeners) listener(namespace, serviceName);
      }
    })()
      .catch((err: unknown) => this.logger.debug({ err, prefix }, 'service index watch ended'))
      .finally(() => this.relist(prefix, apply, clear));
  }

  /** The watch ended under us (compaction, a storage outage): list again, as an informer relists. */
  private relist(prefix: string, apply: (obj: StoredObject, deleted: boolean) => [string, string], clear: () => void): void {
    if (this.stopped) return;
    const retry = setTimeout(() => {
      this.follow(prefix, apply, clear).catch((err: unknown) => {
        this.logger.debug({ err, prefix }, 'service index relist failed');
        this.relist(prefix, apply, clear);
      });
    }, RELIST_DELAY_MS);
    retry.unref();
    this.stops.push(() => clearTimeout(retry));
  }
}
