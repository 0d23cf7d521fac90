// kube's escalation prevention for RBAC writes (pkg/registry/rbac/*/policybased): a Role or
// ClusterRole may only grant what its author already holds, unless they may `escalate` it; a binding
// may only grant a role its author holds the rules of, unless they may `bind` it. system:masters is
// exempt. Changes to garbage-collection fields alone (ownerReferences, finalizers) are never checked.
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/interface.js';
import type { Authorizer, AuthorizationAttributes } from '../authorizer.js';
import type { UserInfo } from '../user.js';
import type { KubeObject } from '../../registry/resource.js';
import { MASTERS_GROUP } from '../user.js';
import { newForbidden } from '../../endpoints/status.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { compareBytes } from '../../registry/validation/go-value.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { normalizeRule, RBAC_GROUP, type PolicyRule, type RoleRef } from '../../kube-apis/rbac/types.js';
import { compactRules, compactString, covers } from './covers.js';
import type { RBACAuthorizer } from './rbac-authorizer.js';

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

const goQuoteList = (values: readonly string[]) => `[${values.map((v) => goQuote(v)).join(' ')}]`;

/** ConfirmNoEscalation: the error text when the user's rules in the namespace do not cover `rules`. */
export function escalationError(resolver: Pick<RBACAuthorizer, 'policyRulesFor'>, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const owner = resolver.policyRulesFor(user, namespace);
  const { covered, missing } = covers(owner.rules, rules);
  if (covered) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort(compareBytes);
  let message = `user ${goQuote(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  // fmt's %v of a []error: "[err1 err2]".
  if (owner.errors.length > 0) message += `; resolution errors: [${owner.errors.map((e) => e.message).join(' ')}]`;
  return message;
}

/** IsOnlyMutatingGCFields */
function onlyGCFieldsChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, selfLink: _s, managedFields: _m, resourceVersion: _r, ...meta } = o.metadata ?? {};
    return { ...o, metadata: meta };
  };
  return deepEqual(strip(obj), strip(old));
}

function rulesOf(obj: KubeObject): PolicyRule[] {
  return Array.isArray(obj.rules) ? (obj.rules as Array<Partial<PolicyRule> | null>).map(normalizeRule) : [];
}

export interface EscalationDeps {
  /** The server's whole authorizer (kube asks it whether `escalate` / `bind` is allowed). */
  authorizer: () => Authorizer;
  resolver: RBACAuthorizer;
}

export function rbacEscalationAdmission(deps: EscalationDeps): AdmissionPlugin {
  const allowedTo = async (user: UserInfo, verb: string, resource: string, namespace: string, name: string, apiGroup = RBAC_GROUP): Promise<boolean> => {
    const attrs: AuthorizationAttributes = { user, verb, isResourceRequest: true, path: '', namespace, apiGroup, apiVersion: '*', resource, subresource: '', name };
    try {
      return (await deps.authorizer().authorize(attrs)).decision === 'Allow';
    } catch {
      return false;
    }
  };

  async function checkRole(attrs: AdmissionAttributes, obj: KubeObject): Promise<void> {
    const { resource, namespace, user } = attrs;
    const gr = { group: RBAC_GROUP, resource: resource.resource };
    const name = obj.metadata?.name ?? attrs.name;
    // RoleEscalationAuthorized asks about the request's name: a POST has none.
    const requestName = attrs.operation === 'CREATE' ? '' : attrs.name;
    // Who may escalate the role is not checked further (RoleEscalationAuthorized).
    if (await allowedTo(user, 'escalate', resource.resource, namespace, requestName)) return;
    const error = escalationError(deps.resolver, user, namespace, rulesOf(obj));
    if (error) throw newForbidden(gr, name, error);
    if (resource.resource !== 'clusterroles') return;
    const hasAggregation = (o: KubeObject | undefined) => o?.aggregationRule !== undefined && o?.aggregationRule !== null;
    // An aggregation rule can gather anything (and an update could stop it tightening): it takes full authority.
    if ((hasAggregation(obj) || hasAggregation(attrs.oldObject)) && escalationError(deps.resolver, user, namespace, FULL_AUTHORITY)) {
      throw newForbidden(gr, name, 'must have cluster-admin privileges to use the aggregationRule');
    }
  }

  async function checkBinding(attrs: AdmissionAttributes, obj: KubeObject): Promise<void> {
    const { resource, namespace, user } = attrs;
    const gr = { group: RBAC_GROUP, resource: resource.resource };
    const name = obj.metadata?.name ?? attrs.name;
    const ref: RoleRef = { apiGroup: obj.roleRef?.apiGroup ?? '', kind: obj.roleRef?.kind ?? '', name: obj.roleRef?.name ?? '' };
    const roleResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
    if (roleResource && (await allowedTo(user, 'bind', roleResource, namespace, ref.name, ref.apiGroup))) return;
    const { rules, error } = deps.resolver.roleReferenceRules(ref, namespace, 'registry');
    if (error) throw newForbidden(gr, name, error.message);
    const escalation = escalationError(deps.resolver, user, namespace, rules);
    if (escalation) throw newForbidden(gr, name, escalation);
  }

  return {
    name: 'RBACEscalation',
    async admit(attrs) {
      if (attrs.resource.group !== RBAC_GROUP || attrs.subresource || !attrs.object) return;
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      if (attrs.user.groups.includes(MASTERS_GROUP)) return;
      if (attrs.oldObject && onlyGCFieldsChanged(attrs.object, attrs.oldObject)) return;
      const kind = attrs.resource.resource;
      if (kind === 'roles' || kind === 'clusterroles') await checkRole(attrs, attrs.object);
      else if (kind === 'rolebindings' || kind === 'clusterrolebindings') await checkBinding(attrs, attrs.object);
    },
  };
}
