// Authorization as kube-apiserver does it: facts from k8s.io/apiserver (v1.32) authorization/union,
// authorizerfactory/builtin.go, endpoints/filters/authorization.go, responsewriters/errors.go,
// apimachinery's NewForbidden, kube-apiserver's mode validation and the bootstrap role
// system:public-info-viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationAttributes, Authorizer } from '../../src/auth/authorizer.js';
import type { UserInfo } from '../../src/auth/user.js';
import { buildAuthorizer } from '../../src/auth/build-authorizer.js';
import { unionAuthorizer } from '../../src/auth/union-authorizer.js';
import { forbiddenError, forbiddenMessage, createAuthorizationFilter } from '../../src/server/filters/authorization.js';
import type { KubeMiddleware } from '../../src/server/context.js';
import { appWith, serveHttp } from './auth-support.js';
import { rbacFixture, type RBACFixture } from './rbac-support.js';

const anonymous: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const bob: UserInfo = { name: 'bob', groups: ['dev', 'system:authenticated'] };
const admin: UserInfo = { name: 'kube-chain-admin', groups: ['system:masters', 'system:authenticated'] };

const attrs = (over: Partial<AuthorizationAttributes>): AuthorizationAttributes => ({
  user: anonymous,
  verb: 'get',
  isResourceRequest: false,
  path: '/nope',
  namespace: '',
  apiGroup: '',
  apiVersion: '',
  resource: '',
  subresource: '',
  name: '',
  ...over,
});

describe('the default mode, RBAC with the bootstrap policy', () => {
  let fixture: RBACFixture;
  beforeAll(async () => {
    fixture = await rbacFixture();
  });
  afterAll(() => fixture.close());
  it.each([
    [anonymous, 'get', '/healthz', 'Allow'],
    [anonymous, 'get', '/livez', 'Allow'],
    [anonymous, 'get', '/readyz', 'Allow'],
    [anonymous, 'get', '/version', 'Allow'],
    [anonymous, 'get', '/version/', 'Allow'],
    // system:public-info-viewer lists exact URLs: single checks and other paths are not public
    [anonymous, 'get', '/readyz/ping', 'NoOpinion'],
    [anonymous, 'get', '/healthz/etcd', 'NoOpinion'],
    [anonymous, 'get', '/metrics', 'NoOpinion'],
    // system:discovery is for authenticated users only
    [anonymous, 'get', '/api', 'NoOpinion'],
    [anonymous, 'post', '/healthz', 'NoOpinion'],
    [anonymous, 'head', '/healthz', 'NoOpinion'],
    [bob, 'get', '/api', 'Allow'],
    [bob, 'get', '/apis/apps/v1', 'Allow'],
    [bob, 'get', '/openapi/v3', 'Allow'],
    [bob, 'get', '/metrics', 'NoOpinion'],
    [bob, 'post', '/anything', 'NoOpinion'],
    [{ name: 'mon', groups: ['system:monitoring', 'system:authenticated'] }, 'get', '/metrics', 'Allow'],
    [{ name: 'mon', groups: ['system:monitoring', 'system:authenticated'] }, 'get', '/readyz/ping', 'Allow'],
    [{ name: 'carol', groups: ['system:masters'] }, 'delete', '/x', 'Allow'],
  ])('%j %s %s → %s', async (user, verb, path, decision) => {
    expect((await fixture.authorizer.authorize(attrs({ user, verb, path }))).decision).toBe(decision);
  });

  it('users hold no resource rights until bound', async () => {
    const result = await fixture.authorizer.authorize(attrs({ user: bob, isResourceRequest: true, verb: 'list', resource: 'namespaces', apiVersion: 'v1', path: '/api/v1/namespaces' }));
    expect(result).toEqual({ decision: 'NoOpinion', reason: '' });
  });
});

