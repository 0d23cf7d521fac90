// Deep equality of decoded JSON values (reflect.DeepEqual on unstructured content) and the old/new
// correlation kube uses for ratcheting (k8s.io/apiserver/pkg/cel/common/equality.go): object fields by
// name, list-type=map items by their keys, nothing else.
import { isObject, type JSONSchemaProps } from './types.js';

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Marker: no correlated old value. */
export const NO_OLD: unique symbol = Symbol('no old value');
export type Old = unknown | typeof NO_OLD;

export function oldField(old: Old, key: string): Old {
  if (old === NO_OLD || !isObject(old) || !Object.prototype.hasOwnProperty.call(old, key)) return NO_OLD;
  return old[key];
}

/** The old item of a list-type=map list with the same key values as `item`. */
export function oldMapListItem(schema: JSONSchemaProps, old: Old, item: unknown): Old {
  if (old === NO_OLD || !Array.isArray(old) || !isObject(item)) return NO_OLD;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  for (const candidate of old) {
    if (isObject(candidate) && keys.every((k) => jsonEqual(candidate[k], item[k]))) return candidate;
  }
  return NO_OLD;
}

/** The old value of the item at index `i` of a new list (only list-type=map lists correlate). */
export function oldListItem(schema: JSONSchemaProps, old: Old, item: unknown): Old {
  return schema['x-kubernetes-list-type'] === 'map' ? oldMapListItem(schema, old, item) : NO_OLD;
}
