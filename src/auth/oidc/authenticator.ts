// kube's OIDC token authenticator (k8s.io/apiserver/plugin/pkg/authenticator/token/oidc): tokens
// whose (unverified) issuer is not the configured one are not its business. The provider's discovery
// document names its JWKS, fetched with jose's remote key set (a token signed with a key id it does
// not know makes it fetch the set again, so rotated keys are picked up). The token is checked as
// go-oidc checks ID tokens (signature and algorithm, issuer, audience = the client id, expiry, nbf
// with five minutes of leeway); the user comes from the username and groups claims, with kube's
// email_verified rule and required claims.
import { compactVerify, createRemoteJWKSet, customFetch, type JWSHeaderParameters, type FlattenedJWSInput, type CryptoKey } from 'jose';
import type { TokenAuthenticator } from '../token-authenticator.js';
import type { AuthenticationResult } from '../authenticator.js';
import { CREDENTIAL_ID_KEY, type UserInfo } from '../user.js';
import type { OIDCConfig } from './config.js';
import { httpsFetch, type HttpsFetch } from './https-fetch.js';

export interface OIDCAuthenticatorOptions {
  /** How long after a failed discovery the next attempt is made (kube: 10 s). */
  retryIntervalMs?: number;
  /** The least time between two fetches of the JWKS for unknown key ids. */
  jwksCooldownMs?: number;
  onError?: (message: string) => void;
}

export interface OIDCAuthenticator extends TokenAuthenticator {
  /** Resolves once discovery succeeded (or rejects with its last error). */
  ready(): Promise<void>;
  stop(): void;
}

type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** NOT VERIFIED: the issuer a token claims, as kube's untrustedIssuer reads it. */
export function untrustedIssuer(token: string): string | undefined {
  if (token.trim().startsWith('{')) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]*$/.test(parts[1]) || parts[1].length % 4 === 1) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { iss?: unknown };
    if (claims === null || typeof claims !== 'object') return undefined;
    if (claims.iss !== undefined && typeof claims.iss !== 'string') return undefined;
    const iss = (claims.iss as string | undefined) ?? '';
    return iss === 'accounts.google.com' ? 'https://accounts.google.com' : iss;
  } catch {
    return undefined;
  }
}

/** Go's %q of a []string. */
const goQuoteList = (list: string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

function stringClaim(claims: Record<string, unknown>, name: string, what: string): string {
  if (!(name in claims)) throw new Error(`${what}: claim not present`);
  const value = claims[name];
  if (typeof value !== 'string') throw new Error(`${what}: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type string`);
  return value;
}

async function discover(config: OIDCConfig, fetcher: HttpsFetch): Promise<URL> {
  const url = `${config.issuerURL.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetcher(url);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${res.status} ${res.statusText}: ${body}`);
  let doc: { issuer?: unknown; jwks_uri?: unknown };
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch (err) {
    throw new Error(`oidc: failed to decode provider discovery object: ${(err as Error).message}`);
  }
  if (doc.issuer !== config.issuerURL) {
    throw new Error(`oidc: issuer did not match the issuer returned by provider, expected ${JSON.stringify(config.issuerURL)} got ${JSON.stringify(doc.issuer)}`);
  }
  if (typeof doc.jwks_uri !== 'string' || !doc.jwks_uri) throw new Error('provider did not return JWKS URL');
  return new URL(doc.jwks_uri);
}

