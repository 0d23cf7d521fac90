// The discovery state of the whole server chain: every layer registers the group-versions it serves,
// and the aggregator renders kube's discovery documents from it. Documents are built once per change
// and cached (kube's resourceDiscoveryManager does the same with its atomic cache pointer).
import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../../registry/resource.js';
import { aggregatedFromAPIResources, aggregatedResourcesOf, apiResourcesOf, type DiscoverySource } from './resources.js';
import type { APIGroupDiscovery, APIResource, APIResourceDiscovery, APIVersionDiscovery, GroupVersionForDiscovery } from './types.js';
import { compareKubeAwareVersions, defaultPriority, type GroupVersionPriority } from './version-priority.js';

export interface DiscoveryGroupVersion {
  /** "" for the core group served under /api. */
  group: string;
  version: string;
  resources: ResourceDefinition[];
  /** APIService-like priority; built-ins default to kube's table, others to the CRD priority. */
  priority?: GroupVersionPriority;
  /** Whose conventions the resource lists follow (default: built-in). */
  source?: DiscoverySource;
  /**
   * The resource list as another server reported it (an aggregated API server's APIResourceList),
   * used instead of `resources`.
   */
  apiResources?: APIResource[];
  /** "Stale" when the list could not be refreshed (kube-aggregator marks unreachable APIServices so). */
  freshness?: 'Current' | 'Stale';
  /** The resources as an aggregated API server published them in its aggregated discovery. */
  aggregatedResources?: APIResourceDiscovery[];
}

export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** An aggregated discovery document and its ETag (SHA-512 of its JSON, upper-case hex, as kube). */
export interface AggregatedDocument {
  items: APIGroupDiscovery[];
  etag: string;
}

interface Entry {
  group: string;
  version: string;
  resources: ResourceDefinition[];
  priority: GroupVersionPriority;
  source: DiscoverySource;
  apiResources?: APIResource[];
  freshness: 'Current' | 'Stale';
  aggregatedResources?: APIResourceDiscovery[];
}

interface Cache {
  groupList?: APIGroup[];
  groups: Map<string, APIGroup | undefined>;
  resourceLists: Map<string, APIResource[] | undefined>;
  aggregatedApi?: AggregatedDocument;
  aggregatedApis?: AggregatedDocument;
}

