// The resource model of DESIGN.md: a resource is described once, and the generic store, the REST
// handlers, discovery and OpenAPI are all derived from the description. Built-ins declare it in
// code; CustomResourceDefinitions produce it from their schemas at run time.
import type { FieldError } from '../endpoints/status.js';
import type { Storage, StoredObject } from '../storage/interface.js';
import type { PatchSchema } from '../endpoints/patch/index.js';
import type { VersionConverter } from './conversion.js';

export type KubeObject = StoredObject;

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** A Table column definition (metav1.TableColumnDefinition). */
export interface TableColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface TableConvertor {
  columns: TableColumn[];
  /** The cells of one row, in column order. */
  cells(obj: KubeObject): unknown[];
}

/** How a resource behaves: kube's RESTCreateStrategy / RESTUpdateStrategy / RESTDeleteStrategy in one. */
export interface Strategy {
  /** Fills defaults (after decoding, before validation), on create and update; also after each mutating webhook. */
  defaults?(obj: KubeObject): void;
  /**
   * Drops what the schema does not know (custom resources: kube prunes when decoding a body, so before
   * mutating admission, and again when the object is written, so after it).
   */
  prune?(obj: KubeObject): void;
  /** Clears what a create may not set (e.g. status when a status subresource exists). */
  prepareForCreate?(obj: KubeObject): void;
  /** Keeps what the main endpoint may not change (e.g. status), from the old object. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Normalizes an object before it is stored (kube's Canonicalize). */
  canonicalize?(obj: KubeObject): void;
  /** Warnings returned as `Warning: 299` headers. */
  warningsOnCreate?(obj: KubeObject): string[];
  warningsOnUpdate?(obj: KubeObject, old: KubeObject): string[];
  /** PUT may create a missing object (kube: AllowCreateOnUpdate). */
  allowCreateOnUpdate: boolean;
  /** PUT without metadata.resourceVersion is allowed (kube: AllowUnconditionalUpdate). */
  allowUnconditionalUpdate: boolean;
  /** More than metadata.finalizers that keeps an object being deleted (namespaces: spec.finalizers). */
  deletionBlocked?(obj: KubeObject): boolean;
  /** Changes made when an object is marked for deletion (namespaces: status.phase Terminating). */
  prepareForDeletion?(obj: KubeObject): void;
  /** Whether a change of this field set bumps metadata.generation; default: anything but metadata and status. */
  generationChanged?(obj: KubeObject, old: KubeObject): boolean;
}

/** What a write hook does once the write is known to have succeeded (commit) or failed (revert). */
export type FinishWrite = (succeeded: boolean) => Promise<void>;

/**
 * Side effects that must commit or roll back with a write, kube's BeginCreate / BeginUpdate /
 * AfterDelete store hooks (the service REST allocates ClusterIPs through them). Begin hooks run after
 * defaulting and before validation, as kube's do.
 */
export interface WriteHooks {
  beginCreate?(obj: KubeObject, opts: { dryRun: boolean }): Promise<FinishWrite>;
  beginUpdate?(obj: KubeObject, old: KubeObject, opts: { dryRun: boolean }): Promise<FinishWrite>;
  afterDelete?(obj: KubeObject): Promise<void>;
}

/** A subresource that writes part of the object (status) through its own strategy. */
export interface SubresourceDefinition {
  name: string;
  /** The kind served by the subresource (Scale for scale; the resource's own kind for status). */
  kind: string;
  group?: string;
  version?: string;
  verbs: Verb[];
  strategy?: Strategy;
  /** Served by a handler the server registers (EndpointDeps.subresourceHandlers), not by the store's verbs; none registered: 404. */
  handler?: 'registered';
}

export interface ResourceDefinition {
  group: string;
  version: string;
  /** Plural, lower case: "configmaps". */
  resource: string;
  singularName: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceDefinition[];
  strategy: Strategy;
  /** kube's ValidateNameFunc for metadata.name: returns the messages (empty when valid). */
  validateName(name: string, prefix: boolean): string[];
  /** Field selector support: the selectable fields of an object (always metadata.name and, when namespaced, metadata.namespace). */
  selectableFields(obj: KubeObject): Record<string, string>;
  table: TableConvertor;
  /** The OpenAPI v3 schema name of the kind in components.schemas, e.g. "io.k8s.api.core.v1.ConfigMap". */
  schemaRef?: string;
  /** Versions of the same group-resource served alongside; storage happens in one of them. */
  storageVersion?: string;
  /** The scale subresource's replica paths (custom resources with subresources.scale). */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** A custom resource (decoded as unstructured: the body must carry its kind). */
  custom?: boolean;
  /** Fields of a decoded body the schema does not know, as paths like "spec.x" (for fieldValidation). */
  unknownFields?(obj: KubeObject): string[];
  /** Patch strategies and merge keys for strategic merge patch; without it, such patches are 415. */
  patchSchema?: PatchSchema;
  /** DELETE answers with the deleted object instead of a Success Status (kube: ReturnDeletedObject). */
  returnDeletedObject?: boolean;
  /** Write hooks, built once per store over its storage. */
  writeHooks?(storage: Storage): WriteHooks;
  /** Deprecation, for custom resources: a Warning header on every request. */
  deprecationWarning?: string;
  /** Custom resources: converts between this version and the storage version (None or a webhook). */
  converter?: VersionConverter;
  /** Nothing is stored (the create-only reviews): discovery lists no storageVersionHash. */
  virtual?: boolean;
}

/** "/registry/<group>/<resource>/" (core: "/registry/<resource>/"), the storage prefix of a resource. */
export function storagePrefix(def: Pick<ResourceDefinition, 'group' | 'resource'>): string {
  return def.group ? `/registry/${def.group}/${def.resource}/` : `/registry/${def.resource}/`;
}

export function storageKey(def: Pick<ResourceDefinition, 'group' | 'resource' | 'namespaced'>, namespace: string, name: string): string {
  return def.namespaced ? `${storagePrefix(def)}${namespace}/${name}` : `${storagePrefix(def)}${name}`;
}

export function apiVersionOf(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
