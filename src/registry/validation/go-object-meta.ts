// fmt's %#v of a metav1.ObjectMeta (kube 1.32 field order), as a field error prints an object's whole
// metadata (e.g. the reviews' "metadata: Invalid value: v1.ObjectMeta{...}: must be empty"). Pointers
// print as Go prints them (nil, or an address that differs per run); times through time.Time's
// GoString (a decoded time is in time.Local, which is UTC on a server).
import { goQuote } from '../../endpoints/go-strconv.js';
import { GoLiteral, compareBytes, goPointer } from './go-value.js';

type Json = Record<string, unknown>;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** time.Time's GoString: the zero time is time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC). */
function goTimeDate(value: unknown): string {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) return 'time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)';
  const d = new Date(ms);
  const nanos = Number((/\.(\d+)/.exec(String(value))?.[1] ?? '').padEnd(9, '0').slice(0, 9) || '0');
  return `time.Date(${d.getUTCFullYear()}, time.${MONTHS[d.getUTCMonth()]}, ${d.getUTCDate()}, ${d.getUTCHours()}, ${d.getUTCMinutes()}, ${d.getUTCSeconds()}, ${nanos}, time.Local)`;
}

const str = (value: unknown): string => goQuote(typeof value === 'string' ? value : '');

function stringMap(value: unknown): string {
  if (!value || typeof value !== 'object') return 'map[string]string(nil)';
  const entries = value as Json;
  const keys = Object.keys(entries).sort(compareBytes);
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${str(entries[k])}`).join(', ')}}`;
}

function stringSlice(value: unknown): string {
  return Array.isArray(value) ? `[]string{${value.map(str).join(', ')}}` : '[]string(nil)';
}

function structSlice(type: string, value: unknown, print: (item: Json) => string): string {
  if (!Array.isArray(value)) return `[]${type}(nil)`;
  return `[]${type}{${value.map((item) => print((item ?? {}) as Json)).join(', ')}}`;
}

function ownerReference(ref: Json): string {
  return `v1.OwnerReference{APIVersion:${str(ref.apiVersion)}, Kind:${str(ref.kind)}, Name:${str(ref.name)}, UID:${str(ref.uid)}, Controller:${goPointer('bool', ref.controller)}, BlockOwnerDeletion:${goPointer('bool', ref.blockOwnerDeletion)}}`;
}

function managedFieldsEntry(entry: Json): string {
  const time = entry.time === undefined || entry.time === null ? '<nil>' : goTimeDate(entry.time);
  return `v1.ManagedFieldsEntry{Manager:${str(entry.manager)}, Operation:${str(entry.operation)}, APIVersion:${str(entry.apiVersion)}, Time:${time}, FieldsType:${str(entry.fieldsType)}, FieldsV1:${goPointer('v1.FieldsV1', entry.fieldsV1)}, Subresource:${str(entry.subresource)}}`;
}

export function goObjectMeta(meta: Json | undefined): GoLiteral {
  const m = meta ?? {};
  const generation = typeof m.generation === 'number' ? String(Math.trunc(m.generation)) : '0';
  const deletion = m.deletionTimestamp === undefined || m.deletionTimestamp === null ? '<nil>' : goTimeDate(m.deletionTimestamp);
  const fields = [
    `Name:${str(m.name)}`,
    `GenerateName:${str(m.generateName)}`,
    `Namespace:${str(m.namespace)}`,
    `SelfLink:${str(m.selfLink)}`,
    `UID:${str(m.uid)}`,
    `ResourceVersion:${str(m.resourceVersion)}`,
    `Generation:${generation}`,
    `CreationTimestamp:${goTimeDate(m.creationTimestamp)}`,
    `DeletionTimestamp:${deletion}`,
    `DeletionGracePeriodSeconds:${goPointer('int64', m.deletionGracePeriodSeconds)}`,
    `Labels:${stringMap(m.labels)}`,
    `Annotations:${stringMap(m.annotations)}`,
    `OwnerReferences:${structSlice('v1.OwnerReference', m.ownerReferences, ownerReference)}`,
    `Finalizers:${stringSlice(m.finalizers)}`,
    `ManagedFields:${structSlice('v1.ManagedFieldsEntry', m.managedFields, managedFieldsEntry)}`,
  ];
  return new GoLiteral(`v1.ObjectMeta{${fields.join(', ')}}`);
}

/**
 * apiequality.Semantic.DeepEqual(metav1.ObjectMeta{}, meta) with some fields left out: every field
 * zero, where nil and empty maps and slices are equal and a null time is the zero time.
 */
export function objectMetaIsEmpty(meta: Json | undefined, ignoring: readonly string[] = []): boolean {
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (ignoring.includes(key)) continue;
    if (value === undefined || value === null || value === '' || value === 0) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) continue;
    return false;
  }
  return true;
}
