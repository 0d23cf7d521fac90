// Field errors printed as kube-apiserver 1.32 prints them (field.Error.ErrorBody and ErrorList
// aggregation): every expected text below is what k8s.io/apimachinery v0.32 printed for the same
// value, decoded from JSON as kube decodes unstructured objects (integers int64, other numbers float64).
import { describe, expect, it } from 'vitest';
import {
  aggregateText,
  fieldDuplicate,
  fieldErrorText,
  fieldForbidden,
  fieldInternal,
  fieldInvalid,
  fieldNotFound,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  fieldTypeInvalid,
  goStringSlice,
  goTime,
  childPath,
  keyPath,
} from '../../src/registry/validation/field-errors.js';
import { newInvalid } from '../../src/endpoints/status.js';

/**
 * [JSON value, Invalid(…, "bad"), NotSupported(…, ["A", "b c", "q\""]), Duplicate, NotFound].
 * Known difference: an integral number written with an exponent ("1e6") is a float64 to kube
 * (printed 1e+06); JSON.parse cannot tell it from 1000000, which we print as kube prints an int64.
 */
const VALUES: Array<[unknown, string, string, string, string]> = [
  ["s", "Invalid value: \"s\": bad", "Unsupported value: \"s\": supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: \"s\"", "Not found: \"s\""],
  ["", "Invalid value: \"\": bad", "Unsupported value: \"\": supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: \"\"", "Not found: \"\""],
  ["null", "Invalid value: \"null\": bad", "Unsupported value: \"null\": supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: \"null\"", "Not found: \"null\""],
  [null, "Invalid value: \"null\": bad", "Unsupported value: \"null\": supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: \"null\"", "Not found: \"null\""],
  [1, "Invalid value: 1: bad", "Unsupported value: 1: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 1", "Not found: 1"],
  [-7, "Invalid value: -7: bad", "Unsupported value: -7: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: -7", "Not found: -7"],
  [0, "Invalid value: 0: bad", "Unsupported value: 0: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 0", "Not found: 0"],
  [1.5, "Invalid value: 1.5: bad", "Unsupported value: 1.5: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 1.5", "Not found: 1.5"],
  [1000000, "Invalid value: 1000000: bad", "Unsupported value: 1000000: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 1000000", "Not found: 1000000"],
  [123456.5, "Invalid value: 123456.5: bad", "Unsupported value: 123456.5: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 123456.5", "Not found: 123456.5"],
  [1e-07, "Invalid value: 1e-07: bad", "Unsupported value: 1e-07: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 1e-07", "Not found: 1e-07"],
  [0.0001, "Invalid value: 0.0001: bad", "Unsupported value: 0.0001: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 0.0001", "Not found: 0.0001"],
  [1e+21, "Invalid value: 1e+21: bad", "Unsupported value: 1e+21: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 1e+21", "Not found: 1e+21"],
  [12345678901234567890, "Invalid value: 1.2345678901234567e+19: bad", "Unsupported value: 1.2345678901234567e+19: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 1.2345678901234567e+19", "Not found: 1.2345678901234567e+19"],
  [true, "Invalid value: true: bad", "Unsupported value: true: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: true", "Not found: true"],
  [false, "Invalid value: false: bad", "Unsupported value: false: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: false", "Not found: false"],
  [[], "Invalid value: []interface {}{}: bad", "Unsupported value: []interface {}{}: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: []interface {}{}", "Not found: []interface {}{}"],
  [["a", 1, true, null], "Invalid value: []interface {}{\"a\", 1, true, interface {}(nil)}: bad", "Unsupported value: []interface {}{\"a\", 1, true, interface {}(nil)}: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: []interface {}{\"a\", 1, true, interface {}(nil)}", "Not found: []interface {}{\"a\", 1, true, interface {}(nil)}"],
  [{"b": 2, "a": "x", "c": [1.5], "d": {"e": null}}, "Invalid value: map[string]interface {}{\"a\":\"x\", \"b\":2, \"c\":[]interface {}{1.5}, \"d\":map[string]interface {}{\"e\":interface {}(nil)}}: bad", "Unsupported value: map[string]interface {}{\"a\":\"x\", \"b\":2, \"c\":[]interface {}{1.5}, \"d\":map[string]interface {}{\"e\":interface {}(nil)}}: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: map[string]interface {}{\"a\":\"x\", \"b\":2, \"c\":[]interface {}{1.5}, \"d\":map[string]interface {}{\"e\":interface {}(nil)}}", "Not found: map[string]interface {}{\"a\":\"x\", \"b\":2, \"c\":[]interface {}{1.5}, \"d\":map[string]interface {}{\"e\":interface {}(nil)}}"],
  ["quote\"\\ \n\té \u0001", "Invalid value: \"quote\\\"\\\\ \\n\\té\\u2028\\x01\": bad", "Unsupported value: \"quote\\\"\\\\ \\n\\té\\u2028\\x01\": supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: \"quote\\\"\\\\ \\n\\té\\u2028\\x01\"", "Not found: \"quote\\\"\\\\ \\n\\té\\u2028\\x01\""],
  [[[], {}], "Invalid value: []interface {}{[]interface {}{}, map[string]interface {}{}}: bad", "Unsupported value: []interface {}{[]interface {}{}, map[string]interface {}{}}: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: []interface {}{[]interface {}{}, map[string]interface {}{}}", "Not found: []interface {}{[]interface {}{}, map[string]interface {}{}}"],
  [1.0, "Invalid value: 1: bad", "Unsupported value: 1: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 1", "Not found: 1"],
  [-0.5, "Invalid value: -0.5: bad", "Unsupported value: -0.5: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: -0.5", "Not found: -0.5"],
  [100000, "Invalid value: 100000: bad", "Unsupported value: 100000: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 100000", "Not found: 100000"],
  [2.5e-05, "Invalid value: 2.5e-05: bad", "Unsupported value: 2.5e-05: supported values: \"A\", \"b c\", \"q\\\"\"", "Duplicate value: 2.5e-05", "Not found: 2.5e-05"],
];

