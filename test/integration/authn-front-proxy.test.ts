// The front proxy (--requestheader-*): identity headers count only on a connection with a client
// certificate of the requestheader CA and an allowed CN; a forged X-Remote-User from anyone else is
// ignored. Fuzzed and forged certificates are 401, never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startTestServer, type TestServer } from '../support/server.js';
import { generateCA, issueCert, type KeyPairPem } from '../../src/server/serving/certs.js';

describe('front proxy authentication', () => {
  let server: TestServer;
  let proxy: KeyPairPem;
  let strangerProxy: KeyPairPem;
  let foreign: KeyPairPem;
  let selfSigned: KeyPairPem;
  const path = '/api/v1/namespaces/default/configmaps';

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'front-proxy-'));
    const proxyCA = await generateCA('front-proxy-ca');
    await writeFile(join(dir, 'requestheader-ca.crt'), proxyCA.certPem);
    proxy = await issueCert(proxyCA, { subject: { commonName: 'front-proxy-client' }, usage: 'client' });
    strangerProxy = await issueCert(proxyCA, { subject: { commonName: 'not-allowed' }, usage: 'client' });
    foreign = await issueCert(await generateCA('some-other-ca'), { subject: { commonName: 'front-proxy-client', organizations: ['system:masters'] }, usage: 'client' });
    selfSigned = await generateCA('front-proxy-client');
    server = await startTestServer({
      requestheaderClientCAFile: join(dir, 'requestheader-ca.crt'),
      requestheaderAllowedNames: ['front-proxy-client'],
      requestheaderUsernameHeaders: ['X-Remote-User', 'X-Proxy-User'],
      requestheaderGroupHeaders: ['X-Remote-Group'],
      requestheaderExtraHeadersPrefix: ['X-Remote-Extra-'],
    });
  });
  afterAll(() => server?.close());

  const forged = { 'X-Remote-User': 'alice', 'X-Remote-Group': 'system:masters', 'X-Proxy-User': 'alice' };
  const refusedAs = async (res: { status: number; json(): any }) => {
    expect(res.status).toBe(403);
    return /User "([^"]*)"/.exec(res.json().message)?.[1];
  };

  it('takes the user from the headers of a verified, allowed proxy', async () => {
    const res = await server.anonymous('GET', path, { cert: proxy, headers: { 'X-Remote-User': 'alice', 'X-Remote-Group': 'dev' } });
    expect(await refusedAs(res)).toBe('alice');
    const masters = await server.anonymous('GET', path, { cert: proxy, headers: { 'X-Remote-User': 'root', 'X-Remote-Group': 'system:masters' } });
    expect(masters.status).toBe(200);
    const second = await server.anonymous('GET', path, { cert: proxy, headers: { 'X-Proxy-User': 'bob' } });
    expect(await refusedAs(second)).toBe('bob');
  });

  it('ignores the headers without the proxy certificate (anonymous, the admin\'s certificate)', async () => {
    expect(await refusedAs(await server.anonymous('GET', path, { headers: forged }))).toBe('system:anonymous');
    // The admin stays the admin: the forged headers grant nothing and are not taken as the user.
    const admin = await server.request('GET', path, { headers: { ...forged, 'X-Remote-Group': 'nobody' } });
    expect(admin.status).toBe(200);
  });

  it('refuses a proxy certificate whose CN is not allowed, or of another CA, or self-signed: 401', async () => {
    for (const cert of [strangerProxy, foreign, selfSigned]) {
      const res = await server.anonymous('GET', path, { cert, headers: forged });
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
  });

  it('a proxy certificate without identity headers is no user certificate: 401', async () => {
    const res = await server.anonymous('GET', path, { cert: proxy });
    expect(res.status).toBe(401);
  });

  it('fuzz: garbage and forged client certificates never reach a 500', async () => {
    const forgedKey: KeyPairPem = { certPem: proxy.certPem, keyPem: foreign.keyPem };
    const expired = await issueCert(await generateCA('x'), { subject: { commonName: 'old' }, usage: 'client', validDays: -1 }).catch(() => undefined);
    for (const cert of [forgedKey, expired].filter((c): c is KeyPairPem => c !== undefined)) {
      const res = await server.anonymous('GET', path, { cert, headers: forged }).catch((err: Error) => ({ status: -1, text: err.message, headers: {}, json: () => ({}) }));
      // A key that does not match its certificate fails the TLS handshake (no answer at all) or is refused: never a 5xx.
      expect(res.status === -1 || res.status === 401).toBe(true);
    }
  });
});
