// The service-account JWT authenticator as kube's (pkg/serviceaccount/jwt.go, claims.go): tokens of
// other issuers are not its business; signatures, audiences, times and the account's uid decide;
// malformed tokens of any kind are refused, never a crash.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { serviceAccountJWTAuthenticator, type ServiceAccountTokenGetter } from '../../src/auth/serviceaccount/jwt-authenticator.js';
import { loadSigningKey, readPublicKeys, signingKeyFromPem, keyIDFor, GENERATED_SIGNING_KEY_FILE } from '../../src/auth/serviceaccount/keys.js';
import { jwtTokenIssuer } from '../../src/auth/serviceaccount/token-issuer.js';
import { serviceAccountClaims } from '../../src/auth/serviceaccount/claims.js';
import { newNotFound } from '../../src/endpoints/status.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const rsaPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ecPem = (curve = 'prime256v1') => generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();

interface World {
  accounts: Map<string, { metadata: Record<string, unknown> }>;
  secrets: Map<string, { metadata: Record<string, unknown> }>;
}

function getterOf(world: World): ServiceAccountTokenGetter {
  const find = (map: Map<string, { metadata: Record<string, unknown> }>, resource: string) => async (ns: string, name: string) => {
    const found = map.get(`${ns}/${name}`);
    if (!found) throw newNotFound({ group: '', resource }, name);
    return found;
  };
  return { getServiceAccount: find(world.accounts, 'serviceaccounts'), getSecret: find(world.secrets, 'secrets') };
}

async function setup(pem = rsaPem()) {
  const key = await signingKeyFromPem(pem, 'test');
  const world: World = { accounts: new Map([['ns/robot', { metadata: { uid: 'uid-1' } }]]), secrets: new Map() };
  const rejected: string[] = [];
  const authn = serviceAccountJWTAuthenticator({ issuers: [ISSUER, 'https://old.example'], keys: [key.publicKey], implicitAudiences: [ISSUER], getter: getterOf(world), onRejected: (r) => rejected.push(r) });
  const issue = (overrides: Partial<ReturnType<typeof serviceAccountClaims>> = {}, issuer = ISSUER, expirationSeconds = 3600) =>
    jwtTokenIssuer(issuer, key).generateToken({ ...serviceAccountClaims({ namespace: 'ns', name: 'robot', uid: 'uid-1' }, {}, expirationSeconds, [ISSUER]), ...overrides });
  return { key, world, authn, issue, rejected };
}

