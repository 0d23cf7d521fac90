// Custom resource schema validation against kube's messages. Pinned sources: apiextensions-apiserver
// v0.32.9 pkg/apiserver/validation/validation.go (kubeOpenAPIResultToFieldErrors, formats.go) and
// kube-openapi 32ad38e42d3f pkg/validation/validate + pkg/validation/errors/schema.go.
import { describe, expect, it } from 'vitest';
import { compileSchemaValidator } from '../../src/apiextensions/schema/validator.js';
import { NO_OLD } from '../../src/apiextensions/schema/equality.js';
import type { JSONSchemaProps } from '../../src/apiextensions/schema/types.js';

function run(schema: JSONSchemaProps, obj: unknown, old: unknown = NO_OLD): string[] {
  const errs: { field: string; detail: string }[] = [];
  compileSchemaValidator(schema)(obj, '', errs as never, old);
  return errs.map((e) => (e.field ? `${e.field}: ${e.detail}` : e.detail));
}
const spec = (properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties, ...extra } },
});

describe('types (kube-openapi type.go)', () => {
  it('reports the JSON type found, quoted, as a TypeInvalid error', () => {
    expect(run(spec({ replicas: { type: 'integer' } }), { spec: { replicas: 'string' } })).toEqual([
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    expect(run(spec({ x: { type: 'integer' } }), { spec: { x: 1.5 } })).toEqual(['spec.x: Invalid value: "number": spec.x in body must be of type integer: "number"']);
    expect(run(spec({ x: { type: 'object' } }), { spec: { x: [] } })).toEqual(['spec.x: Invalid value: "array": spec.x in body must be of type object: "array"']);
    expect(run(spec({ x: { type: 'number' } }), { spec: { x: 3 } })).toEqual([]);
    expect(run(spec({ x: { type: 'boolean' } }), { spec: { x: 'true' } })).toEqual(['spec.x: Invalid value: "string": spec.x in body must be of type boolean: "string"']);
  });
  it('null is refused unless nullable', () => {
    expect(run(spec({ x: { type: 'string' } }), { spec: { x: null } })).toEqual(['spec.x: Invalid value: "null": spec.x in body must be of type string: "null"']);
    expect(run(spec({ x: { type: 'string', nullable: true } }), { spec: { x: null } })).toEqual([]);
  });
  it('int-or-string accepts both and names both', () => {
    const s = spec({ port: { 'x-kubernetes-int-or-string': true } });
    expect(run(s, { spec: { port: 80 } })).toEqual([]);
    expect(run(s, { spec: { port: 'http' } })).toEqual([]);
    expect(run(s, { spec: { port: true } })).toEqual(['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']);
  });
  it('keeps running the other validators after a type error', () => {
    expect(run(spec({ x: { type: 'integer', enum: [1, 2] } }), { spec: { x: 'a' } })).toEqual([
      'spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"',
      'spec.x: Unsupported value: "a": supported values: "1", "2"',
    ]);
  });
});

describe('formats (formats.go supportedFormats)', () => {
  it('validates supported formats with the format as type', () => {
    expect(run(spec({ t: { type: 'string', format: 'date-time' } }), { spec: { t: 'yesterday' } })).toEqual([
      'spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday"',
    ]);
    expect(run(spec({ t: { type: 'string', format: 'date-time' } }), { spec: { t: '2024-01-02T03:04:05Z' } })).toEqual([]);
    expect(run(spec({ d: { type: 'string', format: 'date' } }), { spec: { d: '2023-02-29' } })).toHaveLength(1);
    expect(run(spec({ u: { type: 'string', format: 'uuid' } }), { spec: { u: '123e4567-E89B-12d3-a456-426614174000' } })).toEqual([]);
    expect(run(spec({ u: { type: 'string', format: 'uuid' } }), { spec: { u: 'nope' } })).toEqual(['spec.u: Invalid value: "nope": spec.u in body must be of type uuid: "nope"']);
    expect(run(spec({ b: { type: 'string', format: 'byte' } }), { spec: { b: 'aGVsbG8=' } })).toEqual([]);
    expect(run(spec({ b: { type: 'string', format: 'byte' } }), { spec: { b: 'not base64!' } })).toHaveLength(1);
    expect(run(spec({ i: { type: 'string', format: 'ipv4' } }), { spec: { i: '10.0.0.256' } })).toHaveLength(1);
    expect(run(spec({ i: { type: 'string', format: 'cidr' } }), { spec: { i: '10.0.0.0/8' } })).toEqual([]);
    expect(run(spec({ h: { type: 'string', format: 'hostname' } }), { spec: { h: 'example.com' } })).toEqual([]);
    expect(run(spec({ h: { type: 'string', format: 'hostname' } }), { spec: { h: '-bad-' } })).toHaveLength(1);
  });
  it('ignores formats kube strips (int32, float, unknown)', () => {
    expect(run(spec({ n: { type: 'integer', format: 'int32' } }), { spec: { n: 2 ** 40 } })).toEqual([]);
    expect(run(spec({ n: { type: 'string', format: 'my-format' } }), { spec: { n: 'x' } })).toEqual([]);
  });
});

describe('enum, strings, numbers, arrays, objects', () => {
  it('enum: Unsupported value with the values quoted (non-strings as JSON)', () => {
    expect(run(spec({ mode: { type: 'string', enum: ['a', 'b'] } }), { spec: { mode: 'x' } })).toEqual(['spec.mode: Unsupported value: "x": supported values: "a", "b"']);
    expect(run(spec({ n: { type: 'number', enum: [1, 2.5] } }), { spec: { n: 3 } })).toEqual(['spec.n: Unsupported value: 3: supported values: "1", "2.5"']);
  });
  it('maxLength is Too long in bytes wording, minLength and pattern are Invalid', () => {
    expect(run(spec({ s: { type: 'string', maxLength: 3 } }), { spec: { s: 'abcd' } })).toEqual(['spec.s: Too long: may not be more than 3 bytes']);
    expect(run(spec({ s: { type: 'string', maxLength: 3 } }), { spec: { s: 'äöü' } })).toEqual([]);
    expect(run(spec({ s: { type: 'string', minLength: 3 } }), { spec: { s: 'ab' } })).toEqual(['spec.s: Invalid value: "ab": spec.s in body should be at least 3 chars long']);
    expect(run(spec({ s: { type: 'string', pattern: '^[a-z]+$' } }), { spec: { s: 'A1' } })).toEqual(["spec.s: Invalid value: \"A1\": spec.s in body should match '^[a-z]+$'"]);
  });
  it('string checks stop at the first failure (maxLength before pattern)', () => {
    expect(run(spec({ s: { type: 'string', maxLength: 1, pattern: '^a$' } }), { spec: { s: 'bb' } })).toEqual(['spec.s: Too long: may not be more than 1 bytes']);
  });
  it('numbers: bounds, exclusive bounds and multipleOf', () => {
    const s = spec({ r: { type: 'integer', minimum: 1, maximum: 10 }, e: { type: 'number', exclusiveMaximum: true, maximum: 1.5 }, m: { type: 'integer', multipleOf: 5 } });
    expect(run(s, { spec: { r: 0 } })).toEqual(['spec.r: Invalid value: 0: spec.r in body should be greater than or equal to 1']);
    expect(run(s, { spec: { r: 11 } })).toEqual(['spec.r: Invalid value: 11: spec.r in body should be less than or equal to 10']);
    expect(run(s, { spec: { e: 1.5 } })).toEqual(['spec.e: Invalid value: 1.5: spec.e in body should be less than 1.5']);
    expect(run(s, { spec: { m: 7 } })).toEqual(['spec.m: Invalid value: 7: spec.m in body should be a multiple of 5']);
  });
  it('prints float bounds as Go does (%v)', () => {
    expect(run(spec({ n: { type: 'number', maximum: 1000000 } }), { spec: { n: 1234567.5 } })).toEqual([
      'spec.n: Invalid value: 1.2345675e+06: spec.n in body should be less than or equal to 1e+06',
    ]);
  });
  it('arrays: items with indexed paths, minItems Invalid, maxItems Too many', () => {
    const s = spec({ l: { type: 'array', minItems: 2, maxItems: 3, items: { type: 'string' } } });
    expect(run(s, { spec: { l: [1] } })).toEqual([
      'spec.l[0]: Invalid value: "integer": spec.l[0] in body must be of type string: "integer"',
      'spec.l: Invalid value: 1: spec.l in body should have at least 2 items',
    ]);
    expect(run(s, { spec: { l: ['a', 'b', 'c', 'd'] } })).toEqual(['spec.l: Too many: 4: must have at most 3 items']);
  });
  it('objects: required, min/maxProperties, additionalProperties schemas', () => {
    expect(run(spec({ a: { type: 'string' } }, { required: ['a', 'b'] }), { spec: { a: 'x' } })).toEqual(['spec.b: Required value']);
    expect(run(spec({}, { required: ['a'] }), { spec: {} })).toEqual(['spec.a: Required value']);
    const m: JSONSchemaProps = spec({ labels: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } } });
    expect(run(m, { spec: { labels: { a: 1, b: 'x' } } })).toEqual([
      'spec.labels: Too many: 2: must have at most 1 items',
      'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
    ]);
    expect(run(spec({ o: { type: 'object', minProperties: 1 } }), { spec: { o: {} } })).toEqual(['spec.o: Invalid value: 0: spec.o in body should have at least 1 properties']);
  });
  it('reports every error at once', () => {
    const s = spec({ a: { type: 'integer' }, b: { type: 'string', enum: ['x'] } }, { required: ['c'] });
    expect(run(s, { spec: { a: 'x', b: 'y' } })).toHaveLength(3);
  });
});

