// RBAC rule matching and coverage, as kube's RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go,
// rbacv1helpers) and policy_comparator.go / policy_compact.go (kube 1.32) decide them.
import { describe, expect, it } from 'vitest';
import type { AuthorizationAttributes } from '../../src/auth/authorizer.js';
import type { PolicyRule } from '../../src/kube-apis/rbac/types.js';
import { ruleAllows } from '../../src/auth/rbac/rule-matching.js';
import { breakdownRule, compactRules, compactString, covers } from '../../src/auth/rbac/covers.js';

const resourceRequest = (verb: string, apiGroup: string, resource: string, subresource = '', name = ''): AuthorizationAttributes => ({
  user: { name: 'u', groups: [] },
  verb,
  isResourceRequest: true,
  path: '',
  namespace: 'ns',
  apiGroup,
  apiVersion: 'v1',
  resource,
  subresource,
  name,
});

const pathRequest = (verb: string, path: string): AuthorizationAttributes => ({ ...resourceRequest(verb, '', ''), isResourceRequest: false, path, namespace: '' });

describe('RuleAllows for resource requests', () => {
  const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: ['get'], apiGroups: [''], resources: ['pods'], ...r });
  it.each<[string, PolicyRule, AuthorizationAttributes, boolean]>([
    ['exact match', rule({}), resourceRequest('get', '', 'pods'), true],
    ['other verb', rule({}), resourceRequest('list', '', 'pods'), false],
    ['verb *', rule({ verbs: ['*'] }), resourceRequest('deletecollection', '', 'pods'), true],
    ['other group', rule({}), resourceRequest('get', 'apps', 'pods'), false],
    ['group *', rule({ apiGroups: ['*'] }), resourceRequest('get', 'apps', 'pods'), true],
    ['resource * covers subresources', rule({ resources: ['*'] }), resourceRequest('get', '', 'pods', 'log'), true],
    ['a resource does not cover its subresources', rule({}), resourceRequest('get', '', 'pods', 'log'), false],
    ['resource/subresource', rule({ resources: ['pods/log'] }), resourceRequest('get', '', 'pods', 'log'), true],
    ['resource/subresource is not the resource', rule({ resources: ['pods/log'] }), resourceRequest('get', '', 'pods'), false],
    ['*/subresource', rule({ resources: ['*/scale'] }), resourceRequest('get', '', 'deployments', 'scale'), true],
    ['*/subresource needs that subresource', rule({ resources: ['*/scale'] }), resourceRequest('get', '', 'deployments', 'status'), false],
    ['*/subresource is no resource', rule({ resources: ['*/scale'] }), resourceRequest('get', '', 'deployments'), false],
    ['x/subresource is not */subresource', rule({ resources: ['x/scale'] }), resourceRequest('get', '', 'deployments', 'scale'), false],
    ['resourceNames match the name', rule({ resourceNames: ['a', 'b'] }), resourceRequest('get', '', 'pods', '', 'b'), true],
    ['resourceNames exclude other names', rule({ resourceNames: ['a'] }), resourceRequest('get', '', 'pods', '', 'c'), false],
    ['resourceNames exclude unnamed requests (list, create)', rule({ verbs: ['list'], resourceNames: ['a'] }), resourceRequest('list', '', 'pods'), false],
    ['a URL rule allows no resource', { verbs: ['*'], nonResourceURLs: ['*'] }, resourceRequest('get', '', 'pods'), false],
  ])('%s', (_name, r, attrs, allowed) => {
    expect(ruleAllows(attrs, r)).toBe(allowed);
  });
});

describe('RuleAllows for non-resource requests', () => {
  it.each<[string[], string, string, boolean]>([
    [['/healthz'], 'get', '/healthz', true],
    [['/healthz'], 'get', '/healthz/ping', false],
    [['/healthz/*'], 'get', '/healthz/ping', true],
    [['/healthz/*'], 'get', '/healthz/', true],
    [['/healthz/*'], 'get', '/healthz', false],
    [['/api*'], 'get', '/apis/apps', true],
    [['*'], 'get', '/anything', true],
    [['/version'], 'post', '/version', false],
  ])('%j %s %s → %s', (urls, verb, path, allowed) => {
    expect(ruleAllows(pathRequest(verb, path), { verbs: ['get'], nonResourceURLs: urls })).toBe(allowed);
  });
  it('a resource rule allows no path', () => {
    expect(ruleAllows(pathRequest('get', '/api'), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(false);
  });
});

describe('coverage (escalation checks)', () => {
  it('breaks rules down to one verb, group, resource and name each', () => {
    expect(breakdownRule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] })).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'], resourceNames: ['a'] },
    ]);
    expect(breakdownRule({ verbs: ['get'], nonResourceURLs: ['/a', '/b'] })).toEqual([
      { nonResourceURLs: ['/a'], verbs: ['get'] },
      { nonResourceURLs: ['/b'], verbs: ['get'] },
    ]);
  });

  it.each<[string, PolicyRule[], PolicyRule, boolean]>([
    ['same rule', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, true],
    ['stars', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], { verbs: ['escalate'], apiGroups: ['x'], resources: ['y/z'] }, true],
    ['split across owner rules', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }], { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }, true],
    ['*/sub covers x/sub', [{ verbs: ['get'], apiGroups: ['apps'], resources: ['*/scale'] }], { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }, true],
    ['named owner rule does not cover all names', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }], { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, false],
    ['unnamed owner rule covers names', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, true],
    ['URL prefix', [{ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }], { verbs: ['get'], nonResourceURLs: ['/healthz/etcd'] }, true],
    ['URL star covers a starred URL with the same prefix', [{ verbs: ['get'], nonResourceURLs: ['/a*'] }], { verbs: ['get'], nonResourceURLs: ['/ab*'] }, true],
    ['exact URL does not cover a prefix', [{ verbs: ['get'], nonResourceURLs: ['/a'] }], { verbs: ['get'], nonResourceURLs: ['/a*'] }, false],
  ])('%s', (_name, owner, servant, covered) => {
    expect(covers(owner, [servant]).covered).toBe(covered);
  });

  it('compacts missing rules that differ only by verbs and prints them as kube does', () => {
    const { missing } = covers([], [{ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }]);
    expect(compactRules(missing).map(compactString)).toEqual([
      '{NonResourceURLs:["/x"], Verbs:["get"]}',
      '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}',
      '{APIGroups:["apps"], Resources:["pods"], Verbs:["get" "list"]}',
    ]);
    expect(compactString({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] })).toBe('{APIGroups:[""], Resources:["pods"], ResourceNames:["a"], Verbs:["get"]}');
  });
});
