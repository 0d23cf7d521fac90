// A policy's CEL against one request and one parameter object (kube's validating admission policy
// validator): matchConditions, then variables, then each validation, then the auditAnnotations. A
// false validation fails with its message, its messageExpression's result, or "failed expression:
// <expression>"; an evaluation error is a failure under failurePolicy Fail and is ignored under Ignore.
// Evaluation is asynchronous: the `authorizer` variable asks the server's authorizer.
import { compileAdmissionExpression, type CelProgram } from '../cel/environment.js';
import { evaluateMatchConditions } from '../webhook/conditions.js';
import type { ValidatingAdmissionPolicySpec } from '../../kube-apis/admissionregistration/types.js';

interface CompiledValidation {
  expression: string;
  program?: CelProgram;
  error?: string;
  message?: string;
  messageProgram?: CelProgram;
  reason?: string;
}

interface CompiledAuditAnnotation {
  key: string;
  valueExpression: string;
  program?: CelProgram;
  error?: string;
}

export interface CompiledPolicy {
  validations: CompiledValidation[];
  variables: Array<{ name: string; program?: CelProgram }>;
  auditAnnotations: CompiledAuditAnnotation[];
}

const cache = new WeakMap<object, CompiledPolicy>();

export function compilePolicy(spec: ValidatingAdmissionPolicySpec): CompiledPolicy {
  let compiled = cache.get(spec);
  if (!compiled) {
    compiled = {
      validations: (spec.validations ?? []).map((v) => {
        const expression = (v.expression ?? '').trim();
        const { program, error } = compileAdmissionExpression(expression);
        // kube compiles messageExpressions without the authorizer.
        const messageProgram = v.messageExpression ? compileAdmissionExpression(v.messageExpression, { authorizer: false }).program : undefined;
        return { expression, program, error, message: v.message, messageProgram, reason: v.reason };
      }),
      variables: (spec.variables ?? []).map((v) => ({ name: v.name ?? '', program: compileAdmissionExpression(v.expression ?? '').program })),
      auditAnnotations: (spec.auditAnnotations ?? []).map((a) => {
        const valueExpression = a.valueExpression ?? '';
        return { key: a.key ?? '', valueExpression, ...compileAdmissionExpression(valueExpression) };
      }),
    };
    cache.set(spec, compiled);
  }
  return compiled;
}

/** A validation that did not pass (kube's PolicyDecision with action Deny). */
export interface Failure {
  message: string;
  /** The Status reason the validation names ('' → Invalid). */
  reason: string;
  /** The validation's index in spec.validations (0 for a failed matchCondition). */
  expressionIndex: number;
}

/** An auditAnnotation's outcome: a value to publish, or an error (which denies under failurePolicy Fail). */
export type AuditAnnotationResult = { key: string; value: string } | { key: string; error: string };

export interface PolicyResult {
  failures: Failure[];
  auditAnnotations: AuditAnnotationResult[];
}

/** The longest audit annotation value kube records; longer ones are cut. */
const MAX_AUDIT_ANNOTATION_VALUE_LENGTH = 10 * 1024;

/** Evaluates the policy for one parameter object; `vars` are the CEL variables (object, request, authorizer, ...). */
export async function evaluatePolicy(spec: ValidatingAdmissionPolicySpec, failurePolicy: string, vars: Record<string, unknown>): Promise<PolicyResult> {
  const policy = compilePolicy(spec);
  const variables: Record<string, unknown> = {};
  const ctx = { ...vars, variables };
  if (spec.matchConditions && spec.matchConditions.length > 0) {
    const matched = await evaluateMatchConditions(spec.matchConditions, ctx, failurePolicy);
    if ('error' in matched) return { failures: [{ message: matched.error, reason: '', expressionIndex: 0 }], auditAnnotations: [] };
    if (!matched.matches) return { failures: [], auditAnnotations: [] };
  }
  for (const v of policy.variables) {
    try {
      if (v.program) variables[v.name] = await v.program(ctx);
    } catch {
      // A variable that fails to evaluate is absent: expressions using it fail in turn.
    }
  }
  const failures: Failure[] = [];
  for (const [index, v] of policy.validations.entries()) {
    let result: unknown;
    try {
      if (!v.program) throw new Error(v.error ?? 'compilation failed');
      result = await v.program(ctx);
      if (typeof result !== 'boolean') throw new Error(`validation expression must return bool, got ${typeof result}`);
    } catch (err) {
      if (failurePolicy === 'Ignore') continue;
      failures.push({ message: `expression '${v.expression}' resulted in error: ${firstLine(err)}`, reason: '', expressionIndex: index });
      continue;
    }
    if (result) continue;
    failures.push({ message: await messageOf(v, ctx), reason: v.reason ?? '', expressionIndex: index });
  }
  const auditAnnotations: AuditAnnotationResult[] = [];
  // kube evaluates auditAnnotations without binding the authorizer.
  const annotationCtx = { ...ctx, authorizer: null };
  for (const a of policy.auditAnnotations) {
    let value: unknown;
    try {
      if (!a.program) throw new Error(a.error ?? 'compilation failed');
      value = await a.program(annotationCtx);
    } catch (err) {
      if (failurePolicy !== 'Ignore') auditAnnotations.push({ key: a.key, error: `expression '${a.valueExpression}' resulted in error: ${firstLine(err)}` });
      continue;
    }
    if (value === null) continue;
    if (typeof value !== 'string') {
      auditAnnotations.push({ key: a.key, error: `valueExpression '${a.valueExpression}' resulted in unsupported return type: ${celTypeName(value)}. Return type must be either string or null.` });
      continue;
    }
    const trimmed = value.trim();
    if (trimmed) auditAnnotations.push({ key: a.key, value: trimmed.slice(0, MAX_AUDIT_ANNOTATION_VALUE_LENGTH) });
  }
  return { failures, auditAnnotations };
}

async function messageOf(v: CompiledValidation, vars: Record<string, unknown>): Promise<string> {
  if (v.messageProgram) {
    try {
      const text = await v.messageProgram(vars);
      if (typeof text === 'string' && text.trim() !== '' && !/[\r\n]/.test(text)) return text.trim();
    } catch {
      // falls back to message, as kube does
    }
  }
  if (v.message) return v.message.trim();
  return `failed expression: ${v.expression}`;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** The CEL type name of a value, as cel-go prints it in kube's messages. */
function celTypeName(value: unknown): string {
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object') return 'map';
  return typeof value;
}
