// Response encoding. The YAML expectations are the exact output of sigs.k8s.io/yaml v1.4.0
// JSONToYAML (go-yaml v2, what kube 1.32's YAML serializer uses), produced by running it on the same
// JSON; JSON follows apimachinery runtime/serializer/json doEncode (json.Encoder / MarshalIndent).
import { describe, expect, it } from 'vitest';
import { encodeBody, encodeJSON, encodeYAML } from '../../src/endpoints/negotiation/encode.js';
import { compareYamlKeys, resolvesToNonString } from '../../src/endpoints/negotiation/yaml-encode.js';

describe('encodeJSON', () => {
  it('writes compact JSON with a trailing newline and HTML characters escaped, as json.Encoder', () => {
    expect(encodeJSON({ a: '<b>&', c: [1, 2], d: 'line\u2028sep' }, false)).toBe('{"a":"\\u003cb\\u003e\\u0026","c":[1,2],"d":"line\\u2028sep"}\n');
  });

  it('indents with two spaces and no trailing newline when pretty, as json.MarshalIndent', () => {
    expect(encodeJSON({ a: 1, b: { c: [] }, d: {} }, true)).toBe('{\n  "a": 1,\n  "b": {\n    "c": []\n  },\n  "d": {}\n}');
  });

  it('writes keys in Go map order for unstructured objects when asked', () => {
    expect(encodeJSON({ b: 1, a: { d: 1, c: [{ z: 1, y: 2 }] }, B: 0 }, false, true)).toBe('{"B":0,"a":{"c":[{"y":2,"z":1}],"d":1},"b":1}\n');
  });

  it('keeps a "__proto__" key as data when sorting keys', () => {
    expect(encodeJSON(JSON.parse('{"b":1,"__proto__":{"x":1}}'), false, true)).toBe('{"__proto__":{"x":1},"b":1}\n');
  });

  it('picks the encoder from the negotiated media type', () => {
    expect(encodeBody({ a: 1 }, 'application/yaml', true)).toBe('a: 1\n');
    expect(encodeBody({ a: 1 }, 'application/json', false)).toBe('{"a":1}\n');
  });
});

describe('encodeYAML (sigs.k8s.io/yaml JSONToYAML)', () => {
  it('writes a ConfigMap as kube does: sorted keys, quoted look-alikes, literal blocks, unindented sequences', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'default', resourceVersion: '5', uid: '1a2b', creationTimestamp: '2024-01-01T00:00:00Z', labels: { app: 'x' }, finalizers: ['a', 'b'] },
      data: { a: 'b', multi: 'line1\nline2\n', keep: 'x\n\n', strip: 'x', indented: '  code\nmore' },
    };
    expect(encodeYAML(cm)).toBe(
      'apiVersion: v1\ndata:\n  a: b\n  indented: |2-\n      code\n    more\n  keep: |+\n    x\n\n  multi: |\n    line1\n    line2\n  strip: x\nkind: ConfigMap\nmetadata:\n  creationTimestamp: "2024-01-01T00:00:00Z"\n  finalizers:\n  - a\n  - b\n  labels:\n    app: x\n  name: cm\n  namespace: default\n  resourceVersion: "5"\n  uid: 1a2b\n',
    );
  });

  it('writes lists of maps, empty collections, nulls, booleans and floats as go-yaml', () => {
    const value = { items: [{ name: 'a', value: '1' }, { name: 'b' }], empty: {}, none: [], nested: [[1, 2], ['x']], n: null, t: true, f: 1.5, big: 1234567.5, small: 0.00001, i: 42 };
    expect(encodeYAML(value)).toBe(
      'big: 1.2345675e+06\nempty: {}\nf: 1.5\ni: 42\nitems:\n- name: a\n  value: "1"\n- name: b\n"n": null\nnested:\n- - 1\n  - 2\n- - x\nnone: []\nsmall: 1e-05\nt: true\n',
    );
  });

  it('quotes strings exactly where go-yaml does', () => {
    const q = ['yes', '', '- x', 'a: b', ' lead', "it's: x", 'tab\there', 'null', '1.5', '1:30', '0x1F', '~', '@foo', 'foo #bar', 'foo#bar', '2024-13-01', '2024-01-01', 'emoji 😀', 'é'];
    expect(encodeYAML({ q })).toBe(
      'q:\n- "yes"\n- ""\n- \'- x\'\n- \'a: b\'\n- \' lead\'\n- \'it\'\'s: x\'\n- "tab\\there"\n- "null"\n- "1.5"\n- "1:30"\n- "0x1F"\n- "~"\n- \'@foo\'\n- \'foo #bar\'\n- foo#bar\n- 2024-13-01\n- "2024-01-01"\n- "emoji \\U0001F600"\n- é\n',
    );
  });

  it("orders keys with go-yaml's natural sort", () => {
    expect(encodeYAML({ a10: 1, a9: 1, b: 1, A: 1, _x: 1, '1': 1, '01': 1, 'a-b': 1, ab: 1 })).toBe('_x: 1\n"1": 1\n"01": 1\nA: 1\na-b: 1\na9: 1\na10: 1\nab: 1\nb: 1\n');
    expect(['b10c', 'b2c', 'x00', 'x0'].sort(compareYamlKeys)).toEqual(['b2c', 'b10c', 'x0', 'x00']);
  });

  it('folds long plain strings at the first space after column 80, continuing two spaces deeper', () => {
    const description = 'This is a very long description that goes on and on and on and on and keeps going past the eighty column limit for sure yes';
    expect(encodeYAML({ metadata: { annotations: { description } } })).toBe(
      'metadata:\n  annotations:\n    description: This is a very long description that goes on and on and on and on\n      and keeps going past the eighty column limit for sure yes\n',
    );
  });

  it('nests sequences and maps inside sequences, and writes top-level scalars', () => {
    expect(encodeYAML([{ a: [{ b: [1, { c: 'd' }] }] }, 'top', [[]], [{}]])).toBe('- a:\n  - b:\n    - 1\n    - c: d\n- top\n- - []\n- - {}\n');
    expect(encodeYAML('scalar')).toBe('scalar\n');
    expect(encodeYAML({})).toBe('{}\n');
    expect(encodeYAML(null)).toBe('null\n');
  });

  it("knows go-yaml's resolver", () => {
    for (const s of ['yes', 'Off', '~', '', '12', '-1_000', '0o17', '0b1', '08', '1e3', '.5', '.inf', '2024-01-01', '2024-1-2T3:04:05Z', '2024-01-01 10:00:00']) {
      expect(resolvesToNonString(s)).toBe(true);
    }
    for (const s of ['yess', 'hello', '2024-13-01', '1.2.3', '-', '<<', '0x', 'x1', '2024-01-01T00:00:00']) expect(resolvesToNonString(s)).toBe(false);
  });
});
