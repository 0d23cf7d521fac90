// The CRD controllers of apiextensions-apiserver in one loop: names are accepted (or reported in
// conflict), the definition becomes Established and its served versions appear as REST endpoints with
// discovery and OpenAPI; on deletion it is Terminating, its custom resources are deleted, then its
// cleanup finalizer goes and so do its endpoints.
import type { Logger } from 'pino';
import type { Storage, StoredObject } from '../storage/interface.js';
import type { Layer } from '../server/director.js';
import { installGroupVersion, uninstallGroupVersion, type APIDeps } from '../server/install-api.js';
import type { RequestContext, Store } from '../registry/store.js';
import { nowTimestamp } from '../registry/store.js';
import type { ResourceDefinition, Verb } from '../registry/resource.js';
import { MASTERS_GROUP } from '../auth/user.js';
import { deepEqual } from '../registry/deep-equal.js';
import { CLEANUP_FINALIZER } from './crd-resource.js';
import { customResourceDefinitionFor } from './custom-resource.js';
import { endpointsServiceResolver, type ServiceResolver } from '../webhook/service-resolver.js';
import type { ServiceIndex } from '../aggregator/service-index.js';
import { calculateNames, type CRDNames } from './naming.js';
import { nonStructuralMessage, validateStructural } from './schema/structural.js';
import type { SchemaObject } from '../aggregator/openapi/index.js';
import { defaultSchemaName } from '../aggregator/openapi/resource-schemas.js';

const CONTROLLER: RequestContext = {
  user: { name: 'system:apiextensions-apiserver', groups: [MASTERS_GROUP] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  subresource: '',
};

interface Condition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** The published schema of a custom kind: its openAPIV3Schema with apiVersion, kind, metadata and its GVK. */
function kindSchema(def: ResourceDefinition, schema: SchemaObject | undefined): SchemaObject {
  const base = (schema ?? { type: 'object' }) as SchemaObject;
  const properties = (base.properties ?? {}) as Record<string, SchemaObject>;
  return {
    ...base,
    properties: {
      ...properties,
      apiVersion: { type: 'string', description: 'The versioned schema of this object.' },
      kind: { type: 'string', description: 'The kind of this object.' },
      metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: 'Standard object metadata.' },
    },
    'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.kind }],
  };
}

function gvKey(group: string, version: string): string {
  return `${group}/${version}`;
}

export class CRDController {
  /** group/version → plural → the definition served there (several CRDs share a group-version). */
  private readonly served = new Map<string, Map<string, ResourceDefinition>>();
  /** group/version → plural → the kind's OpenAPI schema, for /openapi/v3 and kubectl explain. */
  private readonly schemas = new Map<string, Map<string, { name: string; schema: SchemaObject }>>();
  /** CRD name → the group-versions and plural it serves. */
  private readonly byCRD = new Map<string, { group: string; versions: string[]; plural: string }>();
  /** group/version → its stores, as last installed. */
  private readonly stores = new Map<string, Map<string, Store>>();
  private queue = Promise.resolve();
  private stopWatch?: () => void;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly resolver: ServiceResolver;
  private storeList?: Store[];
  /** group → CRD name → its status.acceptedNames, as last seen or written (kube's naming cache). */
  private readonly accepted = new Map<string, Map<string, Partial<CRDNames>>>();

  constructor(
    private readonly storage: Storage,
    private readonly crds: Store,
    private readonly layer: Layer,
    private readonly api: APIDeps,
    private readonly logger: Logger,
    services?: ServiceIndex,
  ) {
    this.resolver = endpointsServiceResolver(storage, services);
  }

