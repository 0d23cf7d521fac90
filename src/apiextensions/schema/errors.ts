// field.Error constructors for the CRD schema code: the shared field-error library
// (src/registry/validation/field-errors.ts) under the names this package uses.
import type { FieldError } from '../../endpoints/status.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import {
  fieldDuplicate, fieldForbidden, fieldInternal, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooLong, fieldTooMany,
  fieldTypeInvalid, fieldErrorText, childPath, keyPath,
} from '../../registry/validation/field-errors.js';

export const invalid = fieldInvalid;
export const typeInvalid = fieldTypeInvalid;
export const duplicate = fieldDuplicate;
export const required = fieldRequired;
export const forbidden = fieldForbidden;
export const internalError = fieldInternal;
export const tooLong = (field: string, max: number): FieldError =>
  fieldTooLong(field, max);
export const tooMany = fieldTooMany;
export const notSupported = (field: string, value: unknown, valid: string[]): FieldError => fieldNotSupported(field, value, valid);
export const errorText = fieldErrorText;
export const child = childPath;
export const index = keyPath;

/** field.Invalid with the bad value already rendered as Go prints its static type (e.g. []string{"a"}). */
export function invalidRendered(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

/** %#v of a Go []string. */
export const goStringSlice = (values: string[]) => `[]string{${values.map(goQuote).join(', ')}}`;
