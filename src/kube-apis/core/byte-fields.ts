// Maps of []byte (Secret data, ConfigMap binaryData): kube reads them while decoding the request
// body, so a value Go cannot decode is a 400 "<Kind> in version "v1" cannot be handled as a <Kind>"
// before any validation runs.
import type { KubeObject } from '../../registry/resource.js';
import { newCannotBeHandledAs } from '../../endpoints/negotiation/decode.js';
import { corruptInputMessage, goBase64CorruptAt } from './go-base64.js';

/** The JSON kind encoding/json names in an UnmarshalTypeError. */
function jsonValueKind(value: unknown): string {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return 'object';
}

/**
 * Decodes `obj[field]` as kube does: kube's 400 when a value is not base64 as Go reads it; otherwise
 * each value becomes the canonical base64 of its bytes (what kube writes back: no newlines, clean
 * padding).
 */
export function decodeByteMap(obj: KubeObject, field: string, kind: string): void {
  const map = obj[field];
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return;
  for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
    // null is a nil []byte; arrays of numbers are bytes to Go and are left to the schema.
    if (value === null || Array.isArray(value)) continue;
    if (typeof value !== 'string') {
      throw newCannotBeHandledAs(kind, 'v1', kind, `json: cannot unmarshal ${jsonValueKind(value)} into Go struct field ${kind}.${field} of type []uint8`);
    }
    const at = goBase64CorruptAt(value);
    if (at >= 0) throw newCannotBeHandledAs(kind, 'v1', kind, corruptInputMessage(at));
    (map as Record<string, unknown>)[key] = Buffer.from(value, 'base64').toString('base64');
  }
}

/** Checks a map[string]string field as Go decodes it: null values are "", other non-strings a 400. */
export function decodeStringMap(obj: KubeObject, field: string, kind: string): void {
  const map = obj[field];
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return;
  for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
    if (value === null) (map as Record<string, unknown>)[key] = '';
    else if (typeof value !== 'string') {
      const kindOfValue = Array.isArray(value) ? 'array' : jsonValueKind(value);
      throw newCannotBeHandledAs(kind, 'v1', kind, `json: cannot unmarshal ${kindOfValue} into Go struct field ${kind}.${field} of type string`);
    }
  }
}

/** The decoded size of a base64 value (already checked by decodeByteMap). */
export function decodedLength(value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}
