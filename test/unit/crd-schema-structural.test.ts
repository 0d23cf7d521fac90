// Structural schema rules: apiextensions-apiserver v0.32.9 pkg/apiserver/schema/validation.go
// (ValidateStructural, sorted by error text) and complete.go; the NonStructuralSchema message is the
// aggregate (nonstructuralschema_controller.go calculateCondition).
import { describe, expect, it } from 'vitest';
import { nonStructuralMessage, validateStructural } from '../../src/apiextensions/schema/structural.js';
import type { JSONSchemaProps } from '../../src/apiextensions/schema/types.js';
import { validateOpenAPISchema } from '../../src/apiextensions/schema/crd-schema-rules.js';
import { validateDefaults } from '../../src/apiextensions/schema/default-validation.js';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const text = (s: JSONSchemaProps) => validateStructural(P, s).map((e) => `${e.field}: ${e.detail}`);

describe('structural invariants', () => {
  it('accepts a typical schema', () => {
    expect(text({ type: 'object', properties: { spec: { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true }, any: { 'x-kubernetes-preserve-unknown-fields': true }, l: { type: 'array', items: { type: 'string' } } } } } })).toEqual([]);
  });
  it('types must not be empty (root, fields, items)', () => {
    expect(text({ properties: { spec: { properties: {} }, l: { type: 'array', items: {} } } })).toEqual([
      `${P}.properties[l].items.type: Required value: must not be empty for specified array items`,
      `${P}.properties[spec].type: Required value: must not be empty for specified object fields`,
      `${P}.type: Required value: must not be empty at the root`,
    ]);
  });
  it('the root must be an object without additionalProperties; arrays need items', () => {
    expect(text({ type: 'string' })).toEqual([`${P}.type: Invalid value: "string": must be object at the root`]);
    expect(text({ type: 'object', additionalProperties: { type: 'string' } })).toEqual([`${P}.additionalProperties: Forbidden: must not be used at the root`]);
    expect(text({ type: 'object', properties: { l: { type: 'array' } } })).toEqual([`${P}.properties[l].items: Required value: must be specified`]);
  });
  it('nothing but value validations under allOf/anyOf/oneOf/not, and only for specified fields', () => {
    expect(text({ type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string', default: 'x', description: 'd' }] } } })).toEqual([
      `${P}.properties[a].anyOf[0].default: Forbidden: must be undefined to be structural`,
      `${P}.properties[a].anyOf[0].description: Forbidden: must be empty to be structural`,
      `${P}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`,
    ]);
    expect(text({ type: 'object', allOf: [{ properties: { b: { minLength: 1 } } }] })).toEqual([
      `${P}.properties[b]: Required value: because it is defined in ${P}.allOf[0].properties[b]`,
    ]);
  });
  it('the int-or-string anyOf pattern is allowed', () => {
    expect(text({ type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } })).toEqual([]);
  });
  it('metadata at the root: only name and generateName', () => {
    expect(text({ type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } } })).toEqual([]);
    expect(text({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } })).toEqual([
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
  });
  it('embedded resources must be objects with properties or preserve-unknown-fields', () => {
    expect(text({ type: 'object', properties: { e: { type: 'object', 'x-kubernetes-embedded-resource': true } } })).toEqual([
      `${P}.properties[e].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
    ]);
  });
  it('int-or-string excludes preserve-unknown-fields; patterns must compile as RE2', () => {
    expect(text({ type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true }, s: { type: 'string', pattern: '(?<=a)b' } } })).toEqual([
      `${P}.properties[p].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
      `${P}.properties[s].pattern: Invalid value: "(?<=a)b": must be a valid regular expression, but isn't: error parsing regexp: invalid named capture: \`(?<=a)b\``,
    ]);
  });
  it('condition message aggregates with brackets when several', () => {
    const errs = validateStructural(P, { properties: { spec: {} } });
    expect(nonStructuralMessage(errs)).toBe(`[${P}.properties[spec].type: Required value: must not be empty for specified object fields, ${P}.type: Required value: must not be empty at the root]`);
  });
});