  async start(): Promise<void> {
    const watcher = await this.storage.watch(this.crds.prefix(''), { resourceVersion: '', recursive: true, sendInitialEvents: true });
    this.stopWatch = () => watcher.stop();
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) break;
        const crd = event.object;
        if (event.type === 'DELETED') {
          this.accepted.get(crd.spec.group)?.delete(crd.metadata.name);
          this.enqueue(() => this.remove(crd.metadata.name));
        } else if (event.type === 'ADDED' || event.type === 'MODIFIED') {
          this.setAccepted(crd.spec.group, crd.metadata.name, crd.status?.acceptedNames ?? {});
          this.enqueue(() => this.sync(crd.metadata.name));
        }
      }
    })().catch((err: unknown) => this.logger.error({ err }, 'CRD controller watch ended'));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** All custom resource stores (for the namespace controller and the garbage collector). */
  allStores(): Store[] {
    // Asked for on every event by the garbage collector: rebuilt only when the served set changes.
    this.storeList ??= [...this.stores.values()].flatMap((m) => [...m.values()]);
    return this.storeList;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => this.logger.warn({ err }, 'CRD sync failed'));
  }

  private later(name: string, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(() => this.sync(name));
    }, ms);
    this.timers.add(timer);
  }

  private async sync(name: string): Promise<void> {
    const crd = await this.crds.get('', name).catch(() => null);
    if (!crd) return this.remove(name);
    if (crd.metadata.deletionTimestamp) return this.terminate(crd);
    const status = this.desiredStatus(crd);
    this.setAccepted(crd.spec.group, name, status.acceptedNames as Partial<CRDNames>);
    // Serve first, then say Established: a client that waited for the condition finds the endpoints,
    // discovery and OpenAPI already there (as kube's establishing controller guarantees).
    const established = (status.conditions as Condition[]).some((c) => c.type === 'Established' && c.status === 'True');
    if (established) this.install({ ...crd, status }, false);
    if (!deepEqual(status, crd.status)) {
      await this.crds.update('', name, (current) => ({ ...structuredClone(current!), status }), { ...CONTROLLER, subresource: 'status' });
    }
  }

  private setAccepted(group: string, name: string, names: Partial<CRDNames>): void {
    const inGroup = this.accepted.get(group) ?? new Map<string, Partial<CRDNames>>();
    inGroup.set(name, names);
    this.accepted.set(group, inGroup);
  }

  private desiredStatus(crd: StoredObject): Record<string, unknown> {
    const previous: Condition[] = crd.status?.conditions ?? [];
    const keep = (c: Omit<Condition, 'lastTransitionTime'>): Condition => {
      const old = previous.find((p) => p.type === c.type);
      return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : nowTimestamp() };
    };
    const requested: CRDNames = { ...crd.spec.names };
    requested.singular ??= String(requested.kind).toLowerCase();
    requested.listKind ??= `${requested.kind}List`;
    const others: Array<Partial<CRDNames>> = [];
    for (const [other, names] of this.accepted.get(crd.spec.group) ?? []) if (other !== crd.metadata.name) others.push(names);
    const verdict = calculateNames(requested, crd.status?.acceptedNames ?? {}, others);
    const wasEstablished = previous.find((c) => c.type === 'Established' && c.status === 'True');
    const conditions: Condition[] = [
      verdict.conflict
        ? keep({ type: 'NamesAccepted', status: 'False', reason: verdict.conflict.reason, message: verdict.conflict.message })
        : keep({ type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }),
      // Once established, a CRD stays served under the names it was accepted with (kube keeps the condition).
      wasEstablished ?? (verdict.conflict
        ? keep({ type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' })
        : keep({ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' })),
    ];
    const nonStructural = this.nonStructuralCondition(crd);
    if (nonStructural) conditions.push(keep(nonStructural));
    const storage = (crd.spec.versions as Array<{ name: string; storage?: boolean }>).find((v) => v.storage)?.name;
    const stored: string[] = [...(crd.status?.storedVersions ?? [])];
    if (storage && !stored.includes(storage)) stored.push(storage);
    return { conditions, acceptedNames: verdict.names, storedVersions: stored };
  }

  /** kube's NonStructuralSchema condition: set while a version's schema breaks the structural rules (CRDs stored before v1 enforced them). */
  private nonStructuralCondition(crd: StoredObject): Omit<Condition, 'lastTransitionTime'> | undefined {
    const errors = [];
    if (crd.spec.preserveUnknownFields === true) errors.push({ type: 'FieldValueInvalid' as const, field: 'spec.preserveUnknownFields', detail: 'Invalid value: true: must be false' });
    (crd.spec.versions as Array<Record<string, any>>).forEach((v, i) => {
      const schema = v.schema?.openAPIV3Schema;
      if (schema) errors.push(...validateStructural(`spec.versions[${i}].schema.openAPIV3Schema`, schema));
    });
    if (errors.length === 0) return undefined;
    return { type: 'NonStructuralSchema', status: 'True', reason: 'Violations', message: nonStructuralMessage(errors) };
  }

  /** Serves the CRD's served versions; `terminating` refuses creates (405), as kube does. */
  private install(crd: StoredObject, terminating: boolean): void {
    const group: string = crd.spec.group;
    const versions = (crd.spec.versions as Array<Record<string, any>>).filter((v) => v.served);
    const previous = this.byCRD.get(crd.metadata.name);
    for (const version of previous?.versions ?? []) {
      if (!versions.some((v) => v.name === version)) this.unserve(group, version, previous!.plural);
    }
    for (const version of versions) {
      let def = customResourceDefinitionFor(crd, version, this.resolver);
      if (terminating) def = { ...def, verbs: def.verbs.filter((v: Verb) => v !== 'create') };
      const key = gvKey(group, version.name);
      const resources = this.served.get(key) ?? new Map<string, ResourceDefinition>();
      resources.set(def.resource, def);
      this.served.set(key, resources);
      const schemas = this.schemas.get(key) ?? new Map<string, { name: string; schema: SchemaObject }>();
      schemas.set(def.resource, { name: defaultSchemaName(group, version.name, def.kind), schema: kindSchema(def, version.schema?.openAPIV3Schema) });
      this.schemas.set(key, schemas);
      this.reinstall(group, version.name);
    }
    this.byCRD.set(crd.metadata.name, { group, versions: versions.map((v) => v.name), plural: crd.status?.acceptedNames?.plural || crd.spec.names.plural });
  }

  private reinstall(group: string, version: string): void {
    const resources = this.served.get(gvKey(group, version));
    if (!resources || resources.size === 0) {
      uninstallGroupVersion(this.layer, group, version, this.api);
      this.served.delete(gvKey(group, version));
      this.schemas.delete(gvKey(group, version));
      this.stores.delete(gvKey(group, version));
      this.storeList = undefined;
      return;
    }
    const schemas = Object.fromEntries([...(this.schemas.get(gvKey(group, version))?.values() ?? [])].map((s) => [s.name, s.schema]));
    const installed = installGroupVersion(this.layer, { group, version, resources: [...resources.values()], schemas, source: 'crd' }, this.api);
    this.stores.set(gvKey(group, version), installed.stores);
    this.storeList = undefined;
  }

  private unserve(group: string, version: string, plural: string): void {
    this.served.get(gvKey(group, version))?.delete(plural);
    this.schemas.get(gvKey(group, version))?.delete(plural);
    this.reinstall(group, version);
  }

  private async remove(name: string): Promise<void> {
    const info = this.byCRD.get(name);
    if (!info) return;
    this.byCRD.delete(name);
    for (const version of info.versions) this.unserve(info.group, version, info.plural);
  }

  /** Deletion: Terminating, every custom resource deleted, then the cleanup finalizer removed. */
  private async terminate(crd: StoredObject): Promise<void> {
    const name = crd.metadata.name;
    const terminating = (crd.status?.conditions ?? []).some((c: Condition) => c.type === 'Terminating' && c.status === 'True');
    if (!terminating) {
      await this.crds.update(
        '',
        name,
        (current) => {
          const next = structuredClone(current!);
          const conditions = (next.status?.conditions ?? []).filter((c: Condition) => c.type !== 'Terminating');
          conditions.push({ type: 'Terminating', status: 'True', lastTransitionTime: nowTimestamp(), reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
          next.status = { ...(next.status ?? {}), conditions };
          return next;
        },
        { ...CONTROLLER, subresource: 'status' },
      );
      return;
    }
    if (this.byCRD.has(name)) this.install(crd, true);
    const plural = this.byCRD.get(name)?.plural ?? crd.spec.names.plural;
    let remaining = 0;
    for (const version of this.byCRD.get(name)?.versions ?? []) {
      const store = this.stores.get(gvKey(crd.spec.group, version))?.get(plural);
      if (!store) continue;
      await store.deleteCollection('', {}, { propagationPolicy: 'Background' }, CONTROLLER);
      remaining += (await store.list('', {})).items.length;
      break; // every version shares one storage
    }
    if (remaining > 0) {
      this.later(name, 500);
      return;
    }
    await this.remove(name);
    await this.crds.update(
      '',
      name,
      (current) => {
        const next = structuredClone(current!);
        next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f: string) => f !== CLEANUP_FINALIZER);
        if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
        delete next.metadata.resourceVersion;
        return next;
      },
      CONTROLLER,
      { patch: true },
    );
  }
}
