// coordination.k8s.io/v1 Leases against kube 1.32 (ValidateLeaseSpec, the lease strategy, printLease,
// MicroTime decoding), and the requests client-go's leader election makes (LeaseLock: get, create,
// then updates carrying the resourceVersion it read).
import { beforeEach, describe, expect, it } from 'vitest';
import { leases } from '../../src/kube-apis/coordination/leases.js';
import { microTimeParseError } from '../../src/kube-apis/core/go-micro-time.js';
import { Store, type RequestContext } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { createStorage } from '../../src/storage/factory.js';
import { rejectedStatus } from '../support/errors.js';

const rc: RequestContext = { user: { name: 'controller', groups: ['system:authenticated'] }, dryRun: false, fieldManager: 'controller', subresource: '' };
const lease = (spec: Record<string, unknown>) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'leader', namespace: 'kube-system' }, spec });
const LAYOUT = '"2006-01-02T15:04:05.000000Z07:00"';

describe('leases: definition', () => {
  it('is coordination.k8s.io/v1 leases, PUT may create but an update must carry its resourceVersion', () => {
    expect(leases).toMatchObject({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true, shortNames: [] });
    expect(leases.strategy.allowCreateOnUpdate).toBe(true);
    expect(leases.strategy.allowUnconditionalUpdate).toBe(false);
    expect(leases.selectableFields(lease({}))).toEqual({ 'metadata.name': 'leader', 'metadata.namespace': 'kube-system' });
  });

  it('prints Name, Holder, Age', () => {
    expect(leases.table.columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Holder', 'string'],
      ['Age', 'string'],
    ]);
    const obj = { ...lease({ holderIdentity: 'pod-1_abc' }), metadata: { name: 'leader', creationTimestamp: new Date(Date.now() - 26 * 3600_000).toISOString() } };
    expect(leases.table.cells(obj)).toEqual(['leader', 'pod-1_abc', '26h']);
    expect(leases.table.cells(lease({}))[1]).toBe('');
  });
});

describe('leases: ValidateLeaseSpec', () => {
  it('accepts what leader election writes', () => {
    expect(leases.strategy.validate(lease({ holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: '2025-01-01T00:00:00.000000Z', renewTime: '2025-01-01T00:00:10.000000Z', leaseTransitions: 0 }))).toEqual([]);
  });

  it('needs a positive duration and non-negative transitions', () => {
    expect(leases.strategy.validate(lease({ leaseDurationSeconds: 0, leaseTransitions: -1 }))).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.leaseDurationSeconds', detail: 'Invalid value: 0: must be greater than 0' },
      { type: 'FieldValueInvalid', field: 'spec.leaseTransitions', detail: 'Invalid value: -1: must be greater than or equal to 0' },
    ]);
  });

  it('checks strategy (on kube\'s doubled path) and preferredHolder when they are kept', () => {
    expect(leases.strategy.validate(lease({ strategy: 'Newest', preferredHolder: 'x' }))).toEqual([
      { type: 'FieldValueNotSupported', field: 'spec.strategy.strategy', detail: 'Unsupported value: "Newest": supported values: "OldestEmulationVersion"' },
    ]);
    expect(leases.strategy.validate(lease({ preferredHolder: 'x' }))).toEqual([
      { type: 'FieldValueForbidden', field: 'spec.preferredHolder', detail: 'Forbidden: may only be specified if `strategy` is defined' },
    ]);
  });

  it('drops strategy and preferredHolder (CoordinatedLeaderElection is off) unless already stored', () => {
    const created: Record<string, any> = lease({ holderIdentity: 'a', strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
    leases.strategy.prepareForCreate!(created);
    expect(created.spec).toEqual({ holderIdentity: 'a' });
    const updated: Record<string, any> = lease({ strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
    leases.strategy.prepareForUpdate!(updated, lease({ strategy: 'OldestEmulationVersion' }));
    expect(updated.spec).toEqual({ strategy: 'OldestEmulationVersion' });
  });
});

describe('MicroTime decoding (time.Parse with RFC3339Micro)', () => {
  it.each([
    ['2025-01-01T00:00:00.000000Z', undefined],
    ['2025-01-01T00:00:00.123456+02:00', undefined],
    ['2025-01-01T00:00:00Z', `parsing time "2025-01-01T00:00:00Z" as ${LAYOUT}: cannot parse "Z" as ".000000"`],
    ['2025-01-01T00:00:00.123Z', `parsing time "2025-01-01T00:00:00.123Z" as ${LAYOUT}: cannot parse ".123Z" as ".000000"`],
    ['2025-01-01T00:00:00.1234567Z', `parsing time "2025-01-01T00:00:00.1234567Z" as ${LAYOUT}: cannot parse "7Z" as "Z07:00"`],
    ['2025-01-01 00:00:00.000000Z', `parsing time "2025-01-01 00:00:00.000000Z" as ${LAYOUT}: cannot parse " 00:00:00.000000Z" as "T"`],
    ['', `parsing time "" as ${LAYOUT}: cannot parse "" as "2006"`],
    ['2025-13-01T00:00:00.000000Z', 'parsing time "2025-13-01T00:00:00.000000Z": month out of range'],
    ['2025-02-30T00:00:00.000000Z', 'parsing time "2025-02-30T00:00:00.000000Z": day out of range'],
    ['2025-01-01T00:00:00.000000Zjunk', 'parsing time "2025-01-01T00:00:00.000000Zjunk": extra text: "junk"'],
  ])('%j', (value, error) => {
    expect(microTimeParseError(value)).toBe(error);
  });
});

describe('leases: leader election through the store', () => {
  let store: Store;
  beforeEach(async () => {
    store = new Store(leases, await createStorage({ backend: 'memory' }), new AdmissionChain());
  });

  it('creates, renews with the resourceVersion read, and refuses a stale or missing one', async () => {
    const spec = { holderIdentity: 'pod-1', leaseDurationSeconds: 15, acquireTime: '2025-01-01T00:00:00.000000Z', renewTime: '2025-01-01T00:00:00.000000Z', leaseTransitions: 0 };
    const created = await store.create('kube-system', lease(spec), rc);
    const rv = created.metadata.resourceVersion;
    const renewed = await store.update('kube-system', 'leader', () => ({ ...created, spec: { ...spec, renewTime: '2025-01-01T00:00:02.000000Z' } }), rc);
    expect(renewed.object.spec.renewTime).toBe('2025-01-01T00:00:02.000000Z');
    const stale = await rejectedStatus(store.update('kube-system', 'leader', () => ({ ...created, metadata: { ...created.metadata, resourceVersion: rv } }), rc));
    expect(stale.status).toMatchObject({ code: 409, reason: 'Conflict' });
    const unconditional = await rejectedStatus(store.update('kube-system', 'leader', (cur) => ({ ...cur!, metadata: { ...cur!.metadata, resourceVersion: undefined } }), rc));
    expect(unconditional.status).toMatchObject({ code: 422, details: { causes: [{ field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' }] } });
  });

  it('answers a renewTime Go cannot parse with kube\'s 400', async () => {
    const err = await rejectedStatus(store.create('kube-system', lease({ renewTime: '2025-01-01T00:00:00Z' }), rc));
    expect(err.status).toMatchObject({
      code: 400,
      message: `Lease in version "v1" cannot be handled as a Lease: parsing time "2025-01-01T00:00:00Z" as ${LAYOUT}: cannot parse "Z" as ".000000"`,
    });
  });
});