describe('service-account JWT authenticator', () => {
  it('authenticates a bound token as system:serviceaccount:<ns>:<name> with kube\'s groups, uid and credential id', async () => {
    const { authn, issue } = await setup();
    const token = await issue();
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('RS256');
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(Object.keys(payload)).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    const result = await authn.authenticateToken(token);
    expect(result).toEqual({
      user: {
        name: 'system:serviceaccount:ns:robot',
        uid: 'uid-1',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'],
        extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${payload.jti}`] },
      },
      audiences: [ISSUER],
    });
  });

  it('signs with ES256/ES384/ES512 for EC keys and verifies them', async () => {
    for (const [curve, alg] of [['prime256v1', 'ES256'], ['secp384r1', 'ES384'], ['secp521r1', 'ES512']]) {
      const { authn, issue } = await setup(ecPem(curve));
      const token = await issue();
      expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg).toBe(alg);
      expect((await authn.authenticateToken(token))?.user.name).toBe('system:serviceaccount:ns:robot');
    }
  });

  it('accepts every configured issuer, and leaves tokens of other issuers to other authenticators', async () => {
    const { authn, issue } = await setup();
    expect(await authn.authenticateToken(await issue({}, 'https://old.example'))).not.toBeNull();
    expect(await authn.authenticateToken(await issue({}, 'https://someone.else'))).toBeNull();
  });

  it('refuses a deleted account and a recreated one (another uid) with kube\'s reasons', async () => {
    const { authn, issue, world, rejected } = await setup();
    const token = await issue();
    world.accounts.set('ns/robot', { metadata: { uid: 'uid-2' } });
    await expect(authn.authenticateToken(token)).rejects.toThrow('service account UID (uid-2) does not match claim (uid-1)');
    world.accounts.set('ns/robot', { metadata: { uid: 'uid-1', deletionTimestamp: new Date(Date.now() - 120_000).toISOString() } });
    await expect(authn.authenticateToken(token)).rejects.toThrow('service account ns/robot has been deleted');
    world.accounts.delete('ns/robot');
    await expect(authn.authenticateToken(token)).rejects.toThrow('serviceaccounts "robot" not found');
    expect(rejected).toEqual(['service account UID (uid-2) does not match claim (uid-1)', 'service account ns/robot has been deleted', 'serviceaccounts "robot" not found']);
  });

  it('checks expiry, not-before and issued-at with a minute of leeway', async () => {
    const { authn, issue } = await setup();
    const now = Math.floor(Date.now() / 1000);
    await expect(authn.authenticateToken(await issue({ exp: now - 61 }))).rejects.toThrow('service account token has expired');
    expect(await authn.authenticateToken(await issue({ exp: now - 30 }))).not.toBeNull();
    await expect(authn.authenticateToken(await issue({ nbf: now + 120 }))).rejects.toThrow('service account token is not valid yet');
    await expect(authn.authenticateToken(await issue({ iat: now + 120 }))).rejects.toThrow('service account token is issued in the future');
  });

  it('refuses audiences the API is not, with kube\'s message; an audience-less (legacy) token is for the API', async () => {
    const { authn, issue } = await setup();
    await expect(authn.authenticateToken(await issue({ aud: ['vault', 'db'] }))).rejects.toThrow(
      `token audiences ["vault" "db"] is invalid for the target audiences ["${ISSUER}"]`,
    );
    expect((await authn.authenticateToken(await issue({ aud: [] })))?.audiences).toEqual([ISSUER]);
  });

  it('refuses a token bound to a secret that is gone or was recreated', async () => {
    const { authn, issue, world } = await setup();
    const token = await issue({ 'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'uid-1' }, secret: { name: 's', uid: 'sec-1' } } });
    await expect(authn.authenticateToken(token)).rejects.toThrow('service account token has been invalidated');
    world.secrets.set('ns/s', { metadata: { uid: 'sec-2' } });
    await expect(authn.authenticateToken(token)).rejects.toThrow('secret UID (sec-2) does not match service account secret ref claim (sec-1)');
    world.secrets.set('ns/s', { metadata: { uid: 'sec-1' } });
    expect(await authn.authenticateToken(token)).not.toBeNull();
    // Pods are not served by this getter: a pod-bound token cannot be checked, so it is refused.
    const podBound = await issue({ 'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'uid-1' }, pod: { name: 'p', uid: 'pod-1' } } });
    await expect(authn.authenticateToken(podBound)).rejects.toThrow('service account token has been invalidated');
  });

  it('refuses a token signed by another key, and tries every key (rotation: old and new keys both verify)', async () => {
    const { authn, issue } = await setup();
    const other = await signingKeyFromPem(rsaPem(), 'other');
    const forged = await jwtTokenIssuer(ISSUER, other).generateToken(serviceAccountClaims({ namespace: 'ns', name: 'robot', uid: 'uid-1' }, {}, 3600, [ISSUER]));
    await expect(authn.authenticateToken(forged)).rejects.toThrow();
    const key = await signingKeyFromPem(rsaPem(), 'new');
    const both = serviceAccountJWTAuthenticator({
      issuers: [ISSUER],
      keys: [key.publicKey, other.publicKey],
      implicitAudiences: [ISSUER],
      getter: { getServiceAccount: async () => ({ metadata: { uid: 'uid-1' } }), getSecret: async () => ({ metadata: {} }) },
    });
    expect(await both.authenticateToken(forged)).not.toBeNull();
    // The first key is not among these: its tokens no longer verify.
    await expect(both.authenticateToken(await issue())).rejects.toThrow('signature verification failed');
  });

  it('fuzz: malformed tokens are refused or ignored, never a crash', async () => {
    const { authn, issue, key } = await setup();
    const good = await issue();
    const [h, p, s] = good.split('.');
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const none = new UnsecuredJWT(payload).encode();
    const hs256 = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('secret-secret-secret-secret-32by'));
    const cases = [
      '',
      'a',
      'a.b',
      'a.b.c.d',
      `${h}.${p}`,
      `${h}.${p}.`,
      `${h}.${p}.${s}x`,
      `${h}.${p}!.${s}`,
      `${h}.${b64('not json')}.${s}`,
      `${h}.${b64([1, 2])}.${s}`,
      `${h}.${b64(null)}.${s}`,
      `${b64('garbage')}.${p}.${s}`,
      `${b64({ alg: 'none' })}.${p}.`,
      none,
      hs256,
      `${b64({ alg: 'RS256', crit: ['exp'] })}.${p}.${s}`,
      `${h}.${b64({ ...payload, exp: 'tomorrow' })}.${s}`,
      `${h}.${b64({ ...payload, aud: 7 })}.${s}`,
      `${h}.${b64({ ...payload, 'kubernetes.io': 'x' })}.${s}`,
      `${h}.${p}.${Buffer.alloc(256).toString('base64url')}`,
      '\u0000.\u0000.\u0000',
      `${'A'.repeat(10_000)}.${p}.${s}`,
    ];
    for (const token of cases) {
      const outcome = await Promise.resolve(authn.authenticateToken(token)).then(
        (r) => (r === null ? 'ignored' : 'accepted'),
        (err: unknown) => (err instanceof Error ? 'refused' : 'crashed'),
      );
      expect([token.slice(0, 40), outcome]).not.toEqual([token.slice(0, 40), 'accepted']);
      expect(outcome).not.toBe('crashed');
    }
    // Well-formed claims with the wrong types, correctly signed: refused with go-jose's kind of error.
    const signedBadTypes = await new SignJWT({ ...payload, exp: 'tomorrow' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.key);
    await expect(authn.authenticateToken(signedBadTypes)).rejects.toThrow('cannot unmarshal');
  });
});

describe('service-account keys', () => {
  it('reads public keys from private keys, public keys and certificates, and computes kube\'s key id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa-keys-'));
    const pem = rsaPem();
    const pub = createPublicKey(pem);
    const file = join(dir, 'keys.pem');
    await writeFile(file, `${pem}\n${pub.export({ type: 'pkcs1', format: 'pem' })}\n${createPublicKey(ecPem()).export({ type: 'spki', format: 'pem' })}`);
    const keys = await readPublicKeys(file);
    expect(keys.map((k) => k.alg)).toEqual(['RS256', 'RS256', 'ES256']);
    expect(keys[0].kid).toBe(keyIDFor(pub));
    expect(keys[0].kid).toBe(keys[1].kid);
    expect(keyIDFor(pub)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await writeFile(join(dir, 'empty.pem'), 'nothing here');
    await expect(readPublicKeys(join(dir, 'empty.pem'))).rejects.toThrow('data does not contain any valid RSA or ECDSA public keys');
  });

  it('generates a signing key into the data directory once and reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa-gen-'));
    const first = await loadSigningKey(undefined, dir);
    const pem = await readFile(join(dir, GENERATED_SIGNING_KEY_FILE), 'utf8');
    const second = await loadSigningKey(undefined, dir);
    expect(second.kid).toBe(first.kid);
    expect(pem).toContain('BEGIN PRIVATE KEY');
  });
});
