// core/v1 ConfigMaps against kube's ValidateConfigMap / ValidateConfigMapUpdate and printConfigMap.
import { beforeEach, describe, expect, it } from 'vitest';
import { configMaps } from '../../src/kube-apis/core/configmaps.js';
import { Store, type RequestContext } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { createStorage } from '../../src/storage/factory.js';
import { rejectedStatus } from '../support/errors.js';

const KEY_REGEX_ERROR =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const rc: RequestContext = { user: { name: 'alice', groups: ['system:authenticated'] }, dryRun: false, fieldManager: 'test', subresource: '' };
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
const cm = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, ...extra });

describe('configmaps: definition', () => {
  it('is core/v1 configmaps with short name cm, namespaced, every verb, PUT never creates', () => {
    expect(configMaps).toMatchObject({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', listKind: 'ConfigMapList', singularName: 'configmap', namespaced: true, shortNames: ['cm'] });
    expect(configMaps.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    expect(configMaps.strategy.allowCreateOnUpdate).toBe(false);
    expect(configMaps.strategy.allowUnconditionalUpdate).toBe(true);
    expect(configMaps.validateName('Bad_Name', false)).not.toEqual([]);
  });

  it('selects by metadata.name and metadata.namespace only', () => {
    expect(configMaps.selectableFields(cm({}))).toEqual({ 'metadata.name': 'c', 'metadata.namespace': 'default' });
  });
});

describe('configmaps: validation', () => {
  it('accepts valid keys in data and binaryData', () => {
    expect(configMaps.strategy.validate(cm({ data: { 'a.b_c-D': 'x', '.dot': 'y' }, binaryData: { bin: 'AAEC' } }))).toEqual([]);
  });

  it('reports each bad key at data[key] with the key as the value', () => {
    expect(configMaps.strategy.validate(cm({ data: { 'bad key': 'x' } }))).toEqual([
      { type: 'FieldValueInvalid', field: 'data[bad key]', detail: `Invalid value: "bad key": ${KEY_REGEX_ERROR}` },
    ]);
    expect(configMaps.strategy.validate(cm({ binaryData: { '..': 'AA==' } }))).toEqual([
      { type: 'FieldValueInvalid', field: 'binaryData[..]', detail: `Invalid value: "..": must not be '..'` },
    ]);
    expect(configMaps.strategy.validate(cm({ data: { '.': 'x', '..x': 'y' } }))).toEqual([
      { type: 'FieldValueInvalid', field: 'data[.]', detail: `Invalid value: ".": must not be '.'` },
      { type: 'FieldValueInvalid', field: 'data[..x]', detail: `Invalid value: "..x": must not start with '..'` },
    ]);
    const long = 'k'.repeat(254);
    expect(configMaps.strategy.validate(cm({ data: { [long]: '' } }))).toEqual([
      { type: 'FieldValueInvalid', field: `data[${long}]`, detail: `Invalid value: "${long}": must be no more than 253 characters` },
    ]);
  });

  it('reports a key in both data and binaryData on the data side', () => {
    expect(configMaps.strategy.validate(cm({ data: { k: 'x' }, binaryData: { k: 'AA==' } }))).toEqual([
      { type: 'FieldValueInvalid', field: 'data[k]', detail: 'Invalid value: "k": duplicate of key present in binaryData' },
    ]);
  });

  it('limits data plus decoded binaryData to 1 MiB, reported on the whole object', () => {
    const half = 'x'.repeat(512 * 1024);
    expect(configMaps.strategy.validate(cm({ data: { a: half }, binaryData: { b: Buffer.alloc(512 * 1024).toString('base64') } }))).toEqual([]);
    expect(configMaps.strategy.validate(cm({ data: { a: half }, binaryData: { b: Buffer.alloc(512 * 1024 + 1).toString('base64') } }))).toEqual([
      { type: 'FieldValueTooLong', field: '', detail: 'Too long: may not be more than 1048576 bytes' },
    ]);
    // Bytes, not characters.
    expect(configMaps.strategy.validate(cm({ data: { a: 'é'.repeat(512 * 1024 + 1) } }))).toHaveLength(1);
  });

  it('refuses changes to an immutable configmap, and making it mutable again', () => {
    const old = cm({ immutable: true, data: { a: 'x' }, binaryData: { b: 'AA==' } });
    expect(configMaps.strategy.validateUpdate(cm({ immutable: true, data: { a: 'x' }, binaryData: { b: 'AA==' } }), old)).toEqual([]);
    expect(configMaps.strategy.validateUpdate(cm({ immutable: false, data: { a: 'y' }, binaryData: { c: 'AA==' } }), old)).toEqual([
      { type: 'FieldValueForbidden', field: 'immutable', detail: 'Forbidden: field is immutable when `immutable` is set' },
      { type: 'FieldValueForbidden', field: 'data', detail: 'Forbidden: field is immutable when `immutable` is set' },
      { type: 'FieldValueForbidden', field: 'binaryData', detail: 'Forbidden: field is immutable when `immutable` is set' },
    ]);
    // Storage keeps no empty map: an explicit {} differs from the stored nothing, as reflect.DeepEqual(nil, {}) does.
    expect(configMaps.strategy.validateUpdate(cm({ immutable: true, data: {} }), cm({ immutable: true }))).toEqual([
      { type: 'FieldValueForbidden', field: 'data', detail: 'Forbidden: field is immutable when `immutable` is set' },
    ]);
    // A mutable one may become immutable.
    expect(configMaps.strategy.validateUpdate(cm({ immutable: true, data: { a: 'z' } }), cm({ data: { a: 'x' } }))).toEqual([]);
  });
});

describe('configmaps: table', () => {
  it('prints Name, Data (keys of data and binaryData), Age', () => {
    expect(configMaps.table.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Data', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
    const obj = cm({ data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } });
    obj.metadata = { ...obj.metadata, creationTimestamp: hoursAgo(3) } as typeof obj.metadata;
    expect(configMaps.table.cells(obj)).toEqual(['c', 3, '3h']);
  });
});

describe('configmaps: through the store', () => {
  let store: Store;
  beforeEach(async () => {
    store = new Store(configMaps, await createStorage({ backend: 'memory' }), new AdmissionChain());
  });

  it('refuses binaryData that is not base64 with the 400 kube gives while decoding', async () => {
    const err = await rejectedStatus(store.create('default', cm({ binaryData: { b: 'abc!' } }), rc));
    expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 3' });
  });

  it('refuses data values that are not strings, as Go decoding map[string]string', async () => {
    const err = await rejectedStatus(store.create('default', cm({ data: { a: 1 } }), rc));
    expect(err.status).toMatchObject({ code: 400, message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string' });
  });

  it('stores binaryData as canonical base64 (newlines dropped)', async () => {
    const created = await store.create('default', cm({ binaryData: { b: 'YWJj\nZGVm' } }), rc);
    expect(created.binaryData).toEqual({ b: 'YWJjZGVm' });
  });

  it('answers kube\'s 422 for a bad key', async () => {
    const err = await rejectedStatus(store.create('default', cm({ data: { 'a b': 'x' } }), rc));
    expect(err.status).toMatchObject({ code: 422, reason: 'Invalid', details: { name: 'c', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'data[a b]', message: `Invalid value: "a b": ${KEY_REGEX_ERROR}` }] } });
  });
});