/** [n, m, detail, TooLong(n), TooMany(n, m), Required(detail), Forbidden(detail), InternalError(detail), aggregate of [Required, Required, Forbidden]]. */
const FIXED: Array<[number, number, string, string, string, string, string, string, string]> = [
  [5, 3, "why", "Too long: may not be more than 5 bytes", "Too many: 5: must have at most 3 items", "Required value: why", "Forbidden: why", "Internal error: why", "[a: Required value: why, b: Forbidden: x]"],
  [1, 1, "why", "Too long: may not be more than 1 bytes", "Too many: 1: must have at most 1 items", "Required value: why", "Forbidden: why", "Internal error: why", "[a: Required value: why, b: Forbidden: x]"],
  [-1, 2, "why", "Too long: value is too long", "Too many: must have at most 2 items", "Required value: why", "Forbidden: why", "Internal error: why", "[a: Required value: why, b: Forbidden: x]"],
  [0, -1, "why", "Too long: may not be more than 0 bytes", "Too many: 0: has too many items", "Required value: why", "Forbidden: why", "Internal error: why", "[a: Required value: why, b: Forbidden: x]"],
  [-1, -1, "why", "Too long: value is too long", "Too many: has too many items", "Required value: why", "Forbidden: why", "Internal error: why", "[a: Required value: why, b: Forbidden: x]"],
  [262144, 0, "why", "Too long: may not be more than 262144 bytes", "Too many: 262144: must have at most 0 items", "Required value: why", "Forbidden: why", "Internal error: why", "[a: Required value: why, b: Forbidden: x]"],
  [1, 0, "", "Too long: may not be more than 1 bytes", "Too many: 1: must have at most 0 items", "Required value", "Forbidden", "Internal error", "[a: Required value, b: Forbidden: x]"],
];

