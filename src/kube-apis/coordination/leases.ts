// coordination.k8s.io/v1 Leases: what client-go's leader election reads and renews.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldInvalid, fieldNotSupported } from '../../registry/validation/field-errors.js';
import { schemaBacked } from '../schemas.js';

function validateLease(lease: KubeObject): FieldError[] {
  const spec = lease.spec ?? {};
  const errors: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errors.push(fieldInvalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errors.push(fieldInvalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (spec.strategy !== undefined && spec.strategy !== 'OldestEmulationVersion') {
    errors.push(fieldNotSupported('spec.strategy', spec.strategy, ['OldestEmulationVersion']));
  }
  return errors;
}

export const leases = defineResource({
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
  ...schemaBacked('io.k8s.api.coordination.v1.Lease'),
  strategy: { validate: validateLease, validateUpdate: validateLease },
  table: nameAgeTableConvertor([{ column: column('Holder', 'string', 'The identity of the current holder of the lease.'), cell: (l) => l.spec?.holderIdentity ?? '' }]),
});
