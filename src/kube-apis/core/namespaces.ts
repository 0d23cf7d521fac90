// core/v1 Namespaces (kube's pkg/registry/core/namespace): spec.finalizers defaults to ["kubernetes"]
// and changes only through /finalize, status only through /status; deleting a namespace marks it
// Terminating until the namespace controller has emptied it and removed its finalizer.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject, Strategy, SubresourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldInvalid, fieldNotSupported, keyPath } from '../../registry/validation/field-errors.js';
import { isQualifiedName, nameIsDNSLabel } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';

const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

function validateFinalizerName(name: string, path: string): FieldError[] {
  const errors = isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
  if (errors.length === 0 && !name.includes('/') && !STANDARD_FINALIZERS.includes(name)) {
    errors.push(fieldInvalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errors;
}

function validateSpec(ns: KubeObject): FieldError[] {
  const finalizers: string[] = ns.spec?.finalizers ?? [];
  return finalizers.flatMap((f, i) => validateFinalizerName(f, keyPath('spec.finalizers', i)));
}

function validateStatus(ns: KubeObject): FieldError[] {
  const phase = ns.status?.phase;
  if (phase === undefined || phase === 'Active' || phase === 'Terminating') return [];
  return [fieldNotSupported('status.phase', phase, ['Active', 'Terminating'])];
}

/** kube labels every namespace with its own name. */
function labelWithName(ns: KubeObject): void {
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [METADATA_NAME_LABEL]: ns.metadata.name };
}

const namespaceStrategy: Partial<Strategy> & Pick<Strategy, 'validate' | 'validateUpdate'> = {
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const finalizers: string[] = ns.spec?.finalizers ?? [];
    if (!finalizers.includes('kubernetes')) ns.spec = { ...(ns.spec ?? {}), finalizers: [...finalizers, 'kubernetes'] };
    labelWithName(ns);
  },
  prepareForUpdate(ns, old) {
    // The main endpoint changes neither spec.finalizers (that is /finalize) nor status.
    ns.spec = { ...(ns.spec ?? {}), finalizers: old.spec?.finalizers };
    if (ns.spec.finalizers === undefined) delete ns.spec.finalizers;
    ns.status = old.status;
    labelWithName(ns);
  },
  validate: (ns) => [...validateSpec(ns), ...validateStatus(ns)],
  validateUpdate: (ns) => [...validateSpec(ns), ...validateStatus(ns)],
  deletionBlocked: (ns) => (ns.spec?.finalizers?.length ?? 0) > 0,
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
      ns.spec = old.spec;
    },
    validate: validateStatus,
    validateUpdate: validateStatus,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
};

const finalizeSubresource: SubresourceDefinition = {
  name: 'finalize',
  kind: 'Namespace',
  verbs: ['update'],
  strategy: {
    prepareForUpdate(ns, old) {
      // Only spec.finalizers may change here.
      const finalizers = ns.spec?.finalizers;
      for (const key of Object.keys(ns)) if (key !== 'metadata' && key !== 'apiVersion' && key !== 'kind') delete ns[key];
      for (const [key, value] of Object.entries(old)) if (key !== 'metadata') ns[key] = structuredClone(value);
      ns.spec = { ...(old.spec ?? {}), finalizers };
      if (finalizers === undefined) delete ns.spec.finalizers;
      ns.metadata = { ...old.metadata, resourceVersion: ns.metadata.resourceVersion ?? old.metadata.resourceVersion };
    },
    validate: validateSpec,
    validateUpdate: validateSpec,
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
  validateName: nameIsDNSLabel,
  ...schemaBacked('io.k8s.api.core.v1.Namespace'),
  selectableFields: (ns) => ({ 'metadata.name': ns.metadata?.name ?? '', 'status.phase': ns.status?.phase ?? '' }),
  strategy: namespaceStrategy,
  table: nameAgeTableConvertor([{ column: column('Status', 'string', 'The phase of the namespace: Active or Terminating.'), cell: (ns) => ns.status?.phase ?? '' }]),
});
