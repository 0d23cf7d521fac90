// The audit annotations of ValidatingAdmissionPolicy (kube's validating dispatcher): a failure under a
// binding with the Audit action is recorded as `validation.policy.admission.k8s.io/validation_failure`
// (a JSON list as Go marshals it), and each policy's auditAnnotations as `<policy>/<key>`, the
// distinct values several bindings (or params) produced joined with ", ".
import type { AdmissionAttributes } from '../interface.js';
import type { Failure } from './evaluate.js';

export const VALIDATION_FAILURE_ANNOTATION = 'validation.policy.admission.k8s.io/validation_failure';

/** encoding/json's output: HTML-sensitive characters and the JS line separators escaped. */
export function goJSON(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The annotation's value: a list of one ValidationFailureValue, with Go's field order. */
export function validationFailureAnnotation(policy: string, binding: string, actions: readonly string[], failure: Failure): string {
  return goJSON([{ message: failure.message, policy, binding, expressionIndex: failure.expressionIndex, validationActions: actions }]);
}

export class AuditAnnotationCollector {
  private readonly values = new Map<string, string[]>();

  add(key: string, value: string): void {
    const list = this.values.get(key);
    if (!list) this.values.set(key, [value]);
    else if (!list.includes(value)) list.push(value);
  }

  publish(policy: string, attrs: AdmissionAttributes): void {
    for (const [key, values] of this.values) attrs.addAuditAnnotation?.(`${policy}/${key}`, values.join(', '));
  }
}
