// kube's admission rule matching, selectors, matchPolicy and the webhook error shapes.
import { describe, expect, it } from 'vitest';
import { ruleMatches, isExemptAdmissionConfigurationResource } from '../../src/admission/rules.js';
import { matchesNamespaceSelector, matchesObjectSelector, matchRules, type MatchAttributes } from '../../src/admission/match-resources.js';
import { webhookDenied, callFailure, ErrCallingWebhook, dryRunUnsupported } from '../../src/admission/webhook/errors.js';
import { evaluateMatchConditions } from '../../src/admission/webhook/conditions.js';
import { verifyAdmissionResponse } from '../../src/admission/webhook/review.js';

const attrs = (over: Partial<MatchAttributes> = {}): MatchAttributes => ({
  operation: 'CREATE',
  resource: { group: 'apps', version: 'v1', resource: 'deployments' },
  subresource: '',
  namespace: 'default',
  kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
  ...over,
});
const rule = (over: Record<string, unknown> = {}) => ({ operations: ['CREATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'], ...over });

describe('rule matching', () => {
  it('matches operations, groups, versions and resources, with * wildcards', () => {
    expect(ruleMatches(rule(), attrs())).toBe(true);
    expect(ruleMatches(rule({ operations: ['UPDATE'] }), attrs())).toBe(false);
    expect(ruleMatches(rule({ operations: ['*'] }), attrs({ operation: 'DELETE' }))).toBe(true);
    expect(ruleMatches(rule({ apiGroups: [''] }), attrs())).toBe(false);
    expect(ruleMatches(rule({ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }), attrs())).toBe(true);
    expect(ruleMatches(rule({ apiVersions: ['v1beta1'] }), attrs())).toBe(false);
  });

  it('matches subresources only through resource/subresource forms', () => {
    const status = attrs({ subresource: 'status', operation: 'UPDATE' });
    const r = (resources: string[]) => rule({ operations: ['UPDATE'], resources });
    expect(ruleMatches(r(['deployments']), status)).toBe(false);
    expect(ruleMatches(r(['*']), status)).toBe(false);
    expect(ruleMatches(r(['deployments/status']), status)).toBe(true);
    expect(ruleMatches(r(['deployments/*']), status)).toBe(true);
    expect(ruleMatches(r(['*/status']), status)).toBe(true);
    expect(ruleMatches(r(['*/*']), status)).toBe(true);
    // '*/*' is every resource and every subresource, the main resource included.
    expect(ruleMatches(r(['*/*']), attrs({ operation: 'UPDATE' }))).toBe(true);
    expect(ruleMatches(r(['deployments/*']), attrs({ operation: 'UPDATE' }))).toBe(true);
    expect(ruleMatches(r(['deployments/scale']), status)).toBe(false);
  });

  it('matches scope: namespaces are cluster-scoped', () => {
    expect(ruleMatches(rule({ scope: 'Namespaced' }), attrs())).toBe(true);
    expect(ruleMatches(rule({ scope: 'Cluster' }), attrs())).toBe(false);
    const ns = attrs({ resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: '' });
    const nsRule = (scope: string) => ({ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], scope });
    expect(ruleMatches(nsRule('Cluster'), ns)).toBe(true);
    expect(ruleMatches(nsRule('Namespaced'), ns)).toBe(false);
  });

  it('never sends admission configuration itself to webhooks', () => {
    expect(isExemptAdmissionConfigurationResource({ group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' })).toBe(true);
    expect(isExemptAdmissionConfigurationResource({ group: '', version: 'v1', resource: 'configmaps' })).toBe(false);
  });
});

describe('matchPolicy', () => {
  const equivalents = () => [
    { resource: { group: 'apps', version: 'v1', resource: 'deployments' }, kind: 'Deployment' },
    { resource: { group: 'apps', version: 'v1beta1', resource: 'deployments' }, kind: 'Deployment' },
  ];
  it('Equivalent matches a rule naming another version, and converts the request to it', () => {
    const inv = matchRules([rule({ apiVersions: ['v1beta1'] })], 'Equivalent', attrs(), equivalents);
    expect(inv).toEqual({ resource: { group: 'apps', version: 'v1beta1', resource: 'deployments' }, kind: { group: 'apps', version: 'v1beta1', kind: 'Deployment' } });
  });
  it('Exact does not', () => {
    expect(matchRules([rule({ apiVersions: ['v1beta1'] })], 'Exact', attrs(), equivalents)).toBeUndefined();
  });
  it('a direct match wins and keeps the request resource', () => {
    expect(matchRules([rule()], 'Equivalent', attrs(), equivalents)?.resource.version).toBe('v1');
  });
});

describe('selectors', () => {
  const labels = async (ns: string) => (ns === 'prod' ? { env: 'prod' } : ns === 'dev' ? { env: 'dev' } : undefined);
  const sel = { matchLabels: { env: 'prod' } };
  it('namespaceSelector is matched against the namespace labels', async () => {
    expect(await matchesNamespaceSelector(sel, attrs({ namespace: 'prod' }), labels)).toBe(true);
    expect(await matchesNamespaceSelector(sel, attrs({ namespace: 'dev' }), labels)).toBe(false);
    expect(await matchesNamespaceSelector(sel, attrs({ namespace: 'missing' }), labels)).toBe('NotFound');
    expect(await matchesNamespaceSelector({}, attrs({ namespace: 'missing' }), labels)).toBe(true);
  });
  it('cluster-scoped objects always match; namespaces match on their own labels', async () => {
    expect(await matchesNamespaceSelector(sel, attrs({ namespace: '' }), labels)).toBe(true);
    const ns = attrs({ resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: '', object: { metadata: { name: 'x', labels: { env: 'dev' } } } as never });
    expect(await matchesNamespaceSelector(sel, ns, labels)).toBe(false);
  });
  it('objectSelector matches the new or the old object', () => {
    const withLabels = (l: Record<string, string>) => ({ metadata: { name: 'x', labels: l } }) as never;
    expect(matchesObjectSelector(sel, attrs({ object: withLabels({ env: 'prod' }) }))).toBe(true);
    expect(matchesObjectSelector(sel, attrs({ object: withLabels({}), oldObject: withLabels({ env: 'prod' }) }))).toBe(true);
    expect(matchesObjectSelector(sel, attrs({ object: withLabels({}) }))).toBe(false);
    expect(matchesObjectSelector({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, attrs({ object: withLabels({}) }))).toBe(true);
  });
});

describe('matchConditions', () => {
  const vars = { object: { metadata: { name: 'a' } }, oldObject: null, request: { operation: 'CREATE' }, params: null, namespaceObject: null, authorizer: null, variables: {} };
  it('all true: call; one false: skip', async () => {
    expect(await evaluateMatchConditions([{ name: 'a', expression: "request.operation == 'CREATE'" }], vars, 'Fail')).toEqual({ matches: true });
    expect(await evaluateMatchConditions([{ name: 'a', expression: 'true' }, { name: 'b', expression: "object.metadata.name == 'b'" }], vars, 'Fail')).toEqual({ matches: false });
  });
  it('an error: Ignore skips, Fail reports it', async () => {
    const bad = [{ name: 'nope', expression: 'object.spec.x == 1' }];
    expect(await evaluateMatchConditions(bad, vars, 'Ignore')).toEqual({ matches: false });
    const failed = await evaluateMatchConditions(bad, vars, 'Fail');
    expect('error' in failed && failed.error).toMatch(/^matchCondition 'nope' failed to evaluate: /);
  });
});

describe('webhook errors as kube writes them', () => {
  it('a denial keeps the webhook status, prefixed, and never below 400', () => {
    expect(webhookDenied('w.example.com', { code: 403, message: 'no', reason: 'Forbidden' }).status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "w.example.com" denied the request: no', reason: 'Forbidden', code: 403 });
    expect(webhookDenied('w.example.com', { code: 200 }).status.code).toBe(400);
    expect(webhookDenied('w.example.com', undefined).status.message).toBe('admission webhook "w.example.com" denied the request without explanation');
    expect(webhookDenied('w.example.com', { reason: 'Because' }).status.message).toBe('admission webhook "w.example.com" denied the request: Because');
  });
  it('a failed call under failurePolicy Fail is an internal error', () => {
    const err = callFailure(new ErrCallingWebhook('w.example.com', 'failed to call webhook: boom'));
    expect(err.status.message).toBe('Internal error occurred: failed calling webhook "w.example.com": failed to call webhook: boom');
    expect(err.status.code).toBe(500);
  });
  it('dry run on a webhook with side effects is a bad request', () => {
    expect(dryRunUnsupported('w.example.com').status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'admission webhook "w.example.com" does not support dry run' });
  });
  it('answers are checked: kind, uid, patch fields', () => {
    expect(() => verifyAdmissionResponse('u1', false, 'v1', { apiVersion: 'v1', kind: 'AdmissionReview', response: { uid: 'u1' } })).toThrow('expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got v1, Kind=AdmissionReview');
    expect(() => verifyAdmissionResponse('u1', false, 'v1', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' })).toThrow('webhook response was absent');
    expect(() => verifyAdmissionResponse('u1', false, 'v1', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u2' } })).toThrow('expected response.uid="u1", got "u2"');
    expect(() => verifyAdmissionResponse('u1', true, 'v1', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u1', patch: 'W10=' } })).toThrow('webhook returned response.patch but not response.patchType');
  });
});
