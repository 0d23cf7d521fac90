// metadata.managedFields for Update operations, as kube's fieldmanager records them: each manager
// owns the fields it last set; a field changed by one manager is taken from the others. Fields are
// named in FieldsV1 ("f:<name>", "k:{<merge keys>}" for list items, "v:<value>" for set items, "."
// for a map node itself). Lists are atomic except the metadata lists kube merges (finalizers, a set;
// ownerReferences, keyed by uid). Server-side apply builds on this.
import type { KubeObject } from './resource.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const SEP = '\u0000';

/** Metadata fields the server owns; they are never anyone's managed fields. */
const IGNORED_METADATA = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName',
]);

type PathSet = Set<string>;

function addPaths(value: unknown, prefix: string[], out: PathSet, inMetadata: boolean): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.add(prefix.join(SEP));
    return;
  }
  if (prefix.length > 0) out.add([...prefix, '.'].join(SEP));
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (inMetadata && IGNORED_METADATA.has(key)) continue;
    const path = [...prefix, `f:${key}`];
    if (inMetadata && key === 'finalizers' && Array.isArray(child)) {
      out.add([...path, '.'].join(SEP));
      for (const item of child) out.add([...path, `v:${JSON.stringify(item)}`].join(SEP));
    } else if (inMetadata && key === 'ownerReferences' && Array.isArray(child)) {
      out.add([...path, '.'].join(SEP));
      for (const ref of child as Array<Record<string, unknown>>) {
        const item = [...path, `k:${JSON.stringify({ uid: ref.uid })}`];
        addPaths(ref, item, out, false);
      }
    } else addPaths(child, path, out, false);
  }
}

/** The set of fields an object sets (without apiVersion, kind, server-owned metadata, and status unless asked). */
export function fieldSetOf(obj: KubeObject, part: 'main' | 'status'): PathSet {
  const out: PathSet = new Set();
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if ((key === 'status') !== (part === 'status')) continue;
    if (key === 'metadata') {
      for (const [metaKey, metaValue] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (IGNORED_METADATA.has(metaKey)) continue;
        addPaths({ [metaKey]: metaValue }, ['f:metadata'], out, true);
      }
      out.delete(['f:metadata', '.'].join(SEP));
      continue;
    }
    addPaths(value, [`f:${key}`], out, false);
  }
  return out;
}

function leafValues(obj: KubeObject, part: 'main' | 'status'): Map<string, string> {
  // A path's value fingerprint, to see which fields an update changed.
  const values = new Map<string, string>();
  const walk = (value: unknown, prefix: string[]) => {
    values.set(prefix.join(SEP), value !== null && typeof value === 'object' && !Array.isArray(value) ? '{}' : JSON.stringify(value));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...prefix, `f:${k}`]);
    }
  };
  for (const [key, value] of Object.entries(obj)) {
    if ((key === 'status') !== (part === 'status')) continue;
    walk(value, [`f:${key}`]);
  }
  return values;
}

export function toFieldsV1(paths: PathSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of [...paths].sort()) {
    let node = root;
    for (const segment of path.split(SEP)) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
  }
  return root;
}

export function fromFieldsV1(fields: Record<string, unknown>, prefix: string[] = [], out: PathSet = new Set()): PathSet {
  for (const [segment, child] of Object.entries(fields)) {
    const path = [...prefix, segment];
    const children = child as Record<string, unknown>;
    if (Object.keys(children).length === 0) out.add(path.join(SEP));
    else fromFieldsV1(children, path, out);
  }
  return out;
}

/** The fields of newObj that differ from oldObj (all of newObj's fields when there is no old object). */
function changedFields(newObj: KubeObject, oldObj: KubeObject | undefined, part: 'main' | 'status'): PathSet {
  const owned = fieldSetOf(newObj, part);
  if (!oldObj) return owned;
  const before = leafValues(oldObj, part);
  const after = leafValues(newObj, part);
  const changed: PathSet = new Set();
  for (const path of owned) {
    const valuePath = path.endsWith(`${SEP}.`) ? path.slice(0, -2) : path;
    if (before.get(valuePath) !== after.get(valuePath)) changed.add(path);
  }
  return changed;
}

export interface ManagerIdentity {
  manager: string;
  apiVersion: string;
  subresource?: string;
  time: string;
}

/** Computes newObj.metadata.managedFields after an Update by `who`. Returns the entries (kube order: by time, then manager). */
export function updateManagedFields(newObj: KubeObject, oldObj: KubeObject | undefined, who: ManagerIdentity): ManagedFieldsEntry[] {
  const part = who.subresource === 'status' ? 'status' : 'main';
  const previous: ManagedFieldsEntry[] = (oldObj?.metadata?.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  const changed = changedFields(newObj, oldObj, part);
  const present = new Set([...fieldSetOf(newObj, 'main'), ...fieldSetOf(newObj, 'status')]);
  const entries: ManagedFieldsEntry[] = [];
  let mine: PathSet = new Set();
  let mineTime = who.time;
  for (const entry of previous) {
    const paths = fromFieldsV1(entry.fieldsV1 ?? {});
    const isMine = entry.manager === who.manager && entry.operation === 'Update' && (entry.subresource ?? '') === (who.subresource ?? '') && entry.apiVersion === who.apiVersion;
    if (isMine) {
      mine = paths;
      mineTime = entry.time;
      continue;
    }
    // Fields this update changed move to the updater; fields that no longer exist belong to nobody.
    for (const path of [...paths]) if (changed.has(path) || !present.has(path)) paths.delete(path);
    if (paths.size > 0) entries.push({ ...entry, fieldsV1: toFieldsV1(paths) });
  }
  for (const path of [...mine]) if (!present.has(path)) mine.delete(path);
  for (const path of changed) mine.add(path);
  if (mine.size > 0) {
    const entry: ManagedFieldsEntry = {
      manager: who.manager,
      operation: 'Update',
      apiVersion: who.apiVersion,
      time: changed.size > 0 ? who.time : mineTime,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(mine),
    };
    if (who.subresource) entry.subresource = who.subresource;
    entries.push(entry);
  }
  return entries;
}

/** kube's default manager name: the User-Agent up to its first "/" (e.g. "kubectl"), at most 128 characters. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const slash = ua.indexOf('/');
  return (slash === -1 ? ua : ua.slice(0, slash)).slice(0, 128);
}
