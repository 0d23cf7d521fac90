// Field errors rendered as k8s.io/apimachinery's field.Error: "<type>: <value>: <detail>", with the
// value printed the way Go's fmt does for the value's type (strings quoted, numbers and booleans bare).
import type { FieldError, FieldErrorType } from '../../endpoints/status.js';

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

/** How Go prints a JSON value with %v / %q / %#v in field errors. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(formatValue).join(', ')}}`;
  return `map[string]interface {}{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${formatValue(v)}`).join(', ')}}`;
}

function withValue(type: FieldErrorType, field: string, value: unknown, detail: string): FieldError {
  const body = `${TYPE_TEXT[type]}: ${formatValue(value)}`;
  return { type, field, detail: detail ? `${body}: ${detail}` : body };
}

function withoutValue(type: FieldErrorType, field: string, detail: string): FieldError {
  return { type, field, detail: detail ? `${TYPE_TEXT[type]}: ${detail}` : TYPE_TEXT[type] };
}

export const fieldInvalid = (field: string, value: unknown, detail: string) => withValue('FieldValueInvalid', field, value, detail);
export const fieldDuplicate = (field: string, value: unknown) => withValue('FieldValueDuplicate', field, value, '');
export const fieldNotFound = (field: string, value: unknown) => withValue('FieldValueNotFound', field, value, '');
export const fieldRequired = (field: string, detail = '') => withoutValue('FieldValueRequired', field, detail);
export const fieldForbidden = (field: string, detail: string) => withoutValue('FieldValueForbidden', field, detail);
export const fieldInternal = (field: string, detail: string) => withoutValue('InternalError', field, detail);

/** field.NotSupported: the valid values quoted, in the order given. */
export function fieldNotSupported(field: string, value: unknown, valid: string[]): FieldError {
  const detail = valid.length > 0 ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return withValue('FieldValueNotSupported', field, value, detail);
}

/** field.TooLong: kube omits the value and says the limit. */
export function fieldTooLong(field: string, maxLength: number): FieldError {
  return withoutValue('FieldValueTooLong', field, `may not be more than ${maxLength} bytes`);
}

export function fieldTooMany(field: string, actual: number, max: number): FieldError {
  return withValue('FieldValueTooMany', field, actual, `must have at most ${max} items`);
}

/** A child path as kube's field.Path prints it: "a.b", "a[0]", "a[key]". */
export function childPath(parent: string, child: string): string {
  return parent ? `${parent}.${child}` : child;
}

export function keyPath(parent: string, key: string | number): string {
  return `${parent}[${key}]`;
}
