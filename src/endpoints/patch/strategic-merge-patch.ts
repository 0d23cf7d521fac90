// Strategic merge patch (application/strategic-merge-patch+json) as kube-apiserver applies it:
// k8s.io/apimachinery/pkg/util/strategicpatch StrategicMergeMapPatch, server side (parallel lists merged,
// unmatched nulls ignored), driven by a PatchSchema instead of Go struct tags.
//
// - Maps merge key by key; null deletes a key; a field with strategy "replace" is replaced whole.
// - Lists are replaced unless the field's strategy is "merge": lists of maps merge by the merge key,
//   lists of scalars become the union (first occurrence kept).
// - Directives: `$patch: replace|delete` on a map, `$patch: replace|delete` items in a merging list,
//   `$retainKeys`, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
// - Errors are kube's: malformed directives 400, lists of lists 422, anything else 500 with Go's text.
//
// kube converts the result back to the Go type, which drops fields the type does not have; values
// added whole (a new list item, a map where there was none) keep their nested directives and nulls
// here, exactly as in kube's map before that conversion.

import { newBadRequest } from '../status.js';
import { newBodyTypeError } from './errors.js';
import { goFormatValue, goScalarEqual } from './go-format.js';
import { decodeJsonLikeGo } from './go-json.js';
import { cloneJson, hasOwn, isJsonObject, setOwn, type JsonObject, type JsonValue } from './json-value.js';
import { PatchSchemaError, type PatchSchema } from './patch-schema.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  SmpError,
} from './smp-errors.js';
import {
  deduplicateScalars,
  deleteFromSlice,
  findMapByKey,
  goElementKind,
  normalizeElementOrder,
  partitionMaps,
  partitionPrimitives,
  sliceElementKind,
} from './smp-lists.js';

const DIRECTIVE_MARKER = '$patch';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';
const SLICE_TYPE = '[]interface {}';

export function applyStrategicMergePatch(original: JsonObject, patchBody: Buffer | string, schema: PatchSchema): JsonObject {
  const decoded = decodeJsonLikeGo(patchBody);
  if (!decoded.ok) throw newBadRequest(decoded.message);
  const patch = decoded.value;
  if (patch !== null && !isJsonObject(patch)) throw newBodyTypeError(patch, 'map[string]interface {}');
  try {
    return mergeMap(cloneJson(original), patch ?? {}, schema);
  } catch (err) {
    if (err instanceof SmpError) throw err.toStatusError();
    if (err instanceof PatchSchemaError) throw new SmpError(err.message).toStatusError();
    throw err;
  }
}

function mergeMap(original: JsonObject | null, patch: JsonObject, schema: PatchSchema): JsonObject {
  if (hasOwn(patch, DIRECTIVE_MARKER)) return mapDirective(patch[DIRECTIVE_MARKER], patch);
  const target = original ?? {};
  applyRetainKeys(target, patch);
  mergeSetElementOrderLists(target, patch, schema);

  for (const patchKey of Object.keys(patch)) {
    if (!hasOwn(patch, patchKey)) continue;
    const patchValue = patch[patchKey];
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
    const key = isDeleteList ? directiveTarget(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX) : patchKey;

    if (patchValue === null) {
      delete target[key];
      continue;
    }
    if (!hasOwn(target, key) || goElementKind(target[key]) !== goElementKind(patchValue)) {
      if (!isDeleteList) setWithoutDirectives(target, key, discardNullValues(patchValue));
      continue;
    }
    const current = target[key];
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      const { schema: fieldSchema, meta } = schema.lookupForStruct(key);
      const strategy = nonRetainKeysStrategy(meta.strategies);
      setOwn(target, key, strategy === 'replace' ? patchValue : mergeMap(current, patchValue, fieldSchema));
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      const { schema: elementSchema, meta } = schema.lookupForSlice(key);
      const strategy = nonRetainKeysStrategy(meta.strategies);
      setOwn(target, key, mergeListField(current, patchValue, elementSchema, strategy, meta.mergeKey, isDeleteList));
    } else {
      setWithoutDirectives(target, key, patchValue);
    }
  }
  return target;
}

