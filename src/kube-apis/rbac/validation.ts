// kube's RBAC validation (pkg/apis/rbac/validation, kube 1.32), with its field paths and messages.
// Names of RBAC objects only need to stand in a URL (path.IsValidPathSegmentName).
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { GoLiteral, fieldInvalid, fieldNotSupported, fieldRequired, goStringSlice, keyPath } from '../../registry/validation/field-errors.js';
import { isValidPathSegmentName, validateServiceAccountName } from '../../registry/validation/names.js';
import { validateLabelSelector } from '../../registry/validation/label-selector.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { GROUP_KIND, RBAC_GROUP, SERVICE_ACCOUNT_KIND, USER_KIND, type PolicyRule, type RoleRef, type Subject } from './types.js';

const nonEmpty = (list: unknown): boolean => Array.isArray(list) && list.length > 0;

/** ValidatePolicyRule */
export function validatePolicyRule(rule: Partial<PolicyRule> | null, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const r = rule ?? {};
  if (!nonEmpty(r.verbs)) errors.push(fieldRequired(`${path}.verbs`, 'verbs must contain at least one value'));
  if (nonEmpty(r.nonResourceURLs)) {
    const urls = goStringSlice(r.nonResourceURLs);
    if (namespaced) errors.push(fieldInvalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (nonEmpty(r.apiGroups) || nonEmpty(r.resources) || nonEmpty(r.resourceNames)) {
      errors.push(fieldInvalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errors;
  }
  if (!nonEmpty(r.apiGroups)) errors.push(fieldRequired(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!nonEmpty(r.resources)) errors.push(fieldRequired(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errors;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const rules: Array<Partial<PolicyRule> | null> = Array.isArray(obj.rules) ? obj.rules : [];
  return rules.flatMap((rule, i) => validatePolicyRule(rule, namespaced, keyPath('rules', i)));
}

/** ValidateRole (metadata is checked by the generic store). */
export function validateRole(role: KubeObject): FieldError[] {
  return validateRules(role, true);
}

/** ValidateClusterRole: rules, and the aggregation rule's selectors. */
export function validateClusterRole(role: KubeObject, old?: KubeObject): FieldError[] {
  const errors = validateRules(role, false);
  const aggregation = role.aggregationRule;
  if (aggregation !== undefined && aggregation !== null) {
    const selectors: unknown[] = Array.isArray(aggregation.clusterRoleSelectors) ? aggregation.clusterRoleSelectors : [];
    if (selectors.length === 0) errors.push(fieldRequired('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    // An update keeps accepting selector values that were already stored (kube's ratcheting option).
    const allowInvalidLabelValueInSelector = old !== undefined;
    selectors.forEach((selector, i) => {
      errors.push(...validateLabelSelector(selector as never, { allowInvalidLabelValueInSelector }, keyPath('aggregationRule.clusterRoleSelectors', i)));
    });
  }
  return errors;
}

/** ValidateRoleBindingSubject */
export function validateSubject(subject: Partial<Subject> | null, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const s = subject ?? {};
  const name = s.name ?? '';
  if (name.length === 0) errors.push(fieldRequired(`${path}.name`));
  switch (s.kind) {
    case SERVICE_ACCOUNT_KIND:
      if (name.length > 0) for (const msg of validateServiceAccountName(name, false)) errors.push(fieldInvalid(`${path}.name`, name, msg));
      if (s.apiGroup) errors.push(fieldNotSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errors.push(fieldRequired(`${path}.namespace`));
      break;
    case USER_KIND:
    case GROUP_KIND:
      if (s.apiGroup !== RBAC_GROUP) errors.push(fieldNotSupported(`${path}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errors.push(fieldNotSupported(`${path}.kind`, s.kind ?? '', [SERVICE_ACCOUNT_KIND, USER_KIND, GROUP_KIND]));
  }
  return errors;
}

function validateRoleRef(ref: Partial<RoleRef>, kinds: string[]): FieldError[] {
  const errors: FieldError[] = [];
  if (ref.apiGroup !== RBAC_GROUP) errors.push(fieldNotSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(ref.kind ?? '')) errors.push(fieldNotSupported('roleRef.kind', ref.kind ?? '', kinds));
  const name = ref.name ?? '';
  if (name.length === 0) errors.push(fieldRequired('roleRef.name'));
  else for (const msg of isValidPathSegmentName(name)) errors.push(fieldInvalid('roleRef.name', name, msg));
  return errors;
}

function validateBinding(binding: KubeObject, namespaced: boolean): FieldError[] {
  const errors = validateRoleRef(binding.roleRef ?? {}, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']);
  const subjects: Array<Partial<Subject> | null> = Array.isArray(binding.subjects) ? binding.subjects : [];
  subjects.forEach((subject, i) => errors.push(...validateSubject(subject, namespaced, keyPath('subjects', i))));
  return errors;
}

export const validateRoleBinding = (binding: KubeObject) => validateBinding(binding, true);
export const validateClusterRoleBinding = (binding: KubeObject) => validateBinding(binding, false);

/** The internal rbac.RoleRef as %#v prints it. */
function goRoleRef(ref: Partial<RoleRef>): GoLiteral {
  return new GoLiteral(`rbac.RoleRef{APIGroup:${goQuote(ref.apiGroup ?? '')}, Kind:${goQuote(ref.kind ?? '')}, Name:${goQuote(ref.name ?? '')}}`);
}

/** ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate: roleRef may not change. */
export function validateBindingUpdate(namespaced: boolean) {
  return (binding: KubeObject, old: KubeObject): FieldError[] => {
    const errors = validateBinding(binding, namespaced);
    const now: Partial<RoleRef> = binding.roleRef ?? {};
    const before: Partial<RoleRef> = old.roleRef ?? {};
    if (now.apiGroup !== before.apiGroup || now.kind !== before.kind || now.name !== before.name) {
      errors.push(fieldInvalid('roleRef', goRoleRef(now), 'cannot change roleRef'));
    }
    return errors;
  };
}
