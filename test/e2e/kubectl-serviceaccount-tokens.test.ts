// Service-account tokens through the real kubectl: every namespace gets a `default` account,
// `kubectl create token` asks serviceaccounts/token for a token, the token works with --token, and
// stops working once the account is deleted (kube's authenticator checks the account's uid; its
// 10 s cache of successes lets a token live that long after).
import { describe, expect, it } from 'vitest';
import { kubectl, kubectlSession } from '../support/kubectl.js';
import { tokenKubeconfig } from '../support/token-kubeconfig.js';

function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('kubectl create token', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);

  /** kubectl authenticated by the token alone. */
  const withToken = async (token: string, ...args: string[]) => kubectl(await tokenKubeconfig(session.server, token), args);

  async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('gives every namespace a default service account, recreated when deleted', async () => {
    expect((await k('create', 'namespace', 'team-a')).code).toBe(0);
    await eventually(async () => (await k('get', 'sa', 'default', '-n', 'team-a', '-o', 'name')).stdout.trim() === 'serviceaccount/default');
    await eventually(async () => (await k('get', 'sa', 'default', '-n', 'kube-system', '-o', 'name')).stdout.trim() === 'serviceaccount/default');
    const before = JSON.parse((await k('get', 'sa', 'default', '-n', 'team-a', '-o', 'json')).stdout).metadata.uid;
    expect((await k('delete', 'sa', 'default', '-n', 'team-a')).code).toBe(0);
    await eventually(async () => {
      const got = await k('get', 'sa', 'default', '-n', 'team-a', '-o', 'json');
      return got.code === 0 && JSON.parse(got.stdout).metadata.uid !== before;
    });
  });

  it('issues a token that authenticates as the service account until the account is deleted', async () => {
    expect((await k('create', 'namespace', 'tokens')).code).toBe(0);
    await eventually(async () => (await k('get', 'sa', 'default', '-n', 'tokens')).code === 0);
    // RBAC: the account may read in its namespace (kube's `view` role).
    expect((await k('create', 'rolebinding', 'sa-view', '--clusterrole=view', '--serviceaccount=tokens:default', '-n', 'tokens')).code).toBe(0);
    const created = await k('create', 'token', 'default', '-n', 'tokens');
    expect(created.stderr).toBe('');
    const token = created.stdout.trim();
    const claims = claimsOf(token);
    expect(claims.sub).toBe('system:serviceaccount:tokens:default');
    expect(claims.aud).toEqual(['https://kubernetes.default.svc.cluster.local']);
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims['kubernetes.io']).toMatchObject({ namespace: 'tokens', serviceaccount: { name: 'default' } });

    const whoami = await withToken(token, 'get', 'configmaps', '-n', 'tokens', '-o', 'name');
    expect(whoami.stderr).toBe('');
    expect(whoami.code).toBe(0);
    const forbidden = await withToken(token, 'get', 'configmaps', '-n', 'default');
    expect(forbidden.stderr).toContain('User "system:serviceaccount:tokens:default" cannot list resource "configmaps" in API group "" in the namespace "default"');

    expect((await k('delete', 'sa', 'default', '-n', 'tokens')).code).toBe(0);
    // kube-apiserver keeps a token's success for 10 s (its token cache): the token ends within that.
    const deleted = Date.now();
    let refused = await withToken(token, 'get', 'configmaps', '-n', 'tokens');
    while (refused.code === 0 && Date.now() - deleted < 12_000) {
      await new Promise((r) => setTimeout(r, 500));
      refused = await withToken(token, 'get', 'configmaps', '-n', 'tokens');
    }
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  }, 60_000);

  it('fills a secret-based (legacy) token Secret that works until the Secret is deleted', async () => {
    expect((await k('create', 'namespace', 'legacy')).code).toBe(0);
    expect((await k('create', 'sa', 'ci', '-n', 'legacy')).code).toBe(0);
    expect((await k('create', 'rolebinding', 'ci-view', '--clusterrole=view', '--serviceaccount=legacy:ci', '-n', 'legacy')).code).toBe(0);
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: ci-token',
      '  namespace: legacy',
      '  annotations:',
      '    kubernetes.io/service-account.name: ci',
      'type: kubernetes.io/service-account-token',
      '',
    ].join('\n');
    const applied = await session.kIn(manifest, 'apply', '-f', '-');
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim()).toBe('secret/ci-token created');
    // kube's validation: the account's name is required.
    const nameless = await session.kIn(manifest.replace('    kubernetes.io/service-account.name: ci\n', '    note: none\n').replace('ci-token', 'nameless'), 'apply', '-f', '-');
    expect(nameless.stderr).toContain('The Secret "nameless" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value');

    let encoded = '';
    await eventually(async () => {
      encoded = (await k('get', 'secret', 'ci-token', '-n', 'legacy', '-o', 'jsonpath={.data.token}')).stdout.trim();
      return encoded !== '';
    });
    const token = Buffer.from(encoded, 'base64').toString('utf8');
    expect(claimsOf(token)).toMatchObject({ iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:legacy:ci', 'kubernetes.io/serviceaccount/secret.name': 'ci-token' });
    const described = await k('get', 'secret', 'ci-token', '-n', 'legacy');
    expect(described.stdout).toMatch(/ci-token\s+kubernetes\.io\/service-account-token\s+3\s+/);

    const listed = await withToken(token, 'get', 'configmaps', '-n', 'legacy', '-o', 'name');
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const whoami = await withToken(token, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(whoami.stdout).toBe('system:serviceaccount:legacy:ci');
    const lastUsed = await k('get', 'secret', 'ci-token', '-n', 'legacy', '-o', 'jsonpath={.metadata.labels.kubernetes\\.io/legacy-token-last-used}');
    expect(lastUsed.stdout).toBe(new Date().toISOString().slice(0, 10));

    expect((await k('delete', 'secret', 'ci-token', '-n', 'legacy')).code).toBe(0);
    // Within kube's 10 s token cache, the token stops working.
    const deleted = Date.now();
    let refused = await withToken(token, 'get', 'configmaps', '-n', 'legacy');
    while (refused.code === 0 && Date.now() - deleted < 12_000) {
      await new Promise((r) => setTimeout(r, 500));
      refused = await withToken(token, 'get', 'configmaps', '-n', 'legacy');
    }
    expect(refused.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  }, 60_000);

  it('honours --audience and --duration, and refuses durations under ten minutes with kube\'s message', async () => {
    expect((await k('create', 'sa', 'robot')).code).toBe(0);
    const token = (await k('create', 'token', 'robot', '--audience', 'vault', '--audience', 'other', '--duration', '2h')).stdout.trim();
    const claims = claimsOf(token);
    expect(claims.aud).toEqual(['vault', 'other']);
    expect(claims.exp - claims.iat).toBe(7200);
    // Not meant for the API server: refused.
    const refused = await withToken(token, 'get', 'configmaps');
    expect(refused.stderr).toContain('Unauthorized');

    const short = await k('create', 'token', 'robot', '--duration', '5m');
    expect(short.stderr).toContain('error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes');
    const missing = await k('create', 'token', 'nobody');
    expect(missing.stderr).toContain('error: failed to create token: serviceaccounts "nobody" not found');
  });
});
