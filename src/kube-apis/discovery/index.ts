// discovery.k8s.io/v1: EndpointSlices.
import type { ResourceDefinition } from '../../registry/resource.js';
import { endpointSlices } from './endpointslices.js';

export { endpointSlices };

export const discoveryV1Resources: ResourceDefinition[] = [endpointSlices];
