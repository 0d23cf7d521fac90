// Whether a policy's matchConstraints (or a binding's matchResources) cover a request (kube's
// validating admission policy matcher): namespace and object selectors, resourceRules with
// resourceNames, excludeResourceRules, and matchPolicy Equivalent.
import type { MatchResources, NamedRuleWithOperations } from '../../kube-apis/admissionregistration/types.js';
import { matchesNamespaceSelector, matchesObjectSelector, matchRules, type Invocation, type MatchAttributes } from '../match-resources.js';
import type { MatchDeps } from '../webhook/invocations.js';

function namedRules(rules: readonly NamedRuleWithOperations[] | null | undefined, name: string): NamedRuleWithOperations[] {
  return (rules ?? []).filter((r) => !r.resourceNames || r.resourceNames.length === 0 || r.resourceNames.includes(name));
}

/** The invocation (resource and kind the policy sees) when `mc` covers the request; 'NotFound' when its namespace is missing. */
export async function matchResources(mc: MatchResources | null | undefined, attrs: MatchAttributes, name: string, deps: MatchDeps): Promise<Invocation | undefined | 'NotFound'> {
  if (!mc) return undefined;
  const invocation = matchRules(namedRules(mc.resourceRules, name), mc.matchPolicy, attrs, deps.equivalents);
  if (!invocation) return undefined;
  if (matchRules(namedRules(mc.excludeResourceRules, name), mc.matchPolicy, attrs, deps.equivalents)) return undefined;
  const ns = await matchesNamespaceSelector(mc.namespaceSelector, attrs, deps.namespaceLabels);
  if (ns === 'NotFound') return 'NotFound';
  if (!ns || !matchesObjectSelector(mc.objectSelector, attrs)) return undefined;
  return invocation;
}

/** A binding without matchResources takes the policy's; with them, the request must match both. */
export async function bindingMatches(mc: MatchResources | null | undefined, attrs: MatchAttributes, name: string, deps: MatchDeps): Promise<boolean | 'NotFound'> {
  if (!mc) return true;
  const result = await matchResources({ ...mc, resourceRules: mc.resourceRules && mc.resourceRules.length > 0 ? mc.resourceRules : [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*', '*/*'] }] }, attrs, name, deps);
  return result === 'NotFound' ? result : result !== undefined;
}
