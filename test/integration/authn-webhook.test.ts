// Webhook token authentication through the server: the TokenReview kube sends, the user the answer
// names, the cache (--authentication-token-webhook-cache-ttl), and a webhook that refuses, fails,
// answers garbage or is gone: 401, never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startTestServer, type TestServer } from '../support/server.js';

type Reply = (review: any) => { status?: number; body: string };

describe('webhook token authentication', () => {
  let webhook: http.Server;
  let server: TestServer;
  const reviews: any[] = [];
  let reply: Reply = () => ({ body: '{}' });

  beforeAll(async () => {
    webhook = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString());
        reviews.push({ review, authorization: req.headers.authorization, contentType: req.headers['content-type'] });
        const answer = reply(review);
        res.statusCode = answer.status ?? 200;
        res.setHeader('content-type', 'application/json');
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    const port = (webhook.address() as AddressInfo).port;
    const kubeconfig = join(tmpdir(), `webhook-${process.pid}.kubeconfig`);
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'authn', cluster: { server: `http://127.0.0.1:${port}/authenticate` } }],
        users: [{ name: 'apiserver', user: { token: 'webhook-secret' } }],
        contexts: [{ name: 'webhook', context: { cluster: 'authn', user: 'apiserver' } }],
        'current-context': 'webhook',
      }),
    );
    server = await startTestServer({ authenticationTokenWebhookConfigFile: kubeconfig, authenticationTokenWebhookVersion: 'v1', authenticationTokenWebhookCacheTTLSeconds: 2 });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => webhook?.close(r));
  });

  const get = (token: string) => server.anonymous('GET', '/api/v1/namespaces/default/configmaps', { headers: { authorization: `Bearer ${token}` } });
  const allow = (username: string, extra: Record<string, unknown> = {}): Reply => () => ({
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status: { authenticated: true, user: { username, uid: 'u-1', groups: ['team'], extra: { scope: ['a'] } }, ...extra } }),
  });

  it('sends kube\'s TokenReview and takes the user it answers (RBAC then names that user)', async () => {
    reply = allow('jane');
    const res = await get('token-jane');
    expect(res.status).toBe(403);
    expect(res.json().message).toBe('configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "default"');
    const sent = reviews.at(-1);
    expect(sent.authorization).toBe('Bearer webhook-secret');
    expect(sent.contentType).toBe('application/json');
    expect(sent.review).toEqual({
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { token: 'token-jane', audiences: ['https://kubernetes.default.svc.cluster.local'] },
      status: { user: {} },
    });
  });

  it('caches answers for the TTL (successes and refusals alike)', async () => {
    reply = allow('cached');
    const before = reviews.length;
    expect((await get('token-cached')).status).toBe(403);
    expect((await get('token-cached')).status).toBe(403);
    expect(reviews.length).toBe(before + 1);
    reply = () => ({ body: JSON.stringify({ status: { authenticated: false } }) });
    expect((await get('token-refused')).status).toBe(401);
    expect((await get('token-refused')).status).toBe(401);
    expect(reviews.length).toBe(before + 2);
    await new Promise((r) => setTimeout(r, 2100));
    reply = allow('later');
    expect((await get('token-refused')).status).toBe(403);
    expect(reviews.length).toBe(before + 3);
  });

  it('retries a webhook that fails once (500), as kube does, and takes its answer', async () => {
    let failed = false;
    reply = (review) => {
      if (!failed) {
        failed = true;
        return { status: 500, body: 'warming up' };
      }
      return allow('retried')(review);
    };
    const before = reviews.length;
    const res = await get('token-retried');
    expect(res.status).toBe(403);
    expect(res.json().message).toContain('User "retried" cannot list resource "configmaps"');
    expect(reviews.length).toBe(before + 2);
    expect(reviews.at(-1).review).toEqual(reviews.at(-2).review);
  });

  it('answers 401 when the webhook refuses, fails, answers garbage or audiences that are not the API\'s', async () => {
    const cases: Reply[] = [
      () => ({ body: JSON.stringify({ status: { authenticated: false, error: 'token revoked' } }) }),
      () => ({ status: 500, body: 'boom' }),
      () => ({ body: 'not json' }),
      () => ({ body: '[]' }),
      () => ({ body: JSON.stringify({ status: { authenticated: true, user: {} } }) }),
      allow('aud', { audiences: ['vault'] }),
    ];
    for (const [i, r] of cases.entries()) {
      reply = r;
      const res = await get(`token-bad-${i}`);
      expect([i, res.status]).toEqual([i, 401]);
      expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    }
  });

  it('answers 401 when the webhook is gone', async () => {
    await new Promise((r) => webhook.close(r));
    const res = await get('token-after-shutdown');
    expect(res.status).toBe(401);
  });
});
