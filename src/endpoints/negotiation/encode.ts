// Response bodies as kube-apiserver's serializers write them (apimachinery runtime/serializer/json
// doEncode): JSON through Go's encoder (a trailing newline, `<`, `>`, `&` escaped), indented JSON
// with two spaces and no trailing newline, and YAML converted from the JSON.
import { escapeHtml, goJsonMarshal } from '../table/jsonpath.js';
import { encodeYAML } from './yaml-encode.js';
import type { SerializedMediaType } from './media-types.js';

export { encodeYAML };

/**
 * json.NewEncoder(w).Encode(obj), or json.MarshalIndent(obj, "", "  ") when pretty. `sortKeys`
 * writes every object's keys in Go's map order (sorted bytes), as kube does for unstructured objects
 * (custom resources), which are Go maps rather than structs.
 */
export function encodeJSON(obj: unknown, pretty: boolean, sortKeys = false): string {
  const value = sortKeys ? JSON.parse(goJsonMarshal(obj)) : obj;
  return pretty ? escapeHtml(JSON.stringify(value, null, 2)) : `${escapeHtml(JSON.stringify(value))}\n`;
}

/** The body for a negotiated media type (YAML has no pretty variant: it is always indented). */
export function encodeBody(obj: unknown, mediaType: SerializedMediaType, pretty: boolean, sortKeys = false): string {
  return mediaType === 'application/yaml' ? encodeYAML(obj) : encodeJSON(obj, pretty, sortKeys);
}
