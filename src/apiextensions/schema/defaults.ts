// Defaulting from a structural schema (apiextensions-apiserver v0.32.9
// pkg/apiserver/schema/defaulting/algorithm.go): in every object that is present, absent fields with a
// default get a copy of it, and so do fields that are null without being nullable; items and
// additionalProperties values that are non-nullable nulls take their schema's default. Run on create,
// update and read (kube defaults when decoding from the request and from storage).
import { isObject, itemsSchema, type JSONSchemaProps } from './types.js';

const isNonNullableNull = (x: unknown, s: JSONSchemaProps | undefined) => x === null && !!s && !s.nullable;

export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    if (!items) return;
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items) && items.default !== undefined) x[i] = structuredClone(items.default);
      applyDefaults(x[i], items);
    }
    return;
  }
  if (!isObject(x)) return;
  const props = s.properties ?? {};
  for (const [k, prop] of Object.entries(props)) {
    if (prop.default === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(x, k) || isNonNullableNull(x[k], prop)) x[k] = structuredClone(prop.default);
  }
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  for (const k of Object.keys(x)) {
    const prop = props[k];
    if (prop) applyDefaults(x[k], prop);
    else if (additional) {
      if (isNonNullableNull(x[k], additional) && additional.default !== undefined) x[k] = structuredClone(additional.default);
      applyDefaults(x[k], additional);
    }
  }
}

/** Whether any node of the schema carries a default (lets callers skip the walk). */
export function hasDefaults(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  if (s.default !== undefined) return true;
  if (s.properties && Object.values(s.properties).some(hasDefaults)) return true;
  if (typeof s.additionalProperties === 'object' && hasDefaults(s.additionalProperties)) return true;
  return hasDefaults(itemsSchema(s));
}
