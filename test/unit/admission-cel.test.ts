// The admission CEL environment: kube's variables (object, oldObject, request, params, ...) typed dyn.
import { describe, expect, it } from 'vitest';
import { compileAdmissionExpression, toCel } from '../../src/admission/cel/environment.js';

const vars = (extra: Record<string, unknown>) => ({ object: null, oldObject: null, request: {}, params: null, namespaceObject: null, authorizer: null, variables: {}, ...extra });

describe('admission CEL', () => {
  it('evaluates expressions over object and request', () => {
    const c = compileAdmissionExpression("object.metadata.name == 'x' && request.operation == 'CREATE'");
    expect(c.error).toBeUndefined();
    expect(c.program!(vars({ object: toCel({ metadata: { name: 'x' } }), request: { operation: 'CREATE' } }))).toBe(true);
  });

  it('treats integral numbers as ints', () => {
    const c = compileAdmissionExpression('has(object.spec) && object.spec.replicas > 2');
    expect(c.program!(vars({ object: toCel({ spec: { replicas: 3 } }) }))).toBe(true);
  });

  it('refuses undeclared references and syntax errors', () => {
    expect(compileAdmissionExpression('foo == 1').error).toBeTruthy();
    expect(compileAdmissionExpression('object.x +').error).toBeTruthy();
  });

  it('types request and namespaceObject as kube declares them: undefined fields do not compile', () => {
    expect(compileAdmissionExpression("request.foo == 'x'").error).toBe("ERROR: <input>:1:8: undefined field 'foo'\n | request.foo == 'x'\n | .......^");
    expect(compileAdmissionExpression("namespaceObject.metadata.uid == ''").error).toBe("ERROR: <input>:1:25: undefined field 'uid'\n | namespaceObject.metadata.uid == ''\n | ........................^");
    for (const ok of [
      "request.userInfo.extra['scopes'][0] == 'x' && request.userInfo.groups.exists(g, g == 'dev')",
      "request.kind.group == '' && request.requestResource.resource == 'pods' && request.subResource == ''",
      "request.options.fieldManager == 'kubectl' && request.dryRun",
      "request.namespace == 'x' && namespaceObject.metadata.namespace == ''",
      "namespaceObject.metadata.labels.tier == 'gold' && namespaceObject.metadata.UID != '' && namespaceObject.status.phase == 'Active'",
    ]) expect(compileAdmissionExpression(ok).error).toBeUndefined();
  });
});
