// The generic store (kube's genericregistry.Store): a resource's description plus the storage
// interface give get, list, create, update, patch, delete, deletecollection and watch, with kube's
// object-metadata rules. Objects read from storage may be frozen: everything here copies before it
// changes an object.
import { randomUUID, randomInt } from 'node:crypto';
import type { Storage, ListResult, Predicate, Watcher, StoredObject, WatchEvent } from '../storage/interface.js';
import { StorageError } from '../storage/interface.js';
import { storageErrorToStatus } from '../storage/errors.js';
import {
  newAlreadyExists, newBadRequest, newConflict, newInternalError, newInvalid, newNotFound, OBJECT_MODIFIED_MESSAGE, StatusError,
  type FieldError, type GroupResource,
} from '../endpoints/status.js';
import type { UserInfo } from '../auth/user.js';
import type { AdmissionChain } from '../admission/interface.js';
import { apiVersionOf, storageKey, storagePrefix, type FinishWrite, type KubeObject, type ResourceDefinition, type Strategy, type WriteHooks } from './resource.js';
import { updateManagedFields } from './managed-fields.js';
import { validateObjectMetaFor, validateObjectMetaUpdateFor } from './object-meta-checks.js';
import { deepEqual } from './deep-equal.js';
import { needsConversion } from './conversion.js';

export interface RequestContext {
  user: UserInfo;
  dryRun: boolean;
  /** fieldManager, or the User-Agent's product when none was given. */
  fieldManager: string;
  /** "" for the main resource, or e.g. "status". */
  subresource: string;
  /** The operation's options as sent (what admission webhooks receive). */
  options?: Record<string, unknown>;
  /** Adds a warning to the response (admission webhooks and policies). */
  warn?(text: string): void;
  /** Adds an annotation to the request's audit event, when it is audited at `level` or above (admission). */
  addAuditAnnotation?(key: string, value: string, level?: 'Metadata' | 'Request'): void;
}

export interface ListParams {
  resourceVersion?: string;
  resourceVersionMatch?: '' | 'NotOlderThan' | 'Exact';
  limit?: number;
  continue?: string;
  predicate?: Predicate;
}

export interface DeleteParams {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  /** The last state (deleted), or the object now marked for deletion (pending finalizers). */
  object: KubeObject;
  /** False when the object stays until its finalizers are removed. */
  deleted: boolean;
}

/** An update as a function of the current object: PUT returns its body, PATCH applies the patch. */
export type UpdatedObject = (current: KubeObject | null) => KubeObject | Promise<KubeObject>;

const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const GENERATE_NAME_RETRIES = 8;
const RANDOM_SUFFIX_LENGTH = 5;

export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clone<T>(obj: T): T {
  return structuredClone(obj);
}

/** kube's usual generation rule: any change outside metadata and status. */
export function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const keys = new Set([...Object.keys(obj), ...Object.keys(old)]);
  for (const key of keys) {
    if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (!deepEqual(obj[key], old[key])) return true;
  }
  return false;
}

export class Store {
  readonly groupResource: GroupResource;
  readonly apiVersion: string;
  private readonly hooks: WriteHooks;

  constructor(
    readonly def: ResourceDefinition,
    private readonly storage: Storage,
    private readonly admission: AdmissionChain,
  ) {
    this.groupResource = { group: def.group, resource: def.resource };
    this.apiVersion = apiVersionOf(def);
    this.hooks = def.writeHooks?.(storage) ?? {};
  }

  /** Runs the afterDelete hook once an object is gone from storage. */
  private async deleted(obj: KubeObject): Promise<void> {
    await this.hooks.afterDelete?.(obj);
  }

  key(namespace: string, name: string): string {
    return storageKey(this.def, namespace, name);
  }

  /** The list/watch key: one namespace, or every namespace (namespace ""). */
  prefix(namespace: string): string {
    return this.def.namespaced && namespace ? `${storagePrefix(this.def)}${namespace}/` : storagePrefix(this.def);
  }

  private storageError(err: unknown, name: string): unknown {
    return err instanceof StorageError ? storageErrorToStatus(err, this.groupResource, name) : err;
  }

