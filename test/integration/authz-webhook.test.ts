// The Webhook authorization mode: SubjectAccessReviews to a service named by a kubeconfig, its answers
// (allow, deny, no opinion) in the union with RBAC, the answer caches, and a failing webhook.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { startHttpsBackend, type HttpsBackend } from '../support/https-backend.js';

const as = (user: string) => ({ authorization: `Bearer ${user}-token` });

describe('authorization webhook', () => {
  let server: TestServer;
  let webhook: HttpsBackend;
  const reviews: any[] = [];
  /** How many of the next calls answer 500. */
  let failNext = 0;

  beforeAll(async () => {
    webhook = await startHttpsBackend((req, res) => {
      const review = JSON.parse(req.body);
      reviews.push(review);
      if (failNext > 0) {
        failNext--;
        res.statusCode = 500;
        res.end('overloaded');
        return;
      }
      const user = review.spec.user;
      const status = user === 'alice' ? { allowed: true, reason: 'alice may' } : user === 'mallory' ? { allowed: false, denied: true, reason: 'mallory is banned' } : { allowed: false };
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ...review, status }));
    });
    const dir = await mkdtemp(join(tmpdir(), 'authz-webhook-'));
    const kubeconfig = join(dir, 'webhook.kubeconfig');
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'authz', cluster: { server: `${webhook.url}/authorize`, 'certificate-authority-data': webhook.caBundle } }],
        users: [{ name: 'apiserver', user: {} }],
        contexts: [{ name: 'authz', context: { cluster: 'authz', user: 'apiserver' } }],
        'current-context': 'authz',
      }),
    );
    const tokenAuthFile = join(dir, 'tokens.csv');
    await writeFile(tokenAuthFile, ['alice', 'mallory', 'bob'].map((u) => `${u}-token,${u},uid-${u},"team"`).join('\n') + '\n');
    server = await startTestServer({ tokenAuthFile, authorizationMode: ['Webhook', 'RBAC'], authorizationWebhookConfigFile: kubeconfig });
  });
  afterAll(async () => {
    await server?.close();
    await webhook?.close();
  });

  it('allows what the webhook allows, sending the SubjectAccessReview kube sends', async () => {
    reviews.length = 0;
    expect((await server.request('GET', '/api/v1/namespaces/default/configmaps', { cert: undefined, headers: as('alice') })).status).toBe(200);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toEqual({
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1beta1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', version: 'v1', resource: 'configmaps' }, user: 'alice', group: ['team', 'system:authenticated'], uid: 'uid-alice' },
      status: { allowed: false },
    });
    // The allowed answer is cached.
    expect((await server.request('GET', '/api/v1/namespaces/default/configmaps', { cert: undefined, headers: as('alice') })).status).toBe(200);
    expect(reviews).toHaveLength(1);
  });

  it("refuses with the webhook's reason when it denies, and leaves no-opinion to RBAC", async () => {
    const denied = await server.request('GET', '/api/v1/namespaces/default/secrets', { cert: undefined, headers: as('mallory') });
    expect(denied.status).toBe(403);
    expect(denied.json().message).toBe('secrets is forbidden: User "mallory" cannot list resource "secrets" in API group "" in the namespace "default": mallory is banned');
    const noOpinion = await server.request('GET', '/api/v1/namespaces/default/secrets', { cert: undefined, headers: as('bob') });
    expect(noOpinion.status).toBe(403);
    expect(noOpinion.json().message).toBe('secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "default"');
    // RBAC still allows what it grants (everyone may ask for discovery).
    expect((await server.request('GET', '/apis', { cert: undefined, headers: as('bob') })).status).toBe(200);
  });

  it('retries a webhook that fails once (500), as kube does, and takes its answer', async () => {
    failNext = 1;
    reviews.length = 0;
    const res = await server.request('GET', '/api/v1/namespaces/default/configmaps/retried', { cert: undefined, headers: as('alice') });
    // alice may; the configmap does not exist.
    expect(res.status).toBe(404);
    expect(reviews).toHaveLength(2);
    expect(reviews[1]).toEqual(reviews[0]);
  });

  it('answers 500 when the webhook fails and nothing else allows', async () => {
    await webhook.close();
    const res = await server.request('GET', '/api/v1/namespaces/kube-system/configmaps', { cert: undefined, headers: as('alice') });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
  });

  it('refuses the Webhook mode without its config file, as kube does', async () => {
    await expect(startTestServer({ authorizationMode: ['Webhook'] })).rejects.toThrow("authorization-mode Webhook's authorization config file not passed");
  });
});
