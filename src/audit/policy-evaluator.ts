// kube's policyRuleEvaluator (k8s.io/apiserver/pkg/audit/policy/checker.go): the first rule that
// matches a request decides its level; no match is level None. A rule's omitStages are its own plus
// the policy's; its omitManagedFields, when unset, is the policy's.
import type { AuthorizationAttributes } from '../auth/authorizer.js';
import type { Policy, PolicyRule, RequestAuditConfig, Stage } from './types.js';

/** The request's attributes; no user when authentication failed. */
export type AuditAttributes = Omit<AuthorizationAttributes, 'user'> & { user?: AuthorizationAttributes['user'] };

export type PolicyRuleEvaluator = (attrs: AuditAttributes) => RequestAuditConfig;

export function newPolicyRuleEvaluator(policy: Policy): PolicyRuleEvaluator {
  const rules = policy.rules.map((rule) => ({ rule, omitStages: unionStages(policy.omitStages ?? [], rule.omitStages ?? []) }));
  const policyOmitManaged = policy.omitManagedFields === true;
  return (attrs) => {
    for (const { rule, omitStages } of rules) {
      if (ruleMatches(rule, attrs)) {
        return { level: rule.level, omitStages, omitManagedFields: rule.omitManagedFields ?? policyOmitManaged };
      }
    }
    return { level: 'None', omitStages: policy.omitStages ?? [], omitManagedFields: policyOmitManaged };
  };
}

function unionStages(...lists: Stage[][]): Stage[] {
  return [...new Set(lists.flat())];
}

const nonEmpty = (list: string[] | undefined): list is string[] => list !== undefined && list.length > 0;

export function ruleMatches(rule: PolicyRule, attrs: AuditAttributes): boolean {
  const user = attrs.user;
  if (nonEmpty(rule.users) && (!user || !rule.users.includes(user.name))) return false;
  if (nonEmpty(rule.userGroups) && (!user || !user.groups.some((g) => rule.userGroups!.includes(g)))) return false;
  if (nonEmpty(rule.verbs) && !rule.verbs.includes(attrs.verb)) return false;
  if (nonEmpty(rule.namespaces) || (rule.resources ?? []).length > 0) return ruleMatchesResource(rule, attrs);
  if (nonEmpty(rule.nonResourceURLs)) return ruleMatchesNonResource(rule.nonResourceURLs, attrs);
  return true;
}

function ruleMatchesNonResource(specs: string[], attrs: AuditAttributes): boolean {
  if (attrs.isResourceRequest) return false;
  return specs.some((spec) => pathMatches(attrs.path, spec));
}

/** "*" matches all; "/foo*" matches by prefix; anything else exactly. */
export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function ruleMatchesResource(rule: PolicyRule, attrs: AuditAttributes): boolean {
  if (!attrs.isResourceRequest) return false;
  // Cluster-scoped resources have the empty namespace, which a rule can name as "".
  if (nonEmpty(rule.namespaces) && !rule.namespaces.includes(attrs.namespace)) return false;
  const groups = rule.resources ?? [];
  if (groups.length === 0) return true;
  const { apiGroup, resource, subresource, name } = attrs;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const gr of groups) {
    if ((gr.group ?? '') !== apiGroup && gr.group !== '*') continue;
    if (!nonEmpty(gr.resources)) return true;
    if (nonEmpty(gr.resourceNames) && !gr.resourceNames.includes(name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (subresource && res.startsWith('*/') && subresource === res.slice(2)) return true;
      if (res.endsWith('/*') && resource === res.slice(0, -2)) return true;
    }
  }
  return false;
}