function gvKey(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Higher versionPriority first, then kube-aware version order (kube's ByVersionPriority). */
function compareVersions(a: Entry, b: Entry): number {
  if (a.priority.version !== b.priority.version) return b.priority.version - a.priority.version;
  return compareKubeAwareVersions(b.version, a.version);
}

function toEntry(gv: DiscoveryGroupVersion): Entry {
  return {
    group: gv.group,
    version: gv.version,
    resources: [...gv.resources],
    priority: gv.priority ?? defaultPriority(gv.group, gv.version),
    source: gv.source ?? 'builtin',
    apiResources: gv.apiResources ? [...gv.apiResources] : undefined,
    freshness: gv.freshness ?? 'Current',
    aggregatedResources: gv.aggregatedResources,
  };
}

export class DiscoveryRegistry {
  /** What the layers serve themselves. */
  private readonly local = new Map<string, Entry>();
  /** Group-versions served by aggregated API servers (APIServices with a service): they shadow local ones. */
  private readonly remote = new Map<string, Entry>();
  /** local and remote merged. */
  private entries = new Map<string, Entry>();
  private cache: Cache = { groups: new Map(), resourceLists: new Map() };
  private readonly listeners = new Set<() => void>();

  addGroupVersion(gv: DiscoveryGroupVersion): void {
    this.local.set(gvKey(gv.group, gv.version), toEntry(gv));
    this.invalidate();
  }

  removeGroupVersion(group: string, version: string): void {
    if (this.local.delete(gvKey(group, version))) this.invalidate();
  }

  /** A group-version an aggregated API server serves (it hides a local one of the same name). */
  setRemoteGroupVersion(gv: DiscoveryGroupVersion): void {
    this.remote.set(gvKey(gv.group, gv.version), toEntry(gv));
    this.invalidate();
  }

  removeRemoteGroupVersion(group: string, version: string): void {
    if (this.remote.delete(gvKey(group, version))) this.invalidate();
  }

  /** The group-versions the layers serve themselves, with their priorities (for local APIServices). */
  localGroupVersions(): Array<{ group: string; version: string; priority: GroupVersionPriority; source: DiscoverySource }> {
    return [...this.local.values()].map((e) => ({ group: e.group, version: e.version, priority: e.priority, source: e.source }));
  }

  hasGroup(group: string): boolean {
    for (const e of this.entries.values()) if (e.group === group) return true;
    return false;
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.entries.has(gvKey(group, version));
  }

  /** Called after every change (e.g. to drop response caches elsewhere). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The versions served under /api, preferred first. */
  coreVersions(): string[] {
    return this.entriesOf('').map((e) => e.version);
  }

  /** /apis (legacy): groups in kube-aggregator's order (apiregistration's SortedByGroupAndVersion). */
  groupList(): APIGroup[] {
    this.cache.groupList ??= this.computeGroupList();
    return this.cache.groupList;
  }

  /** /apis/<group>, or undefined when nothing of the group is served. */
  group(name: string): APIGroup | undefined {
    if (!name) return undefined;
    if (!this.cache.groups.has(name)) {
      const versions = this.entriesOf(name);
      this.cache.groups.set(name, versions.length ? toAPIGroup(name, versions) : undefined);
    }
    return this.cache.groups.get(name);
  }

  /** The resources of /api/<v> or /apis/<g>/<v>, or undefined when the group-version is not served. */
  resourceList(group: string, version: string): APIResource[] | undefined {
    const key = gvKey(group, version);
    if (!this.cache.resourceLists.has(key)) {
      const entry = this.entries.get(key);
      this.cache.resourceLists.set(key, entry ? (entry.apiResources ?? apiResourcesOf(entry.resources, entry.source)) : undefined);
    }
    return this.cache.resourceLists.get(key);
  }

  /** Aggregated discovery for /api (the core group only) or /apis (every other group). */
  aggregated(root: 'api' | 'apis'): AggregatedDocument {
    if (root === 'api') {
      this.cache.aggregatedApi ??= withETag(this.computeAggregated(true));
      return this.cache.aggregatedApi;
    }
    this.cache.aggregatedApis ??= withETag(this.computeAggregated(false));
    return this.cache.aggregatedApis;
  }

  private invalidate(): void {
    this.entries = new Map([...this.local, ...this.remote]);
    this.cache = { groups: new Map(), resourceLists: new Map() };
    for (const listener of this.listeners) listener();
  }

  /** A group's entries, preferred version first. */
  private entriesOf(group: string): Entry[] {
    return [...this.entries.values()].filter((e) => e.group === group).sort(compareVersions);
  }

  private computeGroupList(): APIGroup[] {
    // Each group-version is an APIService named "<version>.<group>"; sorted by groupPriorityMinimum
    // (higher first) then name, a group takes the place of its first APIService.
    const services = [...this.entries.values()]
      .filter((e) => e.group !== '')
      .sort((a, b) => b.priority.group - a.priority.group || byteOrder(`${a.version}.${a.group}`, `${b.version}.${b.group}`));
    const order: string[] = [];
    for (const s of services) if (!order.includes(s.group)) order.push(s.group);
    return order.map((name) => toAPIGroup(name, this.entriesOf(name)));
  }

  private computeAggregated(core: boolean): APIGroupDiscovery[] {
    const groups = new Map<string, Entry[]>();
    for (const e of this.entries.values()) {
      if ((e.group === '') !== core) continue;
      const list = groups.get(e.group) ?? [];
      list.push(e);
      groups.set(e.group, list);
    }
    // A group's priority is the highest groupPriorityMinimum of its versions; ties go by name.
    const priorityOf = (entries: Entry[]) => Math.max(...entries.map((e) => e.priority.group));
    const names = [...groups.keys()].sort((a, b) => priorityOf(groups.get(b)!) - priorityOf(groups.get(a)!) || byteOrder(a, b));
    return names.map((name) => {
      const versions: APIVersionDiscovery[] = groups
        .get(name)!
        .sort(compareVersions)
        .map((e) => {
          const v: APIVersionDiscovery = { version: e.version };
          const resources = e.aggregatedResources ?? (e.apiResources ? aggregatedFromAPIResources(e.apiResources) : aggregatedResourcesOf(e.resources, e.source));
          if (resources.length) v.resources = resources;
          v.freshness = e.freshness;
          return v;
        });
      const metadata: APIGroupDiscovery['metadata'] = name ? { name, creationTimestamp: null } : { creationTimestamp: null };
      return { metadata, versions };
    });
  }
}

function toAPIGroup(name: string, versions: Entry[]): APIGroup {
  const list = versions.map((e) => ({ groupVersion: `${name}/${e.version}`, version: e.version }));
  return { name, versions: list, preferredVersion: list[0] };
}

function withETag(items: APIGroupDiscovery[]): AggregatedDocument {
  // kube hashes json.Marshal of the list as cached: no kind/apiVersion, an empty ListMeta.
  const json = JSON.stringify({ metadata: {}, items });
  return { items, etag: createHash('sha512').update(json).digest('hex').toUpperCase() };
}

