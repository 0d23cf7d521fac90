// ValidatingAdmissionPolicy and audit, as an auditor reads the log: a failure under a binding with the
// Audit action is the `validation.policy.admission.k8s.io/validation_failure` annotation (a JSON list of
// {message, policy, binding, expressionIndex, validationActions}; the first value of the request stays),
// a policy's auditAnnotations are `<policy>/<key>` (distinct values of several params joined with ", ",
// null and blank values left out), an auditAnnotation that fails to evaluate denies under Fail, and
// every policy is evaluated before the first denial is answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { responseCompleteEvent } from '../support/audit-log.js';

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  namespaces: [audited]
- level: None
`;
const json = { 'content-type': 'application/json' };
const G = '/apis/admissionregistration.k8s.io/v1';
const CM = '/api/v1/namespaces/audited/configmaps';
const FAILURE = 'validation.policy.admission.k8s.io/validation_failure';

const configMap = (name: string, labels: Record<string, string>, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec });
const binding = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec });
const rulesFor = (label: string) => ({
  resourceRules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
  objectSelector: { matchLabels: { policy: label } },
});

describe('ValidatingAdmissionPolicy audit annotations', () => {
  let server: TestServer;
  let dir: string;
  let logPath: string;
  const post = (path: string, body: unknown) => server.request('POST', path, { headers: json, body: JSON.stringify(body) });

  const complete = (auditID: string) => responseCompleteEvent(logPath, auditID);

  /** Retries a create until the policy caches have caught up (the first request that is not plainly admitted). */
  async function createUntil(body: unknown, done: (res: Awaited<ReturnType<typeof post>>) => boolean) {
    for (let i = 0; i < 200; i++) {
      const res = await post(`${CM}?dryRun=All`, body);
      if (done(res)) return res;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('policy never applied');
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-vap-audit-'));
    logPath = join(dir, 'audit.log');
    await writeFile(join(dir, 'policy.yaml'), AUDIT_POLICY);
    server = await startTestServer({ auditPolicyFile: join(dir, 'policy.yaml'), auditLogPath: logPath });
    expect((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'audited' } })).status).toBe(201);
    for (const [name, tier] of [['tier-b', 'silver'], ['tier-a', 'gold']]) {
      expect((await post(CM, configMap(name, { role: 'tier' }, { tier }))).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records Audit failures and auditAnnotations on the request\'s event; the request is admitted', async () => {
    expect((await post(`${G}/validatingadmissionpolicies`, policy('audit-keys', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: rulesFor('audit'),
      validations: [
        { expression: 'true' },
        { expression: 'size(object.data) <= 1', messageExpression: "'too many keys: ' + string(size(object.data)) + ' <max 1>'" },
      ],
      auditAnnotations: [
        { key: 'tier', valueExpression: 'params.data.tier' },
        { key: 'count', valueExpression: 'string(size(object.data))' },
        { key: 'nothing', valueExpression: 'null' },
        { key: 'blank', valueExpression: "'  '" },
      ],
    }))).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('audit-keys', {
      policyName: 'audit-keys',
      paramRef: { selector: { matchLabels: { role: 'tier' } }, parameterNotFoundAction: 'Deny' },
      validationActions: ['Audit'],
    }))).status).toBe(201);
    const body = configMap('two-keys', { policy: 'audit' }, { a: '1', b: '2' });
    // Wait until the binding applies (a dry run is audited too: its event carries the annotations).
    await createUntil(body, () => true);
    let event: any;
    for (let i = 0; i < 100 && !event?.annotations?.[FAILURE]; i++) {
      const res = await post(CM, { ...body, metadata: { ...body.metadata, name: `two-keys-${i}` } });
      expect(res.status).toBe(201);
      expect(res.headers.warning).toBeUndefined();
      event = await complete(String(res.headers['audit-id']));
    }
    const message = 'too many keys: 2 <max 1>';
    expect(event.annotations[FAILURE]).toBe(`[{"message":"too many keys: 2 \\u003cmax 1\\u003e","policy":"audit-keys","binding":"audit-keys","expressionIndex":1,"validationActions":["Audit"]}]`);
    expect(JSON.parse(event.annotations[FAILURE])).toEqual([{ message, policy: 'audit-keys', binding: 'audit-keys', expressionIndex: 1, validationActions: ['Audit'] }]);
    // One value per param (params listed by name: gold from tier-a, silver from tier-b).
    expect(event.annotations['audit-keys/tier']).toBe('gold, silver');
    expect(event.annotations['audit-keys/count']).toBe('2');
    expect(Object.keys(event.annotations).filter((k) => k.startsWith('audit-keys/')).sort()).toEqual(['audit-keys/count', 'audit-keys/tier']);
    expect(event.annotations['authorization.k8s.io/decision']).toBe('allow');
    // A request the validations pass records the auditAnnotations only.
    const passing = await post(CM, configMap('one-key', { policy: 'audit' }, { a: '1' }));
    expect(passing.status).toBe(201);
    const passed = await complete(String(passing.headers['audit-id']));
    expect(passed.annotations[FAILURE]).toBeUndefined();
    expect(passed.annotations['audit-keys/count']).toBe('1');
    expect((await server.request('DELETE', `${G}/validatingadmissionpolicybindings/audit-keys`)).status).toBe(200);
  });

  it('records the failure of a Deny+Audit binding on the denied request, and warns with Warn+Audit', async () => {
    expect((await post(`${G}/validatingadmissionpolicies`, policy('no-secret-key', {
      matchConstraints: rulesFor('deny-audit'),
      validations: [{ expression: "!has(object.data.password)", message: 'no passwords in configmaps', reason: 'Forbidden' }],
    }))).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('no-secret-key-warn', { policyName: 'no-secret-key', validationActions: ['Warn', 'Audit'] }))).status).toBe(201);
    const body = configMap('pw', { policy: 'deny-audit' }, { password: 'x' });
    const warned = await createUntil(body, (res) => res.headers.warning !== undefined);
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe("299 - \"Validation failed for ValidatingAdmissionPolicy 'no-secret-key' with binding 'no-secret-key-warn': no passwords in configmaps\"");
    const warnedEvent = await complete(String(warned.headers['audit-id']));
    expect(JSON.parse(warnedEvent.annotations[FAILURE])).toEqual([{ message: 'no passwords in configmaps', policy: 'no-secret-key', binding: 'no-secret-key-warn', expressionIndex: 0, validationActions: ['Warn', 'Audit'] }]);

    expect((await server.request('DELETE', `${G}/validatingadmissionpolicybindings/no-secret-key-warn`)).status).toBe(200);
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('no-secret-key-deny', { policyName: 'no-secret-key', validationActions: ['Deny', 'Audit'] }))).status).toBe(201);
    const denied = await createUntil(body, (res) => res.status === 403);
    expect(denied.json().message).toBe("configmaps \"pw\" is forbidden: ValidatingAdmissionPolicy 'no-secret-key' with binding 'no-secret-key-deny' denied request: no passwords in configmaps");
    const deniedEvent = await complete(String(denied.headers['audit-id']));
    expect(deniedEvent.responseStatus).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(JSON.parse(deniedEvent.annotations[FAILURE])).toEqual([{ message: 'no passwords in configmaps', policy: 'no-secret-key', binding: 'no-secret-key-deny', expressionIndex: 0, validationActions: ['Deny', 'Audit'] }]);
    expect((await server.request('DELETE', `${G}/validatingadmissionpolicybindings/no-secret-key-deny`)).status).toBe(200);
  });

  it('denies when an auditAnnotation fails to evaluate under Fail, and skips it under Ignore', async () => {
    const spec = (failurePolicy: string) => ({
      failurePolicy,
      matchConstraints: rulesFor(`annotation-${failurePolicy.toLowerCase()}`),
      auditAnnotations: [{ key: 'owner', valueExpression: 'object.metadata.labels.owner' }, { key: 'kind', valueExpression: 'object.kind' }],
    });
    for (const failurePolicy of ['Fail', 'Ignore']) {
      const name = `annotation-${failurePolicy.toLowerCase()}`;
      expect((await post(`${G}/validatingadmissionpolicies`, policy(name, spec(failurePolicy)))).status).toBe(201);
      expect((await post(`${G}/validatingadmissionpolicybindings`, binding(name, { policyName: name, validationActions: ['Audit'] }))).status).toBe(201);
    }
    const failing = await createUntil(configMap('unowned', { policy: 'annotation-fail' }, {}), (res) => res.status !== 201);
    expect(failing.status).toBe(422);
    expect(failing.json().message).toMatch(/^configmaps "unowned" is forbidden: ValidatingAdmissionPolicy 'annotation-fail' with binding 'annotation-fail' denied request: expression 'object\.metadata\.labels\.owner' resulted in error: .*owner/);
    // The annotations that did evaluate are still recorded for the denied request.
    expect((await complete(String(failing.headers['audit-id']))).annotations['annotation-fail/kind']).toBe('ConfigMap');

    let ignored!: Awaited<ReturnType<typeof post>>;
    let event: any;
    for (let i = 0; i < 100 && !event?.annotations?.['annotation-ignore/kind']; i++) {
      ignored = await post(CM, configMap(`unowned-${i}`, { policy: 'annotation-ignore' }, {}));
      expect(ignored.status).toBe(201);
      event = await complete(String(ignored.headers['audit-id']));
    }
    expect(event.annotations['annotation-ignore/kind']).toBe('ConfigMap');
    expect(event.annotations['annotation-ignore/owner']).toBeUndefined();
  });
});