// Defaults at CRD validation: apiextensions-apiserver v0.32.9 pkg/apiserver/schema/defaulting/validation.go.

describe('defaults must validate against their schema', () => {
  const d = (spec: JSONSchemaProps) => validateDefaults(P, { type: 'object', properties: { spec } }).map((e) => `${e.field}: ${e.detail}`);
  it('a mistyped scalar default: the message has an empty name, as kube prints it', () => {
    expect(d({ type: 'object', properties: { replicas: { type: 'integer', default: 'one' } } })).toEqual([
      `${P}.properties[spec].properties[replicas].default: Invalid value: "string":  in body must be of type integer: "string"`,
    ]);
  });
  it('object defaults: nested errors, unknown fields and CEL', () => {
    expect(d({ type: 'object', default: { a: 'x' }, properties: { a: { type: 'integer' } } })).toEqual([
      `${P}.properties[spec].default.a: Invalid value: "string": a in body must be of type integer: "string"`,
    ]);
    expect(d({ type: 'object', default: { zzz: 1 }, properties: { a: { type: 'integer' } } })).toEqual([
      `${P}.properties[spec].default: Invalid value: map[string]interface {}{"zzz":1}: must not have unknown fields`,
    ]);
    expect(d({ type: 'object', default: { a: 5 }, properties: { a: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.a < 3' }] })).toEqual([
      `${P}.properties[spec].default: Invalid value: "object": failed rule: self.a < 3`,
    ]);
    expect(d({ type: 'object', default: { a: 1 }, properties: { a: { type: 'integer', default: 2, minimum: 0 } } })).toEqual([]);
  });
});

// ValidateCustomResourceDefinitionOpenAPISchema (apiextensions-apiserver v0.32.9 validation.go).

describe('CRD openAPIV3Schema rules beyond structurality', () => {
  const v = (s: JSONSchemaProps) => validateOpenAPISchema(P, s).map((e) => `${e.field}: ${e.detail}`);
  it('unsupported keywords and uniqueItems', () => {
    expect(v({ type: 'object', properties: { a: { type: 'array', items: { type: 'string' }, uniqueItems: true }, r: { $ref: '#/x' } as JSONSchemaProps, n: { type: 'null' } } })).toEqual([
      `${P}.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      `${P}.properties[r].$ref: Forbidden: $ref is not supported`,
      `${P}.properties[n].type: Forbidden: type cannot be set to null, use nullable as an alternative`,
    ]);
  });
  it('additionalProperties with properties, defaults in top-level metadata', () => {
    expect(v({ type: 'object', properties: { m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }, metadata: { type: 'object', properties: { name: { type: 'string', default: 'x' } } } } })).toEqual([
      `${P}.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${P}.properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata`,
    ]);
  });
  it('list types and map keys', () => {
    expect(v({ type: 'object', properties: {
      a: { type: 'string', 'x-kubernetes-list-type': 'set' },
      b: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object', properties: { name: { type: 'string' } } } },
      c: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'nope'], items: { type: 'object', properties: { name: { type: 'string' } } } },
      d: { type: 'array', 'x-kubernetes-list-type': 'bag' as never, items: { type: 'string' } },
    } })).toEqual([
      `${P}.properties[a].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified`,
      `${P}.properties[b].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      `${P}.properties[c].x-kubernetes-list-map-keys: Invalid value: []string{"name", "nope"}: entries must all be names of item properties`,
      `${P}.properties[c].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${P}.properties[d].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
    ]);
  });
  it('x-kubernetes-validations entries', () => {
    expect(v({ type: 'object', 'x-kubernetes-validations': [{ rule: 'a ||\nb' }, { rule: 'true', message: ' ', reason: 'Nope' as never }] })).toEqual([
      `${P}.x-kubernetes-validations[0].message: Required value: message must be specified if rule contains line breaks`,
      `${P}.x-kubernetes-validations[1].message: Invalid value: " ": message must be non-empty if specified`,
      `${P}.x-kubernetes-validations[1].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    ]);
  });
});
