// The audit annotations admission webhooks leave, as kube's dispatchers write them: a webhook's own
// auditAnnotations as `<webhook>/<key>`; `mutation.webhook.admission.k8s.io/round_0_index_<i>` for each
// mutating webhook called (i counts every webhook of every configuration); the JSON patch as
// `patch.webhook.admission.k8s.io/...` only at level Request; failures let through by failurePolicy
// Ignore as `failed-open.(mutation|validating).webhook.admission.k8s.io/round_0_index_<i>`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.js';
import { responseCompleteEvent } from '../support/audit-log.js';

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Request
  namespaces: [audit-request]
- level: Metadata
  namespaces: [audit-metadata]
- level: None
`;
const json = { 'content-type': 'application/json' };
const G = '/apis/admissionregistration.k8s.io/v1';
const DOWN = 'https://127.0.0.1:1/down';
const PATCH = [{ op: 'add', path: '/metadata/labels/patched', value: 'yes' }];

describe('admission webhook audit annotations', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  let dir: string;
  let logPath: string;
  const post = (path: string, body: unknown) => server.request('POST', path, { headers: json, body: JSON.stringify(body) });
  const webhook = (name: string, url: string, extra: Record<string, unknown> = {}) => ({
    name,
    clientConfig: { url, caBundle: hooks.caBundle },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    objectSelector: { matchLabels: { audit: 'hooks' } },
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    timeoutSeconds: 2,
    ...extra,
  });

  const complete = (auditID: string) => responseCompleteEvent(logPath, auditID);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-webhook-audit-'));
    logPath = join(dir, 'audit.log');
    await writeFile(join(dir, 'policy.yaml'), AUDIT_POLICY);
    [server, hooks] = await Promise.all([startTestServer({ auditPolicyFile: join(dir, 'policy.yaml'), auditLogPath: logPath }), startWebhookServer()]);
    for (const ns of ['audit-request', 'audit-metadata']) expect((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status).toBe(201);
    hooks.handle('/patch', (request) => (request.object.metadata.labels.patched ? {} : { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(PATCH)).toString('base64'), auditAnnotations: { decision: 'patched' } }));
    hooks.handle('/noop', () => ({ auditAnnotations: { seen: 'yes' } }));
    const mutating = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'audit-hooks' },
      webhooks: [
        webhook('skipped.example.com', hooks.url('/noop'), { objectSelector: { matchLabels: { never: 'true' } } }),
        webhook('patch.example.com', hooks.url('/patch')),
        webhook('noop.example.com', hooks.url('/noop')),
        webhook('down-mutating.example.com', DOWN, { failurePolicy: 'Ignore' }),
      ],
    };
    expect((await post(`${G}/mutatingwebhookconfigurations`, mutating)).status).toBe(201);
    const validating = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'audit-validate' }, webhooks: [webhook('down-validating.example.com', DOWN, { failurePolicy: 'Ignore' })] };
    expect((await post(`${G}/validatingwebhookconfigurations`, validating)).status).toBe(201);
  });
  afterAll(async () => {
    await hooks?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function createAudited(namespace: string): Promise<Record<string, string>> {
    for (let i = 0; i < 200; i++) {
      const res = await post(`/api/v1/namespaces/${namespace}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { audit: 'hooks' } } });
      expect(res.status, res.text).toBe(201);
      const annotations = (await complete(String(res.headers['audit-id']))).annotations ?? {};
      if (annotations['failed-open.validating.webhook.admission.k8s.io/round_0_index_0'] && annotations['patch.example.com/decision']) {
        expect(res.json().metadata.labels.patched).toBe('yes');
        return annotations;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('webhooks never applied');
  }

  it('at Metadata: webhooks\' own annotations, mutations and failed-open calls; no patches', async () => {
    const annotations = await createAudited('audit-metadata');
    const admission = Object.fromEntries(Object.entries(annotations).filter(([k]) => !k.startsWith('authorization.k8s.io/')));
    expect(admission).toEqual({
      'patch.example.com/decision': 'patched',
      'noop.example.com/seen': 'yes',
      'mutation.webhook.admission.k8s.io/round_0_index_1': '{"configuration":"audit-hooks","webhook":"patch.example.com","mutated":true}',
      'mutation.webhook.admission.k8s.io/round_0_index_2': '{"configuration":"audit-hooks","webhook":"noop.example.com","mutated":false}',
      'mutation.webhook.admission.k8s.io/round_0_index_3': '{"configuration":"audit-hooks","webhook":"down-mutating.example.com","mutated":false}',
      'failed-open.mutation.webhook.admission.k8s.io/round_0_index_3': 'down-mutating.example.com',
      'failed-open.validating.webhook.admission.k8s.io/round_0_index_0': 'down-validating.example.com',
    });
  });

  it('at Request: the patch too', async () => {
    const annotations = await createAudited('audit-request');
    expect(annotations['patch.webhook.admission.k8s.io/round_0_index_1']).toBe('{"configuration":"audit-hooks","webhook":"patch.example.com","patch":[{"op":"add","path":"/metadata/labels/patched","value":"yes"}],"patchType":"JSONPatch"}');
    expect(annotations['mutation.webhook.admission.k8s.io/round_0_index_1']).toBe('{"configuration":"audit-hooks","webhook":"patch.example.com","mutated":true}');
  });
});