/** handleDirectiveInMergeMap: `$patch: replace` keeps the patch as is; `$patch: delete` leaves an empty map. */
function mapDirective(directive: JsonValue, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** extractKey: "$deleteFromPrimitiveList/finalizers" → "finalizers". */
function directiveTarget(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX ? errBadPatchFormatForPrimitiveList() : errBadPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

/** extractRetainKeysPatchStrategy: the strategy other than retainKeys ("" for none). */
function nonRetainKeysStrategy(strategies: readonly string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : strategies[0];
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1];
    if (strategies[1] === 'retainKeys') return strategies[0];
  }
  throw new SmpError(`unexpected patch strategy: ${goFormatValue([...strategies])}`);
}

/** applyRetainKeysDirective: every non-null patch key must be listed; unlisted keys leave the original. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw errBadPatchFormatForRetainKeys();
  const retained = new Set(retainKeys.filter((k): k is string => typeof k === 'string'));
  for (const key of Object.keys(patch)) {
    if (patch[key] === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!retained.has(key)) throw errBadPatchFormatForRetainKeys();
  }
  for (const key of Object.keys(original)) if (!retained.has(key)) delete original[key];
}

/**
 * mergePatchIntoOriginal: each `$setElementOrder/<field>` merges <field> now and orders the result —
 * $setElementOrder first, then the patch's order, then the live order.
 */
function mergeSetElementOrderLists(original: JsonObject, patch: JsonObject, schema: PatchSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType(SLICE_TYPE, order);
    const field = directiveTarget(key, SET_ELEMENT_ORDER_PREFIX);
    const foundOriginal = hasOwn(original, field);
    const foundPatch = hasOwn(patch, field);
    const originalList = foundOriginal ? original[field] : [];
    const patchList = foundPatch ? patch[field] : [];
    if (!Array.isArray(originalList)) throw errBadArgType(SLICE_TYPE, originalList);
    if (!Array.isArray(patchList)) throw errBadArgType(SLICE_TYPE, patchList);
    const { schema: elementSchema, meta } = schema.lookupForSlice(field);
    const strategy = nonRetainKeysStrategy(meta.strategies);
    validatePatchWithSetOrderList(patchList, order, meta.mergeKey);

    let merged: JsonValue[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList) as JsonValue[];
    else if (foundOriginal && foundPatch) merged = mergeListField(originalList, patchList, elementSchema, strategy, meta.mergeKey, false);
    else continue;

    const [patchItems, serverOnly] = meta.mergeKey === '' ? partitionPrimitives(merged, order) : partitionMaps(merged, order, meta.mergeKey);
    const kind = sliceElementKind(originalList, patchList);
    setOwn(original, field, normalizeElementOrder(patchItems, serverOnly, order, originalList, meta.mergeKey, kind));
    delete patch[field];
  }
}

