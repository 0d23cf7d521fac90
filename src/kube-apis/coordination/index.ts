// The coordination.k8s.io/v1 resources.
import type { ResourceDefinition } from '../../registry/resource.js';
import { leases } from './leases.js';

export { leases };

export const coordinationV1Resources: ResourceDefinition[] = [leases];
