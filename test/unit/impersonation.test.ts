// Impersonation headers and the impersonated user as kube's WithImpersonation builds them
// (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go, 1.32).
import { describe, expect, it } from 'vitest';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { impersonationRequests, pathUnescape, splitServiceAccountUsername, stripImpersonationHeaders } from '../../src/auth/impersonation-requests.js';
import { impersonatedUser } from '../../src/server/filters/impersonation.js';

function request(headers: Array<[string, string]>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.rawHeaders = headers.flat();
  req.headers = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    req.headers[key] = req.headers[key] ? `${req.headers[key] as string}, ${value}` : value;
  }
  return req;
}

describe('impersonation headers', () => {
  it('reads a user, every group header, extras per value and a uid', () => {
    const parsed = impersonationRequests(
      request([
        ['Impersonate-User', 'bob'],
        ['Impersonate-Group', 'dev'],
        ['impersonate-group', 'ops, qa'],
        ['Impersonate-Extra-Scopes', 'view'],
        ['Impersonate-Extra-Scopes', 'edit'],
        ['Impersonate-Extra-Example.com%2FTeam', 'a'],
        ['Impersonate-Uid', 'u-1'],
        ['Authorization', 'Bearer x'],
      ]),
    );
    expect(parsed.groupsSpecified).toBe(true);
    expect(parsed.requests).toEqual([
      { kind: 'User', namespace: '', name: 'bob', apiVersion: '', fieldPath: '' },
      { kind: 'Group', namespace: '', name: 'dev', apiVersion: '', fieldPath: '' },
      // Each header is one group: a comma does not split it.
      { kind: 'Group', namespace: '', name: 'ops, qa', apiVersion: '', fieldPath: '' },
      { kind: 'UserExtra', namespace: '', name: 'view', apiVersion: 'authentication.k8s.io/v1', fieldPath: 'scopes' },
      { kind: 'UserExtra', namespace: '', name: 'edit', apiVersion: 'authentication.k8s.io/v1', fieldPath: 'scopes' },
      { kind: 'UserExtra', namespace: '', name: 'a', apiVersion: 'authentication.k8s.io/v1', fieldPath: 'example.com/team' },
      { kind: 'UID', namespace: '', name: 'u-1', apiVersion: 'authentication.k8s.io/v1', fieldPath: '' },
    ]);
  });

  it('takes a valid service-account user name as a service account', () => {
    expect(impersonationRequests(request([['Impersonate-User', 'system:serviceaccount:kube-system:robot']])).requests).toEqual([
      { kind: 'ServiceAccount', namespace: 'kube-system', name: 'robot', apiVersion: '', fieldPath: '' },
    ]);
    expect(splitServiceAccountUsername('system:serviceaccount:a:b:c')).toBeUndefined();
    expect(splitServiceAccountUsername('system:serviceaccount:Bad_NS:b')).toBeUndefined();
    expect(impersonationRequests(request([['Impersonate-User', 'system:serviceaccount:Bad_NS:x']])).requests[0].kind).toBe('User');
  });

  it('refuses groups, extras or a uid without a user, in kube\'s words', () => {
    expect(() => impersonationRequests(request([['Impersonate-Group', 'system:masters']]))).toThrow('requested [{Group  system:masters    }] without impersonating a user');
    expect(() => impersonationRequests(request([['Impersonate-Uid', 'u1']]))).toThrow('requested [{UID  u1  authentication.k8s.io/v1  }] without impersonating a user');
    expect(() => impersonationRequests(request([['Impersonate-Extra-k', 'v']]))).toThrow('requested [{UserExtra  v  authentication.k8s.io/v1  k}] without impersonating a user');
    expect(impersonationRequests(request([['Impersonate-User', '']])).requests).toEqual([]);
  });

  it('percent-decodes extra keys as url.PathUnescape, keeping malformed ones', () => {
    expect(pathUnescape('example.com%2fscopes')).toBe('example.com/scopes');
    expect(pathUnescape('caf%C3%A9')).toBe('café');
    expect(pathUnescape('bad%zzkey')).toBe('bad%zzkey');
  });

  it('strips the headers once used', () => {
    const req = request([['Impersonate-User', 'bob'], ['Accept', 'application/json'], ['Impersonate-Extra-x', 'y']]);
    stripImpersonationHeaders(req);
    expect(req.rawHeaders).toEqual(['Accept', 'application/json']);
    expect(req.headers).toEqual({ accept: 'application/json' });
  });
});

describe('the impersonated user', () => {
  const parse = (headers: Array<[string, string]>) => {
    const parsed = impersonationRequests(request(headers));
    return impersonatedUser(parsed.requests, parsed.groupsSpecified);
  };

  it('gains system:authenticated unless the groups name it or system:unauthenticated', () => {
    expect(parse([['Impersonate-User', 'bob']])).toEqual({ name: 'bob', groups: ['system:authenticated'], extra: {} });
    expect(parse([['Impersonate-User', 'bob'], ['Impersonate-Group', 'dev']]).groups).toEqual(['dev', 'system:authenticated']);
    expect(parse([['Impersonate-User', 'bob'], ['Impersonate-Group', 'system:unauthenticated']]).groups).toEqual(['system:unauthenticated']);
    expect(parse([['Impersonate-User', 'system:anonymous']]).groups).toEqual(['system:unauthenticated']);
  });

  it('a service account gets its fixed groups unless groups are given', () => {
    expect(parse([['Impersonate-User', 'system:serviceaccount:ns:sa']])).toEqual({
      name: 'system:serviceaccount:ns:sa',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      extra: {},
    });
    expect(parse([['Impersonate-User', 'system:serviceaccount:ns:sa'], ['Impersonate-Group', 'g']]).groups).toEqual(['g', 'system:authenticated']);
  });

  it('carries extras and the uid', () => {
    expect(parse([['Impersonate-User', 'bob'], ['Impersonate-Uid', 'u1'], ['Impersonate-Extra-Scopes', 'a'], ['Impersonate-Extra-Scopes', 'b']])).toEqual({
      name: 'bob',
      uid: 'u1',
      groups: ['system:authenticated'],
      extra: { scopes: ['a', 'b'] },
    });
  });
});
