// A label selector requirement as k8s.io/apimachinery/pkg/labels builds (NewRequirement, with its
// validation and kube's messages), matches and prints it (kube 1.32).
import { fieldInvalid, fieldNotSupported, goStringSlice, aggregateText, keyPath, childPath } from '../validation/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import type { FieldError } from '../../endpoints/status.js';
import { compareBytes } from '../validation/go-value.js';

/** selection.Operator values. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const VALID_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, 'exists', '!'];

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** As given (the parser gives them sorted and without repeats). */
  readonly values: readonly string[];
}

/** An error whose text is kube's error text for the same input. */
export class SelectorError extends Error {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64) succeeding. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** validateLabelKey: the key as IsQualifiedName checks it. */
export function labelKeyError(key: string, path: string): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length > 0 ? fieldInvalid(path, key, errs.join('; ')) : undefined;
}

/**
 * labels.NewRequirement. `path` is the field.Path the caller passed (none, in the REST layer and in
 * LabelSelectorAsSelector: then a child of it prints as just "key" / "values").
 */
export function newRequirement(key: string, operator: Operator, valuesOrNil: readonly string[] | null, path = ''): Requirement {
  // A nil slice (null) and an empty one behave alike but print differently: []string(nil) / []string{}.
  const values = valuesOrNil ?? [];
  const errors: FieldError[] = [];
  const keyError = labelKeyError(key, childPath(path, 'key'));
  if (keyError) errors.push(keyError);
  const valuesPath = childPath(path, 'values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errors.push(fieldInvalid(valuesPath, goStringSlice(valuesOrNil), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errors.push(fieldInvalid(valuesPath, goStringSlice(valuesOrNil), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errors.push(fieldInvalid(valuesPath, goStringSlice(valuesOrNil), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errors.push(fieldInvalid(valuesPath, goStringSlice(valuesOrNil), "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errors.push(fieldInvalid(keyPath(valuesPath, i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errors.push(fieldNotSupported(childPath(path, 'operator'), String(operator), VALID_OPERATORS));
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) errors.push(fieldInvalid(keyPath(keyPath(valuesPath, i), key), v, msgs.join('; ')));
  });
  if (errors.length > 0) throw new SelectorError(aggregateText(errors));
  return { key, operator, values: [...values] };
}

/** Requirement.Matches */
export function matchesRequirement(r: Requirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && labels !== null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : '';
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

const OPERATOR_TEXT: Record<Operator, string> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '' };

/** Requirement.String: values printed sorted, set operators in parentheses. */
export function requirementString(r: Requirement): string {
  const head = `${r.operator === '!' ? '!' : ''}${r.key}${OPERATOR_TEXT[r.operator]}`;
  if (r.operator === 'exists' || r.operator === '!') return head;
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort(compareBytes).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${head}(${values})` : `${head}${values}`;
}
