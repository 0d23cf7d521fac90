// core/v1 Secrets against kube 1.32: v1 decoding (base64 as Go reads it, stringData, type default),
// ValidateSecret / ValidateSecretUpdate, the strategy's TLS warning, printSecret and the type field.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secrets } from '../../src/kube-apis/core/secrets.js';
import { goBase64CorruptAt } from '../../src/kube-apis/core/go-base64.js';
import { x509KeyPairError } from '../../src/kube-apis/core/tls-key-pair.js';
import { generateCA, type KeyPairPem } from '../../src/server/serving/certs.js';
import { Store, type RequestContext } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { createStorage } from '../../src/storage/factory.js';
import { rejectedStatus } from '../support/errors.js';

const rc: RequestContext = { user: { name: 'alice', groups: ['system:authenticated'] }, dryRun: false, fieldManager: 'test', subresource: '' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, type: 'Opaque', ...extra });
const required = (field: string) => ({ type: 'FieldValueRequired', field, detail: 'Required value' });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

describe("Go's base64.StdEncoding offsets (encoding/base64 decode tests)", () => {
  it.each([
    ['', -1],
    ['\n', -1],
    ['AAA=\n', -1],
    ['AAAA\n', -1],
    ['AA==', -1],
    ['AAA=', -1],
    ['AAAA', -1],
    ['YWJj\r\nZGVm', -1],
    ['!!!!', 0],
    ['====', 0],
    ['x===', 1],
    ['=AAA', 0],
    ['A=AA', 1],
    ['AA=A', 2],
    ['AA==A', 4],
    ['AAA=AAAA', 4],
    ['AAAAA', 4],
    ['AAAAAA', 4],
    ['A=', 1],
    ['A==', 1],
    ['AA=', 3],
    ['AAAAAA=', 7],
    ['YWJjZA=====', 8],
    ['A!\n', 1],
    ['A=\n', 1],
  ])('%j → %i', (input, offset) => {
    expect(goBase64CorruptAt(input)).toBe(offset);
  });
});

describe('secrets: definition and fields', () => {
  it('is core/v1 secrets, namespaced, no short name, selectable by type', () => {
    expect(secrets).toMatchObject({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, shortNames: [] });
    expect(secrets.strategy.allowCreateOnUpdate).toBe(false);
    expect(secrets.selectableFields(secret({ type: 'kubernetes.io/tls' }))).toEqual({ 'metadata.name': 's', 'metadata.namespace': 'default', type: 'kubernetes.io/tls' });
  });

  it('prints Name, Type, Data (keys of data), Age', () => {
    expect(secrets.table.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Type', 'string', ''],
      ['Data', 'string', ''],
      ['Age', 'string', ''],
    ]);
    const obj = secret({ data: { a: b64('1'), b: b64('2') } });
    obj.metadata = { ...obj.metadata, creationTimestamp: hoursAgo(50) } as typeof obj.metadata;
    expect(secrets.table.cells(obj)).toEqual(['s', 'Opaque', 2, '2d2h']);
  });
});

describe('secrets: decoding (create and update)', () => {
  it('merges stringData into data as base64, stringData winning, and drops it', () => {
    const obj: Record<string, any> = secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'ç' } });
    secrets.strategy.prepareForCreate!(obj);
    expect(obj.data).toEqual({ a: b64('new'), b: b64('keep'), c: b64('ç') });
    expect(obj).not.toHaveProperty('stringData');
  });

  it('defaults the type to Opaque', () => {
    const obj: Record<string, any> = { metadata: { name: 's' } };
    secrets.strategy.prepareForCreate!(obj);
    expect(obj.type).toBe('Opaque');
  });

  it('refuses data that is not base64 with the 400 kube-apiserver gives', () => {
    expect(() => secrets.strategy.prepareForCreate!(secret({ data: { a: 'abcd!' } }))).toThrow('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4');
    expect(() => secrets.strategy.prepareForCreate!(secret({ data: { a: 12 } }))).toThrow('Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal number into Go struct field Secret.data of type []uint8');
    expect(() => secrets.strategy.prepareForCreate!(secret({ stringData: { a: true } }))).toThrow('Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal bool into Go struct field Secret.stringData of type string');
  });
});

