// A policy's CEL validations against one request (kube's validating admission policy validator):
// variables first, then each validation; a false validation fails with its message, its
// messageExpression's result, or "failed expression: <expression>"; an evaluation error is a
// failure under failurePolicy Fail and is ignored under Ignore.
import { compileAdmissionExpression, toCel, type CelProgram } from '../cel/environment.js';
import type { ValidatingAdmissionPolicySpec } from '../../kube-apis/admissionregistration/types.js';

interface CompiledValidation {
  expression: string;
  program?: CelProgram;
  error?: string;
  message?: string;
  messageProgram?: CelProgram;
  reason?: string;
}

export interface CompiledPolicy {
  validations: CompiledValidation[];
  variables: Array<{ name: string; program?: CelProgram }>;
}

const cache = new WeakMap<object, CompiledPolicy>();

export function compilePolicy(spec: ValidatingAdmissionPolicySpec): CompiledPolicy {
  let compiled = cache.get(spec);
  if (!compiled) {
    compiled = {
      validations: (spec.validations ?? []).map((v) => {
        const expression = (v.expression ?? '').trim();
        const { program, error } = compileAdmissionExpression(expression);
        const messageProgram = v.messageExpression ? compileAdmissionExpression(v.messageExpression).program : undefined;
        return { expression, program, error, message: v.message, messageProgram, reason: v.reason };
      }),
      variables: (spec.variables ?? []).map((v) => ({ name: v.name ?? '', program: compileAdmissionExpression(v.expression ?? '').program })),
    };
    cache.set(spec, compiled);
  }
  return compiled;
}

export interface Failure {
  message: string;
  /** The Status reason the validation names ('' → Invalid). */
  reason: string;
}

/** Evaluates the validations; returns the failures (in order). */
export function evaluatePolicy(policy: CompiledPolicy, failurePolicy: string, input: Record<string, unknown>): Failure[] {
  const vars: Record<string, unknown> = {
    object: toCel(input.object ?? null),
    oldObject: toCel(input.oldObject ?? null),
    request: toCel(input.request),
    params: toCel(input.params ?? null),
    namespaceObject: toCel(input.namespaceObject ?? null),
    authorizer: null,
  };
  const variables: Record<string, unknown> = {};
  vars.variables = variables;
  for (const v of policy.variables) {
    try {
      if (v.program) variables[v.name] = v.program(vars);
    } catch {
      // A variable that fails to evaluate is absent: expressions using it fail in turn.
    }
  }
  const failures: Failure[] = [];
  for (const v of policy.validations) {
    let result: unknown;
    try {
      if (!v.program) throw new Error(v.error ?? 'compilation failed');
      result = v.program(vars);
      if (typeof result !== 'boolean') throw new Error(`validation expression must return bool, got ${typeof result}`);
    } catch (err) {
      if (failurePolicy === 'Ignore') continue;
      failures.push({ message: `expression '${v.expression}' resulted in error: ${(err as Error).message.split('\n')[0]}`, reason: '' });
      continue;
    }
    if (result) continue;
    failures.push({ message: messageOf(v, vars), reason: v.reason ?? '' });
  }
  return failures;
}

function messageOf(v: CompiledValidation, vars: Record<string, unknown>): string {
  if (v.messageProgram) {
    try {
      const text = v.messageProgram(vars);
      if (typeof text === 'string' && text.trim() !== '' && !/[\r\n]/.test(text)) return text;
    } catch {
      // falls back to message, as kube does
    }
  }
  if (v.message) return v.message;
  return `failed expression: ${v.expression}`;
}
