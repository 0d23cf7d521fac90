// kube's service-account JWT token authenticator (pkg/serviceaccount/jwt.go + claims.go): a token
// whose issuer is not one of ours is not ours (no opinion); otherwise its signature must verify with
// one of the keys and its audiences must meet the API audiences (an audience-less, legacy token is
// for the API, and its event is annotated so); then a validator decides. The default one is for bound
// tokens: times must hold (one minute of leeway), and the service account it names must still exist
// with the same uid (as must the secret or pod it is bound to). Legacy tokens bring their own
// validator (legacy.ts). The user is system:serviceaccount:<ns>:<name>.
import { compactVerify } from 'jose';
import type { TokenAuthenticator } from '../token-authenticator.js';
import type { AuthenticationResult } from '../authenticator.js';
import { aggregate, asError } from '../aggregate-error.js';
import { CREDENTIAL_ID_KEY, type UserInfo } from '../user.js';
import type { VerificationKey } from './keys.js';
import type { KubernetesClaim } from './claims.js';
import type { ValidatedToken } from './legacy.js';
import { credentialIDForJTI, makeGroupNames, makeUsername, NODE_NAME_KEY, NODE_UID_KEY, POD_NAME_KEY, POD_UID_KEY } from './names.js';

/** What a token's bound objects are checked against; each answer throws when the object is missing. */
export interface ServiceAccountTokenGetter {
  getServiceAccount(namespace: string, name: string): Promise<StoredMeta>;
  getSecret(namespace: string, name: string): Promise<StoredMeta>;
  /** Absent while pods are not served: a pod-bound token then fails. */
  getPod?(namespace: string, name: string): Promise<StoredMeta>;
}

/** The objects as stored (metadata.uid and metadata.deletionTimestamp are read). */
export type StoredMeta = Record<string, any>;

/** What a validator is given once the signature, issuer and audiences hold (kube's Validator). */
export type TokenValidator = (token: string, claims: PublicClaims, payload: Record<string, unknown>) => Promise<ValidatedToken>;

export interface JWTAuthenticatorOptions {
  issuers: string[];
  keys: VerificationKey[];
  /** The API audiences: what a token must be meant for (and what an audience-less token is taken to be). */
  implicitAudiences: string[];
  /** For the default validator (bound tokens): where the account and the bound objects are looked up. */
  getter?: ServiceAccountTokenGetter;
  /** The claims' validator; bound tokens' unless given (legacy tokens bring theirs). */
  validator?: TokenValidator;
  /** Seconds since the epoch (tests move time). */
  now?: () => number;
  /** Why a token was refused (kube logs these at V(4)). */
  onRejected?: (reason: string) => void;
}

/** go-jose's DefaultLeeway. */
const LEEWAY_SECONDS = 60;
/** The algorithms go-jose is told to accept; anything else (none, HS256) does not parse. */
const ALLOWED_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512']);

/** Go's base64.RawURLEncoding.DecodeString as JSON, or undefined where Go fails. */
function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PublicClaims {
  iss?: string;
  sub?: string;
  aud: string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
}

/** go-jose's Claims unmarshal: wrong types fail the token. */
function publicClaims(payload: Record<string, unknown>): PublicClaims {
  const str = (k: string) => {
    const v = payload[k];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new Error(`json: cannot unmarshal ${typeof v} into Go struct field Claims.${k} of type string`);
    return (v ?? undefined) as string | undefined;
  };
  const num = (k: string) => {
    const v = payload[k];
    if (v !== undefined && v !== null && typeof v !== 'number') throw new Error(`json: cannot unmarshal ${typeof v} into Go struct field Claims.${k} of type jwt.NumericDate`);
    return (v ?? undefined) as number | undefined;
  };
  const audRaw = payload.aud;
  let aud: string[];
  if (audRaw === undefined || audRaw === null) aud = [];
  else if (typeof audRaw === 'string') aud = [audRaw];
  else if (Array.isArray(audRaw) && audRaw.every((a) => typeof a === 'string')) aud = audRaw as string[];
  else throw new Error('square/go-jose/jwt: expected string or array value to unmarshal to Audience');
  return { iss: str('iss'), sub: str('sub'), aud, exp: num('exp'), nbf: num('nbf'), iat: num('iat'), jti: str('jti') };
}

function kubernetesClaim(payload: Record<string, unknown>): KubernetesClaim {
  const k = payload['kubernetes.io'];
  if (k === undefined || k === null) return {};
  if (!isObject(k)) throw new Error('json: cannot unmarshal into Go struct field privateClaims.kubernetes.io');
  return k as KubernetesClaim;
}

