// Conversions of handler results, pinned to k8s.io/apiserver handlers/response.go (v0.32.1):
// asPartialObjectMetadata, asPartialObjectMetadataList, asTable, and meta.AsPartialObjectMetadata.
import { describe, expect, it } from 'vitest';
import { createWatchObjectTransformer, transformResponseObject } from '../../src/endpoints/negotiation/transform.js';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from '../../src/endpoints/negotiation/partial-metadata.js';
import { nameAgeTableConvertor } from '../../src/endpoints/table/default-convertors.js';
import { StatusError } from '../../src/endpoints/status.js';

const obj = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  data: { x: 'y' },
  metadata: {
    managedFields: [{ time: '2024-01-01T00:00:00Z', operation: 'Update', manager: 'kubectl', fieldsV1: { 'f:data': {} }, fieldsType: 'FieldsV1', apiVersion: 'v1' }],
    annotations: { z: '1', a: '2' },
    labels: { b: '1', B: '2', a: '3' },
    creationTimestamp: '2024-01-01T00:00:00Z',
    resourceVersion: '7',
    uid: 'u1',
    namespace: 'default',
    name: 'cm',
    generation: 0,
    finalizers: [],
    ownerReferences: [{ uid: 'o1', name: 'owner', kind: 'Thing', apiVersion: 'example.com/v1', controller: true }],
  },
};

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('PartialObjectMetadata (meta.AsPartialObjectMetadata)', () => {
  it('keeps only metadata, in ObjectMeta field order, with sorted maps and empty fields dropped', () => {
    expect(JSON.stringify(asPartialObjectMetadata(obj))).toBe(
      '{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"cm","namespace":"default","uid":"u1","resourceVersion":"7",' +
        '"creationTimestamp":"2024-01-01T00:00:00Z","labels":{"B":"2","a":"3","b":"1"},"annotations":{"a":"2","z":"1"},' +
        '"ownerReferences":[{"apiVersion":"example.com/v1","kind":"Thing","name":"owner","uid":"o1","controller":true}],' +
        '"managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2024-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]}}',
    );
  });

  it('keeps false and 0 in pointer fields (controller, blockOwnerDeletion, deletionGracePeriodSeconds)', () => {
    const meta = asPartialObjectMetadata({
      metadata: { name: 'x', deletionGracePeriodSeconds: 0, ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u', controller: false, blockOwnerDeletion: false }] },
    }).metadata;
    expect(meta.deletionGracePeriodSeconds).toBe(0);
    expect(meta.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u', controller: false, blockOwnerDeletion: false }]);
  });

  it('writes creationTimestamp: null when unset (a zero metav1.Time)', () => {
    expect(asPartialObjectMetadata({ metadata: { name: 'x' } }).metadata).toEqual({ name: 'x', creationTimestamp: null });
  });

  it('lists keep the ListMeta and give "items": null when empty', () => {
    expect(JSON.stringify(asPartialObjectMetadataList([], { resourceVersion: '5' }, 'v1beta1'))).toBe(
      '{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1beta1","metadata":{"resourceVersion":"5"},"items":null}',
    );
    const list = asPartialObjectMetadataList([obj], { resourceVersion: '5', continue: 'c', remainingItemCount: 2 });
    expect(list.metadata).toEqual({ resourceVersion: '5', continue: 'c', remainingItemCount: 2 });
    expect(list.items?.[0].kind).toBe('PartialObjectMetadata');
  });
});

describe('transformResponseObject', () => {
  const list = { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '9' }, items: [obj] };
  const target = (kind: string, version = 'v1') => ({ kind, group: 'meta.k8s.io', version });

  it('returns the result unchanged without a target, and [] items for an empty list', () => {
    expect(transformResponseObject({ list: false, value: obj }, undefined)).toBe(obj);
    const empty = { kind: 'ConfigMapList', apiVersion: 'v1', metadata: {}, items: undefined as unknown as [] };
    expect((transformResponseObject({ list: true, value: empty }, undefined) as { items: unknown[] }).items).toEqual([]);
  });

  it('never converts a Status', () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Success' };
    expect(transformResponseObject({ list: false, value: status }, target('Table'), { convertor: nameAgeTableConvertor() })).toBe(status);
  });

  it('refuses PartialObjectMetadata for a list with 406 naming the Go type', () => {
    const err = thrown(() => transformResponseObject({ list: true, value: list }, target('PartialObjectMetadata'), { goTypeName: '*core.ConfigMapList' }));
    expect(err.status).toMatchObject({ code: 406, reason: 'NotAcceptable', message: 'you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)' });
  });

  it('refuses PartialObjectMetadataList for a single object with 406', () => {
    const err = thrown(() => transformResponseObject({ list: false, value: obj }, target('PartialObjectMetadataList')));
    expect(err.status.message).toBe('you requested PartialObjectMetadataList, but the requested object is not a list (*unstructured.Unstructured)');
  });

  it('converts lists and objects to tables, validating includeObject first', () => {
    const convertor = nameAgeTableConvertor([], () => Date.parse('2024-01-01T00:00:30Z'));
    const table = transformResponseObject({ list: true, value: list }, target('Table', 'v1beta1'), { convertor, includeObject: 'None' }) as {
      apiVersion: string;
      metadata: unknown;
      rows: unknown[];
    };
    expect(table.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(table.metadata).toEqual({ resourceVersion: '9' });
    expect(table.rows).toEqual([{ cells: ['cm', '30s'], object: null }]);
    const single = transformResponseObject({ list: false, value: obj }, target('Table'), { convertor }) as { metadata: unknown };
    expect(single.metadata).toEqual({ resourceVersion: '7' });
    expect(thrown(() => transformResponseObject({ list: false, value: obj }, target('Table'), { convertor, includeObject: 'All' })).code).toBe(400);
  });

  it('answers 406 for a Table of a resource without a convertor', () => {
    const err = thrown(() => transformResponseObject({ list: false, value: obj }, target('Table'), { resource: 'widgets.example.com' }));
    expect(err.status.message).toBe('the resource widgets.example.com does not support being converted to a Table');
  });

  it('answers 406 for a Table outside meta.k8s.io v1/v1beta1', () => {
    const err = thrown(() => transformResponseObject({ list: false, value: obj }, { kind: 'Table', group: 'meta.k8s.io', version: 'v2' }, { convertor: nameAgeTableConvertor() }));
    expect(err.status.message).toBe('no Table exists in group version meta.k8s.io/v2');
  });
});

describe('createWatchObjectTransformer (watchEmbeddedEncoder)', () => {
  const target = { kind: 'Table', group: 'meta.k8s.io', version: 'v1' };

  it('sends the column definitions with the first event only', () => {
    const next = createWatchObjectTransformer(target, { convertor: nameAgeTableConvertor([], () => 0) });
    const first = next(obj) as { columnDefinitions: unknown[] | null; rows: unknown[] };
    const second = next(obj) as { columnDefinitions: unknown[] | null; rows: unknown[] };
    expect(first.columnDefinitions).toHaveLength(2);
    expect(second.columnDefinitions).toBeNull();
    expect(second.rows).toHaveLength(1);
  });

  it('passes Status objects (ERROR events) and unconvertible objects through unchanged', () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410 };
    expect(createWatchObjectTransformer(target, { convertor: nameAgeTableConvertor() })(status)).toBe(status);
    expect(createWatchObjectTransformer({ kind: 'PartialObjectMetadataList', group: 'meta.k8s.io', version: 'v1' })(obj)).toBe(obj);
    expect((createWatchObjectTransformer({ kind: 'PartialObjectMetadata', group: 'meta.k8s.io', version: 'v1' })(obj) as { kind: string }).kind).toBe('PartialObjectMetadata');
  });

  it('refuses a bad includeObject before the stream starts', () => {
    expect(() => createWatchObjectTransformer(target, { convertor: nameAgeTableConvertor(), includeObject: 'x' })).toThrow(StatusError);
  });
});
