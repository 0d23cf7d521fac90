// core/v1 Namespaces against kube 1.32's namespace strategy, ValidateNamespace* and printNamespace,
// through the generic store on the memory backend (status and finalize subresources, deletion).
import { beforeEach, describe, expect, it } from 'vitest';
import { namespaces, validateNamespaceFinalizerName } from '../../src/kube-apis/core/namespaces.js';
import { Store, type RequestContext } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { createStorage } from '../../src/storage/factory.js';
import { rejectedStatus } from '../support/errors.js';

const rc: RequestContext = { user: { name: 'alice', groups: ['system:authenticated'] }, dryRun: false, fieldManager: 'test', subresource: '' };
const on = (subresource: string): RequestContext => ({ ...rc, subresource });
const NOT_STANDARD = 'name is neither a standard finalizer name nor is it fully qualified';

describe('namespaces: definition', () => {
  it('is cluster-scoped core/v1 namespaces, short name ns, no deletecollection, status and finalize subresources', () => {
    expect(namespaces).toMatchObject({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] });
    expect(namespaces.verbs).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect(namespaces.subresources.map((s) => [s.name, s.kind, s.verbs])).toEqual([
      ['status', 'Namespace', ['get', 'patch', 'update']],
      ['finalize', 'Namespace', ['update']],
    ]);
  });

  it('takes DNS-1123 labels as names', () => {
    expect(namespaces.validateName('my-ns', false)).toEqual([]);
    expect(namespaces.validateName('my.ns', false)).toEqual(['must not contain dots']);
    expect(namespaces.validateName('My_ns', false)).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('selects by metadata.name and status.phase', () => {
    expect(namespaces.selectableFields({ metadata: { name: 'a' }, status: { phase: 'Terminating' } })).toEqual({ 'metadata.name': 'a', 'status.phase': 'Terminating' });
  });

  it('prints Name, Status, Age', () => {
    expect(namespaces.table.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    const created = new Date(Date.now() - 5 * 3600_000).toISOString();
    expect(namespaces.table.cells({ metadata: { name: 'a', creationTimestamp: created }, status: { phase: 'Active' } })).toEqual(['a', 'Active', '5h']);
  });
});

describe('namespaces: finalizer names (validateFinalizerName + validateKubeFinalizerName)', () => {
  it('accepts the standard names and qualified ones', () => {
    for (const name of ['kubernetes', 'orphan', 'foregroundDeletion', 'example.com/cleanup']) expect(validateNamespaceFinalizerName(name, 'p')).toEqual([]);
  });

  it('refuses a bare non-standard name, and reports both rules when both fail', () => {
    expect(validateNamespaceFinalizerName('custom', 'p')).toEqual([{ type: 'FieldValueInvalid', field: 'p', detail: `Invalid value: "custom": ${NOT_STANDARD}` }]);
    const errors = validateNamespaceFinalizerName('bad name', 'p');
    expect(errors.map((e) => e.detail)).toEqual([
      `Invalid value: "bad name": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      `Invalid value: "bad name": ${NOT_STANDARD}`,
    ]);
  });

  it('reports spec.finalizers unindexed on create, indexed on finalize', () => {
    const ns = { metadata: { name: 'a' }, spec: { finalizers: ['kubernetes', 'custom'] } };
    expect(namespaces.strategy.validate(ns)).toEqual([{ type: 'FieldValueInvalid', field: 'spec.finalizers', detail: `Invalid value: "custom": ${NOT_STANDARD}` }]);
    const finalize = namespaces.subresources.find((s) => s.name === 'finalize')!.strategy!;
    expect(finalize.validateUpdate(ns, ns)).toEqual([{ type: 'FieldValueInvalid', field: 'spec.finalizers[1]', detail: `Invalid value: "custom": ${NOT_STANDARD}` }]);
  });
});

describe('namespaces: through the store', () => {
  let store: Store;
  beforeEach(async () => {
    store = new Store(namespaces, await createStorage({ backend: 'memory' }), new AdmissionChain());
  });

  it('creates Active, with the kubernetes finalizer appended and the name label', async () => {
    const created = await store.create('', { metadata: { name: 'a' }, spec: { finalizers: ['example.com/x'] }, status: { phase: 'Terminating', conditions: [{ type: 'X' }] } }, rc);
    expect(created.spec).toEqual({ finalizers: ['example.com/x', 'kubernetes'] });
    expect(created.status).toEqual({ phase: 'Active' });
    expect(created.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'a' });
    const generated = await store.create('', { metadata: { generateName: 'gen-' } }, rc);
    expect(generated.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': generated.metadata.name });
  });

  it('keeps spec.finalizers and status on the main endpoint; the label follows the name', async () => {
    await store.create('', { metadata: { name: 'a' } }, rc);
    const { object } = await store.update('', 'a', (cur) => ({ ...cur!, metadata: { ...cur!.metadata, labels: { team: 'x' } }, spec: { finalizers: [] }, status: { phase: 'Terminating' } }), rc);
    expect(object.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(object.status).toEqual({ phase: 'Active' });
    expect(object.metadata.labels).toEqual({ team: 'x', 'kubernetes.io/metadata.name': 'a' });
  });

  it('changes status through /status only, with the phase matching deletionTimestamp', async () => {
    await store.create('', { metadata: { name: 'a' } }, rc);
    const { object } = await store.update('', 'a', (cur) => ({ ...cur!, spec: { finalizers: [] }, status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False' }] } }), on('status'));
    expect(object.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(object.status.conditions).toHaveLength(1);
    const err = await rejectedStatus(store.update('', 'a', (cur) => ({ ...cur!, status: { phase: 'Terminating' } }), on('status')));
    expect(err.status).toMatchObject({
      code: 422,
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'status.Phase', message: "Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty" }] },
    });
    // A body without a phase is decoded as Active.
    const defaulted = await store.update('', 'a', (cur) => ({ ...cur!, status: {} }), on('status'));
    expect(defaulted.object.status).toEqual({ phase: 'Active' });
  });

  it('deletes by marking Terminating; /finalize removing the last finalizer deletes it', async () => {
    await store.create('', { metadata: { name: 'a' } }, rc);
    const marked = await store.delete('', 'a', {}, rc);
    expect(marked.deleted).toBe(false);
    expect(marked.object.status.phase).toBe('Terminating');
    expect(marked.object.metadata.deletionTimestamp).toBeTruthy();
    const err = await rejectedStatus(store.update('', 'a', (cur) => ({ ...cur!, status: { phase: 'Active' } }), on('status')));
    expect(err.status.details?.causes?.[0]).toMatchObject({ field: 'status.Phase', message: "Invalid value: \"Active\": may only be 'Terminating' if `deletionTimestamp` is not empty" });
    // /finalize keeps the status whatever the body says.
    const finalized = await store.update('', 'a', (cur) => ({ ...cur!, spec: { finalizers: [] }, status: { phase: 'Active' } }), on('finalize'));
    expect(finalized.object.status.phase).toBe('Terminating');
    await expect(store.get('', 'a')).rejects.toMatchObject({ code: 404 });
  });
});
