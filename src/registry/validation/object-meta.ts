// ObjectMeta validation on create and update: k8s.io/apimachinery/pkg/api/validation/objectmeta.go and
// pkg/apis/meta/v1/validation (labels, managedFields), kube 1.32, with kube's field paths, messages
// and the values printed as Go prints kube's typed fields (see go-value.ts).
import type { FieldError } from '../../endpoints/status.js';
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, childPath, keyPath } from './field-errors.js';
import { GoLiteral, goPointer, goStringSlice, goTime, compareBytes } from './go-value.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { isQualifiedName, isValidLabelValue, validateNamespaceName, type NameValidator } from './names.js';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
export const FIELD_MANAGER_MAX_LENGTH = 128;
export const MAX_SUBRESOURCE_NAME_LENGTH = 256;

/** ObjectMeta as decoded JSON; absent fields read as Go's zero values. */
export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  ownerReferences?: OwnerReferenceLike[] | null;
  finalizers?: string[] | null;
  managedFields?: ManagedFieldsEntryLike[] | null;
  [other: string]: unknown;
}

export interface OwnerReferenceLike {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean | null;
  blockOwnerDeletion?: boolean | null;
}

export interface ManagedFieldsEntryLike {
  manager?: string;
  operation?: string;
  fieldsType?: string;
  subresource?: string;
  [other: string]: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** v1validation.ValidateLabelName */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
}

/** v1validation.ValidateLabels: a bad value is reported on the map's path, not the key's. */
export function validateLabels(labels: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    errors.push(...validateLabelName(key, path));
    for (const msg of isValidLabelValue(str(value))) errors.push(fieldInvalid(path, str(value), msg));
  }
  return errors;
}

/** ValidateAnnotationsSize: keys and values in bytes against 256 KiB. */
export function annotationsSize(annotations: Record<string, string> | null | undefined): number {
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) size += Buffer.byteLength(key) + Buffer.byteLength(str(value));
  return size;
}

