// The RBAC objects held in memory (kube's RBAC authorizer reads informer caches, never storage): one
// storage watch over rbac.authorization.k8s.io keeps roles, cluster roles and the bindings indexed by
// subject, so that an authorization costs a few map lookups whatever the number of objects.
import type { Logger } from 'pino';
import type { Storage, StoredObject } from '../../storage/interface.js';
import { normalizeRule, SERVICE_ACCOUNT_KIND, USER_KIND, GROUP_KIND, type PolicyRule, type RoleRef, type Subject } from '../../kube-apis/rbac/types.js';

const PREFIX = '/registry/rbac.authorization.k8s.io/';
const SA_PREFIX = 'system:serviceaccount:';

export interface BindingEntry {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

export interface RoleEntry {
  name: string;
  namespace: string;
  rules: PolicyRule[];
  labels: Record<string, string>;
}

type Kind = 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings';

/** "<kind>/<namespace>/<name>" or "<kind>/<name>" under the group's prefix. */
function parseKey(key: string): { kind: Kind; namespace: string; name: string } | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const parts = key.slice(PREFIX.length).split('/');
  const kind = parts[0] as Kind;
  if ((kind === 'roles' || kind === 'rolebindings') && parts.length === 3) return { kind, namespace: parts[1], name: parts[2] };
  if ((kind === 'clusterroles' || kind === 'clusterrolebindings') && parts.length === 2) return { kind, namespace: '', name: parts[1] };
  return undefined;
}

