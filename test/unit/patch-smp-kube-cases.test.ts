// Cases from kube's own strategicpatch tests (k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go,
// the MergeItem type), restated here as inputs and the results kube asserts for them.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/endpoints/patch/json-value.js';
import { patchSchemaFromOpenAPI, type OpenAPISchema } from '../../src/endpoints/patch/openapi-patch-schema.js';
import { applyStrategicMergePatch } from '../../src/endpoints/patch/strategic-merge-patch.js';
import { StatusError } from '../../src/endpoints/status.js';

const mergeItemRef: OpenAPISchema = { $ref: '#/components/schemas/mergeItem' };
const schemas: Record<string, OpenAPISchema> = {
  mergeItem: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      mergingList: { type: 'array', items: mergeItemRef, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
      nonMergingList: { type: 'array', items: mergeItemRef },
      mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
      nonMergingIntList: { type: 'array', items: { type: 'integer' } },
      simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
      replacingItem: { type: 'object', 'x-kubernetes-patch-strategy': 'replace' },
      retainKeysMap: { $ref: '#/components/schemas/retainKeysMergeItem', 'x-kubernetes-patch-strategy': 'retainKeys' },
      retainKeysMergingList: {
        type: 'array',
        items: mergeItemRef,
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
        'x-kubernetes-patch-merge-key': 'name',
      },
    },
  },
  retainKeysMergeItem: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
      mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
    },
  },
};
const schema = patchSchemaFromOpenAPI(mergeItemRef, (ref) => schemas[ref.replace('#/components/schemas/', '')]);

const apply = (original: JsonObject, patch: JsonObject): JsonObject => applyStrategicMergePatch(original, JSON.stringify(patch), schema);

describe("kube's strategicpatch cases", () => {
  it.each<[string, JsonObject, JsonObject, JsonObject]>([
    ['unique scalars when merging lists', { mergingIntList: [1, 2] }, { mergingIntList: [2, 3] }, { mergingIntList: [1, 2, 3] }],
    ['delete map from nested map', { simpleMap: { key1: '1', key2: '1' } }, { simpleMap: { $patch: 'delete' } }, { simpleMap: {} }],
    ['delete all items from merging list', { mergingList: [{ name: '1' }, { name: '2' }] }, { mergingList: [{ $patch: 'replace' }] }, { mergingList: [] }],
    ['merge empty merging lists', { mergingList: [] }, { mergingList: [] }, { mergingList: [] }],
    ['delete all keys from map', { name: '1', value: '1' }, { $patch: 'replace' }, {}],
    ['add key and delete all keys from map', { name: '1', value: '1' }, { other: 'a', $patch: 'replace' }, { other: 'a' }],
    [
      'delete all duplicate entries in a merging list',
      { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] },
      { mergingList: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] },
      { mergingList: [{ name: '2', value: 'a' }] },
    ],
    [
      'preserve the order from the patch in a merging list',
      { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
      { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] },
      { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }] },
    ],
    [
      'preserve the order from the patch in a merging list 2',
      { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
      { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] },
      { mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }] },
    ],
    ['preserve the order from the patch in a merging int list', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1, 2] }, { mergingIntList: [3, 1, 2] }],
    ['preserve the order from the patch in a merging int list 2', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1] }, { mergingIntList: [2, 3, 1] }],
    [
      '$setElementOrder contains an item not in the list',
      { mergingList: [{ name: '1' }, { name: '3' }] },
      { '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }], mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
      { mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
    ],
    ['$setElementOrder contains an item not in the int list', { mergingIntList: [1, 3] }, { '$setElementOrder/mergingIntList': [3, 2, 1] }, { mergingIntList: [3, 1] }],
    ['$deleteFromPrimitiveList of a missing item', { mergingIntList: [1, 2] }, { '$deleteFromPrimitiveList/mergingIntList': [3] }, { mergingIntList: [1, 2] }],
    ['$deleteFromPrimitiveList on a missing list', { foo: ['bar'] }, { '$deleteFromPrimitiveList/mergingIntList': [3] }, { foo: ['bar'] }],
    ['$deleteFromPrimitiveList on a merge list', { mergingIntList: [1, 2, 3] }, { '$deleteFromPrimitiveList/mergingIntList': [2] }, { mergingIntList: [1, 3] }],
    ['$deleteFromPrimitiveList on a non-merge list', { nonMergingIntList: [1, 2, 3] }, { '$deleteFromPrimitiveList/nonMergingIntList': [2] }, { nonMergingIntList: [1, 3] }],
    [
      'merge lists of maps with $setElementOrder (three-way result)',
      { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] },
      {
        '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
        mergingList: [{ name: '4', value: '4' }, { name: '3', value: '3' }],
      },
      {
        mergingList: [{ name: '4', value: '4' }, { name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }, { name: '3', value: '3' }],
      },
    ],
    [
      'retainKeys map drops what it does not list',
      { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } },
      { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'baz' } },
      { retainKeysMap: { name: 'foo', value: 'baz' } },
    ],
    ['a field with strategy replace is replaced whole', { replacingItem: { a: 1, b: 2 } }, { replacingItem: { c: 3 } }, { replacingItem: { c: 3 } }],
    ['a non-merging list is replaced', { nonMergingList: [{ name: '1' }, { name: '2' }] }, { nonMergingList: [{ name: '3' }] }, { nonMergingList: [{ name: '3' }] }],
  ])('%s', (_name, original, patch, result) => {
    expect(apply(original, patch)).toEqual(result);
  });

  it.each<[string, JsonObject, JsonObject, string]>([
    [
      'the order in $setElementOrder and the patch list must match',
      { mergingList: [{ name: '1' }, { name: '3' }, { name: '2' }] },
      { '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }, { name: '3' }], mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
      "doesn't match",
    ],
    [
      'the order in an int $setElementOrder and the patch list must match',
      { mergingIntList: [1, 3, 2] },
      { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
      "doesn't match",
    ],
    ['a missing merge key errors out', { mergingList: [{ name: '1', value: 'a' }] }, { mergingList: [{ value: 'b' }] }, 'does not contain declared merge key'],
  ])('%s', (_name, original, patch, fragment) => {
    let error: unknown;
    try {
      apply(original, patch);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).status.message).toContain(fragment);
    expect((error as StatusError).code).toBe(500);
  });
});
