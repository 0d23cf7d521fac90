// admissionregistration.k8s.io/v1 MutatingWebhookConfiguration and ValidatingWebhookConfiguration:
// cluster-scoped, defaulted and validated as kube does, printed as NAME WEBHOOKS AGE.
import type { KubeObject, ResourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { schemaBacked } from '../schemas.js';
import { defaultWebhookConfiguration, validateWebhookConfiguration } from './webhook-validation.js';
import type { WebhookConfiguration } from './types.js';

const webhooksColumn = {
  column: column('Webhooks', 'integer', 'How many webhooks the configuration holds.'),
  cell: (obj: KubeObject) => (Array.isArray(obj.webhooks) ? obj.webhooks.length : 0),
};

function webhookConfigurationResource(kind: string, resource: string, mutating: boolean): ResourceDefinition {
  const validate = (obj: KubeObject) => validateWebhookConfiguration(obj as unknown as WebhookConfiguration, mutating);
  return defineResource({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource,
    kind,
    namespaced: false,
    categories: ['api-extensions'],
    ...schemaBacked(`io.k8s.api.admissionregistration.v1.${kind}`),
    strategy: {
      defaults: (obj) => defaultWebhookConfiguration(obj as unknown as WebhookConfiguration, mutating),
      validate,
      validateUpdate: validate,
      // kube bumps generation on any change of webhooks.
      generationChanged: (obj, old) => JSON.stringify(obj.webhooks ?? null) !== JSON.stringify(old.webhooks ?? null),
    },
    table: nameAgeTableConvertor([webhooksColumn]),
  });
}

export const mutatingWebhookConfigurations = webhookConfigurationResource('MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', true);
export const validatingWebhookConfigurations = webhookConfigurationResource('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false);
