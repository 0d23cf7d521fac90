// Installs a group-version into a layer: a Store per resource over the shared storage, one REST
// handler for the group-version's root, and its entry in discovery and OpenAPI.
import type { Layer } from './director.js';
import type { Storage } from '../storage/interface.js';
import type { StorageMetrics } from '../storage/metrics.js';
import type { ObjectCountTracker } from './flowcontrol/object-counts.js';
import { groupResourceKey } from './flowcontrol/work-estimator.js';
import { qualifiedResourceString } from '../endpoints/status.js';
import { storagePrefix } from '../registry/resource.js';
import type { AdmissionChain } from '../admission/interface.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { Store } from '../registry/store.js';
import { createGroupVersionHandler } from '../endpoints/handlers/group-version.js';
import type { EndpointDeps } from '../endpoints/handlers/deps.js';
import type { DiscoveryRegistry } from '../aggregator/discovery/index.js';
import { groupVersionHandler } from '../aggregator/discovery/index.js';
import type { OpenAPIRegistry, SchemaObject } from '../aggregator/openapi/index.js';

export interface GroupVersionSpec {
  group: string;
  version: string;
  resources: ResourceDefinition[];
  /** Component schemas the group-version brings (custom resources). */
  schemas?: Record<string, SchemaObject>;
  source?: 'builtin' | 'crd';
}

export interface APIDeps {
  storage: Storage;
  /** Per-resource storage latency and object counts, when metrics are on. */
  storageMetrics?: StorageMetrics;
  /** Objects per resource, counted periodically for APF's work estimates. */
  objectCounts?: ObjectCountTracker;
  admission: AdmissionChain;
  endpoints: EndpointDeps;
  discovery: DiscoveryRegistry;
  openapi: OpenAPIRegistry;
}

export interface InstalledGroupVersion {
  root: string;
  stores: Map<string, Store>;
}

export function groupVersionRoot(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

export function installGroupVersion(layer: Layer, spec: GroupVersionSpec, deps: APIDeps): InstalledGroupVersion {
  const stores = new Map<string, Store>();
  for (const def of spec.resources) {
    const label = qualifiedResourceString(def);
    const storage = deps.storageMetrics ? deps.storageMetrics.forResource(deps.storage, label) : deps.storage;
    stores.set(def.resource, new Store(def, storage, deps.admission));
    // Counted when /metrics is scraped (from memory or the watch cache; kube counts every minute).
    const count = async () => (await deps.storage.list(storagePrefix(def), { resourceVersion: '0' })).items.length;
    deps.storageMetrics?.countObjects(label, count);
    deps.objectCounts?.track(groupResourceKey(spec.group, def.resource), count);
  }
  const root = groupVersionRoot(spec.group, spec.version);
  const discovery = groupVersionHandler(deps.discovery, spec.group, spec.version);
  layer.rest.set(root, createGroupVersionHandler({ stores, discovery }, deps.endpoints));
  deps.discovery.addGroupVersion({ group: spec.group, version: spec.version, resources: spec.resources, source: spec.source });
  deps.openapi.addGroupVersion({ group: spec.group, version: spec.version, resources: spec.resources, schemas: spec.schemas, source: spec.source });
  return { root, stores };
}

export function uninstallGroupVersion(layer: Layer, group: string, version: string, deps: Pick<APIDeps, 'discovery' | 'openapi'>): void {
  layer.rest.delete(groupVersionRoot(group, version));
  deps.discovery.removeGroupVersion(group, version);
  deps.openapi.removeGroupVersion(group, version);
}