describe('--authorization-mode', () => {
  it('AlwaysDeny has no opinion and says "Everything is forbidden."; system:masters still passes', async () => {
    const authz = buildAuthorizer({ authorizationMode: ['AlwaysDeny'] });
    expect(await authz.authorize(attrs({ user: bob }))).toEqual({ decision: 'NoOpinion', reason: 'Everything is forbidden.' });
    expect((await authz.authorize(attrs({ user: admin }))).decision).toBe('Allow');
  });

  it('AlwaysAllow allows anonymous users too; the order of modes counts', async () => {
    expect((await buildAuthorizer({ authorizationMode: ['AlwaysAllow'] }).authorize(attrs({}))).decision).toBe('Allow');
    expect((await buildAuthorizer({ authorizationMode: ['AlwaysDeny', 'AlwaysAllow'] }).authorize(attrs({}))).decision).toBe('Allow');
  });

  it('refuses modes with kube\'s messages', () => {
    expect(() => buildAuthorizer({ authorizationMode: ['Nope'] })).toThrow(/^authorization-mode "Nope" is not a valid mode$/);
    expect(() => buildAuthorizer({ authorizationMode: ['AlwaysAllow', 'AlwaysAllow'] })).toThrow(
      /^authorization-mode \["AlwaysAllow" "AlwaysAllow"\] has mode specified more than once$/,
    );
    expect(() => buildAuthorizer({ authorizationMode: ['Nope', 'Nope'] })).toThrow(
      '[authorization-mode "Nope" is not a valid mode, authorization-mode ["Nope" "Nope"] has mode specified more than once]',
    );
    expect(() => buildAuthorizer({ authorizationMode: ['Node'] })).toThrow('authorization-mode "Node" is not supported by kube-chain yet');
    expect(() => buildAuthorizer({ authorizationMode: [] })).toThrow(/^at least one authorization-mode must be passed$/);
  });

  it('takes the modes that need server state (RBAC) from the caller', async () => {
    const rbac: Authorizer = { authorize: () => ({ decision: 'Deny', reason: 'rbac says no' }) };
    expect(await buildAuthorizer({ authorizationMode: ['RBAC', 'AlwaysAllow'] }, { RBAC: rbac }).authorize(attrs({ user: bob }))).toEqual({ decision: 'Deny', reason: 'rbac says no' });
  });
});

describe('the union authorizer', () => {
  const says = (decision: 'Allow' | 'Deny' | 'NoOpinion', reason = ''): Authorizer => ({ authorize: () => ({ decision, reason }) });
  it('the first Allow or Deny decides', async () => {
    expect(await unionAuthorizer([says('NoOpinion', 'a'), says('Deny', 'b'), says('Allow')]).authorize(attrs({}))).toEqual({ decision: 'Deny', reason: 'b' });
    expect(await unionAuthorizer([says('NoOpinion'), says('Allow', 'ok'), says('Deny')]).authorize(attrs({}))).toEqual({ decision: 'Allow', reason: 'ok' });
  });
  it('otherwise NoOpinion with the reasons on separate lines and the errors', async () => {
    const broken: Authorizer = {
      authorize: () => {
        throw new Error('webhook down');
      },
    };
    expect(await unionAuthorizer([says('NoOpinion', 'a'), says('NoOpinion', 'b')]).authorize(attrs({}))).toEqual({ decision: 'NoOpinion', reason: 'a\nb' });
    const result = await unionAuthorizer([broken, says('NoOpinion', 'b')]).authorize(attrs({}));
    expect(result).toMatchObject({ decision: 'NoOpinion', reason: 'b' });
    expect(result.error?.message).toBe('webhook down');
    expect((await unionAuthorizer([broken, says('Allow')]).authorize(attrs({}))).decision).toBe('Allow');
  });
});

