// kube's matchConditions validation (webhooks and policies): at most 64, names qualified and unique,
// expressions compiled in the admission CEL environment and of type bool.
import type { FieldError } from '../../endpoints/status.js';
import { childPath, fieldDuplicate, fieldInvalid, fieldRequired, fieldTooMany, keyPath } from '../../registry/validation/field-errors.js';
import { isQualifiedName } from '../../registry/validation/names.js';
import { compileAdmissionExpression, resultType } from '../../admission/cel/environment.js';
import type { MatchCondition } from './types.js';

const MAX_MATCH_CONDITIONS = 64;

/** A CEL expression that must compile to `expected` (bool, string, ...): kube's validateCELCondition. */
export function validateCelExpression(expression: string, expected: string, path: string, opts: { authorizer?: boolean } = {}): FieldError[] {
  const compiled = compileAdmissionExpression(expression, opts);
  if (compiled.error !== undefined) return [fieldInvalid(path, expression, `compilation failed: ${compiled.error}`)];
  const type = resultType(compiled.program!);
  if (expected !== 'dyn' && type !== undefined && type !== 'dyn' && type !== expected) return [fieldInvalid(path, expression, `must evaluate to ${expected}`)];
  return [];
}

export function validateMatchConditions(conditions: readonly MatchCondition[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (conditions.length > MAX_MATCH_CONDITIONS) errors.push(fieldTooMany(path, conditions.length, MAX_MATCH_CONDITIONS));
  const names = new Set<string>();
  conditions.forEach((condition, i) => {
    const at = keyPath(path, i);
    const expression = (condition.expression ?? '').trim();
    if (expression.length === 0) errors.push(fieldRequired(childPath(at, 'expression')));
    else errors.push(...validateCelExpression(expression, 'bool', childPath(at, 'expression')));
    const name = condition.name ?? '';
    if (name.length === 0) errors.push(fieldRequired(childPath(at, 'name')));
    else for (const msg of isQualifiedName(name)) errors.push(fieldInvalid(childPath(at, 'name'), name, msg));
    if (name.length > 0) {
      if (names.has(name)) errors.push(fieldDuplicate(childPath(at, 'name'), name));
      else names.add(name);
    }
  });
  return errors;
}
