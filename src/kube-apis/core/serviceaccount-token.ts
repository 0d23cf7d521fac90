// The serviceaccounts/token subresource (kube's TokenREST): POST a TokenRequest
// (authentication.k8s.io/v1) and get back a token for the service account, for the requested
// audiences (default: the API audiences) and lifetime (default one hour, at least ten minutes),
// optionally bound to a Secret or Pod so that it dies with it. `kubectl create token` calls it.
import type { KubeObject } from '../../registry/resource.js';
import type { Store } from '../../registry/store.js';
import { newBadRequest, newConflict, newInvalid, type FieldError } from '../../endpoints/status.js';
import { fieldInvalid } from '../../registry/validation/field-errors.js';
import { serviceAccountClaims, type BoundObjects } from '../../auth/serviceaccount/claims.js';
import type { TokenIssuer } from '../../auth/serviceaccount/token-issuer.js';

export const TOKEN_REQUEST_GROUP = 'authentication.k8s.io';
export const TOKEN_REQUEST_VERSION = 'v1';
export const TOKEN_REQUEST_KIND = 'TokenRequest';
export const TOKEN_REQUEST_API_VERSION = `${TOKEN_REQUEST_GROUP}/${TOKEN_REQUEST_VERSION}`;

const DEFAULT_EXPIRATION_SECONDS = 60 * 60;
const MIN_EXPIRATION_SECONDS = 10 * 60;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

export interface TokenRequestDeps {
  serviceAccounts: Store;
  secrets?: Store;
  /** The pods store, once pods are served. */
  pods?: () => Store | undefined;
  issuer: TokenIssuer;
  /** The API audiences: a request without audiences gets these. */
  apiAudiences: string[];
  /** --service-account-max-token-expiration in seconds (0: no limit). */
  maxExpirationSeconds: number;
}

export interface TokenRequestResult {
  tokenRequest: KubeObject;
  warnings: string[];
}

/** authentication validation's ValidateTokenRequest. */
export function validateTokenRequest(spec: { expirationSeconds: number }): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.expirationSeconds < MIN_EXPIRATION_SECONDS) errors.push(fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (spec.expirationSeconds > MAX_EXPIRATION_SECONDS) errors.push(fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  return errors;
}

const invalid = (name: string, errors: FieldError[]) => newInvalid(TOKEN_REQUEST_KIND, TOKEN_REQUEST_GROUP, name, errors);

/** schema.FromAPIVersionAndKind(...).String(): "group/version, Kind=kind". */
function gvkString(apiVersion: string, kind: string): string {
  const parts = apiVersion.split('/');
  const [group, version] = parts.length === 2 ? parts : parts.length === 1 ? ['', apiVersion] : ['', ''];
  return `${group}/${version}, Kind=${kind}`;
}

async function boundObjects(ref: Record<string, unknown>, saName: string, namespace: string, deps: TokenRequestDeps): Promise<BoundObjects> {
  const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
  const kind = typeof ref.kind === 'string' ? ref.kind : '';
  const name = typeof ref.name === 'string' ? ref.name : '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const pods = deps.pods?.();
  let store: Store | undefined;
  if (group === '' && kind === 'Pod' && pods) store = pods;
  else if (group === '' && kind === 'Secret' && deps.secrets) store = deps.secrets;
  if (!store) throw newBadRequest(`cannot bind token for serviceaccount ${JSON.stringify(saName)} to object of type ${gvkString(apiVersion, kind)}`);
  const object = await store.get(namespace, name);
  const uid = String(object.metadata.uid ?? '');
  const refUID = typeof ref.uid === 'string' ? ref.uid : '';
  if (refUID !== uid) {
    throw newConflict({ group, resource: kind }, name, `the UID in the bound object reference (${refUID}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  const bound: BoundObjects = {};
  if (kind === 'Pod') {
    bound.pod = { name, uid };
    const nodeName = object.spec?.nodeName;
    if (typeof nodeName === 'string' && nodeName) bound.node = { name: nodeName, uid: '' };
  } else bound.secret = { name, uid };
  return bound;
}

/** TokenREST.Create: `request` is the decoded body (defaults not yet applied). */
export async function createServiceAccountToken(namespace: string, name: string, request: KubeObject, deps: TokenRequestDeps): Promise<TokenRequestResult> {
  const meta = (request.metadata ?? {}) as Record<string, unknown>;
  if (typeof meta.name === 'string' && meta.name !== '' && meta.name !== name) {
    throw invalid(name, [fieldInvalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  }
  if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== namespace) {
    throw invalid(name, [fieldInvalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  }
  const sa = await deps.serviceAccounts.get(namespace, name);

  const spec = (request.spec && typeof request.spec === 'object' ? request.spec : {}) as Record<string, unknown>;
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? (spec.audiences as string[]) : [...deps.apiAudiences];
  let expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_EXPIRATION_SECONDS;
  const boundObjectRef = spec.boundObjectRef && typeof spec.boundObjectRef === 'object' ? (spec.boundObjectRef as Record<string, unknown>) : null;

  // The time is taken before the token is made, so that the reported expiry is never later than exp.
  const now = new Date();
  now.setMilliseconds(0);
  const errors = validateTokenRequest({ expirationSeconds });
  if (errors.length > 0) throw invalid('', errors);

  const bound = boundObjectRef ? await boundObjects(boundObjectRef, name, namespace, deps) : {};
  const warnings: string[] = [];
  if (deps.maxExpirationSeconds > 0 && expirationSeconds > deps.maxExpirationSeconds) {
    warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${deps.maxExpirationSeconds} seconds`);
    expirationSeconds = deps.maxExpirationSeconds;
  }
  const claims = serviceAccountClaims(
    { namespace: sa.metadata.namespace ?? namespace, name: sa.metadata.name, uid: String(sa.metadata.uid ?? '') },
    bound,
    expirationSeconds,
    audiences,
    Math.floor(now.getTime() / 1000),
  );
  const token = await deps.issuer.generateToken(claims);
  const tokenRequest: KubeObject = {
    kind: TOKEN_REQUEST_KIND,
    apiVersion: TOKEN_REQUEST_API_VERSION,
    metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: now.toISOString().replace('.000Z', 'Z') },
    spec: { audiences, expirationSeconds, boundObjectRef: boundObjectRef ? cleanRef(boundObjectRef) : null },
    status: { token, expirationTimestamp: new Date(now.getTime() + expirationSeconds * 1000).toISOString().replace('.000Z', 'Z') },
  };
  return { tokenRequest, warnings };
}

/** BoundObjectReference's fields, each omitted when empty. */
function cleanRef(ref: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['kind', 'apiVersion', 'name', 'uid']) if (typeof ref[key] === 'string' && ref[key] !== '') out[key] = ref[key] as string;
  return out;
}