describe('secrets: validation', () => {
  it('accepts an Opaque secret and any unknown type', () => {
    expect(secrets.strategy.validate(secret({ data: { 'a.b': b64('x') } }))).toEqual([]);
    expect(secrets.strategy.validate(secret({ type: 'example.com/custom' }))).toEqual([]);
  });

  it('checks data keys like configmap keys', () => {
    expect(secrets.strategy.validate(secret({ data: { 'a/b': b64('x') } }))).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'data[a/b]',
        detail:
          "Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      },
    ]);
  });

  it('limits decoded data to 1 MiB, reported on data', () => {
    expect(secrets.strategy.validate(secret({ data: { a: Buffer.alloc(1024 * 1024).toString('base64') } }))).toEqual([]);
    expect(secrets.strategy.validate(secret({ data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }))).toEqual([
      { type: 'FieldValueTooLong', field: 'data', detail: 'Too long: may not be more than 1048576 bytes' },
    ]);
  });

  it('requires the service account name annotation on service-account-token secrets', () => {
    const type = 'kubernetes.io/service-account-token';
    expect(secrets.strategy.validate(secret({ type }))).toEqual([required('metadata.annotations[kubernetes.io/service-account.name]')]);
    expect(secrets.strategy.validate(secret({ type, metadata: { name: 's', annotations: { 'kubernetes.io/service-account.name': 'default' } } }))).toEqual([]);
  });

  it('requires a docker config holding a JSON object, with Go\'s decoding errors (contents redacted)', () => {
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/dockerconfigjson' }))).toEqual([required('data[.dockerconfigjson]')]);
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/dockercfg' }))).toEqual([required('data[.dockercfg]')]);
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }))).toEqual([]);
    const invalid = (content: string) => secrets.strategy.validate(secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(content) } }));
    expect(invalid('{')).toEqual([
      { type: 'FieldValueInvalid', field: 'data[.dockerconfigjson]', detail: 'Invalid value: "<secret contents redacted>": unexpected end of JSON input' },
    ]);
    expect(invalid('x')).toEqual([
      { type: 'FieldValueInvalid', field: 'data[.dockerconfigjson]', detail: `Invalid value: "<secret contents redacted>": invalid character 'x' looking for beginning of value` },
    ]);
    expect(invalid('[]')).toEqual([
      { type: 'FieldValueInvalid', field: 'data[.dockerconfigjson]', detail: 'Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}' },
    ]);
    expect(invalid('null')).toEqual([]);
  });

  it('requires username or password on basic-auth secrets (either may be empty)', () => {
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/basic-auth' }))).toEqual([required('data[username]'), required('data[password]')]);
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/basic-auth', data: { password: '' } }))).toEqual([]);
  });

  it('requires a non-empty ssh-privatekey on ssh-auth secrets', () => {
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }))).toEqual([required('data[ssh-privatekey]')]);
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': b64('k') } }))).toEqual([]);
  });

  it('requires tls.crt and tls.key on tls secrets', () => {
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/tls' }))).toEqual([required('data[tls.crt]'), required('data[tls.key]')]);
    expect(secrets.strategy.validate(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }))).toEqual([]);
  });

  it('keeps the type and, once immutable, the data', () => {
    const old = secret({ type: 'kubernetes.io/basic-auth', immutable: true, data: { username: b64('u') } });
    expect(secrets.strategy.validateUpdate(secret({ type: 'kubernetes.io/basic-auth', immutable: true, data: { username: b64('u') } }), old)).toEqual([]);
    expect(secrets.strategy.validateUpdate(secret({ type: 'Opaque', data: { username: b64('v') } }), old)).toEqual([
      { type: 'FieldValueInvalid', field: 'type', detail: 'Invalid value: "Opaque": field is immutable' },
      { type: 'FieldValueForbidden', field: 'immutable', detail: 'Forbidden: field is immutable when `immutable` is set' },
      { type: 'FieldValueForbidden', field: 'data', detail: 'Forbidden: field is immutable when `immutable` is set' },
    ]);
  });
});

describe('secrets: the TLS pair warning (tls.X509KeyPair errors)', () => {
  let one: KeyPairPem;
  let other: KeyPairPem;
  beforeAll(async () => {
    [one, other] = await Promise.all([generateCA('one'), generateCA('other')]);
  });
  const warnings = (crt: string, key: string) => secrets.strategy.warningsOnCreate!(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64(crt), 'tls.key': b64(key) } }));

  it('says nothing for a matching pair, or for other types', () => {
    expect(warnings(one.certPem, one.keyPem)).toEqual([]);
    expect(secrets.strategy.warningsOnCreate!(secret({ data: { 'tls.crt': b64('x') } }))).toEqual([]);
  });

  it("warns with Go's error texts", () => {
    expect(warnings(one.certPem, other.keyPem)).toEqual(['tls: private key does not match public key']);
    expect(warnings('', one.keyPem)).toEqual(['tls: failed to find any PEM data in certificate input']);
    expect(warnings(one.keyPem, one.certPem)).toEqual(['tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched']);
    expect(warnings(one.certPem, '')).toEqual(['tls: failed to find any PEM data in key input']);
    expect(warnings(one.certPem, one.certPem)).toEqual(['tls: found a certificate rather than a key in the PEM for the private key']);
    expect(x509KeyPairError(Buffer.from('-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n'), Buffer.from(''))).toBe(
      'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [FOO]',
    );
  });
});

describe('secrets: through the store', () => {
  let store: Store;
  beforeEach(async () => {
    store = new Store(secrets, await createStorage({ backend: 'memory' }), new AdmissionChain());
  });

  it('stores stringData merged into data, type Opaque', async () => {
    const created = await store.create('default', { metadata: { name: 's' }, stringData: { password: 'hunter2' } }, rc);
    expect(created).toMatchObject({ type: 'Opaque', data: { password: b64('hunter2') } });
    expect(created).not.toHaveProperty('stringData');
    const updated = await store.update('default', 's', (cur) => ({ ...cur!, stringData: { user: 'me' } }), rc);
    expect(updated.object.data).toEqual({ password: b64('hunter2'), user: b64('me') });
  });

  it('answers 400 for bad base64 and 422 for a type change', async () => {
    const bad = await rejectedStatus(store.create('default', { metadata: { name: 's' }, data: { a: 'YWJjZA=====' } }, rc));
    expect(bad.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 8' });
    await store.create('default', { metadata: { name: 't' }, type: 'kubernetes.io/basic-auth', data: { username: b64('u') } }, rc);
    // A PUT without a type is decoded as Opaque: a change.
    const changed = await rejectedStatus(store.update('default', 't', (cur) => ({ ...cur!, type: undefined }), rc));
    expect(changed.status).toMatchObject({ code: 422, details: { causes: [{ field: 'type', message: 'Invalid value: "Opaque": field is immutable' }] } });
  });
});
