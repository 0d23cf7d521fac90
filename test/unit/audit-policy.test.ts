// The audit policy as kube reads and applies it: validation messages, first match wins, and how
// users, groups, verbs, resources (subresources, wildcards, names), namespaces and non-resource URLs match.
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/audit/policy.js';
import { newPolicyRuleEvaluator, pathMatches } from '../../src/audit/policy-evaluator.js';
import type { AuthorizationAttributes } from '../../src/auth/authorizer.js';
import { formatMicroTime } from '../../src/audit/micro-time.js';
import { backupTimestamp } from '../../src/audit/backends/rotating-file.js';

const alice = { name: 'alice', groups: ['devs', 'system:authenticated'] };

function resource(over: Partial<AuthorizationAttributes> = {}): AuthorizationAttributes {
  return { user: alice, verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/default/secrets/s', namespace: 'default', apiGroup: '', apiVersion: 'v1', resource: 'secrets', subresource: '', name: 's', ...over };
}
function nonResource(path: string, verb = 'get'): AuthorizationAttributes {
  return { user: alice, verb, isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}
const policy = (rules: string) => parsePolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${rules}`);

describe('audit policy file', () => {
  it('refuses other kinds, an empty rule list and invalid rules with kube field errors', () => {
    expect(() => parsePolicy('apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: None}]')).toThrow(/unknown group version/);
    expect(() => parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []')).toThrow('loaded illegal policy with 0 rules');
    expect(() => policy('- level: Everything')).toThrow(
      'rules[0].level: Unsupported value: "Everything": supported values: "None", "Metadata", "Request", "RequestResponse"',
    );
    expect(() => policy('- omitStages: [RequestReceived]')).toThrow('rules[0].level: Required value');
    expect(() => policy('- level: None\n  nonResourceURLs: ["healthz", "/a*b"]')).toThrow(
      `[rules[0].nonResourceURLs[0]: Invalid value: "healthz": non-resource URL rules must begin with a '/' character, rules[0].nonResourceURLs[1]: Invalid value: "/a*b": non-resource URL wildcards '*' must be the final character of the rule]`,
    );
    expect(() => policy('- level: None\n  nonResourceURLs: ["/x"]\n  namespaces: [a]')).toThrow(
      'rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs',
    );
    expect(() => policy('- level: None\n  resources: [{group: "", resourceNames: [a]}]')).toThrow(
      'rules[0].resources.resourceNames: Invalid value: []string{"a"}: using resourceNames requires at least one resource',
    );
    expect(() => policy('- level: None\n  omitStages: [Done]')).toThrow(
      'rules[0].omitStages[0]: Invalid value: "Done": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic',
    );
  });

  it('takes the first matching rule; no match is None', () => {
    const evaluate = newPolicyRuleEvaluator(policy(`
- level: None
  users: [bob]
- level: Metadata
  resources: [{group: "", resources: [secrets, configmaps]}]
- level: RequestResponse
  userGroups: [devs]
`));
    expect(evaluate(resource({ user: { name: 'bob', groups: ['devs'] } })).level).toBe('None');
    expect(evaluate(resource()).level).toBe('Metadata');
    expect(evaluate(resource({ resource: 'pods' })).level).toBe('RequestResponse');
    expect(evaluate(resource({ user: { name: 'carol', groups: [] }, resource: 'pods' })).level).toBe('None');
  });

  it('matches resources by group, subresource patterns, names and namespaces', () => {
    const evaluate = newPolicyRuleEvaluator(policy(`
- level: Request
  resources: [{group: "", resources: ["pods/log"]}]
- level: RequestResponse
  resources: [{group: "apps", resources: ["*/scale"]}]
- level: Metadata
  resources: [{group: "", resources: ["nodes/*"]}]
- level: Request
  resources: [{group: "", resources: [configmaps], resourceNames: [controller-leader]}]
- level: Metadata
  namespaces: ["kube-system", ""]
- level: RequestResponse
  resources: [{group: "*"}]
  verbs: [delete]
`));
    expect(evaluate(resource({ resource: 'pods', subresource: 'log' })).level).toBe('Request');
    expect(evaluate(resource({ resource: 'pods' })).level).toBe('None');
    expect(evaluate(resource({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })).level).toBe('RequestResponse');
    expect(evaluate(resource({ resource: 'deployments', subresource: 'scale' })).level).toBe('None');
    expect(evaluate(resource({ resource: 'nodes', subresource: 'status', namespace: 'x' })).level).toBe('Metadata');
    // "resource/*" covers the resource itself too (kube trims the "/*" and compares).
    expect(evaluate(resource({ resource: 'nodes', namespace: 'x' })).level).toBe('Metadata');
    expect(evaluate(resource({ resource: 'configmaps', name: 'controller-leader' })).level).toBe('Request');
    expect(evaluate(resource({ resource: 'configmaps', name: 'other' })).level).toBe('None');
    expect(evaluate(resource({ resource: 'configmaps', namespace: 'kube-system' })).level).toBe('Metadata');
    expect(evaluate(resource({ resource: 'namespaces', namespace: '', name: 'x' })).level).toBe('Metadata');
    expect(evaluate(resource({ apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', verb: 'delete' })).level).toBe('RequestResponse');
    // A namespace or resource rule never matches a non-resource request.
    expect(evaluate(nonResource('/healthz', 'delete')).level).toBe('None');
  });

  it('matches non-resource URLs exactly or by a trailing *', () => {
    expect(pathMatches('/healthz', '/healthz')).toBe(true);
    expect(pathMatches('/healthz/etcd', '/healthz*')).toBe(true);
    expect(pathMatches('/healthz/etcd', '/healthz')).toBe(false);
    expect(pathMatches('/anything', '*')).toBe(true);
    const evaluate = newPolicyRuleEvaluator(policy(`
- level: None
  nonResourceURLs: ["/healthz*", "/version"]
- level: Metadata
`));
    expect(evaluate(nonResource('/healthz/ping')).level).toBe('None');
    expect(evaluate(nonResource('/version')).level).toBe('None');
    expect(evaluate(nonResource('/versions')).level).toBe('Metadata');
    expect(evaluate(resource()).level).toBe('Metadata');
  });

  it('adds the policy omitStages to each rule and inherits omitManagedFields', () => {
    const evaluate = newPolicyRuleEvaluator(parsePolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
omitManagedFields: true
rules:
- level: Request
  verbs: [create]
  omitStages: [ResponseStarted]
  omitManagedFields: false
- level: Metadata
`));
    const create = evaluate(resource({ verb: 'create' }));
    expect(create).toEqual({ level: 'Request', omitStages: ['RequestReceived', 'ResponseStarted'], omitManagedFields: false });
    expect(evaluate(resource())).toEqual({ level: 'Metadata', omitStages: ['RequestReceived'], omitManagedFields: true });
  });

  it('formats MicroTime with six digits and lumberjack backup names', () => {
    expect(formatMicroTime(Date.UTC(2024, 0, 2, 3, 4, 5, 6) + 0.789)).toBe('2024-01-02T03:04:05.006789Z');
    expect(backupTimestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('2024-01-02T03-04-05.006');
  });
});

