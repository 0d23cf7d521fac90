// Legacy secret-based service-account tokens over HTTPS, as kube 1.32 serves them: kube's validation
// of token Secrets, the tokens controller filling them (token, ca.crt, namespace, the uid annotation)
// and cleaning up after accounts, and the legacy authenticator: good while the Secret holds the token
// and the account exists with its uid, tracked with the last-used label, refused once marked invalid,
// a warning for auto-generated Secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');
const segment = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString());

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('legacy service-account token Secrets', () => {
  let server: TestServer;
  let auditLog: string;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-chain-legacy-'));
    auditLog = join(dir, 'audit.log');
    await writeFile(join(dir, 'policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n');
    // The token cache is off here, so that each request shows what the authenticator decides now
    // (kube-apiserver keeps a success for 10 s).
    server = await startTestServer({ authorizationMode: ['AlwaysAllow'], tokenSuccessCacheTTLSeconds: 0, auditPolicyFile: join(dir, 'policy.yaml'), auditLogPath: auditLog });
  });
  /** The audit annotations of a request's ResponseComplete event. */
  const annotationsOf = (auditID: unknown) =>
    eventually(async () => {
      const lines = (await readFile(auditLog, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
      return lines.find((e) => e.auditID === auditID && e.stage === 'ResponseComplete')?.annotations;
    });
  afterAll(() => server?.close());

  const secretPath = (name = '') => `/api/v1/namespaces/default/secrets${name ? `/${name}` : ''}`;
  const getSecret = async (name: string) => {
    const res = await server.request('GET', secretPath(name));
    return res.status === 200 ? res.json() : undefined;
  };
  const createAccount = async (name: string) => (await server.request('POST', '/api/v1/namespaces/default/serviceaccounts', json({ metadata: { name } }))).json();
  const createTokenSecret = (name: string, account: string, extra: Record<string, unknown> = {}) =>
    server.request('POST', secretPath(), json({ metadata: { name, annotations: { 'kubernetes.io/service-account.name': account } }, type: 'kubernetes.io/service-account-token', ...extra }));
  const filled = (name: string) => eventually(async () => {
    const secret = await getSecret(name);
    return secret?.data?.token ? secret : undefined;
  });
  const whoami = (token: string) =>
    server.anonymous('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { ...json({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });

  it("refuses a token Secret without the account's name, with kube's message", async () => {
    const res = await server.request('POST', secretPath(), json({ metadata: { name: 'nameless' }, type: 'kubernetes.io/service-account-token' }));
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({
      reason: 'Invalid',
      message: 'Secret "nameless" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value',
      details: { name: 'nameless', kind: 'Secret', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'metadata.annotations[kubernetes.io/service-account.name]' }] },
    });
  });

  it('fills a token Secret: the legacy token, ca.crt, namespace and the account uid', async () => {
    const sa = await createAccount('robot');
    expect((await createTokenSecret('robot-token', 'robot')).status).toBe(201);
    const secret = await filled('robot-token');
    expect(secret.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'robot', 'kubernetes.io/service-account.uid': sa.metadata.uid });
    expect(Object.keys(secret.data).sort()).toEqual(['ca.crt', 'namespace', 'token']);
    expect(decode(secret.data.namespace)).toBe('default');
    expect(decode(secret.data['ca.crt'])).toBe(server.tls.caPem);
    const token = decode(secret.data.token);
    expect(segment(token, 0)).toMatchObject({ alg: 'RS256' });
    expect(segment(token, 0).kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(segment(token, 1)).toEqual({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'robot-token',
      'kubernetes.io/serviceaccount/service-account.name': 'robot',
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: 'system:serviceaccount:default:robot',
    });
    // Keys in the order go-jose writes them.
    expect(Object.keys(segment(token, 1))).toEqual(Object.keys(segment(token, 1)).sort());
  });

  it('authenticates as the account, labels the Secret with the day of use, no warning for a Secret made by hand', async () => {
    const sa = (await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/robot')).json();
    const token = decode((await filled('robot-token')).data.token);
    const res = await whoami(token);
    expect(res.status).toBe(201);
    expect(res.json().status.userInfo).toEqual({
      username: 'system:serviceaccount:default:robot',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    expect(res.headers.warning).toBeUndefined();
    expect(await annotationsOf(res.headers['audit-id'])).toMatchObject({
      'authentication.k8s.io/legacy-token': 'system:serviceaccount:default:robot',
      'authentication.k8s.io/legacy-token-manual-secret': 'robot-token',
    });
    const today = new Date().toISOString().slice(0, 10);
    expect((await getSecret('robot-token')).metadata.labels).toEqual({ 'kubernetes.io/legacy-token-last-used': today });

    const review = await server.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', json({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }));
    expect(review.json().status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:default:robot' }, audiences: ['https://kubernetes.default.svc.cluster.local'] });
  });

  it("warns when the Secret is one of the account's (auto-generated) secrets", async () => {
    const token = decode((await filled('robot-token')).data.token);
    const sa = (await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/robot')).json();
    expect((await server.request('PUT', '/api/v1/namespaces/default/serviceaccounts/robot', json({ ...sa, secrets: [{ name: 'robot-token' }] }))).status).toBe(200);
    const res = await whoami(token);
    expect(res.status).toBe(201);
    expect(res.headers.warning).toBe('299 - "Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens."');
    expect(await annotationsOf(res.headers['audit-id'])).toMatchObject({ 'authentication.k8s.io/legacy-token-autogenerated-secret': 'robot-token' });
  });

  it('refuses the token while the Secret is marked invalid, and once the Secret holds another token', async () => {
    const secret = await filled('robot-token');
    const token = decode(secret.data.token);
    const mark = (labels: Record<string, string | null>) =>
      server.request('PATCH', secretPath('robot-token'), { body: JSON.stringify({ metadata: { labels } }), headers: { 'content-type': 'application/merge-patch+json' } });
    expect((await mark({ 'kubernetes.io/legacy-token-invalid-since': '2026-01-01' })).status).toBe(200);
    expect((await whoami(token)).status).toBe(401);
    expect((await mark({ 'kubernetes.io/legacy-token-invalid-since': null })).status).toBe(200);
    expect((await whoami(token)).status).toBe(201);

    const replaced = await server.request('PATCH', secretPath('robot-token'), { body: JSON.stringify({ data: { token: Buffer.from('something-else').toString('base64') } }), headers: { 'content-type': 'application/merge-patch+json' } });
    expect(replaced.status).toBe(200);
    const refused = await whoami(token);
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('a token dies with its Secret, and the account stops listing the Secret', async () => {
    await createAccount('short');
    await createTokenSecret('short-token', 'short');
    const token = decode((await filled('short-token')).data.token);
    const sa = (await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/short')).json();
    await server.request('PUT', '/api/v1/namespaces/default/serviceaccounts/short', json({ ...sa, secrets: [{ name: 'short-token' }, { name: 'other' }] }));
    expect((await whoami(token)).status).toBe(201);
    expect((await server.request('DELETE', secretPath('short-token'))).status).toBe(200);
    expect((await whoami(token)).status).toBe(401);
    await eventually(async () => {
      const now = (await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/short')).json();
      return now.secrets?.length === 1 ? now : undefined;
    });
    expect((await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/short')).json().secrets).toEqual([{ name: 'other' }]);
  });

  it('deletes a token Secret whose account does not exist, and an account\'s token Secrets when it goes', async () => {
    expect((await createTokenSecret('orphan-token', 'nobody')).status).toBe(201);
    await eventually(async () => ((await getSecret('orphan-token')) ? undefined : true));

    await createAccount('doomed');
    await createTokenSecret('doomed-token', 'doomed');
    const token = decode((await filled('doomed-token')).data.token);
    expect((await whoami(token)).status).toBe(201);
    expect((await server.request('DELETE', '/api/v1/namespaces/default/serviceaccounts/doomed')).status).toBe(200);
    expect((await whoami(token)).status).toBe(401);
    await eventually(async () => ((await getSecret('doomed-token')) ? undefined : true));
    // An account made again under the name is another account: the old token stays dead.
    await createAccount('doomed');
    expect((await whoami(token)).status).toBe(401);
  });

  it('keeps what a Secret already holds (a token given by its maker is not replaced)', async () => {
    await createAccount('preset');
    const given = Buffer.from('my-own-token').toString('base64');
    expect((await createTokenSecret('preset-token', 'preset', { data: { token: given } })).status).toBe(201);
    const secret = await eventually(async () => {
      const s = await getSecret('preset-token');
      return s?.data?.namespace ? s : undefined;
    });
    expect(secret.data.token).toBe(given);
    expect(decode(secret.data['ca.crt'])).toBe(server.tls.caPem);
  });
});
