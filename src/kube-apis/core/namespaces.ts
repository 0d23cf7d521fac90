// core/v1 Namespaces (kube's pkg/registry/core/namespace and ValidateNamespace*): created Active with
// the "kubernetes" finalizer in spec.finalizers, which changes only through /finalize; status only
// through /status; labelled with their own name. Deleting one marks it Terminating (the store's
// deletionBlocked/prepareForDeletion hooks) until the namespace controller has emptied it and
// removed its finalizer.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject, Strategy, SubresourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldInvalid, keyPath } from '../../registry/validation/field-errors.js';
import { validateNamespaceName } from '../../registry/validation/names.js';
import { validateFinalizerName as validateQualifiedFinalizerName } from '../../registry/validation/object-meta.js';
import { schemaBacked } from '../schemas.js';

export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
export const FINALIZER_KUBERNETES = 'kubernetes';
/** helper.IsStandardFinalizerName */
const STANDARD_FINALIZERS = new Set([FINALIZER_KUBERNETES, 'orphan', 'foregroundDeletion']);

/** kube's validateFinalizerName for namespaces: a qualified name, and a bare one must be standard. */
export function validateNamespaceFinalizerName(name: string, path: string): FieldError[] {
  const errors = validateQualifiedFinalizerName(name, path);
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    errors.push(fieldInvalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errors;
}

const finalizersOf = (ns: KubeObject): string[] => (Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : []);

/** ValidateNamespace: every finalizer reported on the list's own path (kube does not index it here). */
function validateNamespace(ns: KubeObject): FieldError[] {
  return finalizersOf(ns).flatMap((f) => validateNamespaceFinalizerName(String(f), 'spec.finalizers'));
}

/** ValidateNamespaceFinalizeUpdate: the same rule, indexed. */
function validateFinalize(ns: KubeObject): FieldError[] {
  return finalizersOf(ns).flatMap((f, i) => validateNamespaceFinalizerName(String(f), keyPath('spec.finalizers', i)));
}

/** ValidateNamespaceStatusUpdate: the phase must agree with deletionTimestamp (kube's path is "status.Phase"). */
function validateStatusUpdate(ns: KubeObject): FieldError[] {
  const phase = ns.status?.phase ?? '';
  if (!ns.metadata?.deletionTimestamp) {
    return phase === 'Active' ? [] : [fieldInvalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  }
  return phase === 'Terminating' ? [] : [fieldInvalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

/**
 * SetDefaults_Namespace (the name label, once the name is known) and SetDefaults_NamespaceStatus
 * (status is a struct in Go, so a body without one decodes to phase Active too).
 */
function defaultNamespace(ns: KubeObject): void {
  if (ns.metadata?.name) labelWithName(ns);
  const status = ns.status && typeof ns.status === 'object' ? ns.status : {};
  ns.status = status.phase ? status : { ...status, phase: 'Active' };
}

function labelWithName(ns: KubeObject): void {
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [METADATA_NAME_LABEL]: ns.metadata.name };
}

const namespaceStrategy: Partial<Strategy> & Pick<Strategy, 'validate' | 'validateUpdate'> = {
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    // Required on create, in spec (not defaulting): it is removed over the namespace's life.
    const finalizers = finalizersOf(ns);
    if (!finalizers.includes(FINALIZER_KUBERNETES)) ns.spec = { ...(ns.spec ?? {}), finalizers: [...finalizers, FINALIZER_KUBERNETES] };
  },
  prepareForUpdate(ns, old) {
    // The main endpoint changes neither spec.finalizers (that is /finalize) nor status (/status).
    ns.spec = { ...(ns.spec ?? {}) };
    if (old.spec?.finalizers !== undefined) ns.spec.finalizers = old.spec.finalizers;
    else delete ns.spec.finalizers;
    if (old.status !== undefined) ns.status = old.status;
    else delete ns.status;
  },
  defaults: defaultNamespace,
  // After generateName has produced the name: the label must name it.
  canonicalize: labelWithName,
  validate: validateNamespace,
  validateUpdate: validateNamespace,
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  deletionBlocked: (ns) => finalizersOf(ns).length > 0,
  prepareForDeletion(ns) {
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
  },
};

const statusSubresource: SubresourceDefinition = {
  name: 'status',
  kind: 'Namespace',
  verbs: ['get', 'patch', 'update'],
  strategy: {
    prepareForUpdate(ns, old) {
      if (old.spec !== undefined) ns.spec = old.spec;
      else delete ns.spec;
    },
    defaults: defaultNamespace,
    canonicalize: labelWithName,
    validate: validateNamespace,
    validateUpdate: validateStatusUpdate,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
};

/** PUT only. kube keeps the status; everything else (spec.finalizers above all) comes from the body. */
const finalizeSubresource: SubresourceDefinition = {
  name: 'finalize',
  kind: 'Namespace',
  verbs: ['update'],
  strategy: {
    prepareForUpdate(ns, old) {
      if (old.status !== undefined) ns.status = old.status;
      else delete ns.status;
    },
    defaults: defaultNamespace,
    canonicalize: labelWithName,
    validate: validateNamespace,
    validateUpdate: validateFinalize,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
};

export const namespaces = defineResource({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [statusSubresource, finalizeSubresource],
  validateName: validateNamespaceName,
  ...schemaBacked('io.k8s.api.core.v1.Namespace'),
  // kube's field set also has "name", but its field label conversion refuses it.
  selectableFields: (ns) => ({ 'metadata.name': ns.metadata?.name ?? '', 'status.phase': ns.status?.phase ?? '' }),
  strategy: namespaceStrategy,
  table: nameAgeTableConvertor([{ column: column('Status', 'string', 'The phase of the namespace.'), cell: (ns) => ns.status?.phase ?? '' }]),
});
