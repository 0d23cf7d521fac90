// Authenticators and authorizers as kube assembles them.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { parseTokenFile } from '../../src/auth/token-file.js';
import { bearerToken } from '../../src/auth/bearer-token.js';
import { buildAuthorizer } from '../../src/auth/build-authorizer.js';
import { forbiddenMessage } from '../../src/server/filters/authorization.js';
import type { AuthorizationAttributes } from '../../src/auth/authorizer.js';

function request(authorization?: string): IncomingMessage {
  return { headers: authorization === undefined ? {} : { authorization }, socket: {} } as unknown as IncomingMessage;
}

describe('token file (kube CSV)', () => {
  it('reads token, user, uid and quoted groups', () => {
    const tokens = parseTokenFile('t1,alice,uid-a,"dev,ops"\nt2,bob,uid-b\n  t3, carol ,uid-c,""\n', 'tokens.csv');
    expect(tokens.get('t1')).toEqual({ name: 'alice', uid: 'uid-a', groups: ['dev', 'ops'] });
    expect(tokens.get('t2')).toEqual({ name: 'bob', uid: 'uid-b', groups: [] });
    expect(tokens.get('t3')?.name).toBe('carol ');
  });

  it('refuses a record with fewer than 3 columns, as kube', () => {
    expect(() => parseTokenFile('t1,alice\n', 'tokens.csv')).toThrow("token file 'tokens.csv' must have at least 3 columns (token, user name, user uid), found 2");
  });
});

describe('bearer token extraction', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['Bearer  abc', undefined],
    ['Bearer', undefined],
    ['Basic abc', undefined],
    ['', undefined],
  ])('%j → %j', (header, token) => {
    expect(bearerToken(request(header))).toBe(token);
  });
});

const attrs = (over: Partial<AuthorizationAttributes>): AuthorizationAttributes => ({
  user: { name: 'system:anonymous', groups: ['system:unauthenticated'] },
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

describe('authorizers', () => {
  it('default policy: authenticated users do anything, anonymous users read public info only', async () => {
    const authz = buildAuthorizer({ authorizationMode: [] });
    expect((await authz.authorize(attrs({ path: '/healthz' }))).decision).toBe('Allow');
    expect((await authz.authorize(attrs({ path: '/version' }))).decision).toBe('Allow');
    expect((await authz.authorize(attrs({ path: '/metrics' }))).decision).toBe('NoOpinion');
    expect((await authz.authorize(attrs({ path: '/healthz', verb: 'post' }))).decision).toBe('NoOpinion');
    expect((await authz.authorize(attrs({ user: { name: 'bob', groups: ['system:authenticated'] }, path: '/metrics' }))).decision).toBe('Allow');
  });

  it('AlwaysDeny denies all but system:masters, with kube\'s reason', async () => {
    const authz = buildAuthorizer({ authorizationMode: ['AlwaysDeny'] });
    expect(await authz.authorize(attrs({ user: { name: 'bob', groups: ['system:authenticated'] } }))).toEqual({ decision: 'NoOpinion', reason: 'Everything is forbidden.' });
    expect((await authz.authorize(attrs({ user: { name: 'admin', groups: ['system:masters'] } }))).decision).toBe('Allow');
  });

  it('AlwaysAllow allows anonymous users too', async () => {
    expect((await buildAuthorizer({ authorizationMode: ['AlwaysAllow'] }).authorize(attrs({}))).decision).toBe('Allow');
  });

  it('refuses unknown and repeated modes', () => {
    expect(() => buildAuthorizer({ authorizationMode: ['Nope'] })).toThrow(/not a valid mode/);
    expect(() => buildAuthorizer({ authorizationMode: ['AlwaysAllow', 'AlwaysAllow'] })).toThrow(/more than once/);
  });

  it('words denials as kube\'s responsewriters.forbiddenMessage', () => {
    expect(forbiddenMessage(attrs({}))).toBe('User "system:anonymous" cannot get path "/nope"');
    expect(forbiddenMessage(attrs({ isResourceRequest: true, verb: 'list', resource: 'pods', subresource: 'log', namespace: 'ns' }))).toBe(
      'User "system:anonymous" cannot list resource "pods/log" in API group "" in the namespace "ns"',
    );
    expect(forbiddenMessage(attrs({ isResourceRequest: true, verb: 'create', resource: 'widgets', apiGroup: 'example.com' }))).toBe(
      'User "system:anonymous" cannot create resource "widgets" in API group "example.com" at the cluster scope',
    );
  });
});
