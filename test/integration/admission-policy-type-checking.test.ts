// ValidatingAdmissionPolicy status as kube's status controller writes it: observedGeneration, and
// typeChecking.expressionWarnings for expressions that select fields the matched kinds' schemas do not
// declare (built-in kinds and custom resources, object and params), with kube's fieldRef and warning
// text ("<group>/<version>, Kind=<kind>: ERROR: <input>:1:7: undefined field 'x'\n | ...\n | ...^\n",
// one block per kind); wildcard rules are not checked; a new generation is checked again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const json = { 'content-type': 'application/json' };
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';

const rule = (apiGroups: string[], apiVersions: string[], resources: string[]) => ({ operations: ['CREATE'], apiGroups, apiVersions, resources });
const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec });

describe('ValidatingAdmissionPolicy status.typeChecking', () => {
  let server: TestServer;
  const post = (path: string, body: unknown) => server.request('POST', path, { headers: json, body: JSON.stringify(body) });

  async function statusOf(name: string, generation: number): Promise<any> {
    for (let i = 0; i < 250; i++) {
      const got = (await server.request('GET', `${VAP}/${name}`)).json();
      if (got.status?.observedGeneration === generation) return got.status;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`policy ${name} never observed generation ${generation}`);
  }

  beforeAll(async () => {
    server = await startTestServer();
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gizmos.tc.example.com' },
      spec: {
        group: 'tc.example.com',
        scope: 'Namespaced',
        names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    expect((await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    for (let i = 0; i < 250; i++) {
      if ((await server.request('GET', '/apis/tc.example.com/v1')).status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('warns about undefined fields of a built-in kind, in expressions and messageExpressions', async () => {
    const created = await post(VAP, policy('tc-configmap', {
      matchConstraints: { resourceRules: [rule([''], ['v1'], ['configmaps'])] },
      validations: [
        { expression: 'object.replicas > 1' },
        { expression: "size(object.data) >= 0 && object.metadata.labels.tier == 'gold' && oldObject.metadata.name != ''" },
        { expression: 'true', messageExpression: "'bad ' + object.spec.x" },
      ],
    }));
    expect(created.status).toBe(201);
    expect(created.json().status).toBeUndefined();
    expect(await statusOf('tc-configmap', 1)).toEqual({
      observedGeneration: 1,
      typeChecking: {
        expressionWarnings: [
          { fieldRef: 'spec.validations[0].expression', warning: "/v1, Kind=ConfigMap: ERROR: <input>:1:7: undefined field 'replicas'\n | object.replicas > 1\n | ......^\n" },
          { fieldRef: 'spec.validations[2].messageExpression', warning: "/v1, Kind=ConfigMap: ERROR: <input>:1:16: undefined field 'spec'\n | 'bad ' + object.spec.x\n | ...............^\n" },
        ],
      },
    });
  });

  it('checks every matched kind, one block each; params against the paramKind', async () => {
    expect((await post(VAP, policy('tc-multi', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: [rule([''], ['v1'], ['secrets', 'configmaps', 'configmaps/status'])] },
      validations: [
        { expression: "object.type == 'Opaque'" },
        { expression: 'object.nothing == 1' },
        { expression: "params.data.max == '1' && params.spec == null" },
      ],
    }))).status).toBe(201);
    const status = await statusOf('tc-multi', 1);
    expect(status.typeChecking.expressionWarnings).toEqual([
      { fieldRef: 'spec.validations[0].expression', warning: "/v1, Kind=ConfigMap: ERROR: <input>:1:7: undefined field 'type'\n | object.type == 'Opaque'\n | ......^\n" },
      {
        fieldRef: 'spec.validations[1].expression',
        warning: "/v1, Kind=ConfigMap: ERROR: <input>:1:7: undefined field 'nothing'\n | object.nothing == 1\n | ......^\n\n/v1, Kind=Secret: ERROR: <input>:1:7: undefined field 'nothing'\n | object.nothing == 1\n | ......^\n",
      },
      {
        fieldRef: 'spec.validations[2].expression',
        warning: "/v1, Kind=ConfigMap: ERROR: <input>:1:33: undefined field 'spec'\n | params.data.max == '1' && params.spec == null\n | ................................^\n\n/v1, Kind=Secret: ERROR: <input>:1:33: undefined field 'spec'\n | params.data.max == '1' && params.spec == null\n | ................................^\n",
      },
    ]);
  });

  it('checks custom resources against their schema; wildcards are not checked; a new generation is checked again', async () => {
    expect((await post(VAP, policy('tc-gizmo', {
      matchConstraints: { resourceRules: [rule(['tc.example.com'], ['v1'], ['gizmos'])] },
      validations: [{ expression: "object.spec.size > 0 && object.metadata.name != ''" }, { expression: "object.spec.color == 'red'" }],
    }))).status).toBe(201);
    expect((await statusOf('tc-gizmo', 1)).typeChecking).toEqual({
      expressionWarnings: [{ fieldRef: 'spec.validations[1].expression', warning: "tc.example.com/v1, Kind=Gizmo: ERROR: <input>:1:12: undefined field 'color'\n | object.spec.color == 'red'\n | ...........^\n" }],
    });
    const current = (await server.request('GET', `${VAP}/tc-gizmo`)).json();
    current.spec.validations = [{ expression: 'object.spec.size > 0' }];
    expect((await server.request('PUT', `${VAP}/tc-gizmo`, { headers: json, body: JSON.stringify(current) })).status).toBe(200);
    expect(await statusOf('tc-gizmo', 2)).toEqual({ observedGeneration: 2, typeChecking: {} });

    expect((await post(VAP, policy('tc-wildcard', {
      matchConstraints: { resourceRules: [rule(['*'], ['v1'], ['configmaps'])] },
      validations: [{ expression: 'object.replicas > 1' }],
    }))).status).toBe(201);
    expect(await statusOf('tc-wildcard', 1)).toEqual({ observedGeneration: 1, typeChecking: {} });

    // A policy deleted and created again under the same name is checked again.
    expect((await server.request('DELETE', `${VAP}/tc-gizmo`)).status).toBe(200);
    expect((await post(VAP, policy('tc-gizmo', { matchConstraints: { resourceRules: [rule(['tc.example.com'], ['v1'], ['gizmos'])] }, validations: [{ expression: 'object.spec.weight > 0' }] }))).status).toBe(201);
    expect((await statusOf('tc-gizmo', 1)).typeChecking.expressionWarnings[0].warning).toMatch(/^tc\.example\.com\/v1, Kind=Gizmo: ERROR: <input>:1:12: undefined field 'weight'\n/);
  });
});
