// The admissionregistration.k8s.io/v1 resources.
import type { ResourceDefinition } from '../../registry/resource.js';
import { mutatingWebhookConfigurations, validatingWebhookConfigurations } from './webhook-configurations.js';

export { mutatingWebhookConfigurations, validatingWebhookConfigurations };

export const admissionregistrationV1Resources: ResourceDefinition[] = [mutatingWebhookConfigurations, validatingWebhookConfigurations];
