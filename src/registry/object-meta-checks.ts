// The ObjectMeta rules every resource shares, applied with the resource's own name rule.
import type { FieldError } from '../endpoints/status.js';
import type { KubeObject, ResourceDefinition } from './resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/object-meta.js';

export function validateObjectMetaFor(def: ResourceDefinition, obj: KubeObject): FieldError[] {
  return validateObjectMeta(obj.metadata ?? {}, { namespaced: def.namespaced, nameFn: def.validateName });
}

export function validateObjectMetaUpdateFor(_def: ResourceDefinition, obj: KubeObject, old: KubeObject): FieldError[] {
  return validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {});
}
