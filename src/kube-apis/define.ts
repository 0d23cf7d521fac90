// Declares a built-in resource with the defaults most resources share.
import type { ResourceDefinition, Strategy, KubeObject, Verb } from '../registry/resource.js';
import { nameIsDNSSubdomain } from '../registry/validation/names.js';
import { nameAgeTableConvertor } from './printing.js';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export type ResourceSpec = Pick<ResourceDefinition, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'> &
  Partial<Omit<ResourceDefinition, 'strategy'>> & { strategy: Partial<Strategy> & Pick<Strategy, 'validate' | 'validateUpdate'> };

/** kube's metadata-only field selectors: metadata.name, and metadata.namespace for namespaced resources. */
export function defaultSelectableFields(namespaced: boolean) {
  return (obj: KubeObject): Record<string, string> => {
    const fields: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
    if (namespaced) fields['metadata.namespace'] = obj.metadata?.namespace ?? '';
    return fields;
  };
}

export function defineResource(spec: ResourceSpec): ResourceDefinition {
  return {
    singularName: spec.kind.toLowerCase(),
    listKind: `${spec.kind}List`,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    validateName: nameIsDNSSubdomain,
    selectableFields: defaultSelectableFields(spec.namespaced),
    table: nameAgeTableConvertor(),
    ...spec,
    strategy: { allowCreateOnUpdate: false, allowUnconditionalUpdate: true, ...spec.strategy },
  };
}