  private invalid(name: string, errors: FieldError[]): Error {
    return newInvalid(this.def.kind, this.def.group, name, errors);
  }

  private strategyFor(subresource: string): Strategy {
    const sub = subresource ? this.def.subresources.find((s) => s.name === subresource) : undefined;
    return sub?.strategy ?? this.def.strategy;
  }

  /** Stored objects as this endpoint serves them: custom resources kept in another version are converted. */
  async served(objects: KubeObject[], listKind?: string): Promise<KubeObject[]> {
    const converter = this.def.converter;
    if (!converter || !needsConversion(objects, this.apiVersion)) return objects;
    return converter.convert(objects, this.apiVersion, listKind);
  }

  private async servedOne(obj: KubeObject): Promise<KubeObject> {
    return (await this.served([obj]))[0];
  }

  /** An object of this endpoint's version as it is stored (the storage version). */
  private async toStorage(obj: KubeObject): Promise<KubeObject> {
    const converter = this.def.converter;
    if (!converter || obj.apiVersion === converter.storageAPIVersion) return obj;
    return (await converter.convert([obj], converter.storageAPIVersion))[0];
  }

  async get(namespace: string, name: string, resourceVersion?: string): Promise<KubeObject> {
    let obj: KubeObject | null;
    try {
      obj = await this.storage.get(this.key(namespace, name), { resourceVersion });
    } catch (err) {
      throw this.storageError(err, name);
    }
    if (!obj) throw newNotFound(this.groupResource, name);
    return this.servedOne(obj);
  }

  async list(namespace: string, params: ListParams): Promise<ListResult> {
    let result: ListResult;
    try {
      result = await this.storage.list(this.prefix(namespace), { ...params, recursive: true });
    } catch (err) {
      throw this.storageError(err, '');
    }
    if (!this.def.converter) return result;
    return { ...result, items: await this.served(result.items, this.def.listKind) };
  }

  async watch(namespace: string, opts: { resourceVersion?: string; predicate?: Predicate; allowBookmarks?: boolean; sendInitialEvents?: boolean }): Promise<Watcher> {
    let watcher: Watcher;
    try {
      watcher = await this.storage.watch(this.prefix(namespace), { ...opts, recursive: true });
    } catch (err) {
      throw this.storageError(err, '');
    }
    return this.def.converter ? convertingWatcher(watcher, this) : watcher;
  }

  /**
   * kube's BeginCreate hook and BeforeCreate: server-owned metadata, names, strategy, validation.
   * Mutates obj. Returns how to finish the begin hook once the write is known to have succeeded or not.
   */
  private async prepareCreate(obj: KubeObject, namespace: string, rc: RequestContext): Promise<FinishWrite> {
    const meta = (obj.metadata ??= {});
    this.stampRequestTarget(obj, meta, namespace);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    delete meta.selfLink;
    meta.uid = randomUUID();
    meta.creationTimestamp = nowTimestamp();
    if (this.tracksGeneration()) meta.generation = 1;
    else delete meta.generation;
    this.def.strategy.prepareForCreate?.(obj);
    this.def.strategy.defaults?.(obj);
    const finish: FinishWrite = this.hooks.beginCreate ? await this.hooks.beginCreate(obj, { dryRun: rc.dryRun }) : async () => {};
    try {
      const errors = [...validateObjectMetaFor(this.def, obj), ...this.def.strategy.validate(obj)];
      if (errors.length > 0) throw this.invalid(meta.name ?? meta.generateName ?? '', errors);
    } catch (err) {
      await finish(false);
      throw err;
    }
    this.def.strategy.canonicalize?.(obj);
    meta.managedFields = updateManagedFields(obj, undefined, {
      manager: rc.fieldManager,
      apiVersion: this.apiVersion,
      time: meta.creationTimestamp,
    });
    if (meta.managedFields.length === 0 || !rc.fieldManager) delete meta.managedFields;
    return finish;
  }

  /** Only resources whose strategy says what bumps it carry metadata.generation (configmaps do not; CRs do). */
  private tracksGeneration(): boolean {
    return this.def.strategy.generationChanged !== undefined;
  }

