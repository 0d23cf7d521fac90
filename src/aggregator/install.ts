// The Aggregator layer's own content: apiregistration.k8s.io/v1 APIServices, local APIServices kept
// in step with what the chain serves, the proxy to aggregated API servers with its availability
// controller, their discovery and OpenAPI merged into the chain's, and the authentication ConfigMap
// extension API servers read.
import type { Logger } from 'pino';
import type { Layer } from '../server/director.js';
import type { ServerOptions } from '../server/options.js';
import { installGroupVersion, type APIDeps } from '../server/install-api.js';
import type { Store } from '../registry/store.js';
import { apiServices } from './apiregistration/apiservices.js';
import { APIServiceController } from './apiservice-controller.js';
import { AvailabilityController } from './availability-controller.js';
import { AutoRegisterController } from './autoregister.js';
import { AuthenticationConfigMapPublisher, authenticationConfigMapData } from './authentication-configmap.js';
import { ServiceResolver } from './service-resolver.js';
import type { ServiceIndex } from './service-index.js';
import { AggregatorProxy } from './proxy/handler.js';
import { loadProxyClientMaterial, type ProxyClientMaterial } from './proxy/proxy-client-material.js';
import { RemoteAPIsController } from './remote-apis.js';

export interface InstalledAggregator {
  apiServices: Store;
  proxyClient: ProxyClientMaterial;
  /** Resolves once local APIServices match what the chain serves. */
  settled(): Promise<void>;
  stop(): void;
}

export interface AggregatorInstallOptions {
  options: ServerOptions;
  /** The client CA (PEM) published as client-ca-file. */
  clientCAPem?: string;
  /** The core configmaps store, for kube-system/extension-apiserver-authentication. */
  configMaps?: Store;
  /** The server's Services and endpoints in memory (started and stopped by its owner). */
  services: ServiceIndex;
}

export async function installAggregator(layer: Layer, deps: APIDeps, install: AggregatorInstallOptions, logger: Logger): Promise<InstalledAggregator> {
  const installed = installGroupVersion(layer, { group: 'apiregistration.k8s.io', version: 'v1', resources: [apiServices] }, deps);
  const store = installed.stores.get('apiservices')!;
  const proxyClient = await loadProxyClientMaterial(install.options);
  const services = install.services;
  const resolver = new ServiceResolver(deps.storage, services);
  const resyncMs = (install.options.aggregatorResyncSeconds ?? 30) * 1000;

  const controller = new APIServiceController(deps.storage, store, layer, new AggregatorProxy(resolver), proxyClient.client, logger);
  const availability = new AvailabilityController(services, store, controller, resolver, proxyClient.client, resyncMs, logger);
  const remoteAPIs = new RemoteAPIsController(controller, resolver, deps.discovery, deps.openapi, resyncMs, logger);
  const autoRegister = new AutoRegisterController(deps.discovery, store, controller, logger);
  remoteAPIs.start();
  await controller.start();
  await availability.start();
  await autoRegister.start();
  let publisher: AuthenticationConfigMapPublisher | undefined;
  if (install.configMaps) {
    publisher = new AuthenticationConfigMapPublisher(deps.storage, install.configMaps, authenticationConfigMapData(install.clientCAPem, proxyClient.requestHeader), logger);
    await publisher.start();
  }
  return {
    apiServices: store,
    proxyClient,
    settled: () => autoRegister.settled(),
    stop: () => {
      publisher?.stop();
      autoRegister.stop();
      availability.stop();
      remoteAPIs.stop();
      controller.stop();
    },
  };
}