/** validatePatchWithSetOrderList: the patch list's items appear in $setElementOrder, in the same order. */
function validatePatchWithSetOrderList(patchList: JsonValue[], order: JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== '') {
    for (const item of patchList) if (!isJsonObject(item)) throw errBadArgType('map[string]interface {}', item);
    items = patchList.filter((item) => (item as JsonObject)[DIRECTIVE_MARKER] !== 'delete');
  }
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < items.length && orderIndex < order.length) {
    const item = items[patchIndex];
    if (isJsonObject(item) && hasOwn(item, DIRECTIVE_MARKER)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[orderIndex], mergeKey)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < items.length && orderIndex >= order.length) {
    throw new SmpError(
      `The order in patch list:\n${goFormatValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goFormatValue(order)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return goScalarEqual(left, right);
  if (!isJsonObject(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isJsonObject(right)) throw errBadArgType('map[string]interface {}', right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goScalarEqual(left[mergeKey], right[mergeKey]);
}

/** mergeSliceHandler: merge when the strategy says so (or for a deletion list), else take the patch. */
function mergeListField(
  original: JsonValue[],
  patch: JsonValue[],
  elementSchema: PatchSchema,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
): JsonValue[] {
  if (strategy !== 'merge' && !isDeleteList) return patch;
  return mergeList(original, patch, elementSchema, mergeKey, isDeleteList);
}

/** mergeSlice */
function mergeList(original: JsonValue[], patch: JsonValue[], elementSchema: PatchSchema, mergeKey: string, isDeleteList: boolean): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let live = original;
  let patchItems = patch;
  let merged: JsonValue[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw new SmpError(`cannot merge lists without merge key for ${elementSchema.name()}`);
    [live, patchItems] = applyListItemDirectives(original, patch, mergeKey);
    merged = mergeByKey(live, patchItems, mergeKey, elementSchema);
  }
  const [inPatch, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, patchItems) : partitionMaps(merged, patchItems, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, patchItems, live, mergeKey, kind);
}

/**
 * mergeSliceWithSpecialElements: `{$patch: delete, <key>: v}` removes matching live items; a
 * `{$patch: replace}` item makes the list exactly the patch's other items.
 */
function applyListItemDirectives(original: JsonValue[], patch: JsonValue[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const plain: JsonValue[] = [];
  let live = original;
  let replace = false;
  for (const item of patch) {
    const map = item as JsonObject;
    if (!hasOwn(map, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    const directive = map[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!hasOwn(map, mergeKey)) throw errNoMergeKey(map, mergeKey);
      const value = map[mergeKey];
      for (let at = findMapByKey(live, mergeKey, value); at >= 0; at = findMapByKey(live, mergeKey, value)) {
        live = [...live.slice(0, at), ...live.slice(at + 1)];
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new SmpError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, map);
    }
  }
  return replace ? [plain, []] : [live, plain];
}

/** mergeSliceWithoutSpecialElements: merge each patch item into the live item with its key, or append it. */
function mergeByKey(original: JsonValue[], patch: JsonValue[], mergeKey: string, elementSchema: PatchSchema): JsonValue[] {
  const merged = [...original];
  for (const item of patch) {
    const map = item as JsonObject;
    if (!hasOwn(map, mergeKey)) throw errNoMergeKey(map, mergeKey);
    const at = findMapByKey(merged, mergeKey, map[mergeKey]);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, map, elementSchema);
    else merged.push(item);
  }
  return merged;
}

/** Sets a value taken from the patch, without directive maps (a value that is one removes the key). */
function setWithoutDirectives(target: JsonObject, key: string, value: JsonValue): void {
  const cleaned = removeDirectives(value);
  if (cleaned === undefined) delete target[key];
  else setOwn(target, key, cleaned);
}

/** removeDirectives: maps carrying $patch disappear (from maps and lists), recursively; undefined = drop. */
function removeDirectives(value: JsonValue): JsonValue | undefined {
  if (Array.isArray(value)) {
    const kept: JsonValue[] = [];
    for (const item of value) {
      const cleaned = removeDirectives(item);
      if (cleaned !== undefined) kept.push(cleaned);
    }
    return kept;
  }
  if (!isJsonObject(value)) return value;
  if (hasOwn(value, DIRECTIVE_MARKER)) return undefined;
  for (const key of Object.keys(value)) {
    const cleaned = removeDirectives(value[key]);
    if (cleaned === undefined) delete value[key];
    else setOwn(value, key, cleaned);
  }
  return value;
}

/** discardNullValuesFromPatch: null members are dropped from maps, recursively (null list items stay). */
function discardNullValues(value: JsonValue): JsonValue {
  if (Array.isArray(value)) value.forEach(discardNullValues);
  else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else discardNullValues(value[key]);
    }
  }
  return value;
}
