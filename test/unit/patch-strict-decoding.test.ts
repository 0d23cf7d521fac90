import { describe, expect, it } from 'vitest';
import { patchStrictErrors } from '../../src/endpoints/patch/strict-decoding.js';
import { thrownStatus as thrown } from '../support/errors.js';

const badRequest = (message: string): object => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });

describe('patchStrictErrors (fieldValidation Strict/Warn)', () => {
  it('finds duplicate fields with kjson paths', () => {
    expect(patchStrictErrors('merge', '{"metadata":{"labels":{"a":"1","a":"2"}},"data":{"x":"1"},"data":{"y":"2"}}')).toEqual([
      'duplicate field "metadata.labels.a"',
      'duplicate field "data"',
    ]);
    expect(patchStrictErrors('strategic', '{"spec":{"containers":[{"name":"a","name":"b"}]}}')).toEqual(['duplicate field "spec.containers[0].name"']);
  });

  it('for JSON patch: unknown and duplicate operation fields, prefixed "json patch"', () => {
    expect(
      patchStrictErrors('json', '[{"op":"add","path":"/a","value":{"k":1,"k":2}},{"op":"remove","Path":"/b","op":"remove","extra":true}]'),
    ).toEqual([
      'json patch duplicate field "[0].value.k"',
      'json patch unknown field "[1].Path"',
      'json patch duplicate field "[1].op"',
      'json patch unknown field "[1].extra"',
    ]);
  });

  it('a clean body has none', () => {
    expect(patchStrictErrors('json', '[{"op":"test","path":"/a","value":{"b":[1,{"c":"d"}]}}]')).toEqual([]);
    expect(patchStrictErrors('merge', 'null')).toEqual([]);
    expect(patchStrictErrors('apply', 'a: 1\na: 2')).toEqual([]);
  });

  it.each([
    ['json', '[', 'error decoding patch: unexpected end of JSON input'],
    ['json', '{}', 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    ['json', '["x"]', 'error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp'],
    ['json', '[{"op":"add","path":5}]', 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string'],
    ['merge', '[1]', 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['strategic', '{"a":}', `invalid character '}' looking for beginning of value`],
    ['strategic', '"x"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
  ] as const)('%s %j → 400 %s', (type, body, message) => {
    expect(thrown(() => patchStrictErrors(type, body)).status).toEqual(badRequest(message));
  });
});
