// core/v1 ConfigMaps, validated as kube's ValidateConfigMap / ValidateConfigMapUpdate.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldForbidden, fieldInvalid, fieldTooLong, keyPath } from '../../registry/validation/field-errors.js';
import { maxLenError, regexError } from '../../registry/validation/names.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { schemaBacked } from '../schemas.js';

export const MAX_CONFIG_MAP_SIZE = 1024 * 1024;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const configMapKey = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);
const IMMUTABLE = 'field is immutable when `immutable` is set';

/** validation.IsConfigMapKey (also for Secret keys). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push(maxLenError(253));
  if (!configMapKey.test(value)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function validateConfigMap(cm: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries((cm.data ?? {}) as Record<string, string>)) {
    for (const msg of isConfigMapKey(key)) errors.push(fieldInvalid(keyPath('data', key), key, msg));
    size += Buffer.byteLength(String(value));
  }
  for (const [key, value] of Object.entries((cm.binaryData ?? {}) as Record<string, string>)) {
    for (const msg of isConfigMapKey(key)) errors.push(fieldInvalid(keyPath('binaryData', key), key, msg));
    if (cm.data && Object.prototype.hasOwnProperty.call(cm.data, key)) {
      errors.push(fieldInvalid(keyPath('data', key), key, 'duplicate of key present in binaryData'));
    }
    size += Buffer.from(String(value), 'base64').length;
  }
  if (size > MAX_CONFIG_MAP_SIZE) errors.push(fieldTooLong('', MAX_CONFIG_MAP_SIZE));
  return errors;
}

function validateConfigMapUpdate(cm: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (old.immutable === true) {
    if (cm.immutable !== true) errors.push(fieldForbidden('immutable', IMMUTABLE));
    if (!deepEqual(cm.data ?? {}, old.data ?? {})) errors.push(fieldForbidden('data', IMMUTABLE));
    if (!deepEqual(cm.binaryData ?? {}, old.binaryData ?? {})) errors.push(fieldForbidden('binaryData', IMMUTABLE));
  }
  return [...errors, ...validateConfigMap(cm)];
}

export const configMaps = defineResource({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  shortNames: ['cm'],
  ...schemaBacked('io.k8s.api.core.v1.ConfigMap'),
  strategy: { validate: validateConfigMap, validateUpdate: validateConfigMapUpdate, allowUnconditionalUpdate: true },
  table: nameAgeTableConvertor([
    {
      column: column('Data', 'integer', 'Number of keys in data and binaryData.'),
      cell: (obj) => Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length,
    },
  ]),
});
