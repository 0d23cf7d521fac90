// Conversion strategy None: versions differ only in apiVersion (kube's nopConverter).
import type { KubeObject } from '../../registry/resource.js';

export function convertNone(objects: KubeObject[], toAPIVersion: string): KubeObject[] {
  return objects.map((obj) => (obj.apiVersion === toAPIVersion ? obj : { ...obj, apiVersion: toAPIVersion }));
}
