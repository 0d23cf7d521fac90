// A first validator for custom resources from a structural openAPIV3Schema, with kube's messages
// and field paths (apiextensions-apiserver's kube-openapi validator): types, required, enum, pattern,
// bounds, nullable, int-or-string, preserve-unknown-fields. Also pruning and defaulting.
import type { FieldError } from '../../endpoints/status.js';
import { fieldInvalid, fieldNotSupported, fieldRequired } from '../../registry/validation/field-errors.js';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  format?: string;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [key: string]: unknown;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(schema: Schema, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  const actual = typeOf(value);
  switch (schema.type) {
    case undefined:
      return true;
    case 'number':
      return actual === 'number' || actual === 'integer';
    default:
      return actual === schema.type;
  }
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function validateValue(schema: Schema, value: unknown, path: string, errors: FieldError[]): void {
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) errors.push(fieldInvalid(path, null, `${path} in body must be of type ${schema.type}: "null"`));
    return;
  }
  if (!typeMatches(schema, value)) {
    const expected = schema['x-kubernetes-int-or-string'] ? 'integer,string' : schema.type;
    // kube's type errors name the JSON type where the value would go: Invalid value: "string".
    errors.push(fieldInvalid(path, typeOf(value), `${path} in body must be of type ${expected}: "${typeOf(value)}"`));
    return;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(fieldNotSupported(path, value, schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) errors.push(fieldInvalid(path, value, `${path} in body should match '${schema.pattern}'`));
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errors.push({ type: 'FieldValueTooLong', field: path, detail: `Too long: may not be more than ${schema.maxLength} bytes` });
    if (schema.minLength !== undefined && [...value].length < schema.minLength) errors.push(fieldInvalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
  }
  if (typeof value === 'number') {
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      errors.push(fieldInvalid(path, value, `${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
    }
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      errors.push(fieldInvalid(path, value, `${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push({ type: 'FieldValueTooMany', field: path, detail: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(fieldInvalid(path, value, `${path} in body should have at least ${schema.minItems} items`));
    if (schema.items) value.forEach((item, i) => validateValue(schema.items!, item, `${path}[${i}]`, errors));
    return;
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in obj)) errors.push(fieldRequired(child(path, name)));
    for (const [key, v] of Object.entries(obj)) {
      const property = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (property) validateValue(property, v, child(path, key), errors);
    }
  }
}

/** Removes fields the schema does not know (unless preserved); returns their paths. */
export function prune(schema: Schema, value: unknown, path: string, pruned: string[], mutate = true): void {
  if (value === null || typeof value !== 'object' || schema['x-kubernetes-preserve-unknown-fields']) {
    if (schema['x-kubernetes-preserve-unknown-fields'] && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const property = schema.properties?.[key];
        if (property) prune(property, v, child(path, key), pruned, mutate);
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => prune(schema.items!, item, `${path}[${i}]`, pruned, mutate));
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    const property = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (property) prune(property, v, child(path, key), pruned, mutate);
    else if (schema.additionalProperties !== true) {
      pruned.push(child(path, key));
      if (mutate) delete obj[key];
    }
  }
}

/** Applies schema defaults to fields that are absent, in objects that are present. */
export function applyDefaults(schema: Schema, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!(key in obj) && property.default !== undefined) obj[key] = structuredClone(property.default);
    if (key in obj) applyDefaults(property, obj[key]);
  }
}
