// x-kubernetes-validations against kube's behaviour and messages. Pinned: apiextensions-apiserver v0.32.9
// pkg/apiserver/schema/cel/validation.go (fieldErrorForReason, ruleMessageOrDefault, evalMessageExpression,
// transition rules), pkg/apis/apiextensions/validation/validation.go (getCostErrorMessage, fieldPath),
// k8s.io/apiserver v0.32.9 pkg/cel/library (lists, regex, quantity, urls) and cel-go ext (strings, sets).
import { describe, expect, it } from 'vitest';
import { compileCel, validateCel } from '../../src/apiextensions/schema/cel.js';
import type { JSONSchemaProps, ValidationRule } from '../../src/apiextensions/schema/types.js';

const text = (errs: { field: string; detail: string }[]) => errs.map((e) => (e.field ? `${e.field}: ${e.detail}` : e.detail));
function specWith(rules: ValidationRule[], properties: Record<string, JSONSchemaProps> = {}): JSONSchemaProps {
  return { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': rules, properties } } };
}
function check(schema: JSONSchemaProps, obj: unknown, old?: unknown): string[] {
  const c = compileCel(schema);
  expect(text(c.errors)).toEqual([]);
  return text(validateCel(c.root, obj, old === undefined ? undefined : old));
}
const rule = (r: string, more: Partial<ValidationRule> = {}): ValidationRule => ({ rule: r, ...more });

describe('rules and messages', () => {
  const props = { min: { type: 'integer' }, max: { type: 'integer' }, name: { type: 'string' } } satisfies Record<string, JSONSchemaProps>;
  it('a failing rule without message: Invalid value: "<type>": failed rule: <rule>', () => {
    expect(check(specWith([rule('self.min <= self.max')], props), { spec: { min: 5, max: 1 } })).toEqual(['spec: Invalid value: "object": failed rule: self.min <= self.max']);
    expect(check(specWith([rule('self.min <= self.max')], props), { spec: { min: 1, max: 5 } })).toEqual([]);
  });
  it('message, messageExpression and its fallback', () => {
    expect(check(specWith([rule('self.min <= self.max', { message: ' min must not exceed max ' })], props), { spec: { min: 5, max: 1 } })).toEqual(['spec: Invalid value: "object": min must not exceed max']);
    expect(check(specWith([rule('self.min <= self.max', { messageExpression: '"min " + string(self.min) + " > max " + string(self.max)' })], props), { spec: { min: 5, max: 1 } })).toEqual(['spec: Invalid value: "object": min 5 > max 1']);
    expect(check(specWith([rule('self.min <= self.max', { message: 'fallback', messageExpression: 'self.nope' })], props), { spec: { min: 5, max: 1 } })).toEqual(['spec: Invalid value: "object": fallback']);
    expect(check(specWith([rule('self.min <= self.max', { message: 'fallback', messageExpression: '"  "' })], props), { spec: { min: 5, max: 1 } })).toEqual(['spec: Invalid value: "object": fallback']);
  });
  it('reason picks the error type; fieldPath the field', () => {
    expect(check(specWith([rule('has(self.name)', { reason: 'FieldValueRequired', message: 'name is required', fieldPath: '.name' })], props), { spec: {} })).toEqual(['spec.name: Required value: name is required']);
    expect(check(specWith([rule('!has(self.name)', { reason: 'FieldValueForbidden', message: 'no name' })], props), { spec: { name: 'x' } })).toEqual(['spec: Forbidden: no name']);
    expect(check(specWith([rule('false', { reason: 'FieldValueDuplicate' })], props), { spec: {} })).toEqual(['spec: Duplicate value: "object"']);
  });
  it('runtime errors are reported with the rule', () => {
    expect(check(specWith([rule('self.name == "x"')], props), { spec: {} })).toEqual(['spec: Invalid value: "object": no such key: name evaluating rule: self.name == "x"']);
  });
  it('rules on nested fields, list items and map values carry their paths', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            list: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [rule('self.size() < 3')] } },
            m: { type: 'object', additionalProperties: { type: 'integer', 'x-kubernetes-validations': [rule('self >= 0')] } },
          },
        },
      },
    };
    expect(check(schema, { spec: { list: ['a', 'abcd'], m: { k: -1 } } })).toEqual([
      'spec.list[1]: Invalid value: "string": failed rule: self.size() < 3',
      'spec.m[k]: Invalid value: "integer": failed rule: self >= 0',
    ]);
  });
  it('integers are CEL ints and numbers doubles', () => {
    expect(check(specWith([rule('type(self.i) == int && type(self.d) == double')], { i: { type: 'integer' }, d: { type: 'number' } }), { spec: { i: 1, d: 2 } })).toEqual([]);
  });
});