describe('the documented default policy (docs/audit-policy.yaml)', () => {
  it('never logs Secrets, ConfigMaps, TokenReviews or TokenRequests above Metadata', async () => {
    const { loadPolicyFile } = await import('../../src/audit/policy.js');
    const evaluate = newPolicyRuleEvaluator(await loadPolicyFile(new URL('../../docs/audit-policy.yaml', import.meta.url).pathname));
    const sensitive = [
      { apiGroup: '', resource: 'secrets', subresource: '' },
      { apiGroup: '', resource: 'configmaps', subresource: '' },
      { apiGroup: '', resource: 'serviceaccounts', subresource: 'token' },
      { apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', subresource: '' },
    ];
    const users = [alice, { name: 'system:admin', groups: ['system:masters'] }, { name: 'system:serviceaccount:kube-system:x', groups: ['system:serviceaccounts'] }];
    for (const target of sensitive) {
      for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']) {
        for (const user of users) {
          for (const namespace of ['', 'default', 'kube-system']) {
            expect(evaluate(resource({ ...target, verb, user, namespace })).level).toBe('Metadata');
          }
        }
      }
    }
    expect(evaluate(resource({ resource: 'pods', verb: 'create' })).level).toBe('RequestResponse');
    expect(evaluate(nonResource('/healthz')).level).toBe('None');
  });
});
