// matchConditions of webhooks and policies (kube's matchconditions.Matcher): every condition must be
// true; one false skips the webhook; an evaluation error follows the failure policy (Ignore skips,
// Fail refuses the request). Asynchronous: the `authorizer` variable asks the server's authorizer.
import { compileAdmissionExpression, type CelProgram } from '../cel/environment.js';
import type { MatchCondition } from '../../kube-apis/admissionregistration/types.js';

const compiled = new WeakMap<object, Array<{ name: string; program?: CelProgram; error?: string }>>();

function compile(conditions: readonly MatchCondition[]) {
  let out = compiled.get(conditions);
  if (!out) {
    out = conditions.map((c) => ({ name: c.name ?? '', ...compileAdmissionExpression(c.expression ?? '') }));
    compiled.set(conditions, out);
  }
  return out;
}

export type ConditionResult = { matches: true } | { matches: false } | { error: string };

/** Evaluates the conditions against the CEL variables (object, oldObject, request, ...). */
export async function evaluateMatchConditions(conditions: readonly MatchCondition[] | null | undefined, variables: Record<string, unknown>, failurePolicy: string): Promise<ConditionResult> {
  if (!conditions || conditions.length === 0) return { matches: true };
  const errors: string[] = [];
  for (const condition of compile(conditions)) {
    if (!condition.program) {
      errors.push(`compilation failed for matchCondition '${condition.name}': ${condition.error}`);
      continue;
    }
    try {
      const value = await condition.program(variables);
      if (value === false) return { matches: false };
      if (value !== true) errors.push(`matchCondition '${condition.name}' must evaluate to bool`);
    } catch (err) {
      errors.push(`matchCondition '${condition.name}' failed to evaluate: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (errors.length === 0) return { matches: true };
  if (failurePolicy === 'Ignore') return { matches: false };
  return { error: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` };
}
