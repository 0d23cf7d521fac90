// Stored objects are shared by every reader: frozen so that nobody changes them by accident.
import { deepEqual } from '../registry/deep-equal.js';
import type { StoredObject } from './interface.js';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

/** Equal but for metadata.resourceVersion: an update that would store this writes nothing. */
export function sameObject(a: StoredObject, b: StoredObject): boolean {
  const { resourceVersion: _a, ...metaA } = a.metadata ?? {};
  const { resourceVersion: _b, ...metaB } = b.metadata ?? {};
  return deepEqual({ ...a, metadata: metaA }, { ...b, metadata: metaB });
}
