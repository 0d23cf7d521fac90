// Stored objects are frozen and never change, so each is serialized once: lists and watch events
// reuse the JSON text (with kube's HTML escapes) instead of encoding the same object again.
import { escapeHtml, goJsonMarshal } from '../table/jsonpath.js';

const plain = new WeakMap<object, string>();
const sorted = new WeakMap<object, string>();

/** The compact JSON of an object as kube writes it; `sortKeys` for custom resources (Go maps). */
export function cachedJSON(obj: object, sortKeys = false): string {
  const cache = sortKeys ? sorted : plain;
  let text = cache.get(obj);
  if (text === undefined) {
    text = escapeHtml(sortKeys ? goJsonMarshal(obj) : JSON.stringify(obj));
    // Only frozen objects cannot change behind the cache.
    if (Object.isFrozen(obj)) cache.set(obj, text);
  }
  return text;
}
