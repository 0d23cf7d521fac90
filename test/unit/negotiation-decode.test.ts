// Request decoding, pinned to kube v1.32 sources: apiserver handlers/negotiation
// (NegotiateInputSerializerForMediaType, errUnsupportedMediaType), handlers/rest.go
// (transformDecodeError, summarizeData), apimachinery runtime/serializer/json (Interpret, the YAML
// path), encoding/json's scanner messages, sigs.k8s.io/json strict errors and go-yaml v2.
import { describe, expect, it } from 'vitest';
import { decodeBody, negotiateInputFormat, summarizeData } from '../../src/endpoints/negotiation/decode.js';
import { findDuplicateFields, goJsonSyntaxError } from '../../src/endpoints/negotiation/go-json.js';
import { applyFieldValidation, strictErrorMessages } from '../../src/endpoints/negotiation/strict.js';
import { firstDocument } from '../../src/endpoints/negotiation/yaml-decode.js';
import { StatusError } from '../../src/endpoints/status.js';

const cm = { kind: 'ConfigMap', version: 'v1' };
const bytes = (s: string) => Buffer.from(s, 'utf8');

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('no error thrown');
}

describe('negotiateInputFormat', () => {
  it('reads JSON without a Content-Type, with a charset, in any case', () => {
    for (const type of [undefined, '', 'application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
      expect(negotiateInputFormat(type)).toBe('json');
    }
    expect(negotiateInputFormat('application/yaml')).toBe('yaml');
  });

  it("parses the Content-Type as Go's mime.ParseMediaType: a malformed value is a 415 too", () => {
    expect(negotiateInputFormat('application/json;')).toBe('json');
    expect(negotiateInputFormat('application/yaml ; charset = "utf-8"')).toBe('yaml');
    for (const type of ['application/json; charset', 'application/json/x', ' ', 'application/', 'application/json; a=b c']) {
      expect(thrown(() => negotiateInputFormat(type)).code).toBe(415);
    }
  });

  it('answers 415 UnsupportedMediaType for protobuf and anything else', () => {
    for (const type of ['application/vnd.kubernetes.protobuf', 'text/plain', 'application/x-yaml']) {
      expect(thrown(() => negotiateInputFormat(type)).status).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
        reason: 'UnsupportedMediaType',
        code: 415,
      });
    }
  });
});