  async create(namespace: string, body: KubeObject, rc: RequestContext): Promise<KubeObject> {
    const obj = clone(body);
    const meta = (obj.metadata ??= {});
    const generated = !meta.name && Boolean(meta.generateName);
    if (generated) meta.name = this.generateName(meta.generateName);
    await this.admitCreate(obj, namespace, rc);
    const finish = await this.prepareCreate(obj, namespace, rc);
    try {
      await this.admission.validate(this.attrs('CREATE', namespace, meta.name, obj, undefined, rc));
      const created = rc.dryRun ? obj : await this.storeNew(namespace, obj, generated);
      await finish(true);
      return created;
    } catch (err) {
      await finish(false);
      throw err;
    }
  }

  private async storeNew(namespace: string, obj: KubeObject, generated: boolean): Promise<KubeObject> {
    const meta = obj.metadata;
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await this.storage.create(this.key(namespace, meta.name), await this.toStorage(obj));
        return await this.servedOne(stored);
      } catch (err) {
        const retry = generated && err instanceof StorageError && err.code === 'KeyExists' && attempt < GENERATE_NAME_RETRIES;
        if (!retry) {
          if (err instanceof StorageError && err.code === 'KeyExists') throw newAlreadyExists(this.groupResource, meta.name);
          throw this.storageError(err, meta.name);
        }
        meta.name = this.generateName(meta.generateName);
      }
    }
  }

  private generateName(prefix: string): string {
    const base = prefix.length > 63 - RANDOM_SUFFIX_LENGTH ? prefix.slice(0, 63 - RANDOM_SUFFIX_LENGTH) : prefix;
    let suffix = '';
    for (let i = 0; i < RANDOM_SUFFIX_LENGTH; i++) suffix += GENERATE_NAME_ALPHABET[randomInt(GENERATE_NAME_ALPHABET.length)];
    return base + suffix;
  }

  private attrs(operation: 'CREATE' | 'UPDATE' | 'DELETE', namespace: string, name: string, object: KubeObject | undefined, oldObject: KubeObject | undefined, rc: RequestContext) {
    return { operation, resource: this.def, subresource: rc.subresource, namespace, name, object, oldObject, user: rc.user, dryRun: rc.dryRun, options: rc.options, warn: rc.warn, addAuditAnnotation: rc.addAuditAnnotation };
  }

  /**
   * Mutating admission of a create, as kube runs it before rest.Create: on the decoded, defaulted
   * object (kind, apiVersion and namespace set; no uid or timestamps yet).
   */
  /** The URL decides namespace, apiVersion and kind; a body naming another namespace is refused, as kube does. */
  private stampRequestTarget(obj: KubeObject, meta: KubeObject['metadata'], namespace: string): void {
    if (this.def.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace;
    } else delete meta.namespace;
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
  }

  private async admitCreate(obj: KubeObject, namespace: string, rc: RequestContext): Promise<void> {
    const meta = obj.metadata;
    this.stampRequestTarget(obj, meta, namespace);
    // What decoding does in kube: mutating admission sees the object pruned and defaulted.
    this.def.strategy.prune?.(obj);
    this.def.strategy.defaults?.(obj);
    await this.admission.admit(this.attrs('CREATE', namespace, meta.name, obj, undefined, rc));
  }

  /**
   * Update (PUT) and patch: `updated` turns the current object into the new one. Returns the stored
   * object and whether it was created (PUT of a missing object where the strategy allows it).
   */
  async update(namespace: string, name: string, updated: UpdatedObject, rc: RequestContext, opts: { forceAllowCreate?: boolean; patch?: boolean } = {}): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    const strategy = this.strategyFor(rc.subresource);
    let created = false;
    // The begin hook of the latest attempt (guaranteedUpdate retries tryUpdate on conflicts).
    let finish: FinishWrite | undefined;
    const revertAttempt = async () => {
      const previous = finish;
      finish = undefined;
      await previous?.(false);
    };
    const tryUpdate = async (stored: StoredObject | null): Promise<StoredObject> => {
      created = false;
      await revertAttempt();
      const current = stored && (await this.servedOne(stored));
      if (!current) {
        if (!(this.def.strategy.allowCreateOnUpdate || opts.forceAllowCreate) || rc.subresource || opts.patch) throw newNotFound(this.groupResource, name);
        const obj = clone(await updated(null));
        obj.metadata ??= {};
        if (obj.metadata.name && obj.metadata.name !== name) throw this.nameMismatch(obj.metadata.name, name);
        obj.metadata.name = name;
        await this.admitCreate(obj, namespace, rc);
        finish = await this.prepareCreate(obj, namespace, rc);
        await this.admission.validate(this.attrs('CREATE', namespace, name, obj, undefined, rc));
        created = true;
        return this.toStorage(obj);
      }
      const obj = clone(await updated(current));
      const meta = (obj.metadata ??= {});
      if (meta.name !== undefined && meta.name !== name) throw this.nameMismatch(meta.name, name);
      meta.name = name;
      if (this.def.namespaced) {
        if (meta.namespace && meta.namespace !== namespace) throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
        meta.namespace = namespace;
      }
      obj.apiVersion = this.apiVersion;
      obj.kind = this.def.kind;
      const currentRV = current.metadata.resourceVersion;
      if (!meta.resourceVersion) {
        if (!strategy.allowUnconditionalUpdate && !opts.patch) {
          throw this.invalid(name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', detail: 'Invalid value: 0x0: must be specified for an update' }]);
        }
        meta.resourceVersion = currentRV;
      } else if (meta.resourceVersion !== currentRV) {
        throw newConflict(this.groupResource, name, OBJECT_MODIFIED_MESSAGE);
      }
      this.prepareUpdate(obj, current, strategy, rc);
      if (this.hooks.beginUpdate && rc.subresource === '') finish = await this.hooks.beginUpdate(obj, current, { dryRun: rc.dryRun });
      await this.admission.admit(this.attrs('UPDATE', namespace, name, obj, current, rc));
      // What mutating webhooks added that the schema does not know is not stored (kube prunes on write).
      strategy.prune?.(obj);
      const errors = [...validateObjectMetaUpdateFor(this.def, obj, current), ...strategy.validateUpdate(obj, current)];
      if (errors.length > 0) throw this.invalid(name, errors);
      await this.admission.validate(this.attrs('UPDATE', namespace, name, obj, current, rc));
      strategy.canonicalize?.(obj);
      this.recordManagedFields(obj, current, rc);
      return this.toStorage(obj);
    };

    if (rc.dryRun) {
      try {
        const current = await this.storage.get(key, { ignoreNotFound: true }).catch((err) => {
          throw this.storageError(err, name);
        });
        const object = await tryUpdate(current);
        await finish?.(true);
        return { object: await this.servedOne(object), created };
      } catch (err) {
        await revertAttempt();
        throw err;
      }
    }
    let object: KubeObject;
    try {
      object = await this.storage.guaranteedUpdate(key, undefined, tryUpdate, { ignoreNotFound: true });
    } catch (err) {
      await revertAttempt();
      throw this.storageError(err, name);
    }
    await finish?.(true);
    try {
      if (!created && this.shouldDeleteDuringUpdate(object)) {
        object = await this.storage.delete(key, { uid: object.metadata.uid });
        await this.deleted(object);
      }
    } catch (err) {
      throw this.storageError(err, name);
    }
    return { object: await this.servedOne(object), created };
  }

  private nameMismatch(bodyName: string, urlName: string): Error {
    return newBadRequest(`the name of the object (${bodyName}) does not match the name on the URL (${urlName})`);
  }

  /** kube's BeforeUpdate: server-owned metadata stays, the strategy keeps what this endpoint may not change. */
  private prepareUpdate(obj: KubeObject, current: KubeObject, strategy: Strategy, rc: RequestContext): void {
    const meta = obj.metadata;
    const old = current.metadata;
    // Fields the client may not change are restored silently, as kube's BeforeUpdate does.
    meta.creationTimestamp = old.creationTimestamp;
    if (meta.uid === undefined) meta.uid = old.uid;
    if (old.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (old.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (meta.managedFields === undefined && old.managedFields !== undefined) meta.managedFields = old.managedFields;
    if (rc.subresource === '' && this.def.subresources.some((s) => s.name === 'status') && current.status !== undefined) obj.status = clone(current.status);
    if (rc.subresource === 'status') {
      // The status endpoint changes only status (and nothing of metadata but what kube lets it).
      const keepStatus = obj.status;
      for (const key of Object.keys(obj)) if (key !== 'metadata' && key !== 'apiVersion' && key !== 'kind') delete obj[key];
      for (const [key, value] of Object.entries(current)) if (key !== 'metadata' && key !== 'status') obj[key] = clone(value);
      if (keepStatus !== undefined) obj.status = keepStatus;
      else delete obj.status;
      for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
        if (old[key] !== undefined) meta[key] = clone(old[key]);
        else delete meta[key];
      }
    }
    strategy.prepareForUpdate?.(obj, current);
    strategy.defaults?.(obj);
    const generationChanged = this.def.strategy.generationChanged;
    if (generationChanged) {
      meta.generation = (old.generation ?? 1) + (generationChanged(obj, current) ? 1 : 0);
    } else if (old.generation !== undefined) meta.generation = old.generation;
    else delete meta.generation;
  }

  private recordManagedFields(obj: KubeObject, current: KubeObject, rc: RequestContext): void {
    if (!rc.fieldManager) return;
    // A client that sends managedFields back unchanged (kubectl replace does) gets them recomputed.
    const previous = { ...current, metadata: { ...current.metadata, managedFields: current.metadata.managedFields } };
    const entries = updateManagedFields(obj, previous, {
      manager: rc.fieldManager,
      apiVersion: this.apiVersion,
      subresource: rc.subresource || undefined,
      time: nowTimestamp(),
    });
    // kube leaves an update that changes nothing else a no-op: keep the old entries then.
    const { managedFields: _n, ...newMeta } = obj.metadata;
    const { managedFields: _o, ...oldMeta } = current.metadata;
    const nothingElseChanged = deepEqual({ ...obj, metadata: newMeta }, { ...current, metadata: oldMeta });
    if (nothingElseChanged) {
      if (current.metadata.managedFields !== undefined) obj.metadata.managedFields = current.metadata.managedFields;
      else delete obj.metadata.managedFields;
      return;
    }
    if (entries.length > 0) obj.metadata.managedFields = entries;
    else delete obj.metadata.managedFields;
  }

  /** kube: an object being deleted whose last finalizer is gone is deleted by that update. */
  private shouldDeleteDuringUpdate(obj: KubeObject): boolean {
    const meta = obj.metadata;
    return (
      Boolean(meta.deletionTimestamp) &&
      (meta.finalizers?.length ?? 0) === 0 &&
      (meta.deletionGracePeriodSeconds ?? 0) === 0 &&
      !(this.def.strategy.deletionBlocked?.(obj) ?? false)
    );
  }

  async delete(namespace: string, name: string, params: DeleteParams, rc: RequestContext): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    const current = await this.get(namespace, name);
    this.checkPreconditions(current, params.preconditions, name);
    await this.admission.admit(this.attrs('DELETE', namespace, name, undefined, current, rc));
    await this.admission.validate(this.attrs('DELETE', namespace, name, undefined, current, rc));
    const finalizers = new Set<string>(current.metadata.finalizers ?? []);
    if (params.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (params.propagationPolicy === 'Orphan') finalizers.add('orphan');
    const blocked = this.def.strategy.deletionBlocked?.(current) ?? false;
    if (finalizers.size > 0 || blocked) return this.markForDeletion(namespace, name, current, params, finalizers, rc);
    if (rc.dryRun) return { object: current, deleted: true };
    let object: KubeObject;
    try {
      object = await this.storage.delete(key, { uid: params.preconditions?.uid, resourceVersion: params.preconditions?.resourceVersion }, (latest) => {
        // Finalizers added since the read above: the delete must go the graceful way after all.
        if ((latest.metadata.finalizers?.length ?? 0) > 0 || this.def.strategy.deletionBlocked?.(latest)) {
          throw newConflict(this.groupResource, name, OBJECT_MODIFIED_MESSAGE);
        }
      });
    } catch (err) {
      throw this.storageError(err, name);
    }
    await this.deleted(object);
    return { object: await this.servedOne(object), deleted: true };
  }

  private checkPreconditions(current: KubeObject, pre: DeleteParams['preconditions'], name: string): void {
    // kube's rest.BeforeDelete: the Conflict names the kind (GroupResource{group, Kind}).
    const byKind = { group: this.def.group, resource: this.def.kind };
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw newConflict(byKind, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${current.metadata.uid}). The object might have been deleted and then recreated`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw newConflict(byKind, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`);
    }
  }

  /** Graceful deletion with finalizers: set deletionTimestamp; the object goes when its finalizers do. */
  private async markForDeletion(namespace: string, name: string, current: KubeObject, params: DeleteParams, finalizers: Set<string>, rc: RequestContext): Promise<DeleteResult> {
    const mark = (obj: StoredObject): StoredObject => {
      const next = clone(obj);
      const meta = next.metadata;
      const existing: string[] = meta.finalizers ?? [];
      const wanted = [...existing];
      for (const f of finalizers) if (!wanted.includes(f)) wanted.push(f);
      // A policy chosen now replaces the opposite one (kube: orphan and foregroundDeletion exclude each other).
      if (params.propagationPolicy === 'Foreground') meta.finalizers = wanted.filter((f) => f !== 'orphan');
      else if (params.propagationPolicy === 'Orphan') meta.finalizers = wanted.filter((f) => f !== 'foregroundDeletion');
      else if (params.propagationPolicy === 'Background') meta.finalizers = wanted.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
      else meta.finalizers = wanted;
      if (meta.finalizers.length === 0) delete meta.finalizers;
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = nowTimestamp();
        meta.deletionGracePeriodSeconds = 0;
      }
      this.def.strategy.prepareForDeletion?.(next);
      return next;
    };
    if (rc.dryRun) return { object: mark(current), deleted: false };
    let object: KubeObject;
    let deleted = false;
    try {
      object = await this.storage.guaranteedUpdate(this.key(namespace, name), { uid: current.metadata.uid }, mark);
      if (this.shouldDeleteDuringUpdate(object)) {
        object = await this.storage.delete(this.key(namespace, name), { uid: object.metadata.uid });
        deleted = true;
        await this.deleted(object);
      }
    } catch (err) {
      throw this.storageError(err, name);
    }
    return { object: await this.servedOne(object), deleted };
  }

  /** deletecollection: deletes every matching object (each through delete, so finalizers and admission apply). */
  async deleteCollection(namespace: string, list: ListParams, params: DeleteParams, rc: RequestContext): Promise<KubeObject[]> {
    const { items } = await this.list(namespace, { predicate: list.predicate });
    const deleted: KubeObject[] = [];
    for (const item of items) {
      try {
        const result = await this.delete(item.metadata.namespace ?? '', item.metadata.name, params, rc);
        deleted.push(result.object);
      } catch (err) {
        // Gone meanwhile: not an error for a collection delete.
        if ((err as { code?: number }).code !== 404) throw err;
      }
    }
    return deleted;
  }
}

/** A watch whose objects are converted to the store's version, in order; a failed conversion ends it with an ERROR event. */
function convertingWatcher(source: Watcher, store: Store): Watcher {
  async function* events(): AsyncGenerator<WatchEvent> {
    for await (const event of source) {
      if (event.type === 'BOOKMARK' || event.type === 'ERROR') {
        yield event;
        continue;
      }
      try {
        yield { ...event, object: (await store.served([event.object]))[0] };
      } catch (err) {
        yield { type: 'ERROR', object: (err instanceof StatusError ? err : newInternalError(err)).status as unknown as StoredObject, revision: event.revision };
        source.stop();
        return;
      }
    }
  }
  const iterable = events();
  return { stop: () => source.stop(), [Symbol.asyncIterator]: () => iterable };
}
