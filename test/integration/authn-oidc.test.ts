// OIDC ID tokens through the whole server: a client with a token from the test provider is the
// mapped user (RBAC's refusal names it), kubectl works with it once bound, a bad token is 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { kubectl } from '../support/kubectl.js';
import { tokenKubeconfig } from '../support/token-kubeconfig.js';

describe('OIDC through the server', () => {
  let issuer: TestIssuer;
  let server: TestServer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    const caFile = join(process.env.TMPDIR ?? '/tmp', `oidc-ca-${process.pid}.crt`);
    await writeFile(caFile, issuer.caPem);
    server = await startTestServer({
      oidcIssuerURL: issuer.url,
      oidcClientID: 'kube-chain',
      oidcCAFile: caFile,
      oidcUsernameClaim: 'email',
      oidcGroupsClaim: 'groups',
      oidcGroupsPrefix: 'oidc:',
    });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  const get = (token: string, path = '/api/v1/namespaces/default/configmaps') => server.anonymous('GET', path, { headers: { authorization: `Bearer ${token}` } });

  it('authenticates the mapped user (RBAC then answers for that user)', async () => {
    const token = await issuer.sign({ aud: 'kube-chain', email: 'jane@example.com', email_verified: true, groups: ['dev'] });
    const res = await get(token);
    expect(res.status).toBe(403);
    expect(res.json().message).toBe('configmaps is forbidden: User "jane@example.com" cannot list resource "configmaps" in API group "" in the namespace "default"');
    await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'oidc-dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:dev' }] }),
    });
    const listed = await kubectl(await tokenKubeconfig(server, token), ['get', 'configmaps', '-n', 'default', '-o', 'name']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
  });

  it('answers 401 for an unverified email, the wrong audience or a forged signature', async () => {
    for (const token of [
      await issuer.sign({ aud: 'kube-chain', email: 'x@example.com', email_verified: false }),
      await issuer.sign({ aud: 'someone-else', email: 'x@example.com' }),
      `${(await issuer.sign({ aud: 'kube-chain', email: 'x@example.com' })).slice(0, -4)}AAAA`,
    ]) {
      const res = await get(token);
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
  });

  it('answers TokenReviews of ID tokens for the API audiences only', async () => {
    const token = await issuer.sign({ aud: 'kube-chain', email: 'rev@example.com', email_verified: true, groups: ['qa'] });
    const review = async (audiences?: string[]) =>
      (await server.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec: audiences ? { token, audiences } : { token } }) })).json().status;
    expect(await review()).toEqual({
      authenticated: true,
      user: { username: 'rev@example.com', groups: ['oidc:qa', 'system:authenticated'] },
      audiences: ['https://kubernetes.default.svc.cluster.local'],
    });
    expect(await review(['vault'])).toEqual({ user: {}, error: 'invalid bearer token' });
  });
});