describe('bad values as kube prints them', () => {
  it.each(VALUES)('%j', (value, invalid, notSupported, duplicate, notFound) => {
    expect(fieldInvalid('spec.x', value, 'bad')).toEqual({ type: 'FieldValueInvalid', field: 'spec.x', detail: invalid });
    expect(fieldTypeInvalid('spec.x', value, 'bad')).toEqual({ type: 'FieldValueTypeInvalid', field: 'spec.x', detail: invalid });
    expect(fieldNotSupported('spec.x', value, ['A', 'b c', 'q"'])).toEqual({ type: 'FieldValueNotSupported', field: 'spec.x', detail: notSupported });
    expect(fieldDuplicate('spec.x', value)).toEqual({ type: 'FieldValueDuplicate', field: 'spec.x', detail: duplicate });
    expect(fieldNotFound('spec.x', value)).toEqual({ type: 'FieldValueNotFound', field: 'spec.x', detail: notFound });
  });

  it('prints an absent value as a JSON null', () => {
    expect(fieldInvalid('spec.x', undefined, 'bad').detail).toBe('Invalid value: "null": bad');
  });

  it('prints typed Go values the callers name: []string and metav1.Time', () => {
    expect(fieldInvalid('f', goStringSlice(['a', 'b']), 'd').detail).toBe('Invalid value: []string{"a", "b"}: d');
    expect(fieldInvalid('f', goStringSlice([]), 'd').detail).toBe('Invalid value: []string{}: d');
    expect(fieldInvalid('f', goStringSlice(null), 'd').detail).toBe('Invalid value: []string(nil): d');
    expect(fieldInvalid('f', goTime('2024-01-02T03:04:05Z'), 'd').detail).toBe('Invalid value: 2024-01-02 03:04:05 +0000 UTC: d');
    expect(fieldInvalid('f', goTime('2024-01-02T04:04:05.250+01:00'), 'd').detail).toBe('Invalid value: 2024-01-02 03:04:05.25 +0000 UTC: d');
    expect(fieldInvalid('f', goTime(undefined), 'd').detail).toBe('Invalid value: 0001-01-01 00:00:00 +0000 UTC: d');
  });
});

describe('errors without a value, limits, aggregation', () => {
  it.each(FIXED)('n=%i m=%i detail=%j', (n, m, detail, tooLong, tooMany, required, forbidden, internal, aggregate) => {
    expect(fieldTooLong('a', n)).toEqual({ type: 'FieldValueTooLong', field: 'a', detail: tooLong });
    expect(fieldTooMany('a', n, m)).toEqual({ type: 'FieldValueTooMany', field: 'a', detail: tooMany });
    expect(fieldRequired('a', detail)).toEqual({ type: 'FieldValueRequired', field: 'a', detail: required });
    expect(fieldForbidden('a', detail)).toEqual({ type: 'FieldValueForbidden', field: 'a', detail: forbidden });
    expect(fieldInternal('a', detail)).toEqual({ type: 'InternalError', field: 'a', detail: internal });
    expect(aggregateText([fieldRequired('a', detail), fieldRequired('a', detail), fieldForbidden('b', 'x')])).toBe(aggregate);
  });

  it('Error() puts the field first; one error aggregates to itself, none to nothing', () => {
    const error = fieldInvalid('metadata.name', 'Foo_Bar', 'bad');
    expect(fieldErrorText(error)).toBe('metadata.name: Invalid value: "Foo_Bar": bad');
    expect(aggregateText([error])).toBe('metadata.name: Invalid value: "Foo_Bar": bad');
    expect(aggregateText([])).toBe('');
  });

  it('builds kube\'s field paths', () => {
    expect(childPath('metadata', 'labels')).toBe('metadata.labels');
    expect(childPath('', 'spec')).toBe('spec');
    expect(keyPath('spec.containers', 0)).toBe('spec.containers[0]');
    expect(keyPath('data', 'a.b')).toBe('data[a.b]');
  });

  it('feeds newInvalid\'s 422 with kube\'s causes', () => {
    const error = newInvalid('ConfigMap', '', 'x', [fieldRequired('metadata.name', 'name or generateName is required')]);
    expect(error.status.message).toBe('ConfigMap "x" is invalid: metadata.name: Required value: name or generateName is required');
    expect(error.status.details?.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  });
});
