// The core/v1 resources kube-chain serves, in the order kube-apiserver's discovery lists them
// (by resource name).
import type { ResourceDefinition } from '../../registry/resource.js';
import { configMaps } from './configmaps.js';
import { endpoints } from './endpoints.js';
import { coreEvents } from './events.js';
import { namespaces } from './namespaces.js';
import { nodes } from './nodes.js';
import { pods } from './pods.js';
import { secrets } from './secrets.js';
import { serviceAccounts } from './serviceaccounts.js';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, servicesResource, type ServiceConfig } from './services.js';

export { configMaps, coreEvents, endpoints, namespaces, nodes, pods, secrets, serviceAccounts, servicesResource };

/** core/v1 with services allocating from the given --service-cluster-ip-range. */
export function coreV1ResourcesFor(config: ServiceConfig): ResourceDefinition[] {
  return [configMaps, endpoints, coreEvents, namespaces, nodes, pods, secrets, serviceAccounts, servicesResource(config)];
}

export const coreV1Resources: ResourceDefinition[] = coreV1ResourcesFor({ serviceClusterIPRange: DEFAULT_SERVICE_CLUSTER_IP_RANGE });