describe('transition rules (oldSelf)', () => {
  const immutable = specWith([rule('self.name == oldSelf.name', { message: 'name is immutable' })], { name: { type: 'string' } });
  it('are skipped on create and checked on update', () => {
    expect(check(immutable, { spec: { name: 'a' } })).toEqual([]);
    expect(check(immutable, { spec: { name: 'b' } }, { spec: { name: 'a' } })).toEqual(['spec: Invalid value: "object": name is immutable']);
    expect(check(immutable, { spec: { name: 'a' } }, { spec: { name: 'a' } })).toEqual([]);
  });
  it('optionalOldSelf runs on create with oldSelf an optional', () => {
    const s = specWith([rule('!oldSelf.hasValue() || self.name == oldSelf.value().name', { optionalOldSelf: true, message: 'immutable' }), rule('oldSelf.hasValue() || self.name != "bad"', { optionalOldSelf: true, message: 'bad on create' })], { name: { type: 'string' } });
    expect(check(s, { spec: { name: 'bad' } })).toEqual(['spec: Invalid value: "object": bad on create']);
    expect(check(s, { spec: { name: 'b' } }, { spec: { name: 'a' } })).toEqual(['spec: Invalid value: "object": immutable']);
  });
  it('ratchets rules without oldSelf on unchanged values', () => {
    const s = specWith([rule('self.n < 5')], { n: { type: 'integer' } });
    expect(check(s, { spec: { n: 9 } }, { spec: { n: 9 } })).toEqual([]);
    expect(check(s, { spec: { n: 8 } }, { spec: { n: 9 } })).toEqual(['spec: Invalid value: "object": failed rule: self.n < 5']);
  });
});

describe('Kubernetes CEL libraries', () => {
  const s = (r: string, props: Record<string, JSONSchemaProps> = {}) => specWith([rule(r)], props);
  const ok = (r: string, spec: unknown, props: Record<string, JSONSchemaProps> = {}) => expect(check(s(r, props), { spec })).toEqual([]);
  const strList = { l: { type: 'array', items: { type: 'string' } } } satisfies Record<string, JSONSchemaProps>;
  const intList = { l: { type: 'array', items: { type: 'integer' } } } satisfies Record<string, JSONSchemaProps>;
  it('lists', () => {
    ok('self.l.isSorted() && self.l.sum() == 6 && self.l.min() == 1 && self.l.max() == 3 && self.l.indexOf(2) == 1 && self.l.lastIndexOf(9) == -1', { l: [1, 2, 3] }, intList);
    expect(check(s('self.l.isSorted()', intList), { spec: { l: [2, 1] } })).toHaveLength(1);
  });
  it('regex with RE2 syntax: matches, find, findAll', () => {
    ok('self.n.matches("^[a-z]+\\\\z") && self.n.find("[0-9]+") == "" && "a1b22".findAll("[0-9]+") == ["1", "22"] && "abc".matches("(?i)ABC")', { n: 'abc' }, { n: { type: 'string' } });
  });
  it('strings', () => {
    ok('"abc".charAt(1) == "b" && "a-b-c".replace("-", "+") == "a+b+c" && "a-b-c".replace("-", "+", 1) == "a+b-c" && "abc".reverse() == "cba" && "%s is %d".format(["x", 3]) == "x is 3" && "ABC".lowerAscii() == "abc" && "a,b".split(",") == ["a", "b"] && " x ".trim() == "x" && strings.quote("a") == "\\"a\\""', {});
  });
  it('sets', () => {
    ok('sets.contains([1, 2, 3], [1, 2]) && sets.equivalent([1, 2], [2, 1]) && sets.intersects([1], [1, 4]) && !sets.contains([1], [5])', {});
  });
  it('quantity', () => {
    ok('quantity(self.mem).isGreaterThan(quantity("1Gi")) && quantity("1.5").isInteger() == false && quantity("2k").asInteger() == 2000 && quantity("1Mi").compareTo(quantity("1024Ki")) == 0 && isQuantity("1x") == false && quantity("1").add(quantity("500m")).isLessThan(quantity("2"))', { mem: '2Gi' }, { mem: { type: 'string' } });
  });
  it('url', () => {
    ok('isURL("https://example.com:8443/p?a=1") && url("https://example.com:8443/p?a=1").getHost() == "example.com:8443" && url("https://example.com:8443/p").getPort() == "8443" && url("https://example.com/p").getScheme() == "https" && url("https://example.com/x").getEscapedPath() == "/x" && !isURL("not a url")', {});
  });
  it('format', () => {
    ok('!format.dns1123Label().validate("my-name").hasValue() && format.dns1123Label().validate("My_Name").hasValue() && format.named("dns1123Subdomain").hasValue()', {});
  });
  it('timestamps from date-time strings', () => {
    ok('self.t < timestamp("2030-01-01T00:00:00Z")', { t: '2024-05-01T10:00:00Z' }, { t: { type: 'string', format: 'date-time' } });
  });
});

