// kube's admission rule matching (k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/rules):
// scope, operation, group, version, and resource with "resource/subresource" and "*" forms.
import type { RuleWithOperations } from '../kube-apis/admissionregistration/types.js';

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** What a rule is matched against. */
export interface RuleAttributes {
  operation: string;
  resource: GroupVersionResource;
  subresource: string;
  /** "" for cluster-scoped objects (and namespaces themselves). */
  namespace: string;
}

const isNamespaceResource = (r: GroupVersionResource) => r.group === '' && r.resource === 'namespaces';

function matchesScope(rule: RuleWithOperations, attrs: RuleAttributes): boolean {
  const scope = rule.scope ?? '*';
  if (scope === '*') return true;
  const clusterScoped = isNamespaceResource(attrs.resource) || attrs.namespace === '';
  if (scope === 'Namespaced') return !clusterScoped;
  if (scope === 'Cluster') return clusterScoped;
  return false;
}

const matchesList = (values: readonly string[] | null | undefined, value: string) => (values ?? []).some((v) => v === '*' || v === value);

function matchesResource(rule: RuleWithOperations, attrs: RuleAttributes): boolean {
  return (rule.resources ?? []).some((entry) => {
    const slash = entry.indexOf('/');
    const res = slash < 0 ? entry : entry.slice(0, slash);
    const sub = slash < 0 ? '' : entry.slice(slash + 1);
    return (res === '*' || res === attrs.resource.resource) && (sub === '*' || sub === attrs.subresource);
  });
}

/** rules.Matcher.Matches */
export function ruleMatches(rule: RuleWithOperations, attrs: RuleAttributes): boolean {
  return (
    matchesScope(rule, attrs) &&
    matchesList(rule.operations, attrs.operation) &&
    matchesList(rule.apiGroups, attrs.resource.group) &&
    matchesList(rule.apiVersions, attrs.resource.version) &&
    matchesResource(rule, attrs)
  );
}

const EXEMPT_RESOURCES = new Set(['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings']);

/** kube never sends requests on admission configuration itself to webhooks or policies (no lock-out). */
export function isExemptAdmissionConfigurationResource(resource: GroupVersionResource): boolean {
  return resource.group === 'admissionregistration.k8s.io' && EXEMPT_RESOURCES.has(resource.resource);
}
