// The `default/kubernetes` Service and its endpoints, as kube-apiserver's kubernetesservice controller
// and endpoint reconciler keep them: the Service (the range's first IP, port 443 to the secure port)
// is created when missing, and every 10 s this server's advertised address is in its Endpoints and
// EndpointSlice; a server leaving takes its address out. kube-chain has no leases between servers: an
// address of a server that crashed stays until that server starts again.
import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import type { KubeObject } from '../registry/resource.js';
import type { RequestContext, Store } from '../registry/store.js';
import { StatusError } from '../endpoints/status.js';
import { MASTERS_GROUP } from '../auth/user.js';
import { deepEqual } from '../registry/deep-equal.js';
import { formatIP, parseCIDR, parseIP } from './net/ip.js';

const NAME = 'kubernetes';
const NAMESPACE = 'default';
const SERVICE_PORT = 443;
const RECONCILE_INTERVAL_MS = 10_000;
const CONTROLLER: RequestContext = { user: { name: 'system:apiserver', groups: [MASTERS_GROUP] }, dryRun: false, fieldManager: 'kube-apiserver', subresource: '' };

export interface KubernetesServiceStores {
  services: Store;
  endpoints?: Store;
  endpointSlices?: Store;
}

/** The range's first address: where kube puts the kubernetes service. */
export function kubernetesServiceIP(serviceClusterIPRange: string): string | undefined {
  const cidr = parseCIDR(serviceClusterIPRange);
  return cidr && formatIP({ family: cidr.family, value: cidr.base + 1n });
}

/**
 * The address other servers and pods would reach this one at (kube's --advertise-address default):
 * the bind address unless it is unspecified or loopback, else the machine's first non-loopback
 * address of that family. Undefined when there is none (Endpoints refuse loopback addresses).
 */
export function advertiseAddress(bindAddress: string): string | undefined {
  const bind = parseIP(bindAddress);
  const unusable = !bind || bind.value === 0n || /^127\.|^::1$/.test(bindAddress);
  if (!unusable) return bindAddress;
  const family = bind?.family ?? 'IPv4';
  const found = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === family && !i.address.startsWith('169.254.') && !i.address.startsWith('fe80:'));
  return found?.address;
}

const ignoreConflict = (err: unknown) => {
  if (!(err instanceof StatusError && err.code === 409)) throw err;
};

export class KubernetesServiceController {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly stores: KubernetesServiceStores,
    private readonly serviceIP: string | undefined,
    private readonly publicIP: string | undefined,
    private readonly publicPort: number,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops reconciling and takes this server's address out of the endpoints. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.publicIP) return;
    await Promise.all([
      this.edit(this.stores.endpoints, (current) => current && this.withoutUs(current, 'subsets')),
      this.edit(this.stores.endpointSlices, (current) => current && this.withoutUs(current, 'endpoints')),
    ]).catch((err: unknown) => this.logger.debug({ err }, 'could not remove the kubernetes service endpoints'));
  }

  private async reconcile(): Promise<void> {
    try {
      await this.ensureService();
      if (!this.publicIP) return;
      await this.edit(this.stores.endpoints, (current) => this.endpointsWithUs(current));
      await this.edit(this.stores.endpointSlices, (current) => this.sliceWithUs(current));
    } catch (err) {
      this.logger.warn({ err }, 'unable to sync kubernetes service');
    }
  }

  private async ensureService(): Promise<void> {
    const existing = await this.stores.services.get(NAMESPACE, NAME).catch((err: unknown) => {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    });
    if (existing) return;
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: NAME, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        ports: [{ name: 'https', protocol: 'TCP', port: SERVICE_PORT, targetPort: this.publicPort }],
        ...(this.serviceIP ? { clusterIP: this.serviceIP } : {}),
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    };
    await this.stores.services.create(NAMESPACE, service, CONTROLLER).catch(ignoreConflict);
  }

  /** Writes what `next` makes of the current object (undefined: leave it), creating it when missing. */
  private async edit(store: Store | undefined, next: (current: KubeObject | undefined) => KubeObject | undefined): Promise<void> {
    if (!store) return;
    const current = await store.get(NAMESPACE, NAME).catch((err: unknown) => {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    });
    const wanted = next(current);
    if (!wanted) return;
    if (!current) await store.create(NAMESPACE, wanted, CONTROLLER).catch(ignoreConflict);
    // Recomputed from what is stored at write time: another server may have written in between.
    else await store.update(NAMESPACE, NAME, (latest) => (latest && next(latest)) ?? latest ?? wanted, CONTROLLER).catch(ignoreConflict);
  }

  private endpointPorts() {
    return [{ name: 'https', port: this.publicPort, protocol: 'TCP' }];
  }

  private endpointsWithUs(current: KubeObject | undefined): KubeObject | undefined {
    const subsets = (current?.subsets ?? []) as Array<{ addresses?: Array<{ ip: string }>; ports?: unknown[] }>;
    const same = subsets.length === 1 && deepEqual(subsets[0].ports, this.endpointPorts());
    const addresses = same ? (subsets[0].addresses ?? []) : [];
    if (same && addresses.some((a) => a.ip === this.publicIP)) return undefined;
    return {
      apiVersion: 'v1',
      kind: 'Endpoints',
      // The reconciler's Endpoints are not mirrored into slices: it writes its own.
      metadata: { ...(current?.metadata ?? {}), name: NAME, namespace: NAMESPACE, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [...addresses, { ip: this.publicIP! }].sort((a, b) => a.ip.localeCompare(b.ip)), ports: this.endpointPorts() }],
    };
  }

  private sliceWithUs(current: KubeObject | undefined): KubeObject | undefined {
    const endpoints = (current?.endpoints ?? []) as Array<{ addresses: string[] }>;
    const same = current && deepEqual(current.ports, this.endpointPorts());
    const kept = same ? endpoints : [];
    if (same && kept.some((e) => e.addresses.includes(this.publicIP!))) return undefined;
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { ...(current?.metadata ?? {}), name: NAME, namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': NAME } },
      addressType: this.publicIP!.includes(':') ? 'IPv6' : 'IPv4',
      endpoints: [...kept, { addresses: [this.publicIP!], conditions: { ready: true } }],
      ports: this.endpointPorts(),
    };
  }

  private withoutUs(current: KubeObject, field: 'subsets' | 'endpoints'): KubeObject | undefined {
    if (field === 'subsets') {
      const subsets = (current.subsets ?? []) as Array<{ addresses?: Array<{ ip: string }> }>;
      if (!subsets.some((s) => (s.addresses ?? []).some((a) => a.ip === this.publicIP))) return undefined;
      const remaining = subsets.map((s) => ({ ...s, addresses: (s.addresses ?? []).filter((a) => a.ip !== this.publicIP) })).filter((s) => s.addresses.length > 0);
      return { ...current, subsets: remaining };
    }
    const endpoints = (current.endpoints ?? []) as Array<{ addresses: string[] }>;
    if (!endpoints.some((e) => e.addresses.includes(this.publicIP!))) return undefined;
    return { ...current, endpoints: endpoints.filter((e) => !e.addresses.includes(this.publicIP!)) };
  }
}
