// kube's OIDC authenticator against an in-test HTTPS provider: discovery and JWKS through the
// --oidc-ca-file CA, claims to user as kube maps them, key rotation, and every bad token refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { oidcAuthenticator, untrustedIssuer, type OIDCAuthenticator } from '../../src/auth/oidc/authenticator.js';
import { loadOIDCConfig, type OIDCConfig } from '../../src/auth/oidc/config.js';
import { startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';

describe('OIDC authenticator', () => {
  let issuer: TestIssuer;
  const started: OIDCAuthenticator[] = [];
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    started.forEach((a) => a.stop());
    await issuer?.close();
  });

  async function authn(overrides: Partial<Parameters<typeof loadOIDCConfig>[0]> = {}, cooldownMs = 0): Promise<OIDCAuthenticator> {
    const config = (await loadOIDCConfig({ oidcIssuerURL: issuer.url, oidcClientID: 'kube', oidcRequiredClaims: {}, oidcSigningAlgs: [], ...overrides })) as OIDCConfig;
    const a = oidcAuthenticator({ ...config, caPem: issuer.caPem }, { jwksCooldownMs: cooldownMs, retryIntervalMs: 60_000 });
    started.push(a);
    return a;
  }

  it('resolves the flags as kube: https only, sub prefixed with "<issuer>#", email unprefixed, "-" for none', async () => {
    await expect(loadOIDCConfig({ oidcIssuerURL: 'http://idp.example', oidcClientID: 'k', oidcRequiredClaims: {}, oidcSigningAlgs: [] })).rejects.toThrow('oidc-issuer-url (http://idp.example) must use https scheme');
    await expect(loadOIDCConfig({ oidcIssuerURL: 'https://idp.example', oidcRequiredClaims: {}, oidcSigningAlgs: [] })).rejects.toThrow('oidc-client-id must be specified');
    await expect(loadOIDCConfig({ oidcIssuerURL: 'https://idp.example', oidcClientID: 'k', oidcRequiredClaims: {}, oidcSigningAlgs: ['HS256'] })).rejects.toThrow('oidc: unsupported signing alg: "HS256"');
    const base = { oidcIssuerURL: 'https://idp.example', oidcClientID: 'k', oidcRequiredClaims: {}, oidcSigningAlgs: [] };
    expect(await loadOIDCConfig(base)).toMatchObject({ usernameClaim: 'sub', usernamePrefix: 'https://idp.example#', signingAlgs: ['RS256'] });
    expect(await loadOIDCConfig({ ...base, oidcUsernameClaim: 'email' })).toMatchObject({ usernamePrefix: '' });
    expect(await loadOIDCConfig({ ...base, oidcUsernamePrefix: '-' })).toMatchObject({ usernamePrefix: '' });
    expect(await loadOIDCConfig({ ...base, oidcUsernamePrefix: 'oidc:' })).toMatchObject({ usernamePrefix: 'oidc:' });
    expect(await loadOIDCConfig({ oidcRequiredClaims: {}, oidcSigningAlgs: [] })).toBeUndefined();
  });

  it('maps sub (prefixed), groups (prefixed, string or list) and jti to the user', async () => {
    const a = await authn({ oidcGroupsClaim: 'groups', oidcGroupsPrefix: 'oidc:' });
    const token = await issuer.sign({ sub: 'alice', aud: 'kube', groups: ['dev', 'ops'], jti: 'j-1' });
    expect(await a.authenticateToken(token)).toEqual({
      user: { name: `${issuer.url}#alice`, groups: ['oidc:dev', 'oidc:ops'], extra: { 'authentication.kubernetes.io/credential-id': ['JTI=j-1'] } },
    });
    const single = await a.authenticateToken(await issuer.sign({ sub: 'bob', aud: ['other', 'kube'], groups: 'dev' }));
    expect(single?.user).toEqual({ name: `${issuer.url}#bob`, groups: ['oidc:dev'] });
    await expect(a.authenticateToken(await issuer.sign({ sub: 'c', aud: 'kube', groups: [1] }))).rejects.toThrow('oidc: parse groups claim "groups"');
  });

  it('applies kube\'s email_verified rule for the email claim', async () => {
    const a = await authn({ oidcUsernameClaim: 'email' });
    expect((await a.authenticateToken(await issuer.sign({ aud: 'kube', email: 'a@example.com', email_verified: true })))?.user.name).toBe('a@example.com');
    expect((await a.authenticateToken(await issuer.sign({ aud: 'kube', email: 'b@example.com' })))?.user.name).toBe('b@example.com');
    await expect(a.authenticateToken(await issuer.sign({ aud: 'kube', email: 'c@example.com', email_verified: false }))).rejects.toThrow('oidc: email not verified');
    await expect(a.authenticateToken(await issuer.sign({ aud: 'kube', email: 'd@example.com', email_verified: 'true' }))).rejects.toThrow("oidc: parse 'email_verified' claim");
    await expect(a.authenticateToken(await issuer.sign({ aud: 'kube', sub: 'x' }))).rejects.toThrow('oidc: parse username claims "email": claim not present');
  });

  it('checks required claims with kube\'s messages', async () => {
    const a = await authn({ oidcRequiredClaims: { tenant: 'blue' } });
    expect(await a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube', tenant: 'blue' }))).not.toBeNull();
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube' }))).rejects.toThrow('oidc: required claim tenant not present in ID token');
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube', tenant: 'red' }))).rejects.toThrow('oidc: required claim tenant value does not match. Got = red, want = blue');
  });

  it('refuses the wrong audience, an expired token, a future nbf, another key, a wrong or none algorithm', async () => {
    const a = await authn();
    const now = Math.floor(Date.now() / 1000);
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'other' }))).rejects.toThrow('oidc: verify token: oidc: expected audience in ["kube"] got ["other"]');
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube', exp: now - 5 }))).rejects.toThrow('oidc: verify token: oidc: token is expired');
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube', exp: undefined }))).rejects.toThrow('token is expired');
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube', nbf: now + 600 }))).rejects.toThrow('before the nbf (not before) time');
    expect(await a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube', nbf: now + 120 }))).not.toBeNull();
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube' }, { key: stranger }))).rejects.toThrow('oidc: verify token: failed to verify signature');
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    await expect(a.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube' }, { alg: 'ES256', key: ec }))).rejects.toThrow('oidc: id token signed with unsupported algorithm, expected ["RS256"] got "ES256"');
    const none = new UnsecuredJWT({ iss: issuer.url, sub: 's', aud: 'kube', exp: now + 60 }).encode();
    await expect(a.authenticateToken(none)).rejects.toThrow('oidc: verify token');
    const hs = await new SignJWT({ iss: issuer.url, sub: 's', aud: 'kube', exp: now + 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(a.authenticateToken(hs)).rejects.toThrow('oidc: verify token');
  });

  it('leaves tokens of other issuers (and non-JWTs) to other authenticators', async () => {
    const a = await authn();
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT({ iss: 'https://other.example', sub: 's', aud: 'kube', exp: now + 60 }).setProtectedHeader({ alg: 'RS256' }).sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect(await a.authenticateToken(foreign)).toBeNull();
    expect(await a.authenticateToken('static-token-abc')).toBeNull();
    expect(await a.authenticateToken('{"iss":"x"}.a.b')).toBeNull();
    expect(untrustedIssuer(`a.${Buffer.from('{"iss":"accounts.google.com"}').toString('base64url')}.c`)).toBe('https://accounts.google.com');
  });

  it('picks up a rotated key (the JWKS is fetched again for an unknown key id)', async () => {
    const a = await authn();
    expect(await a.authenticateToken(await issuer.sign({ sub: 'before', aud: 'kube' }))).not.toBeNull();
    const fetches = issuer.jwksFetches();
    await issuer.rotate();
    const rotated = await issuer.sign({ sub: 'after', aud: 'kube' });
    expect((await a.authenticateToken(rotated))?.user.name).toBe(`${issuer.url}#after`);
    expect(issuer.jwksFetches()).toBeGreaterThan(fetches);
  });

  it('refuses tokens while the provider cannot be discovered (untrusted CA, issuer mismatch), 401 not a crash', async () => {
    const config = (await loadOIDCConfig({ oidcIssuerURL: issuer.url, oidcClientID: 'kube', oidcRequiredClaims: {}, oidcSigningAlgs: [] })) as OIDCConfig;
    const errors: string[] = [];
    const untrusted = oidcAuthenticator(config, { retryIntervalMs: 60_000, onError: (m) => errors.push(m) });
    started.push(untrusted);
    await expect(untrusted.authenticateToken(await issuer.sign({ sub: 's', aud: 'kube' }))).rejects.toThrow('oidc: authenticator not initialized');
    expect(errors[0]).toContain(`oidc: initializing authenticator for issuer ${issuer.url}`);

    const liar = await startTestIssuer({ discoveryIssuer: 'https://someone.else' });
    try {
      const c = (await loadOIDCConfig({ oidcIssuerURL: liar.url, oidcClientID: 'kube', oidcRequiredClaims: {}, oidcSigningAlgs: [] })) as OIDCConfig;
      const mismatch = oidcAuthenticator({ ...c, caPem: liar.caPem }, { retryIntervalMs: 60_000, onError: (m) => errors.push(m) });
      started.push(mismatch);
      await expect(mismatch.ready()).rejects.toThrow(`oidc: issuer did not match the issuer returned by provider, expected "${liar.url}" got "https://someone.else"`);
    } finally {
      await liar.close();
    }
  });
});
