// kube's ServiceAccount admission plugin on pod creation (against a stub pods definition, so that it
// holds whether or not pods are served yet): the default account, kube's refusal of a missing one,
// the projected token volume, inherited imagePullSecrets, mirror pods.
import { describe, expect, it } from 'vitest';
import { serviceAccountAdmission, TOKEN_MOUNT_PATH } from '../../src/admission/plugins/service-account.js';
import type { AdmissionAttributes } from '../../src/admission/interface.js';
import type { KubeObject, ResourceDefinition } from '../../src/registry/resource.js';
import { newNotFound } from '../../src/endpoints/status.js';
import { rejectedStatus } from '../support/errors.js';

const podsDef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true } as ResourceDefinition;
const configMapsDef = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true } as ResourceDefinition;

function attrs(object: KubeObject, extra: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return { operation: 'CREATE', resource: podsDef, subresource: '', namespace: 'ns', name: object.metadata?.name ?? '', object, user: { name: 'u', groups: [] }, dryRun: false, ...extra };
}

const pod = (spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', ...metadata },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});

function plugin(accounts: Record<string, KubeObject>) {
  const lookups: string[] = [];
  const p = serviceAccountAdmission({
    retryDelayMs: 1,
    getServiceAccount: async (ns, name) => {
      lookups.push(`${ns}/${name}`);
      const sa = accounts[`${ns}/${name}`];
      if (!sa) throw newNotFound({ group: '', resource: 'serviceaccounts' }, name);
      return sa;
    },
  });
  return { p, lookups };
}

/** Admission calls may answer synchronously; as a promise either way. */
const run = async (fn: (a: AdmissionAttributes) => unknown, a: AdmissionAttributes): Promise<unknown> => fn(a);

async function admitAndValidate(p: ReturnType<typeof serviceAccountAdmission>, a: AdmissionAttributes) {
  await p.admit!(a);
  await p.validate!(a);
}

describe('ServiceAccount admission', () => {
  it('defaults spec.serviceAccountName to default and mounts kube\'s projected token volume in every container', async () => {
    const { p } = plugin({ 'ns/default': { metadata: { name: 'default' } } });
    const object = pod({ initContainers: [{ name: 'init', image: 'busybox' }] });
    await admitAndValidate(p, attrs(object));
    expect(object.spec.serviceAccountName).toBe('default');
    expect(object.spec.volumes).toHaveLength(1);
    const volume = object.spec.volumes[0];
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume.projected).toEqual({
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    });
    for (const container of [...object.spec.containers, ...object.spec.initContainers]) {
      expect(container.volumeMounts).toEqual([{ name: volume.name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }]);
    }
  });

  it('refuses a pod whose service account does not exist, with kube\'s message', async () => {
    const { p, lookups } = plugin({});
    const err = await rejectedStatus(run(p.admit!, attrs(pod({ serviceAccountName: 'builder' }))));
    expect(err.code).toBe(403);
    expect(err.status).toMatchObject({
      reason: 'Forbidden',
      message: 'pods "web" is forbidden: error looking up service account ns/builder: serviceaccount "builder" not found',
      details: { name: 'web', kind: 'pods' },
    });
    expect(lookups).toEqual(['ns/builder']);
  });

  it('waits a little for the default account (the controller makes it right after the namespace)', async () => {
    const { p, lookups } = plugin({});
    const err = await rejectedStatus(run(p.admit!, attrs(pod())));
    expect(err.status.message).toBe('pods "web" is forbidden: error looking up service account ns/default: serviceaccount "default" not found');
    expect(lookups).toHaveLength(10);
  });

  it('respects automountServiceAccountToken on the pod and on the account; inherits imagePullSecrets', async () => {
    const { p } = plugin({ 'ns/quiet': { metadata: { name: 'quiet' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'registry' }] }, 'ns/default': { metadata: { name: 'default' } } });
    const quiet = pod({ serviceAccountName: 'quiet' });
    await admitAndValidate(p, attrs(quiet));
    expect(quiet.spec.volumes).toBeUndefined();
    expect(quiet.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    const optedOut = pod({ automountServiceAccountToken: false });
    await admitAndValidate(p, attrs(optedOut));
    expect(optedOut.spec.containers[0].volumeMounts).toBeUndefined();
    const overridden = pod({ serviceAccountName: 'quiet', automountServiceAccountToken: true, imagePullSecrets: [{ name: 'mine' }] });
    await admitAndValidate(p, attrs(overridden));
    expect(overridden.spec.volumes).toHaveLength(1);
    expect(overridden.spec.imagePullSecrets).toEqual([{ name: 'mine' }]);
  });

  it('leaves a container that already mounts the token path alone', async () => {
    const { p } = plugin({ 'ns/default': { metadata: { name: 'default' } } });
    const object = pod({ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'own', mountPath: TOKEN_MOUNT_PATH }] }], volumes: [{ name: 'own', emptyDir: {} }] });
    await admitAndValidate(p, attrs(object));
    expect(object.spec.volumes).toEqual([{ name: 'own', emptyDir: {} }]);
  });

  it('refuses mirror pods that reference service accounts or secrets', async () => {
    const { p } = plugin({});
    const mirror = { annotations: { 'kubernetes.io/config.mirror': 'x' } };
    expect((await rejectedStatus(run(p.admit!, attrs(pod({ serviceAccountName: 'x' }, mirror))))).status.message).toBe('pods "web" is forbidden: a mirror pod may not reference service accounts');
    expect((await rejectedStatus(run(p.admit!, attrs(pod({ volumes: [{ name: 's', secret: { secretName: 's' } }] }, mirror))))).status.message).toBe(
      'pods "web" is forbidden: a mirror pod may not reference secrets',
    );
    await admitAndValidate(p, attrs(pod({}, mirror)));
  });

  it('validate refuses a pod without an account (a later mutating plugin removed it)', async () => {
    const { p } = plugin({});
    const err = await rejectedStatus(run(p.validate!, attrs(pod())));
    expect(err.status.message).toBe('pods "web" is forbidden: no service account specified for pod ns/web');
  });

  it('ignores other resources, other operations and subresources', async () => {
    const { p, lookups } = plugin({});
    await admitAndValidate(p, attrs(pod(), { resource: configMapsDef }));
    await admitAndValidate(p, attrs(pod(), { operation: 'UPDATE' }));
    await admitAndValidate(p, attrs(pod(), { subresource: 'status' }));
    expect(lookups).toEqual([]);
  });
});
