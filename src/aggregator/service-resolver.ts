// Service resolution for aggregated APIs, as kube-apiserver's endpoint routing does it
// (k8s.io/apiserver/pkg/util/proxy ResolveEndpoint): the APIService's service → the core/v1 Service →
// one ready address of its Endpoints (or, without an Endpoints object, its discovery.k8s.io/v1
// EndpointSlices) on the target port that backs the service port. ExternalName services resolve to
// their external name. kube-chain has no cluster network, so cluster IPs are never dialled.
// With a ServiceIndex the objects come from memory (the proxy resolves on every request); what the
// index does not have yet is read from storage by the keys the core and discovery stores use, so an
// object written a moment ago is found.
import type { Storage, StoredObject } from '../storage/interface.js';
import { storageKey, storagePrefix } from '../registry/resource.js';
import type { ServiceIndex } from './service-index.js';

const SERVICES = { group: '', resource: 'services', namespaced: true };
const ENDPOINTS = { group: '', resource: 'endpoints', namespaced: true };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', resource: 'endpointslices', namespaced: true };
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
}

/** Why a service cannot be reached: the availability controller's reasons. */
export type ResolveFailure =
  | { reason: 'ServiceNotFound' }
  | { reason: 'ServicePortError' }
  | { reason: 'EndpointsNotFound' }
  | { reason: 'MissingEndpoints'; portName: string };

export type Resolution = { ok: true; host: string; port: number } | ({ ok: false } & ResolveFailure);

interface Address {
  host: string;
  port: number;
}

export class ServiceResolver {
  constructor(
    private readonly storage: Storage,
    private readonly index?: ServiceIndex,
  ) {}

  async service(namespace: string, name: string): Promise<StoredObject | null> {
    return this.index?.service(namespace, name) ?? this.storage.get(storageKey(SERVICES, namespace, name), { ignoreNotFound: true });
  }

  /** One backend address for service port `port` of namespace/name (random among the ready ones, as kube). */
  async resolve(namespace: string, name: string, port: number): Promise<Resolution> {
    if (this.index) {
      const index = this.index;
      const indexed = resolveWith(index.service(namespace, name), port, (portName) => indexedAddresses(index, namespace, name, portName));
      if (indexed.ok) return indexed;
    }
    const service = await this.storage.get(storageKey(SERVICES, namespace, name), { ignoreNotFound: true });
    const addresses = service ? await this.storedAddresses(namespace, name) : undefined;
    return resolveWith(service ?? undefined, port, (portName) => addresses?.(portName));
  }

  /** The service's Endpoints, or else its EndpointSlices, from storage; undefined when it has neither. */
  private async storedAddresses(namespace: string, name: string): Promise<((portName: string) => Address[]) | undefined> {
    const endpoints = await this.storage.get(storageKey(ENDPOINTS, namespace, name), { ignoreNotFound: true });
    if (endpoints) return (portName) => fromEndpoints(endpoints, portName);
    const slices = (await this.storage.list(`${storagePrefix(ENDPOINT_SLICES)}${namespace}/`, { resourceVersion: '0', recursive: true })).items.filter(
      (s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name,
    );
    if (slices.length === 0) return undefined;
    return (portName) => slices.flatMap((s) => fromEndpointSlice(s, portName));
  }
}

function indexedAddresses(index: ServiceIndex, namespace: string, name: string, portName: string): Address[] | undefined {
  const endpoints = index.endpointsOf(namespace, name);
  if (endpoints) return fromEndpoints(endpoints, portName);
  const slices = index.slicesOf(namespace, name);
  return slices.length === 0 ? undefined : slices.flatMap((s) => fromEndpointSlice(s, portName));
}

/** The resolution for a service, given where its ready addresses on a named port come from. */
function resolveWith(service: StoredObject | undefined, port: number, addressesOn: (portName: string) => Address[] | undefined): Resolution {
  if (!service) return { ok: false, reason: 'ServiceNotFound' };
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName') return { ok: true, host: String(spec.externalName ?? ''), port };
  const servicePort = ((spec.ports ?? []) as ServicePort[]).find((p) => p.port === port);
  if (!servicePort) return { ok: false, reason: 'ServicePortError' };
  const portName = servicePort.name ?? '';
  const addresses = addressesOn(portName);
  if (addresses === undefined) return { ok: false, reason: 'EndpointsNotFound' };
  if (addresses.length === 0) return { ok: false, reason: 'MissingEndpoints', portName };
  const picked = addresses[Math.floor(Math.random() * addresses.length)];
  return { ok: true, ...picked };
}

/** core/v1 Endpoints: every subset that has the port name contributes its (ready) addresses. */
function fromEndpoints(endpoints: StoredObject, portName: string): Address[] {
  const out: Address[] = [];
  for (const subset of (endpoints.subsets ?? []) as Array<{ addresses?: Array<{ ip?: string; hostname?: string }>; ports?: ServicePort[] }>) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (!port || typeof port.port !== 'number') continue;
    for (const address of subset.addresses ?? []) if (address.ip) out.push({ host: address.ip, port: port.port });
  }
  return out;
}

/** discovery.k8s.io/v1 EndpointSlice: endpoints whose ready condition is not false, on the named port. */
function fromEndpointSlice(slice: StoredObject, portName: string): Address[] {
  const port = ((slice.ports ?? []) as ServicePort[]).find((p) => (p.name ?? '') === portName);
  if (!port || typeof port.port !== 'number') return [];
  const out: Address[] = [];
  for (const endpoint of (slice.endpoints ?? []) as Array<{ addresses?: string[]; conditions?: { ready?: boolean | null } }>) {
    if (endpoint.conditions?.ready === false) continue;
    for (const host of endpoint.addresses ?? []) out.push({ host, port: port.port });
  }
  return out;
}
