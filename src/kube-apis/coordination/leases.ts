// coordination.k8s.io/v1 Leases: what client-go's leader election reads and renews. kube's
// ValidateLeaseSpec and lease strategy: PUT may create a lease, but an update must name the
// resourceVersion it read; spec.strategy and spec.preferredHolder belong to the
// CoordinatedLeaderElection feature (off in 1.32) and are dropped unless already stored.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from '../../registry/validation/field-errors.js';
import { isQualifiedName } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';
import { decodeMicroTimes } from '../core/go-micro-time.js';

const VALID_LEASE_STRATEGIES = ['OldestEmulationVersion'];

/** ValidateCoordinatedLeaseStrategy (kube adds "strategy" to the path it is given: spec.strategy.strategy). */
function validateLeaseStrategy(strategy: string, path: string): FieldError[] {
  const own = `${path}.strategy`;
  if (strategy.split('/').length === 1) {
    return VALID_LEASE_STRATEGIES.includes(strategy) ? [] : [fieldNotSupported(own, strategy, VALID_LEASE_STRATEGIES)];
  }
  return isQualifiedName(strategy).map((msg) => fieldInvalid(own, strategy, msg));
}

/** ValidateLeaseSpec */
function validateLeaseSpec(lease: KubeObject): FieldError[] {
  const spec = lease.spec ?? {};
  const errors: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errors.push(fieldInvalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errors.push(fieldInvalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (typeof spec.strategy === 'string') errors.push(...validateLeaseStrategy(spec.strategy, 'spec.strategy'));
  if (spec.preferredHolder && !spec.strategy) errors.push(fieldForbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errors;
}

/** Decoding (MicroTime fields), then the strategy: the feature gate is off, so strategy and
 * preferredHolder go unless the stored lease has them already. */
function prepareLease(lease: KubeObject, old?: KubeObject): void {
  decodeMicroTimes(lease, ['spec.acquireTime', 'spec.renewTime'], 'Lease', 'v1');
  if (!lease.spec || typeof lease.spec !== 'object') return;
  if (old?.spec?.strategy === undefined || old.spec.strategy === null) delete lease.spec.strategy;
  if (old?.spec?.preferredHolder === undefined || old.spec.preferredHolder === null) delete lease.spec.preferredHolder;
}

export const leases = defineResource({
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
  ...schemaBacked('io.k8s.api.coordination.v1.Lease'),
  strategy: {
    prepareForCreate: (lease) => prepareLease(lease),
    prepareForUpdate: prepareLease,
    validate: validateLeaseSpec,
    validateUpdate: validateLeaseSpec,
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: false,
  },
  table: nameAgeTableConvertor([{ column: column('Holder', 'string', 'The identity of the holder of the lease.'), cell: (l) => (typeof l.spec?.holderIdentity === 'string' ? l.spec.holderIdentity : '') }]),
});
