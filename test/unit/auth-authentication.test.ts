// Authentication as kube-apiserver assembles it: facts from k8s.io/apiserver (v1.32)
// bearertoken.go, union.go, anonymous.go, authenticated_group_adder.go, websocket/protocol.go,
// x509.go and endpoints/filters/authentication.go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBearerToken, bearerTokenAuthenticator, EXTRA_SPACE_WARNING } from '../../src/auth/bearer-token.js';
import { unionAuthenticator } from '../../src/auth/union-authenticator.js';
import { unionTokenAuthenticator } from '../../src/auth/token-authenticator.js';
import { withAuthenticatedGroup } from '../../src/auth/authenticated-group-adder.js';
import { websocketProtocolAuthenticator } from '../../src/auth/websocket-protocol.js';
import { tokenMapAuthenticator } from '../../src/auth/token-file.js';
import { buildAuthenticator } from '../../src/auth/build-authenticator.js';
import { userFromCertificate } from '../../src/auth/x509.js';
import { takeRequestWarnings } from '../../src/auth/request-warnings.js';
import type { Authenticator } from '../../src/auth/authenticator.js';
import { createAuthenticationFilter } from '../../src/server/filters/authentication.js';
import { appWith, serveHttp, UNAUTHORIZED_BODY } from './auth-support.js';

function request(headers: Record<string, string> = {}): IncomingMessage {
  return { headers: { ...headers }, rawHeaders: Object.entries(headers).flat(), socket: {} } as unknown as IncomingMessage;
}

const aliceTokens = tokenMapAuthenticator(new Map([['alice-token', { name: 'alice', uid: 'uid-a', groups: ['dev'] }]]));

describe('bearer token extraction (kube\'s bearertoken authenticator)', () => {
  it.each([
    ['Bearer abc', { token: 'abc' }],
    ['bearer abc', { token: 'abc' }],
    ['BEARER abc', { token: 'abc' }],
    ['  Bearer abc  ', { token: 'abc' }],
    // SplitN(" ", 3): what follows a second space is not part of the token
    ['Bearer abc def', { token: 'abc' }],
    // an empty token is no credential; a space too many before the token earns a warning
    ['Bearer  abc', { extraSpace: true }],
    ['Bearer', {}],
    ['Bearer ', {}],
    ['Bearer\tabc', {}],
    ['Basic YWxpY2U6c2VjcmV0', {}],
    ['Token abc', {}],
    ['', {}],
    [undefined, {}],
  ])('%j → %j', (header, parsed) => {
    expect(parseBearerToken(header)).toEqual(parsed);
  });

  it('a known token is the user, and the header is removed', async () => {
    const req = request({ authorization: 'Bearer alice-token' });
    expect(await bearerTokenAuthenticator(aliceTokens).authenticate(req)).toEqual({ user: { name: 'alice', uid: 'uid-a', groups: ['dev'] } });
    expect(req.headers.authorization).toBeUndefined();
  });

  it('an unknown token is an error, and the header stays', async () => {
    const req = request({ authorization: 'Bearer nope' });
    await expect(bearerTokenAuthenticator(aliceTokens).authenticate(req)).rejects.toThrow('invalid bearer token');
    expect(req.headers.authorization).toBe('Bearer nope');
  });

  it('no token is no opinion; a space too many adds kube\'s warning', async () => {
    const req = request({ authorization: 'Bearer  alice-token' });
    expect(await bearerTokenAuthenticator(aliceTokens).authenticate(req)).toBeNull();
    expect(takeRequestWarnings(req)).toEqual([EXTRA_SPACE_WARNING]);
  });
});

describe('unions', () => {
  const fails = (message: string): Authenticator => ({
    authenticate: () => {
      throw new Error(message);
    },
  });
  const none: Authenticator = { authenticate: () => null };
  const bob: Authenticator = { authenticate: () => ({ user: { name: 'bob', groups: [] } }) };

  it('the first success wins, after errors of earlier members', async () => {
    expect(await unionAuthenticator([fails('a'), none, bob]).authenticate(request())).toEqual({ user: { name: 'bob', groups: [] } });
  });

  it('without a success, the errors are aggregated (utilerrors.NewAggregate wording)', async () => {
    await expect(unionAuthenticator([fails('a'), none, fails('b')]).authenticate(request())).rejects.toThrow('[a, b]');
    await expect(unionAuthenticator([fails('a'), none]).authenticate(request())).rejects.toThrow(/^a$/);
    expect(await unionAuthenticator([none, none]).authenticate(request())).toBeNull();
  });

  it('failOnError stops at the first error', async () => {
    await expect(unionAuthenticator([fails('a'), bob], { failOnError: true }).authenticate(request())).rejects.toThrow('a');
  });

  it('token union: errors do not stop the chain', async () => {
    const broken = { authenticateToken: () => Promise.reject(new Error('webhook down')) };
    expect(await unionTokenAuthenticator([broken, aliceTokens]).authenticateToken('alice-token')).toMatchObject({ user: { name: 'alice' } });
    await expect(unionTokenAuthenticator([broken, aliceTokens]).authenticateToken('x')).rejects.toThrow('webhook down');
  });
});

