// Continue tokens as kube-apiserver writes and reads them (k8s.io/apiserver/pkg/storage/continue.go,
// with Go's base64.RawURLEncoding and encoding/json errors).
import { describe, expect, it } from 'vitest';
import { continueAfter, decodeContinue, encodeContinue, InvalidContinueError } from '../../src/storage/continue-token.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64url');

function decodeError(token: string): string {
  try {
    decodeContinue(token, '/registry/cm/');
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidContinueError);
    return (err as Error).message;
  }
  throw new Error('expected an invalid token');
}

describe('continue tokens', () => {
  it('encodes kube\'s JSON, unpadded base64url, starting just after the last key of the page', () => {
    const token = continueAfter('/registry/cm/ns/b', '/registry/cm/', 12);
    expect(token).not.toMatch(/=/);
    expect(Buffer.from(token, 'base64url').toString()).toBe('{"v":"meta.k8s.io/v1","rv":12,"start":"ns/b\\u0000"}');
    expect(decodeContinue(token, '/registry/cm/')).toEqual({ fromKey: '/registry/cm/ns/b\u0000', revision: 12 });
    expect(decodeContinue(encodeContinue('/registry/cm/ns/b', '/registry/cm/', -1), '/registry/cm/').revision).toBe(-1);
    expect(() => encodeContinue('/other/x', '/registry/cm/', 1)).toThrow('unable to encode next field: the key and key prefix do not match');
  });

  it('reports base64 errors at Go\'s byte offsets', () => {
    expect(decodeError('garbage!')).toBe('continue key is not valid: illegal base64 data at input byte 7');
    expect(decodeError('abc=')).toBe('continue key is not valid: illegal base64 data at input byte 3');
    expect(decodeError('abcde')).toBe('continue key is not valid: illegal base64 data at input byte 4');
  });

  it('reports JSON errors as encoding/json does', () => {
    expect(decodeError(b64('{'))).toBe('continue key is not valid: unexpected end of JSON input');
    expect(decodeError(b64('x'))).toBe("continue key is not valid: invalid character 'x' looking for beginning of value");
    expect(decodeError(b64('[]'))).toBe('continue key is not valid: json: cannot unmarshal array into Go value of type storage.continueToken');
    expect(decodeError(b64('{"v":"meta.k8s.io/v1","rv":"5","start":"a"}'))).toBe(
      'continue key is not valid: json: cannot unmarshal string into Go struct field continueToken.rv of type int64',
    );
    expect(decodeError(b64('{"v":"meta.k8s.io/v1","rv":1.5,"start":"a"}'))).toBe(
      'continue key is not valid: json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64',
    );
  });

  it('checks version, revision, start key and path traversal with kube\'s messages', () => {
    expect(decodeError(b64('null'))).toBe('continue key is not valid: server does not recognize this encoded version ');
    expect(decodeError(b64('{"v":"v2","rv":1,"start":"a"}'))).toBe('continue key is not valid: server does not recognize this encoded version v2');
    expect(decodeError(b64('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'))).toBe('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    expect(decodeError(b64('{"v":"meta.k8s.io/v1","rv":3,"start":""}'))).toBe('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
    expect(decodeError(b64('{"v":"meta.k8s.io/v1","rv":3,"start":"../secrets/x"}'))).toBe('continue key is not valid: ../secrets/x');
    // encoding/json matches field names without regard to case.
    expect(decodeContinue(b64('{"V":"meta.k8s.io/v1","RV":3,"Start":"/ns/a"}'), '/registry/cm/')).toEqual({ fromKey: '/registry/cm/ns/a', revision: 3 });
  });
});
