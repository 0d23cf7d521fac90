// Conversion between the versions of one resource (kube's runtime.ObjectConvertor for custom
// resources): objects are stored in the storage version and served in the requested one.
import type { KubeObject } from './resource.js';

export interface VersionConverter {
  /** The apiVersion objects are written in, e.g. "stable.example.com/v1". */
  readonly storageAPIVersion: string;
  /**
   * Converts objects to `toAPIVersion`; those already there are returned untouched. `listKind`
   * names the list they came in (kube names the list kind in a failing list's error).
   * Throws a StatusError that the client sees as is.
   */
  convert(objects: KubeObject[], toAPIVersion: string, listKind?: string): Promise<KubeObject[]>;
}

/** Whether any of the objects needs converting (the common case of one version needs none). */
export function needsConversion(objects: KubeObject[], toAPIVersion: string): boolean {
  return objects.some((obj) => obj.apiVersion !== toAPIVersion);
}
