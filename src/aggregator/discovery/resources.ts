// A group-version's ResourceDefinitions as kube lists them: the APIResourceList entries of
// /api/v1 and /apis/<g>/<v> (k8s.io/apiserver/pkg/endpoints/installer.go for built-ins,
// apiextensions-apiserver's DiscoveryController for CRDs) and the aggregated discovery entries
// (installer.go ConvertGroupVersionIntoToDiscovery).
import type { ResourceDefinition } from '../../registry/resource.js';
import { storageVersionHash } from './storage-version-hash.js';
import type { APIResource, APIResourceDiscovery, APISubresourceDiscovery, GroupVersionKind } from './types.js';

/**
 * Who serves the group-version decides small details kube leaves to each server: built-ins sort
 * resources by path and verbs alphabetically and leave responseKind's group/version empty; the CRD
 * discovery controller keeps its own order and writes the full group-version-kind.
 */
export type DiscoverySource = 'builtin' | 'crd';

/** Resources kube stores under another group-version-kind than the one served (events.k8s.io events are core Events). */
const STORAGE_KIND: Record<string, GroupVersionKind> = {
  'events.k8s.io/events': { group: '', version: 'v1', kind: 'Event' },
};

function storageKindOf(def: ResourceDefinition): GroupVersionKind {
  return STORAGE_KIND[`${def.group}/${def.resource}`] ?? { group: def.group, version: def.storageVersion ?? def.version, kind: def.kind };
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mainEntry(def: ResourceDefinition, source: DiscoverySource): APIResource {
  const entry: APIResource = {
    name: def.resource,
    singularName: def.singularName,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: source === 'builtin' ? [...def.verbs].sort(byteOrder) : [...def.verbs],
  };
  if (def.shortNames.length) entry.shortNames = [...def.shortNames];
  if (def.categories.length) entry.categories = [...def.categories];
  if (!def.virtual) {
    const storage = storageKindOf(def);
    entry.storageVersionHash = storageVersionHash(storage.group, storage.version, storage.kind);
  }
  return entry;
}

function subresourceEntries(def: ResourceDefinition, source: DiscoverySource): APIResource[] {
  return def.subresources.map((sub) => {
    // Key order follows the Go struct: group and version (only when they differ) come before kind.
    const entry = { name: `${def.resource}/${sub.name}`, singularName: '', namespaced: def.namespaced } as APIResource;
    const group = sub.group ?? def.group;
    const version = sub.version ?? def.version;
    if (group !== def.group || version !== def.version) {
      entry.group = group;
      entry.version = version;
    }
    entry.kind = sub.kind;
    entry.verbs = source === 'builtin' ? [...sub.verbs].sort(byteOrder) : [...sub.verbs];
    return entry;
  });
}

/** The `resources` of an APIResourceList. */
export function apiResourcesOf(defs: ResourceDefinition[], source: DiscoverySource = 'builtin'): APIResource[] {
  const entries: APIResource[] = [];
  for (const def of defs) entries.push(mainEntry(def, source), ...subresourceEntries(def, source));
  // The installer walks its storage paths sorted ("namespaces", "namespaces/finalize", "namespaces/status").
  if (source === 'builtin') entries.sort((a, b) => byteOrder(a.name, b.name));
  return entries;
}

/** The `resources` of an aggregated APIVersionDiscovery. */
export function aggregatedResourcesOf(defs: ResourceDefinition[], source: DiscoverySource = 'builtin'): APIResourceDiscovery[] {
  return aggregatedFromAPIResources(apiResourcesOf(defs, source), source === 'crd' ? defs : []);
}

/**
 * kube's ConvertGroupVersionIntoToDiscovery: resources first, then each subresource under its parent.
 * `qualified` lists resources whose response kinds carry their full group-version (the CRD controller's).
 */
export function aggregatedFromAPIResources(list: APIResource[], qualified: ResourceDefinition[] = []): APIResourceDiscovery[] {
  const source: DiscoverySource = qualified.length ? 'crd' : 'builtin';
  const defsByResource = new Map(qualified.map((d) => [d.resource, d]));
  const result: APIResourceDiscovery[] = [];
  const parents = new Map<string, APIResourceDiscovery>();
  for (const r of list) {
    if (r.name.includes('/')) continue;
    const def = defsByResource.get(r.name);
    const entry: APIResourceDiscovery = {
      resource: r.name,
      responseKind:
        source === 'crd' && def ? { group: def.group, version: def.version, kind: r.kind } : { group: r.group ?? '', version: r.version ?? '', kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName,
      verbs: r.verbs,
    };
    if (r.shortNames) entry.shortNames = r.shortNames;
    if (r.categories) entry.categories = r.categories;
    parents.set(r.name, entry);
    result.push(entry);
  }
  for (const r of list) {
    const slash = r.name.indexOf('/');
    if (slash < 0) continue;
    const parentName = r.name.slice(0, slash);
    let parent = parents.get(parentName);
    if (!parent) {
      // A subresource without its parent gets an empty parent, as kube does.
      parent = { resource: parentName, responseKind: { group: '', version: '', kind: '' }, scope: r.namespaced ? 'Namespaced' : 'Cluster', singularResource: '', verbs: [] };
      parents.set(parentName, parent);
      result.push(parent);
    }
    const def = defsByResource.get(parentName);
    const responseKind: GroupVersionKind =
      source === 'crd' && def
        ? { group: r.group ?? def.group, version: r.version ?? def.version, kind: r.kind }
        : { group: r.group ?? '', version: r.version ?? '', kind: r.kind };
    const sub: APISubresourceDiscovery = { subresource: r.name.slice(slash + 1), responseKind, verbs: r.verbs };
    (parent.subresources ??= []).push(sub);
  }
  return result;
}