/** Go's %q of a []string. */
const goQuoteList = (list: string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

export function serviceAccountJWTAuthenticator(options: JWTAuthenticatorOptions): TokenAuthenticator {
  const issuers = new Set(options.issuers);
  const now = options.now ?? (() => Date.now() / 1000);

  async function verify(token: string, alg: string, kid: unknown): Promise<Record<string, unknown>> {
    // kube tries every key; the one named by kid first saves the others' cost.
    const keys = [...options.keys].sort((a, b) => Number(b.kid === kid) - Number(a.kid === kid));
    const errors: Error[] = [];
    for (const key of keys) {
      if (key.alg !== alg) {
        errors.push(new Error('go-jose/go-jose: unexpected signature algorithm'));
        continue;
      }
      try {
        const { payload } = await compactVerify(token, key.key, { algorithms: [key.alg] });
        return JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
      } catch (err) {
        errors.push(asError(err));
      }
    }
    throw aggregate(errors) ?? new Error('no service account token verification keys');
  }

  async function validateBound(claims: PublicClaims, k: KubernetesClaim): Promise<UserInfo> {
    const getter = options.getter;
    if (!getter) throw new Error('no service account token getter');
    const t = now();
    if (claims.nbf !== undefined && t + LEEWAY_SECONDS < claims.nbf) throw new Error('service account token is not valid yet');
    if (claims.exp !== undefined && t - LEEWAY_SECONDS > claims.exp) throw new Error('service account token has expired');
    if (claims.iat !== undefined && t + LEEWAY_SECONDS < claims.iat) throw new Error('service account token is issued in the future');

    const invalidIfDeletedBefore = t - LEEWAY_SECONDS;
    const deletedBefore = (meta: StoredMeta) => meta.metadata.deletionTimestamp !== undefined && Date.parse(meta.metadata.deletionTimestamp) / 1000 < invalidIfDeletedBefore;
    const namespace = String(k.namespace ?? '');
    const sa = { name: String(k.serviceaccount?.name ?? ''), uid: String(k.serviceaccount?.uid ?? '') };
    const account = await getter.getServiceAccount(namespace, sa.name);
    if (deletedBefore(account)) throw new Error(`service account ${namespace}/${sa.name} has been deleted`);
    if ((account.metadata.uid ?? '') !== sa.uid) throw new Error(`service account UID (${account.metadata.uid ?? ''}) does not match claim (${sa.uid})`);

    if (k.secret) {
      const ref = { name: String(k.secret.name ?? ''), uid: String(k.secret.uid ?? '') };
      const secret = await getter.getSecret(namespace, ref.name).catch(() => {
        throw new Error('service account token has been invalidated');
      });
      if (deletedBefore(secret)) throw new Error('service account token has been invalidated');
      if ((secret.metadata.uid ?? '') !== ref.uid) throw new Error(`secret UID (${secret.metadata.uid ?? ''}) does not match service account secret ref claim (${ref.uid})`);
    }
    const extra: Record<string, string[]> = {};
    if (k.pod) {
      const ref = { name: String(k.pod.name ?? ''), uid: String(k.pod.uid ?? '') };
      const pod = getter.getPod
        ? await getter.getPod(namespace, ref.name).catch(() => {
            throw new Error('service account token has been invalidated');
          })
        : undefined;
      if (!pod || deletedBefore(pod)) throw new Error('service account token has been invalidated');
      if ((pod.metadata.uid ?? '') !== ref.uid) throw new Error(`pod UID (${pod.metadata.uid ?? ''}) does not match service account pod ref claim (${ref.uid})`);
      if (ref.name && ref.uid) {
        extra[POD_NAME_KEY] = [ref.name];
        extra[POD_UID_KEY] = [ref.uid];
      }
    }
    if (k.node?.name) {
      extra[NODE_NAME_KEY] = [String(k.node.name)];
      if (k.node.uid) extra[NODE_UID_KEY] = [String(k.node.uid)];
    }
    const credentialID = credentialIDForJTI(claims.jti ?? '');
    if (credentialID) extra[CREDENTIAL_ID_KEY] = [credentialID];
    const user: UserInfo = { name: makeUsername(namespace, sa.name), uid: sa.uid, groups: makeGroupNames(namespace) };
    if (Object.keys(extra).length > 0) user.extra = extra;
    return user;
  }

  const validator: TokenValidator = options.validator ?? (async (_token, claims, payload) => ({ user: await validateBound(claims, kubernetesClaim(payload)) }));

  return {
    async authenticateToken(token, requestedAudiences): Promise<AuthenticationResult | null> {
      const parts = token.split('.');
      if (parts.length !== 3) return null;
      const unverified = decodeSegment(parts[1]);
      if (!isObject(unverified) || typeof unverified.iss !== 'string' || !issuers.has(unverified.iss)) return null;
      const header = decodeSegment(parts[0]);
      if (!isObject(header) || typeof header.alg !== 'string' || !ALLOWED_ALGORITHMS.has(header.alg)) return null;

      const payload = await verify(token, header.alg, header.kid);
      const claims = publicClaims(payload);
      // The issuer was read before the signature was checked: check it again.
      if (!claims.iss || !issuers.has(claims.iss)) throw new Error(`token issuer ${JSON.stringify(claims.iss ?? '')} is invalid`);

      // A token without audiences is a legacy token: it is for the API server (and the event says so).
      const legacyAnnotation = claims.aud.length === 0 ? { 'authentication.k8s.io/legacy-token': claims.sub ?? '' } : undefined;
      const tokenAudiences = claims.aud.length > 0 ? claims.aud : options.implicitAudiences;
      // What the request wants the token for (a TokenReview's spec.audiences), else the API audiences.
      const requested = requestedAudiences ?? options.implicitAudiences;
      const audiences = tokenAudiences.filter((a) => requested.includes(a));
      if (audiences.length === 0 && options.implicitAudiences.length > 0) {
        throw new Error(`token audiences ${goQuoteList(tokenAudiences)} is invalid for the target audiences ${goQuoteList(requested)}`);
      }
      try {
        const validated = await validator(token, claims, payload);
        const result: AuthenticationResult = { user: validated.user, audiences };
        if (validated.warnings?.length) result.warnings = validated.warnings;
        const annotations = { ...legacyAnnotation, ...validated.auditAnnotations };
        if (Object.keys(annotations).length > 0) result.auditAnnotations = annotations;
        return result;
      } catch (err) {
        options.onRejected?.(asError(err).message);
        throw err;
      }
    },
  };
}
