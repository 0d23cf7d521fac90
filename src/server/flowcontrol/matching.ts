// Which FlowSchema a request matches (kube's k8s.io/apiserver/pkg/util/flowcontrol/rule.go): a rule
// matches when one of its subjects is the user and, for resource requests, one of its resource rules
// (verb, group, resource or resource/subresource, namespace or cluster scope) or, for other requests,
// one of its non-resource rules (verb, URL) matches. A list that is exactly ["*"] matches anything.
import type { UserInfo } from '../../auth/user.js';
import type { RequestInfo } from '../request-info.js';
import type { FlowSchemaSpec, NonResourcePolicyRule, PolicyRulesWithSubjects, ResourcePolicyRule, Subject } from '../../kube-apis/flowcontrol/types.js';

const SA_PREFIX = 'system:serviceaccount:';

function contains(x: string, list: string[] | undefined, wildcard = '*'): boolean {
  if (!list) return false;
  if (list.length === 1 && list[0] === wildcard) return true;
  return list.includes(x);
}

export function matchesSubject(user: UserInfo, subject: Subject): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.user !== undefined && (subject.user.name === '*' || subject.user.name === user.name);
    case 'Group':
      return subject.group !== undefined && (subject.group.name === '*' || user.groups.includes(subject.group.name));
    case 'ServiceAccount': {
      const sa = subject.serviceAccount;
      if (!sa) return false;
      if (sa.name === '*') return user.name.startsWith(`${SA_PREFIX}${sa.namespace}:`);
      return user.name === `${SA_PREFIX}${sa.namespace}:${sa.name}`;
    }
    default:
      return false;
  }
}

function matchesResourceRule(info: RequestInfo, rule: ResourcePolicyRule): boolean {
  if (!contains(info.verb, rule.verbs)) return false;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  if (!contains(resource, rule.resources)) return false;
  if (!contains(info.apiGroup, rule.apiGroups)) return false;
  if (!info.namespace) return rule.clusterScope === true;
  return contains(info.namespace, rule.namespaces);
}

/** "*" matches all; "/apis/*" and "/apis" both match "/apis" and everything under "/apis/". */
export function matchesNonResourceURL(urls: string[], path: string): boolean {
  for (const url of urls) {
    if (url === '*' || url === path) return true;
    let prefix = url.endsWith('*') ? url.slice(0, -1) : url;
    if (!prefix.endsWith('/')) prefix += '/';
    if (path.startsWith(prefix)) return true;
  }
  return false;
}

function matchesNonResourceRule(info: RequestInfo, rule: NonResourcePolicyRule): boolean {
  return contains(info.verb, rule.verbs) && matchesNonResourceURL(rule.nonResourceURLs ?? [], info.path);
}

function matchesPolicyRule(user: UserInfo, info: RequestInfo, rule: PolicyRulesWithSubjects): boolean {
  if (!(rule.subjects ?? []).some((s) => matchesSubject(user, s))) return false;
  if (info.isResourceRequest) return (rule.resourceRules ?? []).some((r) => matchesResourceRule(info, r));
  return (rule.nonResourceRules ?? []).some((r) => matchesNonResourceRule(info, r));
}

export function matchesFlowSchema(user: UserInfo, info: RequestInfo, spec: FlowSchemaSpec): boolean {
  return (spec.rules ?? []).some((rule) => matchesPolicyRule(user, info, rule));
}

/** The flow a request belongs to within its schema: its user, its namespace, or one flow for all. */
export function flowDistinguisher(spec: FlowSchemaSpec, user: UserInfo, info: RequestInfo): string {
  switch (spec.distinguisherMethod?.type) {
    case 'ByUser':
      return user.name;
    case 'ByNamespace':
      return info.namespace;
    default:
      return '';
  }
}
