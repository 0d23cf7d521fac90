// An OpenID provider for tests: HTTPS with its own CA, a discovery document, a JWKS that can be
// rotated, and ID tokens signed with jose.
import https from 'node:https';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK } from 'jose';
import { generateCA, issueCert } from '../../src/server/serving/certs.js';

export interface TestIssuer {
  url: string;
  caPem: string;
  /** Signs claims with the current key (iss, iat, exp filled unless given). */
  sign(claims: Record<string, unknown>, opts?: { alg?: string; kid?: string; key?: KeyObject }): Promise<string>;
  /** Replaces the signing key; `keepOld` keeps the old one in the JWKS. */
  rotate(keepOld?: boolean): Promise<void>;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  close(): Promise<void>;
}

interface Key {
  kid: string;
  privateKey: KeyObject;
  publicJWK: Record<string, unknown>;
}

let counter = 0;

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `key-${++counter}`;
  return { kid, privateKey, publicJWK: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startTestIssuer(options: { discoveryIssuer?: string } = {}): Promise<TestIssuer> {
  const ca = await generateCA('test-oidc-ca');
  const serving = await issueCert(ca, { subject: { commonName: 'localhost' }, usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  let keys: Key[] = [await newKey()];
  let fetches = 0;
  let url = '';
  const server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: options.discoveryIssuer ?? url, jwks_uri: `${url}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      return;
    }
    if (req.url === '/keys') {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJWK) }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caPem: ca.certPem,
    async sign(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key = keys[keys.length - 1];
      return new SignJWT({ iss: url, iat: now, exp: now + 600, ...claims })
        .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? key.kid })
        .sign(opts.key ?? key.privateKey);
    },
    async rotate(keepOld = false) {
      const next = await newKey();
      keys = keepOld ? [...keys, next] : [next];
    },
    jwksFetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
