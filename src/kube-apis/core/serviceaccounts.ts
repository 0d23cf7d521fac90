// core/v1 ServiceAccounts: kube validates only their metadata (ValidateServiceAccount), keeps only
// the name of each secrets[] reference (cleanSecretReferences) and warns about the deprecated
// enforce-mountable-secrets annotation.
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { validateServiceAccountName } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';

export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';

/** secrets[] references keep their name and nothing else. */
function cleanSecretReferences(sa: KubeObject): void {
  if (!Array.isArray(sa.secrets)) return;
  sa.secrets = sa.secrets.map((ref: { name?: unknown } | null) => (ref && ref.name !== undefined && ref.name !== '' ? { name: ref.name } : {}));
}

const hasEnforceAnnotation = (sa: KubeObject) => {
  const annotations = sa.metadata?.annotations;
  return Boolean(annotations && Object.prototype.hasOwnProperty.call(annotations, ENFORCE_MOUNTABLE_SECRETS_ANNOTATION));
};

/** warnIfHasEnforceMountableSecretsAnnotation: only when the request newly sets the annotation. */
function warnings(sa: KubeObject, old?: KubeObject): string[] {
  if ((old && hasEnforceAnnotation(old)) || !hasEnforceAnnotation(sa)) return [];
  return [`metadata.annotations[${ENFORCE_MOUNTABLE_SECRETS_ANNOTATION}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`];
}

export const serviceAccounts = defineResource({
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  validateName: validateServiceAccountName,
  // TokenRequest: served by the handler the server registers with its token issuer.
  subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'], handler: 'registered' }],
  ...schemaBacked('io.k8s.api.core.v1.ServiceAccount'),
  strategy: {
    prepareForCreate: cleanSecretReferences,
    prepareForUpdate: (sa) => cleanSecretReferences(sa),
    validate: () => [],
    validateUpdate: () => [],
    warningsOnCreate: (sa) => warnings(sa),
    warningsOnUpdate: warnings,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  table: nameAgeTableConvertor([{ column: column('Secrets', 'string', 'The number of secrets the service account lists.'), cell: (sa) => (Array.isArray(sa.secrets) ? sa.secrets.length : 0) }]),
});
