// PartialObjectMetadata and PartialObjectMetadataList (meta.k8s.io), as kube's
// meta.AsPartialObjectMetadata and handlers/response.go build them: typed objects, so the fields come
// in metav1.ObjectMeta's order whatever the order of the stored object.
import type { KubeObject } from '../../registry/resource.js';

export interface ListMetaFields {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: Record<string, unknown>;
}

export interface PartialObjectMetadataList {
  kind: 'PartialObjectMetadataList';
  apiVersion: string;
  metadata: Record<string, unknown>;
  /** null for an empty list: kube appends to a nil slice, and `items` has no omitempty. */
  items: PartialObjectMetadata[] | null;
}

type Json = Record<string, unknown>;

// metav1.ObjectMeta's JSON fields in struct order (types.go); all omitempty but creationTimestamp,
// which Go writes as null when unset.
const OBJECT_META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
] as const;

const OWNER_REFERENCE_FIELDS = ['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'];
const MANAGED_FIELDS_ENTRY_FIELDS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'];

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

// Go pointers (*bool, *int64) are omitted only when nil: false and 0 are written.
const POINTER_FIELDS = new Set(['controller', 'blockOwnerDeletion', 'deletionGracePeriodSeconds']);

function omitted(field: string, value: unknown): boolean {
  return POINTER_FIELDS.has(field) ? value === undefined || value === null : isEmpty(value);
}

function ordered(source: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const field of fields) if (!omitted(field, source[field])) out[field] = source[field];
  return out;
}

/** Go writes map[string]string with sorted keys. */
function sortedStringMap(map: unknown): Json {
  const out = Object.create(null) as Json;
  for (const key of Object.keys(map as Json).sort(compareGoStrings)) out[key] = (map as Json)[key];
  return out;
}

/** Go compares strings by their UTF-8 bytes. */
export function compareGoStrings(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

/** metav1.ObjectMeta of an object, re-ordered and with empty fields dropped as Go's omitempty does. */
export function typedObjectMeta(metadata: Json | undefined): Json {
  const meta = metadata ?? {};
  const out: Json = {};
  for (const field of OBJECT_META_FIELDS) {
    const value = meta[field];
    if (field === 'creationTimestamp') {
      // A zero metav1.Time is not omitted: it is written as null.
      out[field] = isEmpty(value) ? null : value;
      continue;
    }
    if (omitted(field, value)) continue;
    if (field === 'labels' || field === 'annotations') out[field] = sortedStringMap(value);
    else if (field === 'ownerReferences') out[field] = (value as Json[]).map((ref) => ordered(ref, OWNER_REFERENCE_FIELDS));
    else if (field === 'managedFields') out[field] = (value as Json[]).map((entry) => ordered(entry, MANAGED_FIELDS_ENTRY_FIELDS));
    else out[field] = value;
  }
  return out;
}

/** kube's AsPartialObjectMetadata with the GVK `<group/version>, Kind=PartialObjectMetadata`. */
export function asPartialObjectMetadata(obj: KubeObject, version: 'v1' | 'v1beta1' = 'v1'): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: typedObjectMeta(obj.metadata as Json | undefined) };
}

/** metav1.ListMeta in struct order (selfLink, resourceVersion, continue, remainingItemCount), omitempty. */
export function typedListMeta(meta: ListMetaFields | undefined): Json {
  const out: Json = {};
  if (meta?.resourceVersion) out.resourceVersion = meta.resourceVersion;
  if (meta?.continue) out.continue = meta.continue;
  // A *int64: present whenever set, even to 0.
  if (meta?.remainingItemCount !== undefined && meta.remainingItemCount !== null) out.remainingItemCount = meta.remainingItemCount;
  return out;
}

/** kube's asPartialObjectMetadataList: each item as PartialObjectMetadata, with the list's ListMeta. */
export function asPartialObjectMetadataList(items: KubeObject[], listMeta: ListMetaFields | undefined, version: 'v1' | 'v1beta1' = 'v1'): PartialObjectMetadataList {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: typedListMeta(listMeta),
    // kube appends each item to a nil slice, so an empty list is written as `"items": null`.
    items: items.length === 0 ? null : items.map((item) => asPartialObjectMetadata(item, version)),
  };
}