describe('compile-time checks (CRD validation)', () => {
  it('reports syntax errors on the rule path', () => {
    const c = compileCel(specWith([rule('self.a ==')]), 'spec.versions[0].schema.openAPIV3Schema');
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0].field).toBe('spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule');
    expect(c.errors[0].detail).toMatch(/^Invalid value: apiextensions\.ValidationRule\{Rule:"self\.a ==", .*\}: compilation failed: /);
  });
  it('reports undefined fields as cel-go does, and accepts map keys, escaped names and root metadata', () => {
    const c = compileCel(specWith([rule('self.foo == 1')], { a: { type: 'integer' } }), 'p');
    expect(text(c.errors)).toEqual([
      'p.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.foo == 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:5: undefined field \'foo\'\n | self.foo == 1\n | ....^',
    ]);
    const ok = compileCel({
      type: 'object',
      'x-kubernetes-validations': [rule('self.metadata.name.startsWith("a") && self.spec.m.anykey == 1 && self.spec.x__dash__y == "v" && self.spec.__namespace__ == "ns"')],
      properties: { spec: { type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'integer' } }, 'x-y': { type: 'string' }, namespace: { type: 'string' } } } },
    });
    expect(text(ok.errors)).toEqual([]);
    expect(text(validateCel(ok.root, { metadata: { name: 'abc' }, spec: { m: { anykey: 1 }, 'x-y': 'v', namespace: 'ns' } }))).toEqual([]);
  });
  it('requires a rule and a valid fieldPath', () => {
    const c = compileCel(specWith([rule(''), rule('true', { fieldPath: '.nope' })]), 'p');
    expect(text(c.errors)).toEqual([
      'p.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified',
      'p.properties[spec].x-kubernetes-validations[1].fieldPath: Invalid value: ".nope": fieldPath must be a valid path',
    ]);
  });
  it('refuses oldSelf under lists that do not correlate, and optionalOldSelf without oldSelf', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { l: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [rule('self == oldSelf')] } }, n: { type: 'string', 'x-kubernetes-validations': [rule('true', { optionalOldSelf: true })] } } };
    expect(text(compileCel(schema, 'p').errors)).toEqual([
      'p.properties[l].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within p.properties[l]',
      'p.properties[n].x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule',
    ]);
  });
  it('refuses rules too expensive for unbounded lists, accepts them with maxItems/maxLength', () => {
    const nested = (bounded: boolean): JSONSchemaProps => ({
      type: 'object',
      properties: {
        l: {
          type: 'array',
          ...(bounded ? { maxItems: 10 } : {}),
          items: { type: 'string', ...(bounded ? { maxLength: 10 } : {}) },
          'x-kubernetes-validations': [rule('self.all(x, self.exists(y, x == y))')],
        },
      },
    });
    const hint = '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
    expect(text(compileCel(nested(false), 'p').errors)).toEqual([
      `p.properties[l].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${hint}`,
      'p.properties[l].x-kubernetes-validations[0].rule: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema',
      `p: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${hint}`,
    ]);
    expect(compileCel(nested(true), 'p').errors).toEqual([]);
  });
});

describe('runtime cost (k8s.io/apiserver v0.32.9 pkg/apis/cel/config.go: PerCallLimit 1e6, RuntimeCELCostBudget 1e7)', () => {
  const quadratic: JSONSchemaProps = { type: 'object', properties: { l: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': [rule('self.all(x, self.exists(y, y == x))')] } } };
  it('a call over the per-call limit stops CEL validation with kube\'s message', () => {
    const c = compileCel(quadratic);
    const big = { l: Array.from({ length: 2000 }, (_, i) => i) };
    const t0 = Date.now();
    expect(text(validateCel(c.root, big))).toEqual([
      "l: Invalid value: \"array\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.all(x, self.exists(y, y == x))",
    ]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(text(validateCel(c.root, { l: [1, 2, 3] }))).toEqual([]);
  });
  it('the request budget is shared by all evaluations', () => {
    const c = compileCel({ type: 'object', properties: { l: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [rule('self.size() < 100')] } } } });
    expect(text(validateCel(c.root, { l: ['a', 'b', 'c'] }, undefined, { costBudget: 9 }))).toEqual([
      'l[2]: Invalid value: "string": validation failed due to running out of cost budget, no further validation rules will be run',
    ]);
  });
});

describe('runtime budget', () => {
  it('stops with kube\'s message when the per-request budget is spent', () => {
    const c = compileCel(specWith([rule('true')]));
    expect(text(validateCel(c.root, { spec: {} }, undefined, { budgetMs: -1 }))).toEqual([
      'spec: Invalid value: "object": validation failed due to running out of cost budget, no further validation rules will be run',
    ]);
  });
});
