// One served version of a CustomResourceDefinition as a ResourceDefinition: the same machinery as
// the built-ins, with validation, pruning and defaulting from the version's schema.
import type { FieldError } from '../endpoints/status.js';
import type { KubeObject, ResourceDefinition, SubresourceDefinition } from '../registry/resource.js';
import { defineResource, ALL_VERBS } from '../kube-apis/define.js';
import { crdTableConvertor, type PrinterColumn } from '../endpoints/table/printer-columns.js';
import { specChanged } from '../registry/store.js';
import { compileVersionSchema } from './schema/index.js';
import { converterFor } from './conversion/index.js';
import { selectableFieldsFor } from './selectable-fields.js';
import type { ServiceResolver } from '../webhook/service-resolver.js';

type CRD = KubeObject;
type Version = Record<string, any>;

export function customResourceDefinitionFor(crd: CRD, version: Version, resolver?: ServiceResolver): ResourceDefinition {
  const spec = crd.spec;
  const names = crd.status?.acceptedNames?.plural ? crd.status.acceptedNames : spec.names;
  // Compiled once per CRD version: schema validation, CEL, list types, embedded resources, ratcheting.
  // ObjectMeta is left to the store, which validates it for every kind.
  const compiled = compileVersionSchema(version.schema?.openAPIV3Schema, { group: spec.group, version: version.name, kind: names.kind });
  const validate = (obj: KubeObject): FieldError[] => compiled.validate(obj);
  const normalize = (obj: KubeObject): void => {
    compiled.prune(obj);
    compiled.applyDefaults(obj);
  };
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
        prune: (obj) => void compiled.prune(obj),
        validate,
        validateUpdate: (obj, old) => compiled.validateStatusUpdate(obj, old),
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
    converter: converterFor(crd, resolver),
    storageVersion: (spec.versions as Version[]).find((v) => v.storage)?.name,
    selectableFields: selectableFieldsFor(spec.scope === 'Namespaced', version.selectableFields ?? []),
    deprecationWarning: version.deprecated ? (version.deprecationWarning ?? `${spec.group}/${version.name} ${names.kind} is deprecated`) : undefined,
    unknownFields: (obj) => compiled.unknownFields(obj),
    table: crdTableConvertor(version.additionalPrinterColumns as PrinterColumn[] | undefined),
    strategy: {
      prepareForCreate(obj) {
        if (hasStatus) delete obj.status;
        normalize(obj);
      },
      prepareForUpdate(obj) {
        normalize(obj);
      },
      // Decoding a body prunes and defaults it (before mutating admission); defaults are applied again
      // to what each mutating webhook returns, and pruning again before the object is written.
      prune: (obj) => void compiled.prune(obj),
      defaults: (obj) => compiled.applyDefaults(obj),
      validate,
      validateUpdate: (obj, old) => compiled.validateUpdate(obj, old),
      allowCreateOnUpdate: false,
      allowUnconditionalUpdate: false,
      generationChanged: specChanged,
    },
  });
}
