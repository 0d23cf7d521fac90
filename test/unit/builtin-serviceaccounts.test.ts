// core/v1 ServiceAccounts against kube 1.32: metadata-only validation, cleanSecretReferences, the
// enforce-mountable-secrets deprecation warning, printServiceAccount.
import { describe, expect, it } from 'vitest';
import { serviceAccounts } from '../../src/kube-apis/core/serviceaccounts.js';

const sa = (extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'default' }, ...extra });
const WARNING = 'metadata.annotations[kubernetes.io/enforce-mountable-secrets]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets';

describe('serviceaccounts', () => {
  it('is core/v1 serviceaccounts with short name sa; names are DNS subdomains', () => {
    expect(serviceAccounts).toMatchObject({ group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] });
    expect(serviceAccounts.strategy.allowCreateOnUpdate).toBe(false);
    expect(serviceAccounts.validateName('a.b-c', false)).toEqual([]);
    expect(serviceAccounts.validateName('A', false)).toHaveLength(1);
  });

  it('validates nothing beyond metadata (imagePullSecrets names included)', () => {
    expect(serviceAccounts.strategy.validate(sa({ imagePullSecrets: [{ name: 'Not A DNS Name' }], automountServiceAccountToken: false }))).toEqual([]);
  });

  it('keeps only the name of each secrets reference, on create and update', () => {
    const created: Record<string, any> = sa({ secrets: [{ name: 's1', namespace: 'other', uid: 'u', kind: 'Secret' }, { kind: 'Secret' }] });
    serviceAccounts.strategy.prepareForCreate!(created);
    expect(created.secrets).toEqual([{ name: 's1' }, {}]);
    const updated: Record<string, any> = sa({ secrets: [{ name: 's2', fieldPath: 'x' }] });
    serviceAccounts.strategy.prepareForUpdate!(updated, sa());
    expect(updated.secrets).toEqual([{ name: 's2' }]);
  });

  it('warns when a request newly sets the deprecated enforce-mountable-secrets annotation, whatever its value', () => {
    expect(serviceAccounts.strategy.warningsOnCreate!(sa())).toEqual([]);
    const annotated = sa({ metadata: { name: 'b', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'false' } } });
    expect(serviceAccounts.strategy.warningsOnCreate!(annotated)).toEqual([WARNING]);
    expect(serviceAccounts.strategy.warningsOnUpdate!(annotated, sa())).toEqual([WARNING]);
    expect(serviceAccounts.strategy.warningsOnUpdate!(annotated, annotated)).toEqual([]);
  });

  it('prints Name, Secrets (count), Age', () => {
    expect(serviceAccounts.table.columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Secrets', 'string'],
      ['Age', 'string'],
    ]);
    const obj = sa({ secrets: [{ name: 'a' }, { name: 'b' }] });
    (obj.metadata as Record<string, string>).creationTimestamp = new Date(Date.now() - 4 * 3600_000).toISOString();
    expect(serviceAccounts.table.cells(obj)).toEqual(['builder', 2, '4h']);
  });
});
