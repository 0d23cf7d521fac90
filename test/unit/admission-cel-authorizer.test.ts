// The authz library of admission CEL against a recording authorizer: the attributes each check sends
// (kube's: resource checks with apiVersion "*", path checks as non-resource requests, service accounts
// as their user), Decision's allowed/reason/errored/error, and one call per distinct check per request.
import { describe, expect, it } from 'vitest';
import { compileAdmissionExpression } from '../../src/admission/cel/environment.js';
import { admissionVariables } from '../../src/admission/cel/variables.js';
import type { AuthorizationAttributes, Authorizer } from '../../src/auth/authorizer.js';
import type { AdmissionAttributes } from '../../src/admission/interface.js';
import type { ResourceDefinition } from '../../src/registry/resource.js';

function recording(decide: (a: AuthorizationAttributes) => { decision: 'Allow' | 'Deny' | 'NoOpinion'; reason: string; error?: Error }) {
  const calls: AuthorizationAttributes[] = [];
  const authorizer: Authorizer = { authorize: (a) => (calls.push(a), decide(a)) };
  return { calls, authorizer };
}

const attrs = {
  operation: 'CREATE',
  resource: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, subresources: [] } as unknown as ResourceDefinition,
  subresource: '',
  namespace: 'team',
  name: 'web',
  user: { name: 'alice', groups: ['dev', 'system:authenticated'] },
  dryRun: false,
} as AdmissionAttributes;

async function run(expression: string, authorizer: Authorizer, a: AdmissionAttributes = attrs): Promise<unknown> {
  const { program, error } = compileAdmissionExpression(expression);
  if (!program) throw new Error(error);
  return program(admissionVariables({ request: {}, authorizer, attrs: a }));
}

describe('admission CEL authorizer', () => {
  it('sends kube\'s attributes for resource, path, requestResource and service-account checks', async () => {
    const { calls, authorizer } = recording(() => ({ decision: 'Allow', reason: 'ok' }));
    expect(await run("authorizer.group('apps').resource('deployments').subresource('scale').namespace('x').name('y').check('update').allowed()", authorizer)).toBe(true);
    expect(await run("authorizer.path('/healthz').check('get').reason()", authorizer)).toBe('ok');
    expect(await run("authorizer.requestResource.check('delete').allowed()", authorizer)).toBe(true);
    expect(await run("authorizer.serviceAccount('ns', 'robot').group('').resource('pods').check('list').allowed()", authorizer)).toBe(true);
    const user = { name: 'alice', groups: ['dev', 'system:authenticated'] };
    const empty = { isResourceRequest: false, path: '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
    expect(calls).toEqual([
      { ...empty, user, verb: 'update', isResourceRequest: true, apiGroup: 'apps', apiVersion: '*', resource: 'deployments', subresource: 'scale', namespace: 'x', name: 'y' },
      { ...empty, user, verb: 'get', path: '/healthz' },
      { ...empty, user, verb: 'delete', isResourceRequest: true, apiGroup: 'apps', apiVersion: '*', resource: 'deployments', namespace: 'team', name: 'web' },
      { ...empty, user: { name: 'system:serviceaccount:ns:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'] }, verb: 'list', isResourceRequest: true, apiVersion: '*', resource: 'pods' },
    ]);
  });

  it('reports denials, no opinions and errors as kube\'s Decision does', async () => {
    const { authorizer } = recording((a) => (a.resource === 'secrets' ? { decision: 'Deny', reason: 'no secrets' } : { decision: 'NoOpinion', reason: '', error: new Error('webhook down') }));
    expect(await run("authorizer.group('').resource('secrets').check('get').allowed()", authorizer)).toBe(false);
    expect(await run("authorizer.group('').resource('secrets').check('get').reason()", authorizer)).toBe('no secrets');
    expect(await run("authorizer.group('').resource('secrets').check('get').errored()", authorizer)).toBe(false);
    expect(await run("authorizer.group('').resource('pods').check('get').errored()", authorizer)).toBe(true);
    expect(await run("authorizer.group('').resource('pods').check('get').error()", authorizer)).toBe('webhook down');
    const throwing: Authorizer = { authorize: () => Promise.reject(new Error('boom')) };
    expect(await run("authorizer.path('/x').check('get').error()", throwing)).toBe('boom');
  });

  it('decides each distinct check once per request', async () => {
    const { calls, authorizer } = recording(() => ({ decision: 'Allow', reason: '' }));
    const twice = "authorizer.group('').resource('pods').check('get').allowed() && authorizer.group('').resource('pods').check('get').allowed() && authorizer.group('').resource('pods').check('list').allowed()";
    expect(await run(twice, authorizer)).toBe(true);
    expect(await run("authorizer.group('').resource('pods').check('get').allowed()", authorizer)).toBe(true);
    expect(calls.map((c) => c.verb)).toEqual(['get', 'list']);
    // Another request asks again.
    await run("authorizer.group('').resource('pods').check('get').allowed()", authorizer, { ...attrs });
    expect(calls.map((c) => c.verb)).toEqual(['get', 'list', 'get']);
  });

  it('refuses empty paths and resources and invalid service accounts', async () => {
    const { authorizer } = recording(() => ({ decision: 'Allow', reason: '' }));
    await expect(run("authorizer.path('').check('get').allowed()", authorizer)).rejects.toThrow('path must not be empty');
    await expect(run("authorizer.group('').resource(' ').check('get').allowed()", authorizer)).rejects.toThrow('resource must not be empty');
    await expect(run("authorizer.serviceAccount('ns', 'Bad_Name').group('').resource('pods').check('get').allowed()", authorizer)).rejects.toThrow('Invalid service account name');
    await expect(run("authorizer.serviceAccount('Bad.NS', 'ok').group('').resource('pods').check('get').allowed()", authorizer)).rejects.toThrow('Invalid service account namespace');
  });
});