describe('anyOf / allOf / oneOf / not (schema_props.go)', () => {
  it('anyOf failure is reported at the root with the quoted path', () => {
    const s = spec({ x: { type: 'string', anyOf: [{ pattern: '^a' }, { pattern: '^b' }] } });
    expect(run(s, { spec: { x: 'a1' } })).toEqual([]);
    expect(run(s, { spec: { x: 'c' } })).toEqual([
      'Invalid value: "": "spec.x" must validate at least one schema (anyOf)',
      "spec.x: Invalid value: \"c\": spec.x in body should match '^a'",
    ]);
  });
  it('oneOf with two matches and not', () => {
    const s = spec({ x: { type: 'string', oneOf: [{ minLength: 1 }, { maxLength: 5 }] }, y: { type: 'string', not: { enum: ['no'] } } });
    expect(run(s, { spec: { x: 'abc' } })).toEqual(['Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found 2 valid alternatives']);
    expect(run(s, { spec: { y: 'no' } })).toEqual(['Invalid value: "": "spec.y" must not validate the schema (not)']);
  });
  it('allOf merges the failures and adds its own error', () => {
    const s = spec({ x: { type: 'integer', allOf: [{ minimum: 5 }, { maximum: 10 }] } });
    expect(run(s, { spec: { x: 3 } })).toEqual([
      'spec.x: Invalid value: 3: spec.x in body should be greater than or equal to 5',
      'Invalid value: "": "spec.x" must validate all the schemas (allOf)',
    ]);
  });
});

