// apiextensions.k8s.io/v1 CustomResourceDefinitions: the resource itself, with the core of kube's
// CRD validation (names, group, scope, versions, schemas) and its cleanup finalizer.
import type { FieldError } from '../endpoints/status.js';
import type { KubeObject, SubresourceDefinition } from '../registry/resource.js';
import { defineResource } from '../kube-apis/define.js';
import { defaultTableConvertor } from '../endpoints/table/default-convertors.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, keyPath } from '../registry/validation/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../registry/validation/names.js';
import { specChanged } from '../registry/store.js';
import { validateVersionSchema } from './schema/index.js';
import { validateCategories, validateConversion, validateVersionExtras } from './crd-spec-validation.js';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function validateNames(names: Record<string, any> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const n = names ?? {};
  if (!n.plural) errors.push(fieldRequired(`${path}.plural`));
  else for (const msg of isDNS1035Label(n.plural)) errors.push(fieldInvalid(`${path}.plural`, n.plural, msg));
  if (n.singular) for (const msg of isDNS1035Label(n.singular)) errors.push(fieldInvalid(`${path}.singular`, n.singular, msg));
  if (!n.kind) errors.push(fieldRequired(`${path}.kind`));
  if (n.listKind !== undefined && n.listKind === n.kind) errors.push(fieldInvalid(`${path}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  (n.shortNames ?? []).forEach((s: string, i: number) => {
    for (const msg of isDNS1035Label(s)) errors.push(fieldInvalid(keyPath(`${path}.shortNames`, i), s, msg));
  });
  return errors;
}

function validateCRD(crd: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = crd.spec ?? {};
  const name = crd.metadata?.name;
  if (spec.names?.plural && spec.group && name !== `${spec.names.plural}.${spec.group}`) {
    errors.push(fieldInvalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (!spec.group) errors.push(fieldRequired('spec.group'));
  else {
    for (const msg of isDNS1123Subdomain(spec.group)) errors.push(fieldInvalid('spec.group', spec.group, msg));
    if (!spec.group.includes('.')) errors.push(fieldInvalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  errors.push(...validateNames(spec.names, 'spec.names'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errors.push(fieldNotSupported('spec.scope', spec.scope ?? '', ['Cluster', 'Namespaced']));
  const versions: Array<Record<string, any>> = spec.versions ?? [];
  if (versions.length === 0) errors.push(fieldInvalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage).length !== 1) errors.push(fieldInvalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const path = keyPath('spec.versions', i);
    if (!v.name) errors.push(fieldRequired(`${path}.name`));
    else {
      for (const msg of isDNS1035Label(v.name)) errors.push(fieldInvalid(`${path}.name`, v.name, msg));
      if (seen.has(v.name)) errors.push({ type: 'FieldValueDuplicate', field: `${path}.name`, detail: `Duplicate value: ${JSON.stringify(v.name)}` });
      seen.add(v.name);
    }
    if (!v.schema?.openAPIV3Schema) errors.push(fieldRequired(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
    else errors.push(...validateVersionSchema(`${path}.schema.openAPIV3Schema`, v.schema.openAPIV3Schema));
    errors.push(...validateVersionExtras(path, v));
  });
  if (versions.length > 0 && !versions.some((v) => v.served)) errors.push(fieldInvalid('spec.versions', versions, 'must have at least one version marked as served'));
  errors.push(...validateCategories('spec.names.categories', spec.names?.categories));
  errors.push(...validateConversion('spec.conversion', spec.conversion, spec.preserveUnknownFields === true));
  return errors;
}

function validateCRDUpdate(crd: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateCRD(crd);
  if (crd.spec?.scope !== old.spec?.scope) errors.push(fieldInvalid('spec.scope', crd.spec?.scope, 'field is immutable'));
  if (crd.spec?.names?.plural !== old.spec?.names?.plural && old.status?.acceptedNames?.plural) {
    errors.push(fieldForbidden('spec.names.plural', 'field is immutable once accepted'));
  }
  return errors;
}

/** kube's SetDefaults for CRDs (apiextensions/v1 defaults.go): names, conversion, webhook port. */
function defaultCRD(crd: KubeObject): void {
  const spec = (crd.spec ??= {});
  const names = spec.names;
  if (names?.kind) {
    if (!names.singular) names.singular = String(names.kind).toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  const service = spec.conversion.webhook?.clientConfig?.service;
  if (service && service.port === undefined) service.port = 443;
}

const statusSubresource: SubresourceDefinition = {
  name: 'status',
  kind: 'CustomResourceDefinition',
  verbs: ['get', 'patch', 'update'],
  strategy: {
    prepareForUpdate(crd, old) {
      crd.spec = old.spec;
    },
    validate: () => [],
    validateUpdate: () => [],
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
};

export const customResourceDefinitions = defineResource({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: [statusSubresource],
  strategy: {
    defaults: defaultCRD,
    prepareForCreate(crd) {
      crd.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
      const finalizers: string[] = crd.metadata.finalizers ?? [];
      if (!finalizers.includes(CLEANUP_FINALIZER)) crd.metadata.finalizers = [...finalizers, CLEANUP_FINALIZER];
    },
    prepareForUpdate(crd, old) {
      crd.status = old.status;
    },
    validate: validateCRD,
    validateUpdate: validateCRDUpdate,
    generationChanged: specChanged,
  },
  // kubectl get crd shows NAME and CREATED AT: kube's default convertor.
  table: defaultTableConvertor(),
});
