// RFC 7386 JSON merge patch (application/merge-patch+json) as kube-apiserver applies it, with
// gopkg.in/evanphx/json-patch.v4's MergePatch:
// - a null member deletes the key; objects merge recursively; anything else replaces;
// - nulls are pruned from objects that are added (where the key was missing, null or not an object),
//   also inside arrays of such values, but nulls in arrays themselves are kept;
// - a body that is not JSON, null, a string, a number or a boolean is a 400 "Invalid JSON Patch";
// - an array body replaces the whole document, which then fails to decode as an object (422).

import { newBadRequest } from '../status.js';
import { newPatchedObjectNotAnObject } from './errors.js';
import { decodeJsonLikeGo } from './go-json.js';
import { cloneJson, hasOwn, isJsonObject, setOwn, type JsonObject, type JsonValue } from './json-value.js';

/** evanphx's ErrBadJSONPatch text; kube answers it with 400 BadRequest. */
export const INVALID_JSON_PATCH_MESSAGE = 'Invalid JSON Patch';

export function applyMergePatch(original: JsonObject, patchBody: Buffer | string): JsonObject {
  const decoded = decodeJsonLikeGo(patchBody);
  if (!decoded.ok) throw newBadRequest(INVALID_JSON_PATCH_MESSAGE);
  const patch = decoded.value;
  if (Array.isArray(patch)) throw newPatchedObjectNotAnObject(pruneArrayNulls(patch));
  if (!isJsonObject(patch)) throw newBadRequest(INVALID_JSON_PATCH_MESSAGE);
  return mergeObjects(cloneJson(original), patch);
}

function mergeObjects(target: JsonObject, patch: JsonObject): JsonObject {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete target[key];
    } else if (!hasOwn(target, key) || target[key] === null) {
      setOwn(target, key, pruneNulls(value));
    } else {
      setOwn(target, key, mergeValue(target[key], value));
    }
  }
  return target;
}

function mergeValue(current: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(current)) return pruneNulls(patch);
  if (!isJsonObject(patch)) return patch;
  return mergeObjects(current, patch);
}

function pruneNulls(value: JsonValue): JsonValue {
  if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else pruneNulls(value[key]);
    }
    return value;
  }
  if (Array.isArray(value)) return pruneArrayNulls(value);
  return value;
}

function pruneArrayNulls(array: JsonValue[]): JsonValue[] {
  for (const item of array) if (item !== null) pruneNulls(item);
  return array;
}
