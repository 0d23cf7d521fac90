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
});
