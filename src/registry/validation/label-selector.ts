// v1validation.ValidateLabelSelector (kube 1.32): what a metav1.LabelSelector in an object's body must
// satisfy (workload selectors, webhook namespaceSelectors, ...), as field errors.
import type { FieldError } from '../../endpoints/status.js';
import { childPath, fieldForbidden, fieldInvalid, fieldRequired, keyPath } from './field-errors.js';
import { isValidLabelValue } from './names.js';
import { validateLabelName, validateLabels } from './object-meta.js';
import type { MetaLabelSelector } from '../selectors/label-selector.js';

export interface LabelSelectorValidationOptions {
  /** Allow operators other than In, NotIn, Exists, DoesNotExist (kept for stored objects). */
  allowUnknownOperatorInRequirement?: boolean;
  /** Allow values that are not valid label values (kept for stored objects). */
  allowInvalidLabelValueInSelector?: boolean;
}

type Expression = NonNullable<MetaLabelSelector['matchExpressions']>[number];

/** ValidateLabelSelectorRequirement */
export function validateLabelSelectorRequirement(expr: Expression, opts: LabelSelectorValidationOptions, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const values = expr.values ?? [];
  switch (expr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(fieldRequired(childPath(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errors.push(fieldForbidden(childPath(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      if (!opts.allowUnknownOperatorInRequirement) errors.push(fieldInvalid(childPath(path, 'operator'), expr.operator ?? '', 'not a valid selector operator'));
  }
  errors.push(...validateLabelName(expr.key ?? '', childPath(path, 'key')));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((value, i) => {
      for (const msg of isValidLabelValue(value)) errors.push(fieldInvalid(keyPath(childPath(path, 'values'), i), value, msg));
    });
  }
  return errors;
}

/** ValidateLabelSelector: nothing to check for a null selector. */
export function validateLabelSelector(selector: MetaLabelSelector | null | undefined, opts: LabelSelectorValidationOptions, path: string): FieldError[] {
  if (!selector) return [];
  const errors = validateLabels(selector.matchLabels, childPath(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    errors.push(...validateLabelSelectorRequirement(expr, opts, keyPath(childPath(path, 'matchExpressions'), i)));
  });
  return errors;
}
