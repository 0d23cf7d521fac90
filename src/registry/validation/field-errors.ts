// Field errors as k8s.io/apimachinery/pkg/util/validation/field (kube 1.32) builds and prints them.
// `detail` is field.Error.ErrorBody(): "<type text>[: <value>][: <detail>]"; Error() is
// "<field>: <body>". Values print as goBadValue does (see go-value.ts).
import type { FieldError, FieldErrorType } from '../../endpoints/status.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { goBadValue, OMIT_VALUE } from './go-value.js';

export { GoLiteral, OMIT_VALUE, goBadValue, goStringSlice, goTime } from './go-value.js';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

function withValue(type: FieldErrorType, field: string, value: unknown, detail: string): FieldError {
  const body = value === OMIT_VALUE ? TYPE_TEXT[type] : `${TYPE_TEXT[type]}: ${goBadValue(value)}`;
  return { type, field, detail: detail ? `${body}: ${detail}` : body };
}

/** Required, Forbidden, TooLong and Internal errors never print their value. */
function withoutValue(type: FieldErrorType, field: string, detail: string): FieldError {
  return { type, field, detail: detail ? `${TYPE_TEXT[type]}: ${detail}` : TYPE_TEXT[type] };
}

/** field.Invalid */
export const fieldInvalid = (field: string, value: unknown, detail: string): FieldError => withValue('FieldValueInvalid', field, value, detail);
/** field.TypeInvalid: printed as "Invalid value", typed FieldValueTypeInvalid. */
export const fieldTypeInvalid = (field: string, value: unknown, detail: string): FieldError => withValue('FieldValueTypeInvalid', field, value, detail);
/** field.Duplicate */
export const fieldDuplicate = (field: string, value: unknown): FieldError => withValue('FieldValueDuplicate', field, value, '');
/** field.NotFound */
export const fieldNotFound = (field: string, value: unknown): FieldError => withValue('FieldValueNotFound', field, value, '');
/** field.Required */
export const fieldRequired = (field: string, detail = ''): FieldError => withoutValue('FieldValueRequired', field, detail);
/** field.Forbidden */
export const fieldForbidden = (field: string, detail: string): FieldError => withoutValue('FieldValueForbidden', field, detail);
/** field.InternalError: the detail is the error's text. */
export const fieldInternal = (field: string, detail: string): FieldError => withoutValue('InternalError', field, detail);

/** field.NotSupported: each valid value as strconv.Quote(fmt.Sprint(v)), in the order given. */
export function fieldNotSupported(field: string, value: unknown, valid: readonly (string | number | boolean)[]): FieldError {
  const detail = valid.length > 0 ? `supported values: ${valid.map((v) => goQuote(String(v))).join(', ')}` : '';
  return withValue('FieldValueNotSupported', field, value, detail);
}

/** field.TooLong: the value is never printed; a negative limit is not stated. */
export function fieldTooLong(field: string, maxLength: number): FieldError {
  return withoutValue('FieldValueTooLong', field, maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long');
}

/** field.TooMany: a negative actual count is omitted, a negative limit is not stated. */
export function fieldTooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} items` : 'has too many items';
  return withValue('FieldValueTooMany', field, actual >= 0 ? actual : OMIT_VALUE, detail);
}

/** field.Error.Error(): "<field>: <body>". */
export function fieldErrorText(error: FieldError): string {
  return `${error.field}: ${error.detail}`;
}

/**
 * ErrorList.ToAggregate().Error(): one error as itself, several as "[a, b]", repeated texts once.
 * Returns '' for no errors (kube returns a nil error then).
 */
export function aggregateText(errors: readonly FieldError[]): string {
  const texts = [...new Set(errors.map(fieldErrorText))];
  return texts.length === 1 ? texts[0] : texts.length === 0 ? '' : `[${texts.join(', ')}]`;
}

/** field.Path's Child: "a.b" (a child of the root is just its name). */
export function childPath(parent: string, child: string): string {
  return parent ? `${parent}.${child}` : child;
}

/** field.Path's Index and Key: "a[0]", "a[key]" (kube does not quote keys). */
export function keyPath(parent: string, key: string | number): string {
  return `${parent}[${key}]`;
}
