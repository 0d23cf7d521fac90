// Keeps the aggregator's routing in step with the APIServices (kube-aggregator's APIAggregator
// AddAPIService/RemoveAPIService): an APIService with a service mounts a proxy for its group-version
// on the aggregator layer (in front of whatever the chain serves locally); a local one, or a deleted
// one, unmounts it. Listeners hear about every remote APIService change (availability, discovery).
import type { Logger } from 'pino';
import type { Storage, StoredObject } from '../storage/interface.js';
import type { Layer } from '../server/director.js';
import type { Store } from '../registry/store.js';
import type { KeyPairPem } from '../server/serving/certs.js';
import { groupVersionRoot } from '../server/install-api.js';
import { deepEqual } from '../registry/deep-equal.js';
import { specOf, type APIServiceSpec } from './apiregistration/validation.js';
import { isAvailable } from './apiregistration/conditions.js';
import { APIREGISTRATION_GROUP } from './apiregistration/apiservices.js';
import type { AggregatorProxy, ProxyTarget } from './proxy/handler.js';
import { buildTransport, type BackendTransport } from './proxy/transport.js';

export type APIServiceListener = (name: string, apiService: StoredObject | undefined) => void;

export class APIServiceController {
  private readonly apiServices = new Map<string, StoredObject>();
  /** REST root → the proxy target mounted there. */
  private readonly targets = new Map<string, ProxyTarget & { spec: APIServiceSpec }>();
  private readonly listeners = new Set<APIServiceListener>();
  private stopWatch?: () => void;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly store: Store,
    private readonly layer: Layer,
    private readonly proxy: AggregatorProxy,
    private readonly clientCert: KeyPairPem,
    private readonly logger: Logger,
  ) {}

  onChange(listener: APIServiceListener): void {
    this.listeners.add(listener);
  }

  get(name: string): StoredObject | undefined {
    return this.apiServices.get(name);
  }

  /** The backend transport of a remote APIService (what the proxy uses), if it is mounted. */
  transportFor(name: string): BackendTransport | undefined {
    for (const t of this.targets.values()) if (t.name === name) return t.transport;
    return undefined;
  }

  all(): StoredObject[] {
    return [...this.apiServices.values()];
  }

  async start(): Promise<void> {
    // The initial list is applied before start() returns, so routing is in place when serving begins.
    const initial = await this.storage.list(this.store.prefix(''), { resourceVersion: '0', recursive: true });
    for (const obj of initial.items) this.apply(obj);
    const watcher = await this.storage.watch(this.store.prefix(''), { resourceVersion: initial.resourceVersion, recursive: true });
    this.stopWatch = () => watcher.stop();
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) break;
        if (event.type === 'ADDED' || event.type === 'MODIFIED') this.apply(event.object);
        else if (event.type === 'DELETED') this.remove(event.object);
      }
    })().catch((err: unknown) => this.logger.error({ err }, 'APIService watch ended'));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    for (const t of this.targets.values()) t.transport.agent.destroy();
  }

  private apply(obj: StoredObject): void {
    const name = String(obj.metadata?.name ?? '');
    const previous = this.apiServices.get(name);
    if (previous) this.unmount(previous, obj);
    this.apiServices.set(name, obj);
    const spec = specOf(obj);
    // The aggregator's own group is always served here (kube never proxies it either).
    if (spec.service && spec.group !== APIREGISTRATION_GROUP) this.mount(name, spec, obj);
    for (const listener of this.listeners) listener(name, obj);
  }

  private remove(obj: StoredObject): void {
    const name = String(obj.metadata?.name ?? '');
    const previous = this.apiServices.get(name);
    if (previous) this.unmount(previous, undefined);
    this.apiServices.delete(name);
    for (const listener of this.listeners) listener(name, undefined);
  }

  private rootOf(spec: APIServiceSpec): string {
    return groupVersionRoot(spec.group ?? '', spec.version ?? '');
  }

  /** Takes down the old APIService's proxy unless the new one keeps the same root. */
  private unmount(old: StoredObject, next: StoredObject | undefined): void {
    const oldSpec = specOf(old);
    if (!oldSpec.service) return;
    const root = this.rootOf(oldSpec);
    const nextSpec = next ? specOf(next) : undefined;
    if (nextSpec?.service && this.rootOf(nextSpec) === root) return;
    const target = this.targets.get(root);
    if (!target) return;
    target.transport.agent.destroy();
    this.targets.delete(root);
    this.layer.rest.delete(root);
  }

  private mount(name: string, spec: APIServiceSpec, obj: StoredObject): void {
    const root = this.rootOf(spec);
    const existing = this.targets.get(root);
    const service = spec.service!;
    const sameTransport = existing && deepEqual(existing.spec.service, spec.service) && existing.spec.caBundle === spec.caBundle && existing.spec.insecureSkipTLSVerify === spec.insecureSkipTLSVerify;
    if (existing && !sameTransport) existing.transport.agent.destroy();
    const target = {
      name,
      spec,
      serviceNamespace: service.namespace ?? '',
      serviceName: service.name ?? '',
      servicePort: service.port ?? 443,
      available: isAvailable(obj),
      transport: sameTransport ? existing.transport : buildTransport(spec, this.clientCert),
    };
    this.targets.set(root, target);
    if (!existing) this.layer.rest.set(root, this.proxy.handler(() => this.targets.get(root)));
  }
}
