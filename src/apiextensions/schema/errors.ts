// field.Error constructors (k8s.io/apimachinery/pkg/util/validation/field, v0.32) with Go's rendering
// of bad values (go-format.ts): the detail is what follows "<field>: ".
import type { FieldError, FieldErrorType } from '../../endpoints/status.js';
import { goBadValue, goQuote } from './go-format.js';

const TEXT: Record<FieldErrorType, string> = {
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
  const body = `${TEXT[type]}: ${goBadValue(value)}`;
  return { type, field, detail: detail ? `${body}: ${detail}` : body };
}

function withoutValue(type: FieldErrorType, field: string, detail: string): FieldError {
  return { type, field, detail: detail ? `${TEXT[type]}: ${detail}` : TEXT[type] };
}

export const invalid = (field: string, value: unknown, detail: string) => withValue('FieldValueInvalid', field, value, detail);
export const typeInvalid = (field: string, value: unknown, detail: string) => withValue('FieldValueTypeInvalid', field, value, detail);
export const duplicate = (field: string, value: unknown) => withValue('FieldValueDuplicate', field, value, '');
export const required = (field: string, detail = '') => withoutValue('FieldValueRequired', field, detail);
export const forbidden = (field: string, detail: string) => withoutValue('FieldValueForbidden', field, detail);
export const internalError = (field: string, detail: string) => withoutValue('InternalError', field, detail);
export const tooLong = (field: string, max: number) => withoutValue('FieldValueTooLong', field, max >= 0 ? `may not be more than ${max} bytes` : 'value is too long');
export const tooMany = (field: string, actual: number, max: number) => withValue('FieldValueTooMany', field, actual, `must have at most ${max} items`);

/** field.Invalid with the bad value already rendered as Go prints its static type (e.g. []string{"a"}). */
export function invalidRendered(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `${TEXT.FieldValueInvalid}: ${rendered}: ${detail}` };
}

/** %#v of a Go []string. */
export const goStringSlice = (values: string[]) => `[]string{${values.map(goQuote).join(', ')}}`;

/** field.NotSupported: valid values through strconv.Quote(fmt.Sprint(v)). */
export function notSupported(field: string, value: unknown, valid: string[]): FieldError {
  return withValue('FieldValueNotSupported', field, value, valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : '');
}

/** The text kube shows for one error: "<field>: <detail>". */
export function errorText(e: FieldError): string {
  return e.field ? `${e.field}: ${e.detail}` : e.detail;
}

/** field.Path rendering helpers: a.b, a[0], a[key]. */
export const child = (path: string, name: string) => (path ? `${path}.${name}` : name);
export const index = (path: string, i: number | string) => `${path}[${i}]`;
