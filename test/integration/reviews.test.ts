// The review APIs over HTTPS as a client sees them: authorization.k8s.io/v1 access and rules
// reviews, authentication.k8s.io/v1 TokenReview and SelfSubjectReview (kube 1.32's registries,
// create handler, discovery and OpenAPI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { encodeProtobuf } from '../../src/endpoints/protobuf/encode.js';

const json = { 'content-type': 'application/json' };
const AUTHZ = '/apis/authorization.k8s.io/v1';
const AUTHN = '/apis/authentication.k8s.io/v1';

describe('review APIs', () => {
  let server: TestServer;
  let denying: TestServer;
  let dir: string;
  /** As the admin (client certificate), or with `headers` carrying a token and no certificate. */
  const post = (s: TestServer, path: string, body: unknown, headers?: Record<string, string>) =>
    (headers ? s.anonymous : s.request)('POST', path, { headers: { ...json, ...headers }, body: JSON.stringify(body) });
  const asAlice = { authorization: 'Bearer tok-alice' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-reviews-'));
    const tokens = join(dir, 'tokens.csv');
    await writeFile(tokens, 'tok-alice,alice,uid-alice,"dev,qa"\n');
    server = await startTestServer({ tokenAuthFile: tokens, writeKubeconfig: false });
    denying = await startTestServer({ tokenAuthFile: tokens, authorizationMode: ['AlwaysDeny'], writeKubeconfig: false });
  });
  afterAll(async () => {
    await server?.close();
    await denying?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('SubjectAccessReview', () => {
    it('answers with the request echoed and the decision', async () => {
      const res = await post(server, `${AUTHZ}/subjectaccessreviews`, {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'configmaps' }, user: 'carol', groups: ['system:masters'], extra: { k: ['v'] } },
      });
      expect(res.status).toBe(201);
      expect(res.json()).toEqual({
        kind: 'SubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'configmaps' }, user: 'carol', groups: ['system:masters'], extra: { k: ['v'] } },
        status: { allowed: true },
      });
      const nobody = await post(server, `${AUTHZ}/subjectaccessreviews`, { spec: { nonResourceAttributes: { path: '/metrics', verb: 'get' }, user: 'nobody' } });
      expect(nobody.json().status).toEqual({ allowed: false });
      const denied = await post(denying, `${AUTHZ}/subjectaccessreviews`, { spec: { resourceAttributes: { verb: 'list', resource: 'secrets' }, user: 'alice', groups: ['dev'] } });
      expect(denied.json().status).toEqual({ allowed: false, reason: 'Everything is forbidden.' });
    });

    it('refuses invalid reviews with kube\'s messages', async () => {
      const res = await post(server, `${AUTHZ}/subjectaccessreviews`, { spec: {} });
      expect(res.status).toBe(422);
      expect(res.json()).toMatchObject({
        reason: 'Invalid',
        message:
          '.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
        details: { group: 'authorization.k8s.io', causes: [{ reason: 'FieldValueInvalid', field: 'spec.resourceAttributes' }, { reason: 'FieldValueInvalid', field: 'spec.user' }] },
      });
      const wrongKind = await post(server, `${AUTHZ}/subjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} });
      expect(wrongKind.json()).toMatchObject({ code: 400, message: 'the kind in the data (SelfSubjectAccessReview) does not match the expected kind (SubjectAccessReview)' });
    });

    it('is create-only: other verbs are 405, names and namespaces 404', async () => {
      expect((await server.request('GET', `${AUTHZ}/subjectaccessreviews`)).json()).toMatchObject({ code: 405, reason: 'MethodNotAllowed' });
      expect((await server.request('DELETE', `${AUTHZ}/subjectaccessreviews`)).status).toBe(405);
      expect((await server.request('GET', `${AUTHZ}/subjectaccessreviews/x`)).status).toBe(404);
      expect((await post(server, `${AUTHZ}/namespaces/default/subjectaccessreviews`, {})).status).toBe(404);
      expect((await post(server, `${AUTHZ}/localsubjectaccessreviews`, {})).status).toBe(404);
    });
  });

  describe('SelfSubjectAccessReview', () => {
    it('asks about the caller', async () => {
      const body = { spec: { resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'secrets' } } };
      expect((await post(server, `${AUTHZ}/selfsubjectaccessreviews`, body)).json().status).toEqual({ allowed: true });
      expect((await post(denying, `${AUTHZ}/selfsubjectaccessreviews`, body)).json().status).toEqual({ allowed: true });
      // AlwaysDeny refuses the token user the review itself.
      expect((await post(denying, `${AUTHZ}/selfsubjectaccessreviews`, body, asAlice)).status).toBe(403);
      // RBAC: alice holds system:public-info-viewer and system:basic-user, nothing on secrets.
      const version = await post(server, `${AUTHZ}/selfsubjectaccessreviews`, { spec: { nonResourceAttributes: { path: '/version', verb: 'get' } } }, asAlice);
      expect(version.json()).toMatchObject({ kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/version', verb: 'get' } }, status: { allowed: true } });
      expect((await post(server, `${AUTHZ}/selfsubjectaccessreviews`, body, asAlice)).json().status).toEqual({ allowed: false });
    });

    it('validates', async () => {
      const res = await post(server, `${AUTHZ}/selfsubjectaccessreviews`, { metadata: { name: 'x' }, spec: { resourceAttributes: {} } });
      expect(res.json().message).toMatch(/^\.authorization\.k8s\.io "" is invalid: metadata: Invalid value: v1\.ObjectMeta\{Name:"x", .*\}: must be empty$/);
    });

    it('reads and writes protobuf, as kubectl sends it', async () => {
      const body = encodeProtobuf({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } } });
      const res = await server.request('POST', `${AUTHZ}/selfsubjectaccessreviews`, {
        headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf, application/json' },
        body,
      });
      // kube-chain reads protobuf and answers in JSON, the client's second choice.
      expect(res.status).toBe(201);
      expect(res.json()).toMatchObject({ kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } }, status: { allowed: true } });
    });
  });

  describe('LocalSubjectAccessReview', () => {
    const path = `${AUTHZ}/namespaces/team/localsubjectaccessreviews`;
    it('takes the namespace of the URL and insists the attributes name it', async () => {
      const ok = await post(server, path, { spec: { resourceAttributes: { namespace: 'team', verb: 'get', resource: 'configmaps' }, user: 'x', groups: ['system:masters'] } });
      expect(ok.status).toBe(201);
      expect(ok.json()).toMatchObject({ kind: 'LocalSubjectAccessReview', metadata: { namespace: 'team', creationTimestamp: null }, status: { allowed: true } });
      const plain = await post(server, path, { spec: { resourceAttributes: { namespace: 'team', verb: 'get', resource: 'configmaps' }, user: 'x', groups: ['system:authenticated'] } });
      expect(plain.json().status).toEqual({ allowed: false });
      const other = await post(server, path, { spec: { resourceAttributes: { namespace: 'elsewhere', verb: 'get' }, user: 'x' } });
      expect(other.json().message).toBe('.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "elsewhere": must match metadata.namespace');
      const body = await post(server, path, { metadata: { namespace: 'elsewhere' }, spec: { resourceAttributes: { namespace: 'team' }, user: 'x' } });
      expect(body.json()).toMatchObject({ code: 400, message: 'the namespace of the provided object does not match the namespace sent on the request' });
    });
  });

  describe('SelfSubjectRulesReview', () => {
    it('lists the caller\'s rules in a namespace; needs the namespace', async () => {
      const res = await post(server, `${AUTHZ}/selfsubjectrulesreviews`, { spec: { namespace: 'default' } }, asAlice);
      expect(res.status).toBe(201);
      const review = res.json();
      expect(review).toMatchObject({ kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: {}, status: { incomplete: false } });
      // RBAC's bootstrap roles for every authenticated user: system:basic-user, system:discovery, system:public-info-viewer.
      expect(review.status.resourceRules).toContainEqual({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] });
      expect(review.status.nonResourceRules).toContainEqual({ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] });
      expect(JSON.stringify(review.status)).not.toContain('secrets');
      // system:masters is authorized before any mode, and lists no rules of its own.
      expect((await post(denying, `${AUTHZ}/selfsubjectrulesreviews`, { spec: { namespace: 'default' } })).json().status).toEqual({ resourceRules: [], nonResourceRules: [], incomplete: false });
      expect((await post(server, `${AUTHZ}/selfsubjectrulesreviews`, { spec: {} })).json()).toMatchObject({ code: 400, reason: 'BadRequest', message: 'no namespace on request' });
    });
  });

  describe('TokenReview', () => {
    it('runs the server\'s authenticators on the token', async () => {
      const res = await post(server, `${AUTHN}/tokenreviews`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'tok-alice' } });
      expect(res.status).toBe(201);
      expect(res.json()).toEqual({
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: { token: 'tok-alice' },
        // The token file knows no audiences: its tokens are good for the API audiences (the default issuer).
        status: { authenticated: true, user: { username: 'alice', uid: 'uid-alice', groups: ['dev', 'qa', 'system:authenticated'] }, audiences: ['https://kubernetes.default.svc.cluster.local'] },
      });
      const elsewhere = await post(server, `${AUTHN}/tokenreviews`, { spec: { token: 'tok-alice', audiences: ['vault'] } });
      expect(elsewhere.json().status).toEqual({ user: {}, error: 'invalid bearer token' });
      const bad = await post(server, `${AUTHN}/tokenreviews`, { spec: { token: 'nope' } });
      expect(bad.json().status).toEqual({ user: {}, error: 'invalid bearer token' });
      expect((await post(server, `${AUTHN}/tokenreviews`, { spec: {} })).json()).toMatchObject({ code: 400, message: 'token is required for TokenReview in authentication' });
    });
  });

  describe('TokenReview of service-account tokens', () => {
    it('honours spec.audiences and reports the audiences the token is good for', async () => {
      expect((await post(server, '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'robot' } })).status).toBe(201);
      const tokenFor = async (audiences?: string[]) =>
        (await post(server, '/api/v1/namespaces/default/serviceaccounts/robot/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: audiences ? { audiences } : {} })).json().status.token as string;
      const review = async (token: string, audiences?: string[]) => (await post(server, `${AUTHN}/tokenreviews`, { spec: audiences ? { token, audiences } : { token } })).json().status;

      const apiToken = await tokenFor();
      const forApi = await review(apiToken);
      expect(forApi).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:default:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] } });
      expect(forApi.audiences).toHaveLength(1);

      const vaultToken = await tokenFor(['vault']);
      expect(await review(vaultToken, ['vault', 'other'])).toMatchObject({ authenticated: true, audiences: ['vault'], user: { username: 'system:serviceaccount:default:robot' } });
      const wrong = await review(vaultToken);
      expect(wrong.authenticated).toBeUndefined();
      expect(wrong.error).toMatch(/^token audiences \["vault"\] is invalid for the target audiences \[".*"\]$/);
    });
  });

  describe('SelfSubjectReview', () => {
    it('tells the caller who it is', async () => {
      const res = await post(server, `${AUTHN}/selfsubjectreviews`, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, asAlice);
      expect(res.status).toBe(201);
      const review = res.json();
      expect(review.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(review.status).toEqual({ userInfo: { username: 'alice', uid: 'uid-alice', groups: ['dev', 'qa', 'system:authenticated'] } });
      const admin = (await post(server, `${AUTHN}/selfsubjectreviews`, {})).json().status.userInfo;
      expect(admin.groups).toEqual(['system:masters', 'system:authenticated']);
      expect(admin.extra['authentication.kubernetes.io/credential-id'][0]).toMatch(/^X509SHA256=[0-9a-f]{64}$/);
    });

    it('reads a protobuf request with user extras', async () => {
      const body = encodeProtobuf({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} });
      const res = await server.anonymous('POST', `${AUTHN}/selfsubjectreviews`, {
        headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf, application/json', ...asAlice },
        body,
      });
      expect(res.json().status.userInfo).toEqual({ username: 'alice', uid: 'uid-alice', groups: ['dev', 'qa', 'system:authenticated'] });
    });
  });

  describe('discovery and OpenAPI', () => {
    it('lists the reviews with the verb create and no storage hash', async () => {
      const list = (await server.request('GET', AUTHZ)).json();
      expect(list.resources.map((r: { name: string }) => r.name)).toEqual(['localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews']);
      expect(list.resources[0]).toEqual({ name: 'localsubjectaccessreviews', singularName: 'localsubjectaccessreview', namespaced: true, kind: 'LocalSubjectAccessReview', verbs: ['create'] });
      const authn = (await server.request('GET', AUTHN)).json();
      expect(authn.resources.map((r: { name: string }) => r.name)).toEqual(['selfsubjectreviews', 'tokenreviews']);
      const groups = (await server.request('GET', '/apis')).json().groups.map((g: { name: string }) => g.name);
      expect(groups.indexOf('authentication.k8s.io')).toBeLessThan(groups.indexOf('authorization.k8s.io'));
    });

    it('documents the POST operations and their schemas', async () => {
      const doc = (await server.request('GET', '/openapi/v3/apis/authorization.k8s.io/v1')).json();
      const op = doc.paths['/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews'];
      expect(Object.keys(op).filter((k) => k !== 'parameters')).toEqual(['post']);
      expect(op.post.operationId).toBe('createAuthorizationV1NamespacedLocalSubjectAccessReview');
      expect(doc.components.schemas['io.k8s.api.authorization.v1.SubjectAccessReviewStatus'].required).toEqual(['allowed']);
      expect(doc.components.schemas['io.k8s.api.authorization.v1.SubjectAccessReviewList']).toBeUndefined();
    });
  });
});
