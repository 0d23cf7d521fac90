// Admission webhooks and policies through the real kubectl: what a user sees when a webhook denies or
// fails, when a policy denies or warns, and the configurations as kubectl lists and explains them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.js';

describe('kubectl against kube-chain: admission', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);
  const kIn = (input: string, ...args: string[]) => session.kIn(input, ...args);
  let hooks: WebhookServer;
  beforeAll(async () => {
    hooks = await startWebhookServer();
    hooks.handle('/deny', (request) => (request.dryRun ? { allowed: true } : { allowed: false, status: { code: 403, message: 'no configmaps named ' + request.name } }));
    hooks.handle('/hang', (request) => (request.dryRun ? { allowed: true } : 'hang'));
  });
  afterAll(async () => {
    await hooks?.close();
  });

  const webhook = (name: string, path: string, extra: Record<string, unknown>) => ({
    name,
    clientConfig: { url: hooks.url(path), caBundle: hooks.caBundle },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  });

  async function until(probe: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('shows kube\'s messages for a denying and a failing webhook', async () => {
    const config = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'e2e' },
      webhooks: [
        webhook('deny.e2e.kube-chain.io', '/deny', { namespaceSelector: { matchLabels: { e2e: 'deny' } } }),
        webhook('hang.e2e.kube-chain.io', '/hang', { timeoutSeconds: 1, namespaceSelector: { matchLabels: { e2e: 'hang' } } }),
      ],
    };
    expect((await kIn(JSON.stringify(config), 'create', '-f', '-')).stdout.trim()).toBe('validatingwebhookconfiguration.admissionregistration.k8s.io/e2e created');
    await k('create', 'namespace', 'denied');
    await k('label', 'namespace', 'denied', 'e2e=deny');
    await k('create', 'namespace', 'hanging');
    await k('label', 'namespace', 'hanging', 'e2e=hang');
    await until(async () => (hooks.received.get('/deny')?.length ?? 0) > 0 || (await k('create', 'configmap', 'probe', '-n', 'denied', '--dry-run=server')).code !== 0);
    const denied = await k('create', 'configmap', 'nope', '-n', 'denied', '--from-literal=a=b');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr.trim()).toBe('error: failed to create configmap: admission webhook "deny.e2e.kube-chain.io" denied the request: no configmaps named nope');
    const failed = await k('create', 'configmap', 'slow', '-n', 'hanging', '--from-literal=a=b');
    expect(failed.stderr.trim()).toBe(`error: failed to create configmap: Internal error occurred: failed calling webhook "hang.e2e.kube-chain.io": failed to call webhook: Post "${hooks.url('/hang')}?timeout=1s": context deadline exceeded`);
    const listed = await k('get', 'validatingwebhookconfigurations');
    expect(listed.stdout).toMatch(/^NAME\s+WEBHOOKS\s+AGE\ne2e\s+2\s+\d+s\n$/);
    const explained = await k('explain', 'validatingwebhookconfiguration.webhooks.timeoutSeconds');
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('GROUP:      admissionregistration.k8s.io');
  });

  it('shows a policy\'s denial and its warnings', async () => {
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'no-big-configmaps' },
      spec: {
        matchConstraints: { resourceRules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }], namespaceSelector: { matchLabels: { e2e: 'policy' } } },
        validations: [{ expression: 'size(object.data) < 2', message: 'one key at most' }],
      },
    };
    const binding = (name: string, actions: string[], ns: string) => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: 'no-big-configmaps', validationActions: actions, matchResources: { namespaceSelector: { matchLabels: { mode: ns } } } },
    });
    expect((await kIn(JSON.stringify(policy), 'create', '-f', '-')).code).toBe(0);
    expect((await kIn(JSON.stringify(binding('deny', ['Deny'], 'deny')), 'create', '-f', '-')).code).toBe(0);
    expect((await kIn(JSON.stringify(binding('warn', ['Warn'], 'warn')), 'create', '-f', '-')).code).toBe(0);
    for (const [ns, mode] of [['strict', 'deny'], ['lenient', 'warn']]) {
      await k('create', 'namespace', ns);
      await k('label', 'namespace', ns, 'e2e=policy', `mode=${mode}`);
    }
    let denied!: Awaited<ReturnType<typeof k>>;
    await until(async () => {
      denied = await k('create', 'configmap', 'big', '-n', 'strict', '--from-literal=a=1', '--from-literal=b=2');
      return denied.code !== 0;
    });
    expect(denied.stderr.trim()).toBe("error: failed to create configmap: configmaps \"big\" is forbidden: ValidatingAdmissionPolicy 'no-big-configmaps' with binding 'deny' denied request: one key at most");
    const warned = await k('create', 'configmap', 'big', '-n', 'lenient', '--from-literal=a=1', '--from-literal=b=2');
    expect(warned.code).toBe(0);
    expect(warned.stderr.trim()).toBe("Warning: Validation failed for ValidatingAdmissionPolicy 'no-big-configmaps' with binding 'warn': one key at most");
    const policies = await k('get', 'validatingadmissionpolicies');
    expect(policies.stdout).toMatch(/^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE\nno-big-configmaps\s+1\s+<unset>\s+\d+s\n$/);
    const bindings = await k('get', 'validatingadmissionpolicybindings');
    expect(bindings.stdout).toMatch(/^NAME\s+POLICYNAME\s+PARAMREF\s+AGE\ndeny\s+no-big-configmaps\s+<unset>\s+\d+s\nwarn\s+no-big-configmaps\s+<unset>\s+\d+s\n$/);
  });
});
