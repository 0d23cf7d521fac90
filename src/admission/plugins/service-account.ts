// kube's ServiceAccount admission plugin, for pods: a pod without spec.serviceAccountName runs as
// `default`; the service account must exist (the default one is waited for a little, since the
// controller creates it right after the namespace); unless automounting is off, the pod gets kube's
// projected `kube-api-access-*` token volume mounted in every container; it inherits the account's
// imagePullSecrets when it names none. Mirror pods may reference neither accounts nor secrets.
import { randomInt } from 'node:crypto';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { KubeObject } from '../../registry/resource.js';
import { newForbidden, newNotFound, StatusError } from '../../endpoints/status.js';

export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
/** kube's WarnOnlyBoundTokenExpirationSeconds: an hour and 7 seconds. */
const PROJECTED_TOKEN_EXPIRATION_SECONDS = 3607;
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface ServiceAccountAdmissionOptions {
  /** The account, or a thrown StatusError (404 when it does not exist). */
  getServiceAccount(namespace: string, name: string): Promise<KubeObject>;
  /** Pause between lookups of a missing default account (kube: 100-200 ms, 10 attempts). */
  retryDelayMs?: number;
}

const isPodCreate = (a: AdmissionAttributes) => a.operation === 'CREATE' && a.resource.group === '' && a.resource.resource === 'pods' && !a.subresource && a.object !== undefined;

function forbidden(a: AdmissionAttributes, message: string): StatusError {
  return newForbidden({ group: '', resource: 'pods' }, a.name, message);
}

function podSecretNames(spec: Record<string, any>): boolean {
  const volumes: any[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  if (volumes.some((v) => v?.secret || v?.projected?.sources?.some((s: any) => s?.secret))) return true;
  if (Array.isArray(spec.imagePullSecrets) && spec.imagePullSecrets.length > 0) return true;
  const containers: any[] = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  return containers.some(
    (c) => (c?.env ?? []).some((e: any) => e?.valueFrom?.secretKeyRef) || (c?.envFrom ?? []).some((e: any) => e?.secretRef),
  );
}

function tokenVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: PROJECTED_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  };
}

/** mountServiceAccountToken: a projected token volume, mounted where a container has nothing mounted yet. */
function mountToken(spec: Record<string, any>): void {
  const volumes: any[] = (spec.volumes ??= []);
  let volumeName = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX) && v.projected)?.name as string | undefined;
  const hasVolume = volumeName !== undefined;
  if (!volumeName) {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
    volumeName = TOKEN_VOLUME_PREFIX + suffix;
  }
  let needed = false;
  for (const field of ['initContainers', 'containers']) {
    for (const container of (spec[field] ?? []) as any[]) {
      if (!container || typeof container !== 'object') continue;
      const mounts: any[] = (container.volumeMounts ??= []);
      if (mounts.some((m) => m?.mountPath === TOKEN_MOUNT_PATH)) continue;
      mounts.push({ name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH });
      needed = true;
    }
  }
  if (needed && !hasVolume) volumes.push(tokenVolume(volumeName));
  if (volumes.length === 0) delete spec.volumes;
}

export function serviceAccountAdmission(options: ServiceAccountAdmissionOptions): AdmissionPlugin {
  const delay = options.retryDelayMs ?? 100 + randomInt(100);

  /** kube's getServiceAccount: the default account is looked for ten times before it is declared missing. */
  async function lookup(namespace: string, name: string): Promise<KubeObject> {
    const attempts = name === DEFAULT_SERVICE_ACCOUNT_NAME ? 10 : 1;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return await options.getServiceAccount(namespace, name);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
    throw newNotFound({ group: '', resource: 'serviceaccount' }, name);
  }

  async function lookupForPod(a: AdmissionAttributes, name: string): Promise<KubeObject> {
    try {
      return await lookup(a.namespace, name);
    } catch (err) {
      const text = err instanceof StatusError ? err.status.message : (err as Error).message;
      throw forbidden(a, `error looking up service account ${a.namespace}/${name}: ${text}`);
    }
  }

  function mirrorPodError(a: AdmissionAttributes, pod: KubeObject): StatusError | undefined {
    const spec = (pod.spec ?? {}) as Record<string, any>;
    if (spec.serviceAccountName) return forbidden(a, 'a mirror pod may not reference service accounts');
    if (podSecretNames(spec)) return forbidden(a, 'a mirror pod may not reference secrets');
    return undefined;
  }

  const isMirror = (pod: KubeObject) => Boolean(pod.metadata?.annotations && MIRROR_POD_ANNOTATION in pod.metadata.annotations);

  return {
    name: 'ServiceAccount',
    async admit(a) {
      if (!isPodCreate(a)) return;
      const pod = a.object!;
      if (isMirror(pod)) {
        const err = mirrorPodError(a, pod);
        if (err) throw err;
        return;
      }
      const spec = (pod.spec ??= {}) as Record<string, any>;
      if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT_NAME;
      const sa = await lookupForPod(a, spec.serviceAccountName);
      const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
      if (automount) mountToken(spec);
      if (!Array.isArray(spec.imagePullSecrets) || spec.imagePullSecrets.length === 0) {
        const inherited = Array.isArray(sa.imagePullSecrets) ? sa.imagePullSecrets.map((s: { name?: string }) => ({ name: s?.name ?? '' })) : [];
        if (inherited.length > 0) spec.imagePullSecrets = inherited;
      }
    },
    async validate(a) {
      if (!isPodCreate(a)) return;
      const pod = a.object!;
      if (isMirror(pod)) {
        const err = mirrorPodError(a, pod);
        if (err) throw err;
        return;
      }
      const name = (pod.spec as Record<string, any> | undefined)?.serviceAccountName;
      if (!name) throw forbidden(a, `no service account specified for pod ${a.namespace}/${a.name}`);
      await lookupForPod(a, name);
    },
  };
}
