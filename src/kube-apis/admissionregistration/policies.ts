// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (with its status subresource) and
// ValidatingAdmissionPolicyBinding: cluster-scoped, defaulted and validated as kube does, printed with
// kube's columns (VALIDATIONS PARAMKIND; POLICYNAME PARAMREF).
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { schemaBacked } from '../schemas.js';
import { labelSelectorFromMeta } from '../../registry/selectors/label-selector.js';
import { defaultBindingSpec, defaultPolicySpec, validateBindingSpec, validatePolicySpec } from './policy-validation.js';

const specChanged = (obj: KubeObject, old: KubeObject) => JSON.stringify(obj.spec ?? null) !== JSON.stringify(old.spec ?? null);

export const validatingAdmissionPolicies = defineResource({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  resource: 'validatingadmissionpolicies',
  kind: 'ValidatingAdmissionPolicy',
  namespaced: false,
  categories: ['api-extensions'],
  ...schemaBacked('io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy'),
  subresources: [
    {
      name: 'status',
      kind: 'ValidatingAdmissionPolicy',
      verbs: ['get', 'patch', 'update'],
      strategy: {
        prepareForUpdate(obj, old) {
          obj.spec = old.spec;
        },
        validate: () => [],
        validateUpdate: () => [],
        allowCreateOnUpdate: false,
        allowUnconditionalUpdate: true,
      },
    },
  ],
  strategy: {
    prepareForCreate: (obj) => {
      delete obj.status;
    },
    prepareForUpdate: (obj, old) => {
      if (old.status !== undefined) obj.status = old.status;
      else delete obj.status;
    },
    defaults: (obj) => defaultPolicySpec(obj.spec),
    validate: (obj) => validatePolicySpec(obj.spec, obj.metadata?.name ?? ''),
    validateUpdate: (obj) => validatePolicySpec(obj.spec, obj.metadata?.name ?? ''),
    generationChanged: specChanged,
  },
  table: nameAgeTableConvertor([
    { column: column('Validations', 'integer', 'How many validations the policy has.'), cell: (p) => (Array.isArray(p.spec?.validations) ? p.spec.validations.length : 0) },
    { column: column('ParamKind', 'string', 'The kind of the parameters the policy takes.'), cell: (p) => (p.spec?.paramKind ? `${p.spec.paramKind.apiVersion ?? ''}/${p.spec.paramKind.kind ?? ''}` : '<unset>') },
  ]),
});

function paramRefCell(binding: KubeObject): string {
  const ref = binding.spec?.paramRef;
  if (!ref) return '<unset>';
  if (ref.name) return ref.namespace ? `${ref.namespace}/${ref.name}` : `*/${ref.name}`;
  if (ref.selector) {
    try {
      return labelSelectorFromMeta(ref.selector).toString();
    } catch {
      return '<error>';
    }
  }
  return '<unset>';
}

export const validatingAdmissionPolicyBindings = defineResource({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  resource: 'validatingadmissionpolicybindings',
  kind: 'ValidatingAdmissionPolicyBinding',
  namespaced: false,
  categories: ['api-extensions'],
  ...schemaBacked('io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding'),
  strategy: {
    defaults: (obj) => defaultBindingSpec(obj.spec),
    validate: (obj) => validateBindingSpec(obj.spec),
    validateUpdate: (obj) => validateBindingSpec(obj.spec),
    generationChanged: specChanged,
  },
  table: nameAgeTableConvertor([
    { column: column('PolicyName', 'string', 'The policy the binding puts to work.'), cell: (b) => b.spec?.policyName ?? '' },
    { column: column('ParamRef', 'string', 'The parameters the binding uses.'), cell: paramRefCell },
  ]),
});
