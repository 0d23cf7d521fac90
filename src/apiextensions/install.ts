// The APIExtensions layer's content: apiextensions.k8s.io/v1 and the controller that serves CRDs.
import type { Logger } from 'pino';
import type { Layer } from '../server/director.js';
import { installGroupVersion, type APIDeps } from '../server/install-api.js';
import type { Store } from '../registry/store.js';
import { customResourceDefinitions } from './crd-resource.js';
import { CRDController } from './crd-controller.js';
import type { ServiceIndex } from '../aggregator/service-index.js';

export interface APIExtensions {
  crds: Store;
  controller: CRDController;
  /** The CRD store and every custom resource's. */
  stores(): Store[];
}

export async function installAPIExtensions(layer: Layer, api: APIDeps, logger: Logger, services?: ServiceIndex): Promise<APIExtensions> {
  const installed = installGroupVersion(layer, { group: 'apiextensions.k8s.io', version: 'v1', resources: [customResourceDefinitions] }, api);
  const crds = installed.stores.get('customresourcedefinitions')!;
  const controller = new CRDController(api.storage, crds, layer, api, logger, services);
  await controller.start();
  let served: Store[] | undefined;
  let all: Store[] = [];
  const stores = () => {
    // The same array until the served set changes, so callers may memoize on it.
    const current = controller.allStores();
    if (current !== served) [served, all] = [current, [crds, ...current]];
    return all;
  };
  return { crds, controller, stores };
}

/** Built-in stores followed by the custom ones: one array until the custom set changes (the garbage collector asks per event). */
export function withBuiltins(builtins: Store[], custom: () => Store[]): () => Store[] {
  let seen: Store[] | undefined;
  let all: Store[] = [];
  return () => {
    const current = custom();
    if (current !== seen) [seen, all] = [current, [...builtins, ...current]];
    return all;
  };
}
