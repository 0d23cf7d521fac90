// ObjectMeta validation on create and update (k8s.io/apimachinery/pkg/api/validation/objectmeta.go),
// with kube's field paths and messages.
import type { FieldError } from '../../endpoints/status.js';
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, keyPath, childPath } from './field-errors.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from './names.js';
import { deepEqual } from '../deep-equal.js';

type Meta = Record<string, any>;

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const FIELD_IMMUTABLE = 'field is immutable';

export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    for (const msg of isQualifiedName(key)) errors.push(fieldInvalid(path, key, msg));
    if (typeof value === 'string') for (const msg of isValidLabelValue(value)) errors.push(fieldInvalid(keyPath(path, key), value, msg));
  }
  return errors;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
    for (const msg of isQualifiedName(key.toLowerCase())) errors.push(fieldInvalid(path, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value ?? ''));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errors.push(fieldTooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errors;
}

export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const errors: FieldError[] = [];
  for (const finalizer of finalizers) for (const msg of isQualifiedName(String(finalizer))) errors.push(fieldInvalid(path, finalizer, msg));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errors.push(fieldInvalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errors;
}

function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  if (!Array.isArray(refs)) return [];
  const errors: FieldError[] = [];
  let controllers = 0;
  refs.forEach((ref: Meta) => {
    if (!ref.apiVersion) errors.push(fieldRequired(childPath(path, 'apiVersion'), 'must not be empty'));
    else if (String(ref.apiVersion).split('/').length > 2) errors.push(fieldInvalid(childPath(path, 'apiVersion'), ref.apiVersion, 'must be <group>/<version> or <version>'));
    if (!ref.kind) errors.push(fieldRequired(childPath(path, 'kind'), 'must not be empty'));
    if (!ref.name) errors.push(fieldRequired(childPath(path, 'name'), 'must not be empty'));
    if (!ref.uid) errors.push(fieldRequired(childPath(path, 'uid'), 'must not be empty'));
    if (ref.controller === true) controllers++;
  });
  if (controllers > 1) errors.push(fieldInvalid(path, refs, 'Only one reference can have Controller set to true'));
  return errors;
}

function validateNonNegative(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldInvalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** ValidateObjectMetaAccessor for create (after name generation). */
export function validateObjectMeta(meta: Meta, opts: { namespaced: boolean; nameFn: NameValidator }, path = 'metadata'): FieldError[] {
  const errors: FieldError[] = [];
  if (meta.generateName) for (const msg of opts.nameFn(meta.generateName, true)) errors.push(fieldInvalid(childPath(path, 'generateName'), meta.generateName, msg));
  if (!meta.name) errors.push(fieldRequired(childPath(path, 'name'), 'name or generateName is required'));
  else for (const msg of opts.nameFn(meta.name, false)) errors.push(fieldInvalid(childPath(path, 'name'), meta.name, msg));
  if (opts.namespaced) {
    if (!meta.namespace) errors.push(fieldRequired(childPath(path, 'namespace')));
    else for (const msg of isDNS1123Label(meta.namespace)) errors.push(fieldInvalid(childPath(path, 'namespace'), meta.namespace, msg));
  } else if (meta.namespace) {
    errors.push(fieldForbidden(childPath(path, 'namespace'), 'not allowed on this type'));
  }
  errors.push(...validateNonNegative(meta.generation, childPath(path, 'generation')));
  errors.push(...validateLabels(meta.labels, childPath(path, 'labels')));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, 'annotations')));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')));
  errors.push(...validateFinalizers(meta.finalizers, childPath(path, 'finalizers')));
  return errors;
}

function immutable(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return deepEqual(newValue ?? null, oldValue ?? null) ? [] : [fieldInvalid(path, newValue ?? null, FIELD_IMMUTABLE)];
}

/** ValidateObjectMetaAccessorUpdate. */
export function validateObjectMetaUpdate(meta: Meta, old: Meta, path = 'metadata'): FieldError[] {
  const errors: FieldError[] = [];
  if (old.deletionTimestamp) {
    const added = (meta.finalizers ?? []).filter((f: string) => !(old.finalizers ?? []).includes(f));
    if (added.length > 0) {
      errors.push(fieldForbidden(childPath(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f: string) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  if (!meta.resourceVersion) errors.push(fieldInvalid(childPath(path, 'resourceVersion'), meta.resourceVersion ?? '', 'must be specified for an update'));
  errors.push(...validateNonNegative(meta.generation, childPath(path, 'generation')));
  if (typeof meta.generation === 'number' && typeof old.generation === 'number' && meta.generation < old.generation) {
    errors.push(fieldInvalid(childPath(path, 'generation'), meta.generation, 'must not be decremented'));
  }
  errors.push(...immutable(meta.name, old.name, childPath(path, 'name')));
  errors.push(...immutable(meta.namespace, old.namespace, childPath(path, 'namespace')));
  errors.push(...immutable(meta.uid, old.uid, childPath(path, 'uid')));
  errors.push(...immutable(meta.creationTimestamp, old.creationTimestamp, childPath(path, 'creationTimestamp')));
  errors.push(...validateLabels(meta.labels, childPath(path, 'labels')));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, 'annotations')));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')));
  return errors;
}
