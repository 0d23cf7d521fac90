// The KubeAPIServer layer's content: the built-in groups, the namespaces every cluster has, and the
// controllers that give namespaces and ownerReferences their meaning.
import type { Logger } from 'pino';
import type { Layer } from '../server/director.js';
import { installGroupVersion, type APIDeps, type GroupVersionSpec } from '../server/install-api.js';
import type { Store } from '../registry/store.js';
import { NamespaceController } from './namespace-controller.js';
import { GarbageCollector } from '../registry/garbage-collector.js';
import { MASTERS_GROUP } from '../auth/user.js';
import { StatusError } from '../endpoints/status.js';

/** Namespaces kube-apiserver creates at start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface InstalledKubeAPIs {
  stores: Store[];
  storeFor(group: string, resource: string): Store | undefined;
}

export async function installKubeAPIs(layer: Layer, groupVersions: GroupVersionSpec[], deps: APIDeps): Promise<InstalledKubeAPIs> {
  const stores: Store[] = [];
  for (const gv of groupVersions) stores.push(...installGroupVersion(layer, gv, deps).stores.values());
  const storeFor = (group: string, resource: string) => stores.find((s) => s.def.group === group && s.def.resource === resource);
  const namespaces = storeFor('', 'namespaces');
  const bootstrap = { user: { name: 'system:apiserver', groups: [MASTERS_GROUP] }, dryRun: false, fieldManager: 'kube-apiserver', subresource: '' };
  if (namespaces) {
    for (const name of SYSTEM_NAMESPACES) {
      await namespaces.create('', { metadata: { name } }, bootstrap).catch((err: unknown) => {
        if (!(err instanceof StatusError && err.code === 409)) throw err;
      });
    }
  }
  return { stores, storeFor };
}

/** Starts the namespace controller and the garbage collector; `allStores` sees CRDs as they come. */
export async function startControllers(deps: APIDeps, namespaces: Store | undefined, allStores: () => Store[], logger: Logger): Promise<() => void> {
  const stops: Array<() => void> = [];
  if (namespaces) {
    const controller = new NamespaceController(deps.storage, namespaces, () => allStores().filter((s) => s.def.namespaced), logger);
    await controller.start();
    stops.push(() => controller.stop());
  }
  const gc = new GarbageCollector(
    deps.storage,
    (apiVersion, kind) => {
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      return allStores().find((s) => s.def.group === group && s.def.kind === kind);
    },
    logger,
  );
  await gc.start();
  stops.push(() => gc.stop());
  return () => stops.forEach((stop) => stop());
}
