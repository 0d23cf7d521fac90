// Client certificates through a real TLS server set up as the lead's (requestCert, not required,
// verified against the client CA): kube's x509 authenticator outcomes as a client sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import { createHash, X509Certificate } from 'node:crypto';
import { generateCA, issueCert, type KeyPairPem } from '../../src/server/serving/certs.js';
import { buildAuthenticator } from '../../src/auth/build-authenticator.js';
import { createAuthenticationFilter } from '../../src/server/filters/authentication.js';
import { appWith, listen, UNAUTHORIZED_BODY } from './auth-support.js';

let serverCA: KeyPairPem;
let clientCA: KeyPairPem;
let otherCA: KeyPairPem;
let admin: KeyPairPem;
const servers: Server[] = [];

async function serve(anonymousAuth: boolean): Promise<number> {
  const serving = await issueCert(serverCA, { subject: { commonName: 'localhost' }, usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const authenticator = await buildAuthenticator({ anonymousAuth });
  const app = appWith([createAuthenticationFilter(authenticator)], (ctx) => {
    ctx.body = ctx.state.user;
  });
  const server = createServer({ key: serving.keyPem, cert: serving.certPem, ca: clientCA.certPem, requestCert: true, rejectUnauthorized: false }, app.callback());
  servers.push(server);
  return listen(server);
}

function get(port: number, client?: KeyPairPem): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path: '/api/v1/pods', ca: serverCA.certPem, key: client?.keyPem, cert: client?.certPem, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let anonymousPort: number;
let strictPort: number;
beforeAll(async () => {
  [serverCA, clientCA, otherCA] = await Promise.all([generateCA('server-ca'), generateCA('client-ca'), generateCA('other-ca')]);
  admin = await issueCert(clientCA, { subject: { commonName: 'kube-chain-admin', organizations: ['system:masters', 'dev'] }, usage: 'client' });
  anonymousPort = await serve(true);
  strictPort = await serve(false);
});
afterAll(() => servers.forEach((s) => s.close()));

describe('x509 client certificates', () => {
  it('a certificate from the client CA: user = CN, groups = O + system:authenticated, credential-id', async () => {
    const res = await get(anonymousPort, admin);
    expect(res.status).toBe(200);
    const der = new X509Certificate(admin.certPem).raw;
    expect(JSON.parse(res.body)).toEqual({
      name: 'kube-chain-admin',
      groups: ['system:masters', 'dev', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${createHash('sha256').update(der).digest('hex')}`] },
    });
  });

  it('several requests on one connection keep the same user', async () => {
    expect(JSON.parse((await get(anonymousPort, admin)).body).name).toBe('kube-chain-admin');
    expect(JSON.parse((await get(anonymousPort, admin)).body).name).toBe('kube-chain-admin');
  });

  it('a certificate from another CA is a 401, not anonymous', async () => {
    const stranger = await issueCert(otherCA, { subject: { commonName: 'mallory', organizations: ['system:masters'] }, usage: 'client' });
    const res = await get(anonymousPort, stranger);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual(UNAUTHORIZED_BODY);
  });

  it('a certificate not meant for client authentication is a 401', async () => {
    const serverOnly = await issueCert(clientCA, { subject: { commonName: 'web' }, usage: 'server' });
    expect((await get(anonymousPort, serverOnly)).status).toBe(401);
  });

  it('an expired certificate is a 401', async () => {
    const expired = await issueCert(clientCA, { subject: { commonName: 'old' }, usage: 'client', validDays: -1 });
    expect((await get(anonymousPort, expired)).status).toBe(401);
  });

  it('no certificate: anonymous, or 401 without --anonymous-auth', async () => {
    const res = await get(anonymousPort);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ name: 'system:anonymous', groups: ['system:unauthenticated'] });
    expect((await get(strictPort)).status).toBe(401);
    expect((await get(strictPort, admin)).status).toBe(200);
  });
});