describe('forbidden messages (responsewriters.forbiddenMessage + apierrors.NewForbidden)', () => {
  it.each([
    [attrs({}), '', 'forbidden: User "system:anonymous" cannot get path "/nope"', {}],
    [
      attrs({ user: bob, isResourceRequest: true, resource: 'configmaps', namespace: 'default', name: 'x' }),
      '',
      'configmaps "x" is forbidden: User "bob" cannot get resource "configmaps" in API group "" in the namespace "default"',
      { name: 'x', kind: 'configmaps' },
    ],
    [
      attrs({ user: bob, isResourceRequest: true, verb: 'list', resource: 'pods', subresource: 'log', namespace: 'ns' }),
      '',
      'pods is forbidden: User "bob" cannot list resource "pods/log" in API group "" in the namespace "ns"',
      { kind: 'pods' },
    ],
    [
      attrs({ user: bob, isResourceRequest: true, verb: 'create', resource: 'deployments', apiGroup: 'apps' }),
      'Everything is forbidden.',
      'deployments.apps is forbidden: User "bob" cannot create resource "deployments" in API group "apps" at the cluster scope: Everything is forbidden.',
      { group: 'apps', kind: 'deployments' },
    ],
    [
      attrs({ user: { name: 'we"ird<b>', groups: [] }, isResourceRequest: true, resource: 'secrets', namespace: 'ns', name: 'a"b' }),
      'why <not>',
      'secrets "a\\"b" is forbidden: User "we\\"ird&lt;b&gt;" cannot get resource "secrets" in API group "" in the namespace "ns": why <not>',
      { name: 'a"b', kind: 'secrets' },
    ],
  ])('%#', (attributes, reason, message, details) => {
    const err = forbiddenError(attributes, reason);
    expect(err.status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });
    expect(err.headers).toEqual({ 'X-Content-Type-Options': 'nosniff' });
  });

  it('the message without the wrapper', () => {
    expect(forbiddenMessage(attrs({ path: '/foo' }))).toBe('User "system:anonymous" cannot get path "/foo"');
  });
});

describe('the authorization filter over HTTP', () => {
  let server: Awaited<ReturnType<typeof serveHttp>>;
  let fixture: RBACFixture;
  beforeAll(async () => {
    fixture = await rbacFixture();
    const setUser: KubeMiddleware = (ctx, next) => {
      const name = ctx.get('X-Test-User');
      ctx.state.user = name ? { name, groups: ['system:authenticated'] } : anonymous;
      return next();
    };
    const broken: Authorizer = { authorize: () => ({ decision: 'NoOpinion', reason: '', error: new Error('evaluation failed') }) };
    const authorizer = unionAuthorizer([fixture.authorizer, buildAuthorizer({ authorizationMode: ['AlwaysDeny'] })]);
    server = await serveHttp(
      appWith([setUser, async (ctx, next) => (ctx.get('X-Test-Broken') ? createAuthorizationFilter(broken)(ctx, next) : createAuthorizationFilter(authorizer)(ctx, next))], (ctx) => {
        ctx.body = 'ok';
      }),
    );
  });
  afterAll(async () => {
    server.close();
    await fixture.close();
  });

  it('denies an anonymous non-public path with kube\'s exact 403', async () => {
    const res = await server.request('/foo');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"/foo\\": Everything is forbidden.","reason":"Forbidden","details":{},"code":403}',
    );
  });

  it('denies an anonymous read of a configmap with kube\'s exact 403', async () => {
    const res = await server.request('/api/v1/namespaces/default/configmaps/x');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "x" is forbidden: User "system:anonymous" cannot get resource "configmaps" in API group "" in the namespace "default": Everything is forbidden.',
      reason: 'Forbidden',
      details: { name: 'x', kind: 'configmaps' },
      code: 403,
    });
  });

  it('names the object a fieldSelector pins, as kube does', async () => {
    const res = await server.request('/apis/apps/v1/namespaces/ns/deployments?fieldSelector=metadata.name%3Dweb&watch=1');
    expect(JSON.parse(res.text).message).toBe(
      'deployments.apps "web" is forbidden: User "system:anonymous" cannot watch resource "deployments" in API group "apps" in the namespace "ns": Everything is forbidden.',
    );
  });

  it('lets public paths through, and authenticated users to discovery', async () => {
    expect((await server.request('/healthz')).status).toBe(200);
    expect((await server.request('/version/')).status).toBe(200);
    expect((await server.request('/readyz/ping')).status).toBe(403);
    expect((await server.request('/apis', { 'X-Test-User': 'bob' })).status).toBe(200);
    expect((await server.request('/foo', { 'X-Test-User': 'bob' })).status).toBe(403);
  });

  it('an authorizer error without an Allow is a 500', async () => {
    const res = await server.request('/foo', { 'X-Test-Broken': '1' });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toMatchObject({ reason: 'InternalError', message: 'Internal Server Error: "/foo": evaluation failed', code: 500 });
  });
});
