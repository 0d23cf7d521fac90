// The list helpers of strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch/patch.go):
// element types, de-duplication, partitioning, and the order rules — patch items keep the order of
// the patch (or of $setElementOrder), items only on the server keep their live order, and the two
// are interleaved by the live order.

import { goFormatValue, goScalarEqual } from './go-format.js';
import { goSliceStable } from './go-sort.js';
import { hasOwn, isJsonObject, type JsonObject, type JsonValue } from './json-value.js';
import { errBadArgType, errNoListOfLists, errNoMergeKey, SmpError } from './smp-errors.js';

export const MAP_TYPE = 'map[string]interface {}';

/** The Go kind of a decoded JSON value, as reflect would see it in an []interface{}. */
export type GoElementKind = 'map' | 'slice' | 'string' | 'bool' | 'int64' | 'float64' | 'nil';

export function goElementKind(value: JsonValue): GoElementKind {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'slice';
  if (isJsonObject(value)) return 'map';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

/** sliceElementType: all elements of all lists share one type, which is not a list. */
export function sliceElementKind(...lists: JsonValue[][]): GoElementKind {
  let kind: GoElementKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const current = goElementKind(item);
      if (kind === undefined) {
        kind = current;
        if (kind === 'slice') throw errNoListOfLists();
      } else if (kind !== current) {
        throw new SmpError(`list element types are not identical: ${goFormatValue(lists)}`);
      }
    }
  }
  if (kind === undefined) throw new SmpError('no elements in any of the given slices');
  return kind;
}

/** deduplicateScalars, including its habit of moving the last element into a duplicate's place. */
export function deduplicateScalars(list: JsonValue[]): JsonValue[] {
  const s = [...list];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goScalarEqual(s[i], s[j])) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

export function deleteFromSlice(current: JsonValue[], toDelete: JsonValue[]): JsonValue[] {
  return current.filter((item) => !toDelete.some((d) => goScalarEqual(d, item)));
}

/** findMapInSliceBasedOnKeyValue: the first map whose merge key equals the value. */
export function findMapByKey(list: JsonValue[], mergeKey: string, value: JsonValue): number {
  for (let k = 0; k < list.length; k++) {
    const item = list[k];
    if (!isJsonObject(item)) throw new SmpError(`value for key ${k} is not a map`);
    if (hasOwn(item, mergeKey) && goScalarEqual(item[mergeKey], value)) return k;
  }
  return -1;
}

export function partitionPrimitives(merged: JsonValue[], partitionBy: JsonValue[]): [JsonValue[], JsonValue[]] {
  const inList: JsonValue[] = [];
  const rest: JsonValue[] = [];
  for (const item of merged) (partitionBy.some((p) => goScalarEqual(p, item)) ? inList : rest).push(item);
  return [inList, rest];
}

export function partitionMaps(merged: JsonValue[], partitionBy: JsonValue[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const inList: JsonValue[] = [];
  const rest: JsonValue[] = [];
  for (const item of merged) {
    if (!isJsonObject(item)) throw errBadArgType(MAP_TYPE, item);
    if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    (findMapByKey(partitionBy, mergeKey, item[mergeKey]) >= 0 ? inList : rest).push(item);
  }
  return [inList, rest];
}

/** index(): position of an item in a list, by merge key for maps (a missing key compares as nil). */
function indexIn(list: JsonValue[], item: JsonValue, mergeKey: string, kind: GoElementKind): number {
  const valueOf = (v: JsonValue): JsonValue => (kind === 'map' ? (isJsonObject(v) && hasOwn(v, mergeKey) ? v[mergeKey] : null) : v);
  const wanted = valueOf(item);
  return list.findIndex((v) => goScalarEqual(valueOf(v), wanted));
}

/** normalizeSliceOrder: sort by position in `order`; $patch: delete items go last. */
function normalizeSliceOrder(toSort: JsonValue[], order: JsonValue[], mergeKey: string, kind: GoElementKind): JsonValue[] {
  let items = toSort;
  let toDelete: JsonValue[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isJsonObject(item)) throw errBadArgType(MAP_TYPE, item);
        if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      }
    }
    items = toSort.filter((item) => (item as JsonObject).$patch !== 'delete');
    toDelete = toSort.filter((item) => (item as JsonObject).$patch === 'delete');
  }
  const sorted = goSliceStable(items, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...sorted, ...toDelete];
}

/** mergeSortedSlice: interleave server-only items (left) into patch items (right) by the live order. */
function mergeSortedSlice(left: JsonValue[], right: JsonValue[], serverOrder: JsonValue[], mergeKey: string, kind: GoElementKind): JsonValue[] {
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patchItems: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string,
  kind: GoElementKind,
): JsonValue[] {
  const patch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const server = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(server, patch, serverOrder, mergeKey, kind);
}
