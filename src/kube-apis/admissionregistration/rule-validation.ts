// kube's admissionregistration validation of rules (pkg/apis/admissionregistration/validation, 1.32):
// RuleWithOperations and the resources list with its wildcard rules, shared by webhooks and policies.
import type { FieldError } from '../../endpoints/status.js';
import { childPath, fieldInvalid, fieldNotSupported, fieldRequired, goStringSlice, keyPath } from '../../registry/validation/field-errors.js';
import type { Rule, RuleWithOperations } from './types.js';

const SUPPORTED_OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SUPPORTED_SCOPES = ['*', 'Cluster', 'Namespaced'];

const hasWildcard = (values: readonly string[]) => values.includes('*');

/** validateResources: subresources allowed, with kube's wildcard exclusions. */
export function validateResources(resources: readonly string[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (resources.length === 0) errors.push(fieldRequired(path));
  const resourcesWithWildcardSubresources = new Set<string>();
  const subresourcesWithWildcardResource = new Set<string>();
  let hasDoubleWildcard = false;
  let hasSingleWildcard = false;
  let hasResourceWithoutSubresource = false;
  resources.forEach((resSub, i) => {
    if (resSub === '') {
      errors.push(fieldRequired(keyPath(path, i)));
      return;
    }
    if (resSub === '*/*') hasDoubleWildcard = true;
    if (resSub === '*') hasSingleWildcard = true;
    const slash = resSub.indexOf('/');
    if (slash < 0) {
      hasResourceWithoutSubresource = resSub !== '*';
      return;
    }
    const res = resSub.slice(0, slash);
    const sub = resSub.slice(slash + 1);
    if (resourcesWithWildcardSubresources.has(res)) errors.push(fieldInvalid(keyPath(path, i), resSub, `if '${res}/*' is present, must not specify ${resSub}`));
    if (subresourcesWithWildcardResource.has(sub)) errors.push(fieldInvalid(keyPath(path, i), resSub, `if '*/${sub}' is present, must not specify ${resSub}`));
    if (sub === '*') resourcesWithWildcardSubresources.add(res);
    if (res === '*') subresourcesWithWildcardResource.add(sub);
  });
  if (resources.length > 1 && hasDoubleWildcard) errors.push(fieldInvalid(path, goStringSlice(resources), "if '*/*' is present, must not specify other resources"));
  if (hasSingleWildcard && hasResourceWithoutSubresource) errors.push(fieldInvalid(path, goStringSlice(resources), "if '*' is present, must not specify other resources without subresources"));
  return errors;
}

/** validateRule: the fields of a Rule, at `path` (its parent's path: kube validates them in place). */
export function validateRule(rule: Rule, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const groups = rule.apiGroups ?? [];
  const versions = rule.apiVersions ?? [];
  if (groups.length === 0) errors.push(fieldRequired(childPath(path, 'apiGroups')));
  if (groups.length > 1 && hasWildcard(groups)) errors.push(fieldInvalid(childPath(path, 'apiGroups'), goStringSlice(groups), "if '*' is present, must not specify other API groups"));
  if (versions.length === 0) errors.push(fieldRequired(childPath(path, 'apiVersions')));
  if (versions.length > 1 && hasWildcard(versions)) errors.push(fieldInvalid(childPath(path, 'apiVersions'), goStringSlice(versions), "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => {
    if (v === '') errors.push(fieldRequired(keyPath(childPath(path, 'apiVersions'), i)));
  });
  errors.push(...validateResources(rule.resources ?? [], childPath(path, 'resources')));
  if (rule.scope !== undefined && rule.scope !== null && !SUPPORTED_SCOPES.includes(rule.scope)) {
    errors.push(fieldNotSupported(childPath(path, 'scope'), rule.scope, SUPPORTED_SCOPES));
  }
  return errors;
}

/** validateRuleWithOperations */
export function validateRuleWithOperations(rule: RuleWithOperations, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const operations = rule.operations ?? [];
  if (operations.length === 0) errors.push(fieldRequired(childPath(path, 'operations')));
  if (operations.length > 1 && hasWildcard(operations)) errors.push(fieldInvalid(childPath(path, 'operations'), goStringSlice(operations), "if '*' is present, must not specify other operations"));
  operations.forEach((op, i) => {
    if (!SUPPORTED_OPERATIONS.includes(op)) errors.push(fieldNotSupported(keyPath(childPath(path, 'operations'), i), op, SUPPORTED_OPERATIONS));
  });
  errors.push(...validateRule(rule, path));
  return errors;
}
