// The `authorizer` CEL variable of admission (kube's authz library): checks go through the server's
// real authorizer (system:masters, RBAC) for the requesting user, or for a service account; resource
// and path checks, allowed() and reason(), authorizer.requestResource; kube's errors for bad input;
// the variable exists in validations and matchConditions (of policies and webhooks), not in
// messageExpressions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.js';

const json = { 'content-type': 'application/json' };
const G = '/apis/admissionregistration.k8s.io/v1';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const CM = '/api/v1/namespaces/authz/configmaps';
const ALICE = { 'Impersonate-User': 'alice' };

const configMap = (name: string, policy: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { policy } } });
const policy = (name: string, validations: unknown[]) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name },
  spec: {
    matchConstraints: { resourceRules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }], objectSelector: { matchLabels: { policy: name } } },
    validations,
  },
});
const binding = (name: string) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Deny'] } });

describe('admission CEL authorizer', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => server.request('POST', path, { headers: { ...json, ...headers }, body: JSON.stringify(body) });

  /** Installs a policy with a Deny binding and waits until it applies (its probe request is no longer a plain 201). */
  async function install(name: string, validations: unknown[], probeHeaders: Record<string, string>) {
    expect((await post(`${G}/validatingadmissionpolicies`, policy(name, validations))).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding(name))).status).toBe(201);
    for (let i = 0; i < 200; i++) {
      const res = await post(`${CM}?dryRun=All`, configMap('probe', name), probeHeaders);
      if (res.status !== 201) return res;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`policy ${name} never applied`);
  }

  beforeAll(async () => {
    server = await startTestServer({ writeKubeconfig: false });
    hooks = await startWebhookServer();
    expect((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'authz' } })).status).toBe(201);
    // alice and the service account authz/builder may create and get configmaps in authz, nothing else.
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-writer', namespace: 'authz' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get'] }] };
    expect((await post(`${RBAC}/namespaces/authz/roles`, role)).status).toBe(201);
    const rb = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'cm-writers', namespace: 'authz' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-writer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'builder', namespace: 'authz' }],
    };
    expect((await post(`${RBAC}/namespaces/authz/rolebindings`, rb)).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await hooks?.close();
  });

  it('checks a resource for the requesting user through RBAC (system:masters allowed)', async () => {
    const denied = await install('authz-secrets', [{ expression: "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('list').allowed()", message: 'you must be able to list secrets' }], ALICE);
    expect(denied.status).toBe(422);
    expect(denied.json().message).toBe("configmaps \"probe\" is forbidden: ValidatingAdmissionPolicy 'authz-secrets' with binding 'authz-secrets' denied request: you must be able to list secrets");
    expect((await post(CM, configMap('by-admin', 'authz-secrets'))).status).toBe(201);
  });

  it('offers authorizer.requestResource: the request\'s own resource, namespace and name', async () => {
    const denied = await install('authz-request', [
      { expression: "authorizer.requestResource.check('create').allowed()", message: 'cannot create' },
      { expression: "authorizer.requestResource.check('delete').allowed()", message: 'you must be able to delete what you create' },
    ], ALICE);
    expect(denied.json().message).toBe("configmaps \"probe\" is forbidden: ValidatingAdmissionPolicy 'authz-request' with binding 'authz-request' denied request: you must be able to delete what you create");
    expect((await post(CM, configMap('by-admin-2', 'authz-request'))).status).toBe(201);
  });

  it('checks non-resource paths, with the authorizer\'s reason', async () => {
    // alice may GET /healthz (system:discovery, the first binding that allows it) but not /metrics; the admin may do both.
    const expression = "authorizer.path('/healthz').check('get').allowed() && authorizer.path('/healthz').check('get').reason() == 'RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"' && !authorizer.path('/metrics').check('get').allowed()";
    const denied = await install('authz-path', [{ expression, message: 'path checks' }], {});
    expect(denied.json().message).toBe("configmaps \"probe\" is forbidden: ValidatingAdmissionPolicy 'authz-path' with binding 'authz-path' denied request: path checks");
    expect((await post(`${CM}?dryRun=All`, configMap('by-alice', 'authz-path'), ALICE)).status).toBe(201);
  });

  it('checks as a service account; bad names and empty paths are evaluation errors', async () => {
    const sa = "authorizer.serviceAccount('authz', 'builder').group('').resource('configmaps').namespace('authz').check('create').allowed() && !authorizer.serviceAccount('authz', 'other').group('').resource('configmaps').namespace('authz').check('create').allowed()";
    const denied = await install('authz-sa', [
      { expression: sa },
      { expression: "authorizer.serviceAccount('authz', 'Not_A_Name').group('').resource('pods').check('get').allowed()" },
    ], {});
    expect(denied.json().message).toBe("configmaps \"probe\" is forbidden: ValidatingAdmissionPolicy 'authz-sa' with binding 'authz-sa' denied request: expression 'authorizer.serviceAccount('authz', 'Not_A_Name').group('').resource('pods').check('get').allowed()' resulted in error: Invalid service account name");
    const empty = await install('authz-empty', [{ expression: "authorizer.path(' ').check('get').allowed()" }, { expression: "authorizer.group('').resource('').check('get').allowed()" }], {});
    expect(empty.json().message).toBe("configmaps \"probe\" is forbidden: ValidatingAdmissionPolicy 'authz-empty' with binding 'authz-empty' denied request: expression 'authorizer.path(' ').check('get').allowed()' resulted in error: path must not be empty");
  });

  it('type-checks authorizer expressions; messageExpressions have no authorizer', async () => {
    const bad = await post(`${G}/validatingadmissionpolicies`, policy('authz-bad', [
      { expression: "authorizer.group('').check('get').allowed()" },
      { expression: "authorizer.group('').resource('pods').check('get')" },
      { expression: 'true', messageExpression: "authorizer.path('/x').check('get').reason()" },
    ]));
    expect(bad.status).toBe(422);
    const causes = bad.json().details.causes.map((c: any) => `${c.field}: ${c.message}`);
    expect(causes).toHaveLength(3);
    expect(causes[0]).toMatch(/^spec\.validations\[0\]\.expression: Invalid value: .*: compilation failed: /);
    expect(causes[1]).toMatch(/^spec\.validations\[1\]\.expression: Invalid value: .*: must evaluate to bool$/);
    expect(causes[2]).toMatch(/^spec\.validations\[2\]\.messageExpression: Invalid value: .*: compilation failed: .*authorizer/);
  });

  it('offers the authorizer to webhook matchConditions', async () => {
    hooks.handle('/deny', () => ({ allowed: false, status: { code: 403, message: 'no secrets reader' } }));
    const config = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'authz-hook' },
      webhooks: [{
        name: 'deny.authz.example.com',
        clientConfig: { url: hooks.url('/deny'), caBundle: hooks.caBundle },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        objectSelector: { matchLabels: { policy: 'authz-hook' } },
        matchConditions: [{ name: 'cannot-read-secrets', expression: "!authorizer.group('').resource('secrets').namespace(request.namespace).check('get').allowed()" }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      }],
    };
    expect((await post(`${G}/validatingwebhookconfigurations`, config)).status).toBe(201);
    let denied!: Awaited<ReturnType<typeof post>>;
    for (let i = 0; i < 200; i++) {
      denied = await post(`${CM}?dryRun=All`, configMap('hooked', 'authz-hook'), ALICE);
      if (denied.status !== 201) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(denied.status).toBe(403);
    expect(denied.json().message).toBe('admission webhook "deny.authz.example.com" denied the request: no secrets reader');
    const before = hooks.received.get('/deny')?.length ?? 0;
    expect((await post(`${CM}?dryRun=All`, configMap('hooked', 'authz-hook'))).status).toBe(201);
    expect(hooks.received.get('/deny')?.length ?? 0).toBe(before);
  });
});
