// core/v1 ServiceAccounts.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldInvalid, keyPath } from '../../registry/validation/field-errors.js';
import { nameIsDNSSubdomain } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';

function validateServiceAccount(sa: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  (sa.imagePullSecrets ?? []).forEach((ref: { name?: string }, i: number) => {
    if (ref?.name) for (const msg of nameIsDNSSubdomain(ref.name, false)) errors.push(fieldInvalid(`${keyPath('imagePullSecrets', i)}.name`, ref.name, msg));
  });
  return errors;
}

export const serviceAccounts = defineResource({
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  ...schemaBacked('io.k8s.api.core.v1.ServiceAccount'),
  strategy: { validate: validateServiceAccount, validateUpdate: validateServiceAccount },
  table: nameAgeTableConvertor([{ column: column('Secrets', 'string', 'Number of secrets listed by the service account.'), cell: (sa) => (sa.secrets ?? []).length }]),
});
