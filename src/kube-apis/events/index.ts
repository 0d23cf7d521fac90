// The events.k8s.io/v1 resources.
import type { ResourceDefinition } from '../../registry/resource.js';
import { eventsV1 } from './events.js';

export { eventsV1 };

export const eventsV1Resources: ResourceDefinition[] = [eventsV1];
