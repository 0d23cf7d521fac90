// serviceaccounts/token (TokenRequest) over HTTPS as a client sees it: the answer's shape, kube's
// defaults and validation, binding to a secret, and tokens used as bearer credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('serviceaccounts/token', () => {
  let server: TestServer;
  beforeAll(async () => {
    // AlwaysAllow: what is tested is who the token is, not what it may do. Successes are cached for
    // 1 s instead of kube's 10 s, so that a token's end is seen quickly.
    server = await startTestServer({
      apiAudiences: ['https://api.example', 'kube-chain'],
      serviceAccountMaxTokenExpirationSeconds: 24 * 3600,
      authorizationMode: ['AlwaysAllow'],
      tokenSuccessCacheTTLSeconds: 1,
    });
    await server.request('POST', '/api/v1/namespaces/default/serviceaccounts', json({ metadata: { name: 'robot' } }));
  });
  afterAll(() => server?.close());

  const tokenRequest = (spec: unknown, name = 'robot', extra: Record<string, unknown> = {}) =>
    server.request('POST', `/api/v1/namespaces/default/serviceaccounts/${name}/token`, json({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec, ...extra }));
  const bearer = (token: string, path = '/api/v1/namespaces/default/configmaps') => server.anonymous('GET', path, { headers: { authorization: `Bearer ${token}` } });
  /** The answer to a token once the cached success (1 s here) is over: kube stops a token within its cache's TTL. */
  const bearerAfterCache = async (token: string) => {
    await new Promise((r) => setTimeout(r, 1_100));
    return bearer(token);
  };

  it('answers 201 with the TokenRequest: API audiences and one hour by default, boundObjectRef null', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await tokenRequest({});
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'robot', namespace: 'default' },
      spec: { audiences: ['https://api.example', 'kube-chain'], expirationSeconds: 3600, boundObjectRef: null },
    });
    const expires = Date.parse(body.status.expirationTimestamp) / 1000;
    expect(expires).toBeGreaterThanOrEqual(before + 3600);
    expect(body.status.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const claims = JSON.parse(Buffer.from(body.status.token.split('.')[1], 'base64url').toString());
    expect(claims.exp).toBe(expires);
    const ok = await bearer(body.status.token);
    expect(ok.status).toBe(200);
  });

  it('is listed in discovery as serviceaccounts/token (create, authentication.k8s.io/v1 TokenRequest)', async () => {
    const list = (await server.request('GET', '/api/v1')).json();
    expect(list.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token')).toMatchObject({
      name: 'serviceaccounts/token',
      namespaced: true,
      group: 'authentication.k8s.io',
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    });
  });

  it('validates with kube\'s messages', async () => {
    const short = await tokenRequest({ expirationSeconds: 599 });
    expect(short.status).toBe(422);
    expect(short.json()).toMatchObject({
      reason: 'Invalid',
      message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
      details: { group: 'authentication.k8s.io', kind: 'TokenRequest', causes: [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds' }] },
    });
    const long = await tokenRequest({ expirationSeconds: 2 ** 32 + 1 });
    expect(long.json().message).toContain('may not specify a duration larger than 2^32 seconds');
    const otherName = await tokenRequest({}, 'robot', { metadata: { name: 'other' } });
    expect(otherName.json().message).toBe('TokenRequest.authentication.k8s.io "robot" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified');
    const otherNs = await tokenRequest({}, 'robot', { metadata: { namespace: 'kube-system' } });
    expect(otherNs.json().message).toContain('metadata.namespace: Invalid value: "kube-system": must match the service account namespace if specified');
    const missing = await tokenRequest({}, 'nobody');
    expect([missing.status, missing.json().message]).toEqual([404, 'serviceaccounts "nobody" not found']);
    const wrongKind = await server.request('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', json({ apiVersion: 'v1', kind: 'ConfigMap' }));
    expect(wrongKind.status).toBe(400);
    const get = await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/robot/token');
    expect(get.status).toBe(405);
  });

  it('shortens a lifetime beyond --service-account-max-token-expiration, with kube\'s warning', async () => {
    const res = await tokenRequest({ expirationSeconds: 48 * 3600 });
    expect(res.status).toBe(201);
    expect(res.json().spec.expirationSeconds).toBe(24 * 3600);
    expect(res.headers.warning).toBe('299 - "requested expiration of 172800 seconds shortened to 86400 seconds"');
  });

  it('binds a token to a secret: refused with another uid, dead once the secret is deleted', async () => {
    const secret = (await server.request('POST', '/api/v1/namespaces/default/secrets', json({ metadata: { name: 'anchor' } }))).json();
    const conflict = await tokenRequest({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'anchor', uid: 'not-it' } });
    expect([conflict.status, conflict.json().message]).toEqual([
      409,
      'Operation cannot be fulfilled on Secret "anchor": the UID in the bound object reference (not-it) does not match the UID in record. The object might have been deleted and then recreated',
    ]);
    const unsupported = await tokenRequest({ boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } });
    expect([unsupported.status, unsupported.json().message]).toEqual([400, 'cannot bind token for serviceaccount "robot" to object of type /v1, Kind=ConfigMap']);

    const res = await tokenRequest({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'anchor', uid: secret.metadata.uid } });
    expect(res.status).toBe(201);
    expect(res.json().spec.boundObjectRef).toEqual({ kind: 'Secret', apiVersion: 'v1', name: 'anchor', uid: secret.metadata.uid });
    const token = res.json().status.token;
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())['kubernetes.io'].secret).toEqual({ name: 'anchor', uid: secret.metadata.uid });
    expect((await bearer(token)).status).toBe(200);
    await server.request('DELETE', '/api/v1/namespaces/default/secrets/anchor');
    const after = await bearerAfterCache(token);
    expect(after.status).toBe(401);
    expect(after.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
  });

  it('a token for another audience, or for a deleted account, is 401 Unauthorized', async () => {
    const other = (await tokenRequest({ audiences: ['vault'] })).json().status.token;
    expect((await bearer(other)).status).toBe(401);
    await server.request('POST', '/api/v1/namespaces/default/serviceaccounts', json({ metadata: { name: 'temp' } }));
    const token = (await tokenRequest({}, 'temp')).json().status.token;
    expect((await bearer(token)).status).toBe(200);
    await server.request('DELETE', '/api/v1/namespaces/default/serviceaccounts/temp');
    expect((await bearerAfterCache(token)).status).toBe(401);
    await server.request('POST', '/api/v1/namespaces/default/serviceaccounts', json({ metadata: { name: 'temp' } }));
    expect((await bearer(token)).status).toBe(401);
  });

  it('fuzz through the server: malformed, forged, expired or foreign tokens are 401 with kube\'s Status, never 500', async () => {
    const good: string = (await tokenRequest({})).json().status.token;
    const [h, p, sig] = good.split('.');
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tokens = [
      'x',
      'a.b.c',
      `${h}.${p}`,
      `${h}.${p}.${sig.slice(0, -2)}`,
      `${b64({ alg: 'none' })}.${p}.`,
      `${b64({ alg: 'HS256' })}.${p}.${sig}`,
      `${h}.${b64({ ...claims, exp: 1 })}.${sig}`,
      `${h}.${b64({ ...claims, aud: ['other'] })}.${sig}`,
      `${h}.${b64({ ...claims, 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: 'forged' } } })}.${sig}`,
      `${h}.${b64('not an object')}.${sig}`,
      `${h}.%%%.${sig}`,
      'A'.repeat(100_000),
    ];
    for (const token of tokens) {
      const res = await bearer(token);
      expect([token.slice(0, 30), res.status]).toEqual([token.slice(0, 30), 401]);
      expect(res.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });
});