/** The keys under which a subject is found: "u:<name>", "g:<name>", "sa:<namespace>:<name>". */
function subjectKey(subject: Subject, bindingNamespace: string): string | undefined {
  if (!subject) return undefined;
  switch (subject.kind) {
    case USER_KIND:
      return `u:${subject.name}`;
    case GROUP_KIND:
      return `g:${subject.name}`;
    case SERVICE_ACCOUNT_KIND: {
      // A RoleBinding's service account defaults to the binding's namespace (kube's appliesToUser).
      const namespace = subject.namespace || bindingNamespace;
      return namespace ? `sa:${namespace}:${subject.name}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The subject keys a user answers to. */
export function userKeys(user: { name: string; groups: string[] }): string[] {
  const keys = [`u:${user.name}`];
  for (const group of user.groups) keys.push(`g:${group}`);
  if (user.name.startsWith(SA_PREFIX)) {
    const rest = user.name.slice(SA_PREFIX.length);
    const colon = rest.indexOf(':');
    // serviceaccount.MatchesUsername: exactly "<namespace>:<name>", both non-empty.
    if (colon > 0 && colon < rest.length - 1 && !rest.slice(colon + 1).includes(':')) keys.push(`sa:${rest.slice(0, colon)}:${rest.slice(colon + 1)}`);
  }
  return keys;
}

function toRole(obj: StoredObject, namespace: string, name: string): RoleEntry {
  const rules = Array.isArray(obj.rules) ? (obj.rules as Array<Partial<PolicyRule> | null>).filter((r) => r !== null).map(normalizeRule) : [];
  return { name, namespace, rules, labels: obj.metadata?.labels ?? {} };
}

function toBinding(obj: StoredObject, kind: BindingEntry['kind'], namespace: string, name: string): BindingEntry {
  const ref = obj.roleRef ?? {};
  return {
    kind,
    name,
    namespace,
    roleRef: { apiGroup: ref.apiGroup ?? '', kind: ref.kind ?? '', name: ref.name ?? '' },
    subjects: Array.isArray(obj.subjects) ? (obj.subjects as Subject[]).filter((s) => s !== null) : [],
  };
}

export class PolicyIndex {
  private readonly clusterRoles = new Map<string, RoleEntry>();
  /** "<namespace>/<name>" → role */
  private readonly roles = new Map<string, RoleEntry>();
  private readonly clusterBindings = new Map<string, BindingEntry>();
  /** "<namespace>/<name>" → binding */
  private readonly roleBindings = new Map<string, BindingEntry>();
  /** subject key → cluster role bindings naming it */
  private readonly clusterBySubject = new Map<string, Set<BindingEntry>>();
  /** "<namespace>\0<subject key>" → role bindings of that namespace naming it */
  private readonly namespacedBySubject = new Map<string, Set<BindingEntry>>();
  private readonly listeners = new Set<() => void>();
  private stopped = false;
  private stopWatch?: () => void;

  constructor(
    private readonly storage: Storage,
    private readonly logger?: Logger,
  ) {}

  /** Lists everything, then follows the watch; resolves once the initial state is in. */
  async start(): Promise<void> {
    const revision = await this.relist();
    void this.follow(revision);
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  /** Called after each change (the aggregation controller listens). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async relist(): Promise<string> {
    const { items, resourceVersion } = await this.storage.list(PREFIX, { recursive: true });
    this.clear();
    for (const obj of items) {
      const key = this.keyOf(obj);
      if (key) this.put(key, obj);
    }
    return resourceVersion;
  }

  /** Follows the watch from `revision`; re-lists when the watch ends (compaction, slow watcher). */
  private async follow(revision: string): Promise<void> {
    let from = revision;
    while (!this.stopped) {
      try {
        const watcher = await this.storage.watch(PREFIX, { resourceVersion: from, recursive: true });
        this.stopWatch = () => watcher.stop();
        if (this.stopped) watcher.stop();
        for await (const event of watcher) {
          if (event.type === 'ERROR') break;
          if (event.type === 'BOOKMARK' || !event.key) continue;
          from = String(event.revision);
          if (event.type === 'DELETED') this.remove(event.key);
          else this.put(event.key, event.object);
          this.notify();
        }
      } catch (err) {
        this.logger?.warn({ err }, 'RBAC policy watch failed; re-listing');
      }
      if (this.stopped) return;
      try {
        from = await this.relist();
        this.notify();
      } catch (err) {
        this.logger?.warn({ err }, 'RBAC policy re-list failed');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** The storage key of a listed object (lists carry no keys). */
  private keyOf(obj: StoredObject): string | undefined {
    const resource = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' }[obj.kind as string];
    const meta = obj.metadata ?? {};
    if (!resource || !meta.name) return undefined;
    return meta.namespace ? `${PREFIX}${resource}/${meta.namespace}/${meta.name}` : `${PREFIX}${resource}/${meta.name}`;
  }

  private clear(): void {
    this.clusterRoles.clear();
    this.roles.clear();
    this.clusterBindings.clear();
    this.roleBindings.clear();
    this.clusterBySubject.clear();
    this.namespacedBySubject.clear();
  }

  private put(key: string, obj: StoredObject): void {
    const parsed = parseKey(key);
    if (!parsed) return;
    const { kind, namespace, name } = parsed;
    this.remove(key);
    if (kind === 'clusterroles') this.clusterRoles.set(name, toRole(obj, '', name));
    else if (kind === 'roles') this.roles.set(`${namespace}/${name}`, toRole(obj, namespace, name));
    else if (kind === 'clusterrolebindings') {
      const binding = toBinding(obj, 'ClusterRoleBinding', '', name);
      this.clusterBindings.set(name, binding);
      this.indexBinding(binding, this.clusterBySubject, '');
    } else {
      const binding = toBinding(obj, 'RoleBinding', namespace, name);
      this.roleBindings.set(`${namespace}/${name}`, binding);
      this.indexBinding(binding, this.namespacedBySubject, `${namespace}\0`);
    }
  }

  private remove(key: string): void {
    const parsed = parseKey(key);
    if (!parsed) return;
    const { kind, namespace, name } = parsed;
    if (kind === 'clusterroles') this.clusterRoles.delete(name);
    else if (kind === 'roles') this.roles.delete(`${namespace}/${name}`);
    else if (kind === 'clusterrolebindings') {
      const old = this.clusterBindings.get(name);
      if (old) this.unindexBinding(old, this.clusterBySubject, '');
      this.clusterBindings.delete(name);
    } else {
      const old = this.roleBindings.get(`${namespace}/${name}`);
      if (old) this.unindexBinding(old, this.namespacedBySubject, `${namespace}\0`);
      this.roleBindings.delete(`${namespace}/${name}`);
    }
  }

  private indexBinding(binding: BindingEntry, index: Map<string, Set<BindingEntry>>, prefix: string): void {
    for (const subject of binding.subjects) {
      const key = subjectKey(subject, binding.namespace);
      if (!key) continue;
      let set = index.get(prefix + key);
      if (!set) index.set(prefix + key, (set = new Set()));
      set.add(binding);
    }
  }

  private unindexBinding(binding: BindingEntry, index: Map<string, Set<BindingEntry>>, prefix: string): void {
    for (const subject of binding.subjects) {
      const key = subjectKey(subject, binding.namespace);
      if (!key) continue;
      const set = index.get(prefix + key);
      set?.delete(binding);
      if (set?.size === 0) index.delete(prefix + key);
    }
  }

  /** Cluster role bindings naming any of the subject keys, each once. */
  clusterBindingsFor(keys: string[]): BindingEntry[] {
    return this.collect(keys, this.clusterBySubject, '');
  }

  /** Role bindings of a namespace naming any of the subject keys, each once. */
  roleBindingsFor(namespace: string, keys: string[]): BindingEntry[] {
    return this.collect(keys, this.namespacedBySubject, `${namespace}\0`);
  }

  private collect(keys: string[], index: Map<string, Set<BindingEntry>>, prefix: string): BindingEntry[] {
    let found: BindingEntry[] | undefined;
    for (const key of keys) {
      const set = index.get(prefix + key);
      if (!set) continue;
      found ??= [];
      for (const binding of set) if (!found.includes(binding)) found.push(binding);
    }
    if (!found) return [];
    // Go's listers give no order; name order makes answers (rules reviews) stable.
    return found.length > 1 ? found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : found;
  }

  clusterRole(name: string): RoleEntry | undefined {
    return this.clusterRoles.get(name);
  }

  role(namespace: string, name: string): RoleEntry | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  allClusterRoles(): RoleEntry[] {
    return [...this.clusterRoles.values()];
  }
}
