// CustomResourceDefinitions through the real kubectl: register, wait Established, use, delete.
import { describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['cronSpec'],
                'x-kubernetes-validations': [{ rule: '!has(self.replicas) || self.replicas <= 5', message: 'at most 5 replicas' }],
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                  image: { type: 'string' },
                  replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
                },
              },
              status: { type: 'object', properties: { state: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

describe('kubectl against kube-chain: CustomResourceDefinitions', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);
  const kIn = (input: string, ...args: string[]) => session.kIn(input, ...args);

  it('registers a CRD that becomes Established and serves validated, defaulted, pruned objects', async () => {
    expect((await kIn(JSON.stringify(crd), 'apply', '-f', '-')).stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created');
    const waited = await k('wait', '--for', 'condition=Established', 'crd/crontabs.stable.example.com', '--timeout=20s');
    expect(waited.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met');
    const cr = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'nightly' }, spec: { cronSpec: '0 3 * * *', image: 'backup', unknownField: 'gone' } };
    const created = await kIn(JSON.stringify(cr), 'create', '-f', '-', '--validate=false');
    expect(created.stdout.trim()).toBe('crontab.stable.example.com/nightly created');
    const got = JSON.parse((await k('get', 'crontab', 'nightly', '-o', 'json')).stdout);
    expect(got.spec).toEqual({ cronSpec: '0 3 * * *', image: 'backup', replicas: 1 });
    expect(got.metadata.generation).toBe(1);
    const table = await k('get', 'ct');
    // With printer columns declared, kube shows exactly those (no Age unless declared).
    expect(table.stdout).toMatch(/^NAME\s+SPEC\s+REPLICAS\n/);
    expect(table.stdout).toMatch(/nightly\s+0 3 \* \* \*\s+1\n/);
    const invalid = await kIn(JSON.stringify({ ...cr, metadata: { name: 'bad' }, spec: { cronSpec: 'nope', replicas: 'many' } }), 'create', '-f', '-', '--validate=false');
    expect(invalid.stderr).toContain('The CronTab "bad" is invalid');
    expect(invalid.stderr).toContain('spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    expect(invalid.stderr).toContain("spec.cronSpec: Invalid value: \"nope\": spec.cronSpec in body should match");
    const cel = await kIn(JSON.stringify({ ...cr, metadata: { name: 'cel' }, spec: { cronSpec: '* * * * *', replicas: 7 } }), 'create', '-f', '-', '--validate=false');
    expect(cel.stderr).toContain('spec: Invalid value: "object": at most 5 replicas');
    const strict = await kIn(JSON.stringify({ ...cr, metadata: { name: 'strict' } }), 'create', '-f', '-');
    expect(strict.stderr).toContain('unknown field "spec.unknownField"');
  });

  it('publishes the schema: kubectl explain works for the custom kind', async () => {
    const explain = await k('explain', 'crontab.spec.replicas');
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('FIELD: replicas <integer>');
  });

  it('keeps status out of the main endpoint and spec out of /status', async () => {
    const patched = await k('patch', 'crontab', 'nightly', '--subresource=status', '--type=merge', '-p', '{"status":{"state":"ok"},"spec":{"image":"ignored"}}');
    expect(patched.code).toBe(0);
    const got = JSON.parse((await k('get', 'crontab', 'nightly', '-o', 'json')).stdout);
    expect(got.status).toEqual({ state: 'ok' });
    expect(got.spec.image).toBe('backup');
    expect(got.metadata.generation).toBe(1);
    await k('patch', 'crontab', 'nightly', '--type=merge', '-p', '{"spec":{"image":"v2"},"status":{"state":"ignored"}}');
    const after = JSON.parse((await k('get', 'crontab', 'nightly', '-o', 'json')).stdout);
    expect(after.status).toEqual({ state: 'ok' });
    expect(after.metadata.generation).toBe(2);
  });

  it('scales through the scale subresource (kubectl scale)', async () => {
    expect((await k('scale', 'crontab', 'nightly', '--replicas=3')).stdout.trim()).toBe('crontab.stable.example.com/nightly scaled');
    expect(JSON.parse((await k('get', 'crontab', 'nightly', '-o', 'json')).stdout).spec.replicas).toBe(3);
    const scale = await session.server.request('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs/nightly/scale');
    expect(scale.json()).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 0 } });
  });

  it('shows up in discovery, and deleting the CRD takes its objects and endpoints with it', async () => {
    expect((await k('api-resources', '--api-group=stable.example.com')).stdout).toMatch(/crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab/);
    expect((await k('delete', 'crd', 'crontabs.stable.example.com', '--wait', '--timeout=30s')).stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted');
    expect((await session.server.request('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).status).toBe(404);
    expect((await k('get', 'crd', '-o', 'name')).stdout.trim()).toBe('');
  });
});
