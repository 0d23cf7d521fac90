// Signs service-account tokens (kube's jwtTokenGenerator): a compact JWS with the signing key's
// algorithm and key id, the issuer added to the claims.
import { SignJWT } from 'jose';
import type { SigningKey } from './keys.js';
import type { ServiceAccountClaims } from './claims.js';

export interface TokenIssuer {
  /** The `iss` written into every token (the first --service-account-issuer). */
  readonly issuer: string;
  generateToken(claims: ServiceAccountClaims): Promise<string>;
}

/** A compact JWS of the claims with the issuer added, as go-jose writes it. */
export function signClaims(key: SigningKey, issuer: string, claims: object): Promise<string> {
  // go-jose merges the registered and private claims through a map: the keys come out sorted.
  const merged: Record<string, unknown> = { ...claims, iss: issuer };
  const payload = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.key);
}

export function jwtTokenIssuer(issuer: string, key: SigningKey): TokenIssuer {
  return {
    issuer,
    generateToken: (claims) => signClaims(key, issuer, claims),
  };
}