export function oidcAuthenticator(config: OIDCConfig, options: OIDCAuthenticatorOptions = {}): OIDCAuthenticator {
  const fetcher = httpsFetch(config.caPem);
  const retryIntervalMs = options.retryIntervalMs ?? 10_000;
  let keys: KeyResolver | undefined;
  let attempt: Promise<void>;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const initialize = (): Promise<void> =>
    discover(config, fetcher).then(
      (jwksURL) => {
        keys = createRemoteJWKSet(jwksURL, {
          cooldownDuration: options.jwksCooldownMs ?? 1_000,
          cacheMaxAge: 10 * 60_000,
          [customFetch]: (url, init) => fetcher(url, init),
        }) as KeyResolver;
      },
      (err: unknown) => {
        options.onError?.(`oidc: initializing authenticator for issuer ${config.issuerURL}: ${(err as Error).message}`);
        if (!stopped) {
          timer = setTimeout(() => {
            attempt = initialize();
            attempt.catch(() => undefined);
          }, retryIntervalMs);
          timer.unref();
        }
        throw err;
      },
    );
  attempt = initialize();
  attempt.catch(() => undefined);

  async function verify(token: string, resolver: KeyResolver): Promise<Record<string, unknown>> {
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, resolver, { algorithms: config.signingAlgs }));
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
        const alg = (() => {
          try {
            return (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { alg?: string }).alg;
          } catch {
            return undefined;
          }
        })();
        throw new Error(`oidc: id token signed with unsupported algorithm, expected ${goQuoteList(config.signingAlgs)} got ${JSON.stringify(alg ?? '')}`);
      }
      throw new Error(`failed to verify signature: ${e.message}`);
    }
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch (err) {
      throw new Error(`oidc: failed to unmarshal claims: ${(err as Error).message}`);
    }
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('oidc: failed to unmarshal claims: not a JSON object');
    const c = claims as Record<string, unknown>;
    if (c.iss !== config.issuerURL) throw new Error(`oidc: id token issued by a different provider, expected ${JSON.stringify(config.issuerURL)} got ${JSON.stringify(c.iss ?? '')}`);
    const audiences = typeof c.aud === 'string' ? [c.aud] : Array.isArray(c.aud) && c.aud.every((a) => typeof a === 'string') ? (c.aud as string[]) : [];
    if (!audiences.includes(config.clientID)) throw new Error(`oidc: expected audience in ${goQuoteList([config.clientID])} got ${goQuoteList(audiences)}`);
    const now = Date.now() / 1000;
    if (typeof c.exp !== 'number' || c.exp < now) throw new Error(`oidc: token is expired (Token Expiry: ${typeof c.exp === 'number' ? new Date(c.exp * 1000).toISOString() : '0001-01-01T00:00:00Z'})`);
    if (typeof c.nbf === 'number' && now + 300 < c.nbf) throw new Error(`oidc: current time ${new Date(now * 1000).toISOString()} before the nbf (not before) time: ${new Date(c.nbf * 1000).toISOString()}`);
    return c;
  }

  function userFrom(c: Record<string, unknown>): UserInfo {
    const username = stringClaim(c, config.usernameClaim, `oidc: parse username claims ${JSON.stringify(config.usernameClaim)}`);
    if (config.usernameClaim === 'email' && 'email_verified' in c) {
      if (typeof c.email_verified !== 'boolean') throw new Error(`oidc: parse 'email_verified' claim: json: cannot unmarshal ${typeof c.email_verified} into Go value of type bool`);
      if (!c.email_verified) throw new Error('oidc: email not verified');
    }
    const user: UserInfo = { name: config.usernamePrefix + username, groups: [] };
    if (config.groupsClaim && config.groupsClaim in c) {
      const raw = c[config.groupsClaim];
      const groups = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((g) => typeof g === 'string') ? (raw as string[]) : undefined;
      if (!groups) throw new Error(`oidc: parse groups claim ${JSON.stringify(config.groupsClaim)}: json: cannot unmarshal into Go value of type oidc.stringOrArray`);
      user.groups = groups.map((g) => config.groupsPrefix + g);
    }
    if (typeof c.jti === 'string' && 'jti' in c) user.extra = { [CREDENTIAL_ID_KEY]: [`JTI=${c.jti}`] };
    for (const [claim, want] of Object.entries(config.requiredClaims)) {
      if (!(claim in c)) throw new Error(`oidc: required claim ${claim} not present in ID token`);
      const got = stringClaim(c, claim, `oidc: parse claim ${claim}`);
      if (got !== want) throw new Error(`oidc: required claim ${claim} value does not match. Got = ${got}, want = ${want}`);
    }
    return user;
  }

  return {
    ready: () => attempt,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    async authenticateToken(token): Promise<AuthenticationResult | null> {
      if (untrustedIssuer(token) !== config.issuerURL) return null;
      // A discovery under way is waited for; one that failed leaves the authenticator uninitialized.
      if (!keys) await attempt.catch(() => undefined);
      if (!keys) throw new Error('oidc: authenticator not initialized');
      let claims: Record<string, unknown>;
      try {
        claims = await verify(token, keys);
      } catch (err) {
        throw new Error(`oidc: verify token: ${(err as Error).message}`);
      }
      return { user: userFrom(claims) };
    },
  };
}