describe("goJsonSyntaxError (encoding/json's scanner)", () => {
  it.each([
    ['{"a":}', "invalid character '}' looking for beginning of value"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":1}}', "invalid character '}' after top-level value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":fals', "invalid character ' ' in literal false (expecting 'e')"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":"\\u12G4"}', "invalid character 'G' in \\u hexadecimal character escape"],
    ['{"a":"\u0001"}', "invalid character '\\x01' in string literal"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['', 'unexpected end of JSON input'],
    ['{"a":', 'unexpected end of JSON input'],
    ['\ufeff{}', "invalid character 'ï' looking for beginning of value"],
  ])('%s: %s', (text, message) => {
    expect(goJsonSyntaxError(bytes(text))).toBe(message);
  });

  it('accepts valid JSON', () => {
    expect(goJsonSyntaxError(bytes(' {"a":[1,-2.5e+3,true,false,null,"x\\u00e9"],"b":{}} '))).toBeUndefined();
    expect(goJsonSyntaxError(bytes('12'))).toBeUndefined();
  });
});

describe('decodeBody (JSON)', () => {
  it('decodes an object', () => {
    expect(decodeBody(bytes('{"kind":"ConfigMap","data":{"a":"b"}}'), 'json', cm).object).toEqual({ kind: 'ConfigMap', data: { a: 'b' } });
  });

  it('answers 400 with the Go parse error and the body summary for malformed JSON', () => {
    const err = thrown(() => decodeBody(bytes('{"metadata":{"name":"x"},}'), 'json', cm));
    expect(err.status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: ` +
        `invalid character '}' looking for beginning of object key string ({"metadata":{"name":"x"},})`,
    });
  });

  it('summarizes long JSON bodies at 30 bytes and others in hex', () => {
    expect(summarizeData(bytes('{"apiVersion":"v1","kind":"ConfigMap"}'))).toBe('{"apiVersion":"v1","kind":"Con ...');
    expect(summarizeData(bytes('xyz'))).toBe('78797a');
    expect(summarizeData(bytes(''))).toBe('<empty>');
    expect(thrown(() => decodeBody(bytes('hello'), 'json', cm)).status.message).toBe(
      "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'h' looking for beginning of value (68656c6c6f)",
    );
  });

  it('answers 400 for JSON that is not an object, as Interpret fails on it', () => {
    expect(thrown(() => decodeBody(bytes('[1,2]'), 'json', cm)).status.message).toBe(
      `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b312c325d)`,
    );
    expect(thrown(() => decodeBody(bytes('"x"'), 'json', cm)).status.message).toContain('json: cannot unmarshal string into Go value of type struct {');
  });

  it('answers 400 for a kind or apiVersion that is not a string, and a malformed apiVersion', () => {
    expect(thrown(() => decodeBody(bytes('{"kind":1}'), 'json', cm)).status.message).toBe(
      `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"kind":1})`,
    );
    expect(thrown(() => decodeBody(bytes('{"apiVersion":"a/b/c"}'), 'json', cm)).status.message).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): unexpected GroupVersion string: a/b/c ({"apiVersion":"a/b/c"})',
    );
  });

  it('lets null through (kube decodes it into an empty object) and requires kind for custom resources', () => {
    expect(decodeBody(bytes('null'), 'json', cm).object).toBeNull();
    const widget = { kind: 'Widget', version: 'v1', requireKind: true };
    // fieldValidation=Ignore: the plain serializer.
    expect(thrown(() => decodeBody(bytes('{"metadata":{"name":"w"}}'), 'json', widget)).status.message).toBe(
      `Widget in version "v1" cannot be handled as a Widget: Object 'Kind' is missing in '{"metadata":{"name":"w"}}'`,
    );
    // fieldValidation=Strict or Warn (the default): the strict serializer.
    expect(thrown(() => decodeBody(bytes('{"metadata":{"name":"w"}}'), 'json', widget, true)).status.message).toBe(
      `the object provided is unrecognized (must be of type Widget): Object 'Kind' is missing in '{"metadata":{"name":"w"}}' ({"metadata":{"name":"w"}})`,
    );
  });

  it('reports duplicate fields only when asked', () => {
    const body = bytes('{"metadata":{"name":"a","name":"b"},"data":{"x":"1"}}');
    expect(decodeBody(body, 'json', cm).duplicateFields).toEqual([]);
    const decoded = decodeBody(body, 'json', cm, true);
    expect(decoded.duplicateFields).toEqual(['metadata.name']);
    expect(decoded.object).toEqual({ metadata: { name: 'b' }, data: { x: '1' } });
  });
});

describe('findDuplicateFields (sigs.k8s.io/json DisallowDuplicateFields)', () => {
  it('matches its test cases: paths, order, each once', () => {
    expect(findDuplicateFields('{"a":"","b":"","a":"","b":"","c":{"c":"","c":""},"d":{"e":{"f":1,"f":1}},"e":[{"g":1,"g":1}]}')).toEqual([
      'a',
      'b',
      'c.c',
      'd.e.f',
      'e[0].g',
    ]);
    expect(findDuplicateFields('{"a":1,"a":2,"a":3}')).toEqual(['a']);
  });

  it('reports the duplicate key before what is inside its second value, and decodes escaped keys', () => {
    expect(findDuplicateFields('{"s":{"x":1},"s":{"y":1,"y":2}," \\u0041":[[{"k":1,"k":2}]]," A":0}')).toEqual(['s', 's.y', ' A[0][0].k', ' A']);
  });

  it('caps at 100 errors', () => {
    const body = `{${Array.from({ length: 150 }, (_, i) => `"k${i}":1,"k${i}":2`).join(',')}}`;
    expect(findDuplicateFields(body)).toHaveLength(100);
  });
});

describe('decodeBody (YAML)', () => {
  const yaml = (text: string, detect = false) => decodeBody(bytes(text), 'yaml', cm, detect);

  it('reads YAML 1.1 scalars as go-yaml v2 does, timestamps staying strings', () => {
    expect(yaml('kind: ConfigMap\ndata:\n  a: yes\n  b: 0777\n  c: 2024-01-01\n  d: "on"\n  e: 1_000\n  f: ~\n').object).toEqual({
      kind: 'ConfigMap',
      data: { a: true, b: 511, c: '2024-01-01', d: 'on', e: 1000, f: null },
    });
  });

  it('turns YAML 1.1 boolean keys into "true"/"false" (go-yaml resolves y/on, sigs.k8s.io/yaml stringifies)', () => {
    expect(yaml('y: 1\n"n": 2\nOff: 3\n').object).toEqual({ true: 1, n: 2, false: 3 });
  });

  it('reads only the first document, as go-yaml Unmarshal does', () => {
    expect(yaml('---\nkind: ConfigMap\n---\nkind: Secret\n').object).toEqual({ kind: 'ConfigMap' });
    expect(yaml('kind: ConfigMap\n---\n: : broken [\n').object).toEqual({ kind: 'ConfigMap' });
    expect(firstDocument('# c\n%YAML 1.1\n--- {a: 1}\n...\nb: 2\n')).toBe('# c\n%YAML 1.1\n--- {a: 1}\n');
  });

  it('keeps the last of duplicate keys and reports go-yaml strict errors when asked', () => {
    const text = 'kind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  x: "1"\ndata:\n  z: "2"\n  z: "3"\n';
    expect(yaml(text).object).toEqual({ kind: 'ConfigMap', metadata: { name: 'b' }, data: { z: '3' } });
    expect(yaml(text, true).yamlStrictError).toBe(
      'yaml: unmarshal errors:\n  line 4: key "name" already set in map\n  line 9: key "z" already set in map\n  line 8: key "data" already set in map',
    );
    // go-yaml keys are typed: the int 1 and the string "1" differ, two ints 1 collide.
    expect(yaml('a: 1\n1: x\n"1": y\n', true).yamlStrictError).toBeUndefined();
    expect(yaml('a: 1\n1: x\n01: y\n', true).yamlStrictError).toBe('yaml: unmarshal errors:\n  line 3: key 1 already set in map');
  });

  it('answers 400 with a yaml: line N message and the hex summary for malformed YAML', () => {
    const err = thrown(() => yaml('kind: ConfigMap\ndata: [1\n'));
    expect(err.status.code).toBe(400);
    expect(err.status.message).toMatch(/^the object provided is unrecognized \(must be of type ConfigMap\): yaml: line \d+: .+ \(6b696e643a20436f6e6669674d61700a646174613a205b310a\)$/);
  });

  it('refuses values JSON cannot carry', () => {
    expect(thrown(() => yaml('a: .inf\n')).status.message).toContain('json: unsupported value: +Inf');
  });

  it('decodes an empty document to null', () => {
    expect(yaml('# nothing\n').object).toBeNull();
  });
});

describe('field validation (Strict / Warn / Ignore)', () => {
  const decoded = { kind: 'ConfigMap', version: 'v1', expectedKind: 'ConfigMap' };

  it("formats kube's messages: duplicates, then unknown fields, each once", () => {
    expect(strictErrorMessages({ duplicateFields: ['metadata.name'], unknownFields: ['spec.x', 'spec.x', 'spec.y'] })).toEqual([
      'duplicate field "metadata.name"',
      'unknown field "spec.x"',
      'unknown field "spec.y"',
    ]);
  });

  it('Strict: 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: ...`', () => {
    const err = thrown(() => applyFieldValidation('Strict', { unknownFields: ['spec.x'], duplicateFields: ['metadata.name'] }, decoded));
    expect(err.status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", unknown field "spec.x"',
    });
  });

  it('Strict puts the YAML duplicate-key error first', () => {
    const err = thrown(() => applyFieldValidation('Strict', { yamlStrictError: 'yaml: unmarshal errors:\n  line 3: key "a" already set in map', unknownFields: ['b'] }, decoded));
    expect(err.status.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n  line 3: key "a" already set in map, unknown field "b"',
    );
  });

  it('Warn returns one warning per problem; Ignore and clean bodies none', () => {
    expect(applyFieldValidation('Warn', { unknownFields: ['spec.x'] }, decoded)).toEqual(['unknown field "spec.x"']);
    expect(applyFieldValidation('Ignore', { unknownFields: ['spec.x'] }, decoded)).toEqual([]);
    // handlers/rest.go parseYAMLWarnings: one warning per go-yaml line.
    const yamlStrictError = 'yaml: unmarshal errors:\n  line 3: key "a" already set in map\n  line 5: key "b" already set in map';
    expect(applyFieldValidation('Warn', { yamlStrictError, duplicateFields: [] , unknownFields: ['c'] }, decoded)).toEqual([
      'line 3: key "a" already set in map',
      'line 5: key "b" already set in map',
      'unknown field "c"',
    ]);
    expect(applyFieldValidation('Strict', {}, decoded)).toEqual([]);
  });
});
