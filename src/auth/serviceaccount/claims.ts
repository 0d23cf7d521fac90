// The claims of a bound service-account token, as kube's serviceaccount.Claims writes them: the
// registered claims (sub, aud, iat, nbf, exp, jti) and the private `kubernetes.io` claim naming the
// namespace, the service account and the object the token is bound to.
import { randomUUID } from 'node:crypto';
import { makeUsername } from './names.js';

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace?: string;
  serviceaccount?: Partial<ObjectRef>;
  pod?: Partial<ObjectRef>;
  secret?: Partial<ObjectRef>;
  node?: Partial<ObjectRef>;
  warnafter?: number;
}

export interface ServiceAccountClaims {
  iss?: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export interface BoundObjects {
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

/** Go omits empty strings (`omitempty`), so an absent name or uid leaves its key out. */
function ref(r: ObjectRef): Partial<ObjectRef> {
  const out: Partial<ObjectRef> = {};
  if (r.name) out.name = r.name;
  if (r.uid) out.uid = r.uid;
  return out;
}

export function serviceAccountClaims(
  sa: { namespace: string; name: string; uid: string },
  bound: BoundObjects,
  expirationSeconds: number,
  audiences: string[],
  nowSeconds = Math.floor(Date.now() / 1000),
): ServiceAccountClaims {
  const kubernetes: KubernetesClaim = { namespace: sa.namespace, serviceaccount: ref(sa) };
  // A token is bound to one object at most; a pod's node may come with it.
  if (bound.pod) {
    kubernetes.pod = ref(bound.pod);
    if (bound.node) kubernetes.node = ref(bound.node);
  } else if (bound.secret) kubernetes.secret = ref(bound.secret);
  else if (bound.node) kubernetes.node = ref(bound.node);
  return {
    sub: makeUsername(sa.namespace, sa.name),
    aud: audiences,
    exp: nowSeconds + expirationSeconds,
    iat: nowSeconds,
    nbf: nowSeconds,
    jti: randomUUID(),
    'kubernetes.io': kubernetes,
  };
}
