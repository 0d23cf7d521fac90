// Where a webhook behind a Service is reached: kube-chain runs no cluster network, so a Service is
// resolved to one of its ready endpoints (the aggregator's resolver, kube's endpoint routing), with
// kube's ResolveEndpoint texts when it cannot be.
import type { Storage } from '../storage/interface.js';
import { ServiceResolver as EndpointRouting } from '../aggregator/service-resolver.js';
import type { ServiceIndex } from '../aggregator/service-index.js';
import { WebhookCallError } from './client.js';

export interface ServiceResolver {
  resolve(namespace: string, name: string, port: number): Promise<{ host: string; port: number }>;
}

/** With the server's ServiceIndex, a call resolves from memory (storage only for what it has not heard of yet). */
export function endpointsServiceResolver(storage: Storage, index?: ServiceIndex): ServiceResolver {
  const routing = new EndpointRouting(storage, index);
  return {
    async resolve(namespace, name, port) {
      const found = await routing.resolve(namespace, name, port);
      if (found.ok) return { host: found.host, port: found.port };
      if (found.reason === 'ServiceNotFound') throw new WebhookCallError(`service "${name}" not found`);
      if (found.reason === 'ServicePortError') throw new WebhookCallError(`no service port ${port} found for service "${name}"`);
      throw new WebhookCallError(`no endpoints available for service "${name}"`);
    },
  };
}