describe('system:authenticated (kube\'s AuthenticatedGroupAdder)', () => {
  const as = (name: string, groups: string[]): Authenticator => ({ authenticate: () => ({ user: { name, uid: 'u', groups, extra: { k: ['v'] } } }) });
  it.each([
    ['bob', ['dev'], ['dev', 'system:authenticated']],
    ['bob', [], ['system:authenticated']],
    ['bob', ['system:authenticated', 'dev'], ['system:authenticated', 'dev']],
    ['bob', ['system:unauthenticated'], ['system:unauthenticated']],
    ['system:anonymous', ['x'], ['x']],
  ])('%s in %j → %j', async (name, groups, expected) => {
    const result = await withAuthenticatedGroup(as(name, groups)).authenticate(request());
    expect(result?.user).toEqual({ name, uid: 'u', groups: expected, extra: { k: ['v'] } });
  });
});

describe('websocket bearer subprotocol', () => {
  const ws = (protocols: string) => request({ connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-protocol': protocols });
  const encoded = Buffer.from('alice-token').toString('base64url');
  const authenticator = websocketProtocolAuthenticator(aliceTokens);

  it('authenticates the token and removes its subprotocol', async () => {
    const req = ws(`base64url.bearer.authorization.k8s.io.${encoded}, v5.channel.k8s.io`);
    expect(await authenticator.authenticate(req)).toMatchObject({ user: { name: 'alice' } });
    expect(req.headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io');
  });

  it.each([
    [`base64url.bearer.authorization.k8s.io.${encoded}`, 'missing additional subprotocol'],
    [`base64url.bearer.authorization.k8s.io.${encoded},base64url.bearer.authorization.k8s.io.${encoded},x`, 'multiple base64.bearer.authorization tokens specified'],
    ['base64url.bearer.authorization.k8s.io.a+b=,x', 'invalid base64.bearer.authorization token encoding'],
    [`base64url.bearer.authorization.k8s.io.${Buffer.from([0xff, 0xfe]).toString('base64url')},x`, 'invalid base64.bearer.authorization token'],
    [`base64url.bearer.authorization.k8s.io.${Buffer.from('nope').toString('base64url')},x`, 'invalid bearer token'],
  ])('%s → %s', async (protocols, message) => {
    await expect(authenticator.authenticate(ws(protocols))).rejects.toThrow(message);
  });

  it('is no opinion for requests that are not websocket upgrades', async () => {
    expect(await authenticator.authenticate(request({ 'sec-websocket-protocol': `base64url.bearer.authorization.k8s.io.${encoded},x` }))).toBeNull();
  });
});

describe('x509 CommonNameUserConversion', () => {
  const raw = Buffer.from('certificate bytes');
  it('user = last CN, groups = every O, extra credential-id = sha256 of the DER', () => {
    expect(userFromCertificate({ subject: { CN: ['first', 'admin'], O: ['system:masters', 'dev'] } as never, raw })).toEqual({
      user: {
        name: 'admin',
        groups: ['system:masters', 'dev'],
        extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${createHash('sha256').update(raw).digest('hex')}`] },
      },
    });
  });
  it('no CN is no opinion', () => {
    expect(userFromCertificate({ subject: { O: 'dev' } as never, raw })).toBeNull();
  });
});

describe('the authentication filter over HTTP', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kc-authn-'));
    await writeFile(join(dir, 'tokens.csv'), 'alice-token,alice,uid-a,"dev,ops"\n');
  });

  async function serve(anonymousAuth: boolean) {
    const authenticator = await buildAuthenticator({ tokenAuthFile: join(dir, 'tokens.csv'), anonymousAuth });
    return serveHttp(
      appWith([createAuthenticationFilter(authenticator)], (ctx) => {
        ctx.body = { user: ctx.state.user, headers: ctx.req.headers, raw: ctx.req.rawHeaders };
      }),
    );
  }

  let open: Awaited<ReturnType<typeof serve>>;
  let closed: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    open = await serve(true);
    closed = await serve(false);
  });
  afterAll(() => {
    open.close();
    closed.close();
  });

  it('a token from the file is the user, in system:authenticated; credentials and front-proxy headers are removed', async () => {
    const res = await open.request('/api/v1/pods', { Authorization: 'Bearer alice-token', 'X-Remote-User': 'mallory', 'X-Remote-Extra-Scopes': 'x' });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.user).toEqual({ name: 'alice', uid: 'uid-a', groups: ['dev', 'ops', 'system:authenticated'] });
    expect(body.headers.authorization).toBeUndefined();
    expect(body.headers['x-remote-user']).toBeUndefined();
    expect(body.headers['x-remote-extra-scopes']).toBeUndefined();
    expect(body.raw.map((h: string) => h.toLowerCase())).not.toContain('authorization');
  });

  it('an unknown token is a 401 with kube\'s exact Status, even with anonymous allowed', async () => {
    const res = await open.request('/api/v1/pods', { Authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.text).toBe(JSON.stringify(UNAUTHORIZED_BODY));
  });

  it.each(['', 'Basic YWxpY2U6c2VjcmV0', 'Bearer', 'Bearer ', 'NotBearer alice-token'])('%j presents no bearer credential: anonymous', async (authorization) => {
    const res = await open.request('/api/v1/pods', authorization ? { Authorization: authorization } : {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).user).toEqual({ name: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  it('a space too many before the token: anonymous, with kube\'s warning', async () => {
    const res = await open.request('/api/v1/pods', { Authorization: 'Bearer  alice-token' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).user.name).toBe('system:anonymous');
    expect(res.headers.get('warning')).toBe(`299 - "${EXTRA_SPACE_WARNING}"`);
  });

  it('with --anonymous-auth=false, no credential is a 401', async () => {
    const res = await closed.request('/healthz');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual(UNAUTHORIZED_BODY);
    expect((await closed.request('/healthz', { Authorization: 'Bearer alice-token' })).status).toBe(200);
  });
});
