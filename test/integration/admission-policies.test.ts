// ValidatingAdmissionPolicy and its bindings: CEL validations with object, oldObject, request,
// params and namespaceObject; Deny with kube's message and reason, Warn as warnings; config changes
// apply without a restart; custom resources are covered too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const json = { 'content-type': 'application/json' };
const G = '/apis/admissionregistration.k8s.io/v1';
const CM = '/api/v1/namespaces/default/configmaps';

const configMap = (name: string, labels: Record<string, string>, data: Record<string, string> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

describe('ValidatingAdmissionPolicy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (path: string, body: unknown) => server.request('POST', path, { headers: json, body: typeof body === 'string' ? body : JSON.stringify(body) });

  async function eventually(probe: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('condition never held');
  }

  function policy(name: string, spec: Record<string, unknown>) {
    return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec };
  }
  function binding(name: string, spec: Record<string, unknown>) {
    return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec };
  }
  const configmapRules = { resourceRules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }], objectSelector: { matchLabels: { policy: 'small' } } };

  it('serves policies and bindings with kube defaults, validation and columns', async () => {
    const created = await post(`${G}/validatingadmissionpolicies`, policy('defaults', { matchConstraints: configmapRules, validations: [{ expression: 'true' }] }));
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec).toMatchObject({ failurePolicy: 'Fail', matchConstraints: { matchPolicy: 'Equivalent', namespaceSelector: {}, resourceRules: [{ scope: '*' }] } });
    const bad = await post(`${G}/validatingadmissionpolicies`, policy('bad', { validations: [{ expression: 'object.x +', reason: 'Nope' }, { expression: "'s'", message: ' ' }] }));
    expect(bad.status).toBe(422);
    const causes = bad.json().details.causes.map((c: any) => `${c.field}: ${c.message}`);
    expect(causes[0]).toBe('spec.matchConstraints: Required value');
    expect(causes[1]).toMatch(/^spec\.validations\[0\]\.expression: Invalid value: "object\.x \+": compilation failed: /);
    expect(causes.slice(2)).toEqual([
      'spec.validations[0].reason: Unsupported value: "Nope": supported values: "Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"',
      'spec.validations[1].expression: Invalid value: "\'s\'": must evaluate to bool',
      'spec.validations[1].message: Invalid value: " ": message must be non-empty if specified',
    ]);
    const badBinding = await post(`${G}/validatingadmissionpolicybindings`, binding('bad', { validationActions: ['Deny', 'Warn', 'Deny'] }));
    expect(badBinding.json().details.causes.map((c: any) => `${c.field}: ${c.message}`)).toEqual([
      'spec.policyName: Required value',
      'spec.validationActions[2]: Duplicate value: "Deny"',
      'spec.validationActions: Invalid value: []string{"Deny", "Warn", "Deny"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
    ]);
    const table = (await server.request('GET', `${G}/validatingadmissionpolicies/defaults`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json();
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Validations', 'ParamKind', 'Age']);
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['defaults', 1, '<unset>']);
  });

  it('denies with kube\'s message, reason and code; warns with Warn', async () => {
    expect((await post(`${G}/validatingadmissionpolicies`, policy('small-data', {
      matchConstraints: configmapRules,
      validations: [
        { expression: 'size(object.data) <= 2', message: 'at most two keys' },
        { expression: "!has(object.data.forbidden)", messageExpression: "'key forbidden is not allowed in ' + object.metadata.name", reason: 'Forbidden' },
      ],
    }))).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('small-data-deny', { policyName: 'small-data', validationActions: ['Deny'] }))).status).toBe(201);
    let res!: Awaited<ReturnType<typeof post>>;
    await eventually(async () => {
      res = await post(`${CM}?dryRun=All`, configMap('big', { policy: 'small' }, { a: '1', b: '2', c: '3' }));
      return res.status !== 201;
    });
    expect(res.status).toBe(422);
    const message = "configmaps \"big\" is forbidden: ValidatingAdmissionPolicy 'small-data' with binding 'small-data-deny' denied request: at most two keys";
    expect(res.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', details: { name: 'big', kind: 'configmaps', causes: [{ message: message.slice(message.indexOf('ValidatingAdmissionPolicy')) }] }, code: 422 });
    const forbidden = await post(CM, configMap('fb', { policy: 'small' }, { forbidden: 'x' }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.json().reason).toBe('Forbidden');
    expect(forbidden.json().message).toBe("configmaps \"fb\" is forbidden: ValidatingAdmissionPolicy 'small-data' with binding 'small-data-deny' denied request: key forbidden is not allowed in fb");
    expect((await post(CM, configMap('fine', { policy: 'small' }, { a: '1' }))).status).toBe(201);
    expect((await post(CM, configMap('unlabelled', {}, { a: '1', b: '2', c: '3' }))).status).toBe(201);

    // A Warn binding of the same policy warns instead; deleting the Deny binding takes effect without a restart.
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('small-data-warn', { policyName: 'small-data', validationActions: ['Warn'] }))).status).toBe(201);
    expect((await server.request('DELETE', `${G}/validatingadmissionpolicybindings/small-data-deny`)).status).toBe(200);
    let warned!: Awaited<ReturnType<typeof post>>;
    await eventually(async () => {
      warned = await post(`${CM}?dryRun=All`, configMap('big', { policy: 'small' }, { a: '1', b: '2', c: '3' }));
      return warned.status === 201 && warned.headers.warning !== undefined;
    });
    expect(warned.headers.warning).toBe("299 - \"Validation failed for ValidatingAdmissionPolicy 'small-data' with binding 'small-data-warn': at most two keys\"");
    expect((await server.request('DELETE', `${G}/validatingadmissionpolicybindings/small-data-warn`)).status).toBe(200);
  });

  it('evaluates with params, oldObject, request and namespaceObject', async () => {
    expect((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'limited', labels: { tier: 'gold' } } })).status).toBe(201);
    expect((await post('/api/v1/namespaces/limited/configmaps', configMap('limits', {}, { maxKeys: '1' }))).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicies`, policy('param-limit', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }], objectSelector: { matchLabels: { policy: 'param' } } },
      validations: [
        { expression: 'size(object.data) <= int(params.data.maxKeys)', messageExpression: "'too many keys for tier ' + namespaceObject.metadata.labels.tier" },
        { expression: "request.operation != 'UPDATE' || oldObject.data == object.data || request.userInfo.username == 'nobody'", message: 'data is immutable' },
      ],
    }))).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('param-limit', { policyName: 'param-limit', paramRef: { name: 'limits', namespace: 'limited' }, validationActions: ['Deny'] }))).status).toBe(201);
    const path = '/api/v1/namespaces/limited/configmaps';
    let res!: Awaited<ReturnType<typeof post>>;
    await eventually(async () => {
      res = await post(`${path}?dryRun=All`, configMap('two', { policy: 'param' }, { a: '1', b: '2' }));
      return res.status !== 201;
    });
    expect(res.json().message).toBe("configmaps \"two\" is forbidden: ValidatingAdmissionPolicy 'param-limit' with binding 'param-limit' denied request: too many keys for tier gold");
    expect((await post(path, configMap('one', { policy: 'param' }, { a: '1' }))).status).toBe(201);
    const update = await server.request('PATCH', `${path}/one`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ data: { a: '2' } }) });
    expect(update.status).toBe(422);
    expect(update.json().message).toBe("configmaps \"one\" is forbidden: ValidatingAdmissionPolicy 'param-limit' with binding 'param-limit' denied request: data is immutable");
    // A binding whose params are missing denies (parameterNotFoundAction defaults to Deny): a binding
    // configuration error in kube's dispatcher, whatever the binding's validationActions.
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('param-missing', { policyName: 'param-limit', paramRef: { name: 'nope', namespace: 'limited' }, validationActions: ['Deny'] }))).status).toBe(201);
    await eventually(async () => {
      res = await post(`${path}?dryRun=All`, configMap('zero', { policy: 'param' }));
      return res.status !== 201;
    });
    expect(res.json().message).toBe("configmaps \"zero\" is forbidden: ValidatingAdmissionPolicy 'param-limit' with binding 'param-missing' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction");
  });

  it('covers custom resources', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'pumps.policy.example.com' },
      spec: {
        group: 'policy.example.com',
        scope: 'Namespaced',
        names: { plural: 'pumps', singular: 'pump', kind: 'Pump' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { rate: { type: 'integer' } } } } } } }],
      },
    };
    expect((await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicies`, policy('pump-rate', {
      matchConstraints: { resourceRules: [{ operations: ['CREATE'], apiGroups: ['policy.example.com'], apiVersions: ['*'], resources: ['pumps'] }] },
      validations: [{ expression: 'object.spec.rate < 100', message: 'rate too high' }],
    }))).status).toBe(201);
    expect((await post(`${G}/validatingadmissionpolicybindings`, binding('pump-rate', { policyName: 'pump-rate', validationActions: ['Deny'] }))).status).toBe(201);
    const pumps = '/apis/policy.example.com/v1/namespaces/default/pumps';
    const pump = (name: string, rate: number) => ({ apiVersion: 'policy.example.com/v1', kind: 'Pump', metadata: { name }, spec: { rate } });
    let res!: Awaited<ReturnType<typeof post>>;
    await eventually(async () => {
      res = await post(`${pumps}?dryRun=All`, pump('fast', 500));
      return res.status === 422;
    });
    expect(res.json().message).toBe("pumps.policy.example.com \"fast\" is forbidden: ValidatingAdmissionPolicy 'pump-rate' with binding 'pump-rate' denied request: rate too high");
    expect((await post(pumps, pump('slow', 5))).status).toBe(201);
  });
});
