// Validation ratcheting on update (CRDValidationRatcheting, on by default in 1.32; apiextensions-apiserver
// v0.32.9 pkg/apiserver/validation/ratcheting.go and pkg/registry/customresource/strategy.go):
// - schema errors of a node whose value is deep-equal to its correlated old value are dropped (the
//   validator does this when given the old object: validator.ts);
// - CEL rules without oldSelf do not fail on unchanged values (cel.ts);
// - list-type set/map uniqueness is only checked when the old object satisfied it.
import type { FieldError } from '../../endpoints/status.js';
import { validateListSetsAndMaps } from './listtype.js';
import type { JSONSchemaProps } from './types.js';

/** The list-type errors of an update: none when the old object already broke the invariant. */
export function ratchetedListTypeErrors(schema: JSONSchemaProps, obj: unknown, old: unknown): FieldError[] {
  if (validateListSetsAndMaps('', schema, old).length > 0) return [];
  return validateListSetsAndMaps('', schema, obj);
}

/** kube's hasBlockingErr: CEL rules are skipped when these errors exist (the object may be mistyped). */
export function hasBlockingError(errs: FieldError[]): boolean {
  return errs.some((e) => e.type === 'FieldValueNotSupported' || e.type === 'FieldValueRequired' || e.type === 'FieldValueTooLong' || e.type === 'FieldValueTooMany' || e.type === 'FieldValueTypeInvalid');
}

export const BLOCKING_ERROR_DETAIL = 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
