// The admissionregistration.k8s.io/v1 resources.
import type { ResourceDefinition } from '../../registry/resource.js';
import { mutatingWebhookConfigurations, validatingWebhookConfigurations } from './webhook-configurations.js';
import { validatingAdmissionPolicies, validatingAdmissionPolicyBindings } from './policies.js';

export { mutatingWebhookConfigurations, validatingWebhookConfigurations, validatingAdmissionPolicies, validatingAdmissionPolicyBindings };

export const admissionregistrationV1Resources: ResourceDefinition[] = [
  mutatingWebhookConfigurations,
  validatingAdmissionPolicies,
  validatingAdmissionPolicyBindings,
  validatingWebhookConfigurations,
];