describe('RE2 patterns', () => {
  it('handles \\z, (?i), \\pL, POSIX classes and ASCII \\s', () => {
    expect(run(spec({ s: { type: 'string', pattern: '^ab\\z' } }), { spec: { s: 'ab\n' } })).toHaveLength(1);
    expect(run(spec({ s: { type: 'string', pattern: '(?i)^abc$' } }), { spec: { s: 'ABC' } })).toEqual([]);
    expect(run(spec({ s: { type: 'string', pattern: '^\\pL+$' } }), { spec: { s: 'héllo' } })).toEqual([]);
    expect(run(spec({ s: { type: 'string', pattern: '^[[:alpha:]]+$' } }), { spec: { s: 'abc1' } })).toHaveLength(1);
    expect(run(spec({ s: { type: 'string', pattern: '^\\s$' } }), { spec: { s: '\u00a0' } })).toHaveLength(1);
    expect(run(spec({ s: { type: 'string', pattern: '^a\\-b\\_c$' } }), { spec: { s: 'a-b_c' } })).toEqual([]);
  });
  it('reports patterns RE2 refuses as invalid', () => {
    expect(run(spec({ s: { type: 'string', pattern: '^(?=a)' } }), { spec: { s: 'a' } })).toEqual([
      "spec.s: Invalid value: \"a\": spec.s in body should match '^(?=a), but pattern is invalid: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'",
    ]);
  });
});

describe('ratcheting (pkg/apiserver/validation/ratcheting.go)', () => {
  const s = spec({ a: { type: 'string', maxLength: 2 }, b: { type: 'string', maxLength: 2 }, items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'integer', maximum: 1 } } } } });
  it('drops errors of unchanged values, keeps changed ones', () => {
    const old = { spec: { a: 'toolong', b: 'ok' } };
    expect(run(s, { spec: { a: 'toolong', b: 'ok' } }, old)).toEqual([]);
    expect(run(s, { spec: { a: 'toolong', b: 'also long' } }, old)).toEqual(['spec.b: Too long: may not be more than 2 bytes']);
    expect(run(s, { spec: { a: 'toolong2', b: 'ok' } }, old)).toEqual(['spec.a: Too long: may not be more than 2 bytes']);
  });
  it('correlates list-type=map items by key, not by index', () => {
    const old = { spec: { items: [{ name: 'x', v: 5 }] } };
    expect(run(s, { spec: { items: [{ name: 'y', v: 0 }, { name: 'x', v: 5 }] } }, old)).toEqual([]);
    expect(run(s, { spec: { items: [{ name: 'x', v: 6 }] } }, old)).toEqual(['spec.items[0].v: Invalid value: 6: spec.items[0].v in body should be less than or equal to 1']);
  });
});
