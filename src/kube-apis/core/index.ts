// The core/v1 resources kube-chain serves (kube's generic control plane subset), in the order
// kube-apiserver's discovery lists them (by resource name).
import type { ResourceDefinition } from '../../registry/resource.js';
import { configMaps } from './configmaps.js';
import { coreEvents } from './events.js';
import { namespaces } from './namespaces.js';
import { secrets } from './secrets.js';
import { serviceAccounts } from './serviceaccounts.js';

export { configMaps, coreEvents, namespaces, secrets, serviceAccounts };

export const coreV1Resources: ResourceDefinition[] = [configMaps, coreEvents, namespaces, secrets, serviceAccounts];
