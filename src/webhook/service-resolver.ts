// Finds where a Service's port is served: kube-chain runs no cluster network, so a webhook or
// aggregated server behind a Service is reached at its Endpoints (kube's endpoint routing), which for
// an out-of-cluster server is a selector-less Service with manual Endpoints.
import type { Storage } from '../storage/interface.js';
import { storageKey } from '../registry/resource.js';
import { WebhookCallError } from './client.js';

export interface ServiceResolver {
  resolve(namespace: string, name: string, port: number): Promise<{ host: string; port: number }>;
}

const SERVICES = { group: '', resource: 'services', namespaced: true };
const ENDPOINTS = { group: '', resource: 'endpoints', namespaced: true };

export function endpointsServiceResolver(storage: Storage): ServiceResolver {
  return {
    async resolve(namespace, name, port) {
      const service = await storage.get(storageKey(SERVICES, namespace, name), {});
      if (!service) throw new WebhookCallError(`service "${name}" not found`);
      if (service.spec?.type === 'ExternalName' && service.spec.externalName) return { host: service.spec.externalName, port };
      const svcPort = (service.spec?.ports ?? []).find((p: { port: number }) => p.port === port);
      if (!svcPort) throw new WebhookCallError(`no service port ${port} found for service "${name}"`);
      const endpoints = await storage.get(storageKey(ENDPOINTS, namespace, name), {});
      for (const subset of endpoints?.subsets ?? []) {
        const epPort = (subset.ports ?? []).find((p: { name?: string }) => (p.name ?? '') === (svcPort.name ?? ''));
        const address = subset.addresses?.[0]?.ip;
        if (epPort && address) return { host: address, port: epPort.port };
      }
      throw new WebhookCallError(`service "${name}" does not have ready endpoints`);
    },
  };
}
