// The front proxy's headers: read as kube reads them (first username header, every group value,
// extra keys lower-cased and unescaped), and removed by the authentication filter whoever the user
// turns out to be, custom header names included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { requestHeaderAuthenticator, requestHeaderNames } from '../../src/auth/request-header.js';
import { createAuthenticationFilter } from '../../src/server/filters/authentication.js';
import type { Authenticator } from '../../src/auth/authenticator.js';
import { appWith, serveHttp } from './auth-support.js';

/** A request on a socket that presents a verified certificate of the proxy CA (the chain check is stubbed by an empty CA list plus `authorized`). */
function fakeRequest(headers: Array<[string, string]>, cert: Record<string, unknown> | null): IncomingMessage {
  const headersDistinct: Record<string, string[]> = {};
  for (const [k, v] of headers) (headersDistinct[k.toLowerCase()] ??= []).push(v);
  const socket = { authorized: cert !== null, getPeerCertificate: () => cert ?? {} };
  return { headersDistinct, headers: {}, socket } as unknown as IncomingMessage;
}

describe('requestheader authenticator', () => {
  const config = {
    clientCAs: [],
    allowedNames: ['front-proxy-client'],
    usernameHeaders: ['X-Remote-User', 'X-Other-User'],
    uidHeaders: ['X-Remote-Uid'],
    groupHeaders: ['X-Remote-Group', 'X-Other-Group'],
    extraHeaderPrefixes: ['X-Remote-Extra-'],
  };

  it('refuses connections without a certificate of the requestheader CA; ignores those with none', () => {
    const a = requestHeaderAuthenticator(config);
    expect(a.authenticate(fakeRequest([['X-Remote-User', 'alice']], null))).toBeNull();
    // No CA in the list: no certificate chains to it.
    expect(() => a.authenticate(fakeRequest([['X-Remote-User', 'alice']], { subject: { CN: 'front-proxy-client' }, raw: Buffer.alloc(0), fingerprint256: 'x' }))).toThrow(
      'x509: certificate signed by unknown authority',
    );
  });

  it('lists every header name the filter must strip, lower-cased', () => {
    expect(requestHeaderNames(config)).toEqual({ names: ['x-remote-user', 'x-other-user', 'x-remote-uid', 'x-remote-group', 'x-other-group'], prefixes: ['x-remote-extra-'] });
  });
});

describe('authentication filter strips the front proxy\'s headers, custom names included', () => {
  let server: Awaited<ReturnType<typeof serveHttp>>;
  beforeAll(async () => {
    const alice: Authenticator = { authenticate: () => ({ user: { name: 'alice', groups: [] } }) };
    const filter = createAuthenticationFilter(alice, undefined, [], { names: ['x-proxy-user', 'x-proxy-group'], prefixes: ['x-proxy-extra-'] });
    const app = appWith([filter], (ctx) => {
      ctx.body = { headers: ctx.req.headers, raw: ctx.req.rawHeaders };
    });
    server = await serveHttp(app);
  });
  afterAll(() => server.close());

  it('removes standard and configured identity headers before the handlers', async () => {
    const res = await server.request('/api/v1/pods', { 'X-Proxy-User': 'mallory', 'X-Proxy-Group': 'system:masters', 'X-Proxy-Extra-Scopes': 'all', 'X-Remote-User': 'm', 'X-Kept': 'yes' });
    const body = JSON.parse(res.text);
    for (const name of ['x-proxy-user', 'x-proxy-group', 'x-proxy-extra-scopes', 'x-remote-user']) expect(body.headers[name]).toBeUndefined();
    expect(body.headers['x-kept']).toBe('yes');
    expect(body.raw.map((h: string) => h.toLowerCase()).filter((h: string) => h.startsWith('x-proxy') || h.startsWith('x-remote'))).toEqual([]);
  });
});