/** ValidateAnnotations: keys are qualified names in any case; the total size is bounded. */
export function validateAnnotations(annotations: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of Object.keys(annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errors.push(fieldInvalid(path, key, msg));
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT) errors.push(fieldTooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errors;
}

/** schema.ParseGroupVersion as FromAPIVersionAndKind uses it: a malformed apiVersion has no version. */
function versionOf(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const slashes = apiVersion.split('/').length - 1;
  if (slashes === 0) return { group: '', version: apiVersion };
  if (slashes === 1) {
    const i = apiVersion.indexOf('/');
    return { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
  }
  return { group: '', version: '' };
}

/** %#v of a metav1.OwnerReference (pointers print as addresses, which differ per run in kube too). */
function goOwnerReference(ref: OwnerReferenceLike): string {
  return (
    `v1.OwnerReference{APIVersion:${goQuote(str(ref.apiVersion))}, Kind:${goQuote(str(ref.kind))}, Name:${goQuote(str(ref.name))}, ` +
    `UID:${goQuote(str(ref.uid))}, Controller:${goPointer('bool', ref.controller)}, BlockOwnerDeletion:${goPointer('bool', ref.blockOwnerDeletion)}}`
  );
}

function validateOwnerReference(ref: OwnerReferenceLike, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const gv = versionOf(str(ref.apiVersion));
  const kind = str(ref.kind);
  if (!gv.version) errors.push(fieldInvalid(childPath(path, 'apiVersion'), str(ref.apiVersion), 'version must not be empty'));
  if (!kind) errors.push(fieldInvalid(childPath(path, 'kind'), kind, 'kind must not be empty'));
  if (!str(ref.name)) errors.push(fieldInvalid(childPath(path, 'name'), str(ref.name), 'name must not be empty'));
  if (!str(ref.uid)) errors.push(fieldInvalid(childPath(path, 'uid'), str(ref.uid), 'uid must not be empty'));
  // BannedOwners: core/v1 Event. The GVK prints as GroupVersionKind.String().
  if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
    errors.push(fieldInvalid(path, new GoLiteral(goOwnerReference(ref)), `${gv.group}/${gv.version}, Kind=${kind} is disallowed from being an owner`));
  }
  return errors;
}

/** ValidateOwnerReferences: every reference on the list's path (no index), one controller at most. */
export function validateOwnerReferences(refs: OwnerReferenceLike[] | null | undefined, path: string): FieldError[] {
  const list = refs ?? [];
  const errors: FieldError[] = [];
  let firstController = '';
  for (const ref of list) {
    errors.push(...validateOwnerReference(ref, path));
    if (ref.controller !== true) continue;
    const current = `${str(ref.kind)}/${str(ref.name)}`;
    if (!firstController) firstController = current;
    else {
      const all = new GoLiteral(`[]v1.OwnerReference{${list.map(goOwnerReference).join(', ')}}`);
      errors.push(fieldInvalid(path, all, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`));
    }
  }
  return errors;
}

/** ValidateFinalizerName: on the list's path, not indexed. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
}

/** ValidateFinalizers: names, and orphan with foregroundDeletion refused together. */
export function validateFinalizers(finalizers: string[] | null | undefined, path: string): FieldError[] {
  const list = finalizers ?? [];
  const errors = list.flatMap((f) => validateFinalizerName(str(f), path));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errors.push(fieldInvalid(path, goStringSlice(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errors;
}

/** ValidateNoNewFinalizers: an object being deleted takes no new finalizers (named sorted, as %#v). */
export function validateNoNewFinalizers(newFinalizers: string[] | null | undefined, oldFinalizers: string[] | null | undefined, path: string): FieldError[] {
  const old = new Set(oldFinalizers ?? []);
  const extra = [...new Set((newFinalizers ?? []).filter((f) => !old.has(f)))].sort(compareBytes);
  if (extra.length === 0) return [];
  return [fieldForbidden(path, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra).text}`)];
}

/** ValidateNonnegativeField */
export function validateNonnegativeField(value: number, path: string): FieldError[] {
  return value < 0 ? [fieldInvalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const isPrint = (ch: string) => ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);

/** fmt's %#U of a rune that is not printable: "U+0007". */
const goRuneU = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** v1validation.ValidateFieldManager: at most 128 bytes, printable characters only (position in bytes). */
export function validateFieldManager(manager: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errors.push(fieldTooLong(path, FIELD_MANAGER_MAX_LENGTH));
  let position = 0;
  for (const ch of manager) {
    const code = ch.codePointAt(0) ?? 0;
    // A lone surrogate is invalid UTF-8 to Go: U+FFFD, which is printable.
    if (!(code >= 0xd800 && code <= 0xdfff) && !isPrint(ch)) errors.push(fieldInvalid(path, manager, `invalid character ${goRuneU(code)} (at position ${position})`));
    position += Buffer.byteLength(ch);
  }
  return errors;
}

/** v1validation.ValidateManagedFields */
export function validateManagedFields(entries: ManagedFieldsEntryLike[] | null | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (entries ?? []).forEach((entry, i) => {
    const entryPath = keyPath(path, i);
    const operation = str(entry.operation);
    if (operation !== 'Apply' && operation !== 'Update') errors.push(fieldInvalid(childPath(entryPath, 'operation'), operation, 'must be `Apply` or `Update`'));
    const fieldsType = str(entry.fieldsType);
    if (fieldsType && fieldsType !== 'FieldsV1') errors.push(fieldInvalid(childPath(entryPath, 'fieldsType'), fieldsType, 'must be `FieldsV1`'));
    errors.push(...validateFieldManager(str(entry.manager), childPath(entryPath, 'manager')));
    if (Buffer.byteLength(str(entry.subresource)) > MAX_SUBRESOURCE_NAME_LENGTH) errors.push(fieldTooLong(childPath(entryPath, 'subresource'), MAX_SUBRESOURCE_NAME_LENGTH));
  });
  return errors;
}

export interface ObjectMetaOptions {
  /** requiresNamespace: the resource is namespaced. */
  namespaced: boolean;
  /** The resource's ValidateNameFunc. */
  nameFn: NameValidator;
}

/** ValidateObjectMetaAccessor: on create, after name generation. */
export function validateObjectMeta(meta: ObjectMetaLike, opts: ObjectMetaOptions, path = 'metadata'): FieldError[] {
  const errors: FieldError[] = [];
  const generateName = str(meta.generateName);
  const name = str(meta.name);
  const namespace = str(meta.namespace);
  if (generateName) for (const msg of opts.nameFn(generateName, true)) errors.push(fieldInvalid(childPath(path, 'generateName'), generateName, msg));
  if (!name) errors.push(fieldRequired(childPath(path, 'name'), 'name or generateName is required'));
  else for (const msg of opts.nameFn(name, false)) errors.push(fieldInvalid(childPath(path, 'name'), name, msg));
  if (opts.namespaced) {
    if (!namespace) errors.push(fieldRequired(childPath(path, 'namespace'), ''));
    else for (const msg of validateNamespaceName(namespace, false)) errors.push(fieldInvalid(childPath(path, 'namespace'), namespace, msg));
  } else if (namespace) {
    errors.push(fieldForbidden(childPath(path, 'namespace'), 'not allowed on this type'));
  }
  errors.push(...validateNonnegativeField(meta.generation ?? 0, childPath(path, 'generation')));
  errors.push(...validateLabels(meta.labels, childPath(path, 'labels')));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, 'annotations')));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')));
  errors.push(...validateFinalizers(meta.finalizers, childPath(path, 'finalizers')));
  errors.push(...validateManagedFields(meta.managedFields, childPath(path, 'managedFields')));
  return errors;
}

/** metav1.Time compared as apiequality.Semantic does: the same instant (absent = zero time). */
function sameTime(a: string | null | undefined, b: string | null | undefined): boolean {
  const ta = a ? Date.parse(a) : NaN;
  const tb = b ? Date.parse(b) : NaN;
  if (Number.isNaN(ta) || Number.isNaN(tb)) return (a || '') === (b || '');
  return ta === tb;
}

/** ValidateImmutableField for a string field. */
function immutableString(newValue: string | undefined, oldValue: string | undefined, path: string): FieldError[] {
  return str(newValue) === str(oldValue) ? [] : [fieldInvalid(path, str(newValue), FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateObjectMetaAccessorUpdate */
export function validateObjectMetaUpdate(meta: ObjectMetaLike, old: ObjectMetaLike, path = 'metadata'): FieldError[] {
  const errors: FieldError[] = [];
  if (old.deletionTimestamp) errors.push(...validateNoNewFinalizers(meta.finalizers, old.finalizers, childPath(path, 'finalizers')));
  if (!str(meta.resourceVersion)) errors.push(fieldInvalid(childPath(path, 'resourceVersion'), str(meta.resourceVersion), 'must be specified for an update'));
  if ((meta.generation ?? 0) < (old.generation ?? 0)) errors.push(fieldInvalid(childPath(path, 'generation'), meta.generation ?? 0, 'must not be decremented'));
  errors.push(...immutableString(meta.name, old.name, childPath(path, 'name')));
  errors.push(...immutableString(meta.namespace, old.namespace, childPath(path, 'namespace')));
  errors.push(...immutableString(meta.uid, old.uid, childPath(path, 'uid')));
  if (!sameTime(meta.creationTimestamp, old.creationTimestamp)) {
    errors.push(fieldInvalid(childPath(path, 'creationTimestamp'), goTime(meta.creationTimestamp), FIELD_IMMUTABLE_ERROR_MSG));
  }
  // Pointer fields: nil prints as "null".
  const newDeletion = meta.deletionTimestamp ?? null;
  const oldDeletion = old.deletionTimestamp ?? null;
  if ((newDeletion === null) !== (oldDeletion === null) || (newDeletion !== null && !sameTime(newDeletion, oldDeletion))) {
    errors.push(fieldInvalid(childPath(path, 'deletionTimestamp'), newDeletion === null ? null : goTime(newDeletion), FIELD_IMMUTABLE_ERROR_MSG));
  }
  const newGrace = meta.deletionGracePeriodSeconds ?? null;
  if (newGrace !== (old.deletionGracePeriodSeconds ?? null)) {
    errors.push(fieldInvalid(childPath(path, 'deletionGracePeriodSeconds'), newGrace, FIELD_IMMUTABLE_ERROR_MSG));
  }
  errors.push(...validateLabels(meta.labels, childPath(path, 'labels')));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, 'annotations')));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')));
  errors.push(...validateManagedFields(meta.managedFields, childPath(path, 'managedFields')));
  return errors;
}
