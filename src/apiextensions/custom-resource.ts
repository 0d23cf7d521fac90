// One served version of a CustomResourceDefinition as a ResourceDefinition: the same machinery as
// the built-ins, with validation, pruning and defaulting from the version's schema.
import type { FieldError } from '../endpoints/status.js';
import type { KubeObject, ResourceDefinition, SubresourceDefinition } from '../registry/resource.js';
import { defineResource, ALL_VERBS } from '../kube-apis/define.js';
import { crdTableConvertor, type PrinterColumn } from '../endpoints/table/printer-columns.js';
import { specChanged } from '../registry/store.js';
import { applyDefaults, prune, validateValue, type Schema } from './schema/validate.js';

type CRD = KubeObject;
type Version = Record<string, any>;

/** Everything but apiVersion, kind and metadata goes through the schema (kube validates ObjectMeta itself). */
function bodySchema(schema: Schema): Schema {
  const properties = { ...(schema.properties ?? {}) };
  delete properties.apiVersion;
  delete properties.kind;
  delete properties.metadata;
  return { ...schema, properties };
}

function validateWith(schema: Schema) {
  const body = bodySchema(schema);
  return (obj: KubeObject): FieldError[] => {
    const errors: FieldError[] = [];
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
    validateValue(body, rest, '', errors);
    return errors;
  };
}

function pruneAndDefault(schema: Schema) {
  const body = bodySchema(schema);
  return (obj: KubeObject): void => {
    const { apiVersion, kind, metadata, ...rest } = obj;
    prune(body, rest, '', []);
    applyDefaults(body, rest);
    for (const key of Object.keys(obj)) if (!['apiVersion', 'kind', 'metadata'].includes(key)) delete obj[key];
    Object.assign(obj, { apiVersion, kind, metadata }, rest);
  };
}

function unknownFieldsOf(schema: Schema) {
  const body = bodySchema(schema);
  return (obj: KubeObject): string[] => {
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
    const pruned: string[] = [];
    prune(body, structuredClone(rest), '', pruned, false);
    return pruned;
  };
}

export function customResourceDefinitionFor(crd: CRD, version: Version): ResourceDefinition {
  const spec = crd.spec;
  const names = crd.status?.acceptedNames?.plural ? crd.status.acceptedNames : spec.names;
  const schema: Schema = version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const validate = validateWith(schema);
  const normalize = pruneAndDefault(schema);
  const subresources: SubresourceDefinition[] = [];
  const hasStatus = Boolean(version.subresources?.status);
  if (hasStatus) {
    subresources.push({
      name: 'status',
      kind: names.kind,
      verbs: ['get', 'patch', 'update'],
      strategy: {
        prepareForUpdate(obj, old) {
          for (const key of Object.keys(obj)) if (key !== 'metadata' && key !== 'status' && key !== 'apiVersion' && key !== 'kind') delete obj[key];
          for (const [key, value] of Object.entries(old)) if (key !== 'metadata' && key !== 'status') obj[key] = structuredClone(value);
          normalize(obj);
        },
        validate,
        validateUpdate: (obj) => validate(obj),
        allowCreateOnUpdate: false,
        allowUnconditionalUpdate: true,
      },
    });
  }
  const scale = version.subresources?.scale;
  if (scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  return defineResource({
    scale: scale ? { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath, labelSelectorPath: scale.labelSelectorPath } : undefined,
    group: spec.group,
    version: version.name,
    resource: names.plural,
    singularName: names.singular ?? names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: ALL_VERBS,
    subresources,
    custom: true,
    deprecationWarning: version.deprecated ? (version.deprecationWarning ?? `${spec.group}/${version.name} ${names.kind} is deprecated`) : undefined,
    unknownFields: unknownFieldsOf(schema),
    table: crdTableConvertor(version.additionalPrinterColumns as PrinterColumn[] | undefined),
    strategy: {
      prepareForCreate(obj) {
        if (hasStatus) delete obj.status;
        normalize(obj);
      },
      prepareForUpdate(obj) {
        normalize(obj);
      },
      validate,
      validateUpdate: (obj) => validate(obj),
      allowCreateOnUpdate: false,
      allowUnconditionalUpdate: false,
      generationChanged: specChanged,
    },
  });
}
