// x-kubernetes-list-type set/map uniqueness (apiextensions-apiserver v0.32.9
// pkg/apiserver/schema/listtype/validation.go): each repeated element (second occurrence only) is a
// Duplicate at its index; map lists report the key fields ({} when none is set).
import type { FieldError } from '../../endpoints/status.js';
import { duplicate, invalid } from './errors.js';
import { isObject, itemsSchema, type JSONSchemaProps } from './types.js';

const child = (path: string, k: string) => (path ? `${path}.${k}` : k);

export function validateListSetsAndMaps(path: string, s: JSONSchemaProps | undefined, obj: unknown, errs: FieldError[] = []): FieldError[] {
  if (!s || !isObject(obj)) return errs;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (additional) for (const k of Object.keys(obj)) visit(`${path}[${k}]`, additional, obj[k], errs);
  if (s.properties) for (const k of Object.keys(obj)) if (s.properties[k]) visit(child(path, k), s.properties[k], obj[k], errs);
  return errs;
}

function visit(path: string, s: JSONSchemaProps, value: unknown, errs: FieldError[]): void {
  if (Array.isArray(value)) validateArray(path, s, value, errs);
  else if (isObject(value)) validateListSetsAndMaps(path, s, value, errs);
}

function validateArray(path: string, s: JSONSchemaProps, list: unknown[], errs: FieldError[]): void {
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') for (const i of nonUniqueIndices(list)) errs.push(duplicate(`${path}[${i}]`, list[i]));
  else if (type === 'map') validateListMap(path, s, list, errs);
  const items = itemsSchema(s);
  if (items) list.forEach((v, i) => visit(`${path}[${i}]`, items, v, errs));
}

const UNSPECIFIED = Symbol('unspecified key');

/** Indices of second occurrences (later repeats are not reported again), as validateListSet. */
function nonUniqueIndices(list: unknown[]): number[] {
  if (list.length <= 1) return [];
  const seen = new Map<unknown, number>();
  const out: number[] = [];
  list.forEach((x, i) => {
    // Scalars compare by value (Go map of interface{}); compounds by their JSON encoding (sorted keys).
    const key = typeof x === 'object' && x !== null ? `\u0000${stableJSON(x)}` : x;
    const times = seen.get(key);
    if (times === undefined) seen.set(key, 1);
    else {
      seen.set(key, times + 1);
      if (times === 1) out.push(i);
    }
  });
  return out;
}

function stableJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJSON).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJSON(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function validateListMap(path: string, s: JSONSchemaProps, list: unknown[], errs: FieldError[]): void {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== null && !isObject(x)) return void errs.push(invalid(`${path}[${i}]`, x, 'must be an object for an array of list-type map'));
  }
  if (list.length <= 1) return;
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  if (keyFields.length === 1) {
    const keyField = keyFields[0];
    const keys = list.map((x) => (isObject(x) && Object.prototype.hasOwnProperty.call(x, keyField) ? x[keyField] : UNSPECIFIED));
    for (const i of nonUniqueIndices(keys)) errs.push(duplicate(`${path}[${i}]`, keys[i] === UNSPECIFIED ? {} : { [keyField]: keys[i] }));
    return;
  }
  const keys = list.map((x) => {
    const key: Record<string, unknown> = {};
    if (isObject(x)) for (const f of keyFields) if (Object.prototype.hasOwnProperty.call(x, f)) key[f] = x[f];
    return key;
  });
  for (const i of nonUniqueIndices(keys)) errs.push(duplicate(`${path}[${i}]`, keys[i]));
}
