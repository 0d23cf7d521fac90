// core/v1 ConfigMaps: kube's ValidateConfigMap / ValidateConfigMapUpdate (pkg/apis/core/validation)
// and the configmap strategy (no defaults, PUT never creates).
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldForbidden, fieldInvalid, fieldTooLong, keyPath } from '../../registry/validation/field-errors.js';
import { isConfigMapKey } from '../../registry/validation/names.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { schemaBacked } from '../schemas.js';
import { decodeByteMap, decodedLength, decodeStringMap } from './byte-fields.js';

/** core.MaxSecretSize, which kube applies to ConfigMaps too. */
export const MAX_CONFIG_MAP_SIZE = 1024 * 1024;
export const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

type StringMap = Record<string, unknown>;
const entriesOf = (map: unknown): [string, unknown][] => (map && typeof map === 'object' ? Object.entries(map as StringMap) : []);
const has = (map: unknown, key: string) => Boolean(map && typeof map === 'object' && Object.prototype.hasOwnProperty.call(map, key));

function validateConfigMap(cm: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of entriesOf(cm.data)) {
    for (const msg of isConfigMapKey(key)) errors.push(fieldInvalid(keyPath('data', key), key, msg));
    if (has(cm.binaryData, key)) errors.push(fieldInvalid(keyPath('data', key), key, 'duplicate of key present in binaryData'));
    size += typeof value === 'string' ? Buffer.byteLength(value) : 0;
  }
  for (const [key, value] of entriesOf(cm.binaryData)) {
    for (const msg of isConfigMapKey(key)) errors.push(fieldInvalid(keyPath('binaryData', key), key, msg));
    size += decodedLength(value);
  }
  // The root path: the limit is on the whole object.
  if (size > MAX_CONFIG_MAP_SIZE) errors.push(fieldTooLong('', MAX_CONFIG_MAP_SIZE));
  return errors;
}

/**
 * reflect.DeepEqual of a new map (as decoded from the request: {} is an empty map, absent is nil)
 * with the stored one (storage keeps no empty maps: they come back nil).
 */
export function sameMapAsStored(updated: unknown, stored: unknown): boolean {
  const asStored = entriesOf(stored).length > 0 ? stored : null;
  return deepEqual(updated ?? null, asStored);
}

function validateConfigMapUpdate(cm: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (old.immutable === true) {
    if (cm.immutable !== true) errors.push(fieldForbidden('immutable', IMMUTABLE_WHEN_SET));
    if (!sameMapAsStored(cm.data, old.data)) errors.push(fieldForbidden('data', IMMUTABLE_WHEN_SET));
    if (!sameMapAsStored(cm.binaryData, old.binaryData)) errors.push(fieldForbidden('binaryData', IMMUTABLE_WHEN_SET));
  }
  return [...errors, ...validateConfigMap(cm)];
}

/** What decoding the body does before the strategy sees it: string data, binaryData in Go base64. */
function decodeConfigMap(cm: KubeObject): void {
  decodeStringMap(cm, 'data', 'ConfigMap');
  decodeByteMap(cm, 'binaryData', 'ConfigMap');
}

export const configMaps = defineResource({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  shortNames: ['cm'],
  ...schemaBacked('io.k8s.api.core.v1.ConfigMap'),
  strategy: {
    prepareForCreate: decodeConfigMap,
    prepareForUpdate: (cm) => decodeConfigMap(cm),
    validate: validateConfigMap,
    validateUpdate: validateConfigMapUpdate,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  table: nameAgeTableConvertor([
    {
      column: column('Data', 'string', 'The number of entries in data and binaryData.'),
      cell: (cm) => entriesOf(cm.data).length + entriesOf(cm.binaryData).length,
    },
  ]),
});
