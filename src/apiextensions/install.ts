// The APIExtensions layer's content: apiextensions.k8s.io/v1 and the controller that serves CRDs.
import type { Logger } from 'pino';
import type { Layer } from '../server/director.js';
import { installGroupVersion, type APIDeps } from '../server/install-api.js';
import type { Store } from '../registry/store.js';
import { customResourceDefinitions } from './crd-resource.js';
import { CRDController } from './crd-controller.js';

export interface APIExtensions {
  crds: Store;
  controller: CRDController;
  /** The CRD store and every custom resource's. */
  stores(): Store[];
}

export async function installAPIExtensions(layer: Layer, api: APIDeps, logger: Logger): Promise<APIExtensions> {
  const installed = installGroupVersion(layer, { group: 'apiextensions.k8s.io', version: 'v1', resources: [customResourceDefinitions] }, api);
  const crds = installed.stores.get('customresourcedefinitions')!;
  const controller = new CRDController(api.storage, crds, layer, api, logger);
  await controller.start();
  return { crds, controller, stores: () => [crds, ...controller.allStores()] };
}
