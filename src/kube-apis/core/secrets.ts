// core/v1 Secrets (kube's ValidateSecret / ValidateSecretUpdate and the secret strategy): type defaults
// to Opaque and cannot change, stringData is merged into data, each type's required keys.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource, defaultSelectableFields } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, keyPath } from '../../registry/validation/field-errors.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { newCannotBeHandledAs } from '../../endpoints/negotiation/decode.js';
import { isConfigMapKey } from './configmaps.js';
import { schemaBacked } from '../schemas.js';

export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE = 'field is immutable when `immutable` is set';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's base64.StdEncoding: the offset of the first byte it refuses (-1: valid). */
function badBase64At(value: string): number {
  if (BASE64.test(value) && value.length % 4 === 0) return -1;
  const illegal = value.search(/[^A-Za-z0-9+/=]/);
  if (illegal >= 0) return illegal;
  const padding = value.indexOf('=');
  // Misplaced padding is refused where it stands; a short final quantum at the end of the input.
  return padding >= 0 && padding < value.length - 2 ? padding : value.length - (value.length % 4);
}

/** What the v1 → internal conversion does: stringData wins over data, base64 is checked (a 400). */
function convertSecret(secret: KubeObject): void {
  for (const value of Object.values((secret.data ?? {}) as Record<string, unknown>)) {
    const at = typeof value === 'string' ? badBase64At(value) : 0;
    if (at >= 0) throw newCannotBeHandledAs('Secret', 'v1', 'Secret', `illegal base64 data at input byte ${at}`);
  }
  if (secret.stringData && typeof secret.stringData === 'object') {
    secret.data = { ...(secret.data ?? {}) };
    for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) secret.data[key] = Buffer.from(String(value)).toString('base64');
  }
  delete secret.stringData;
  secret.type ??= 'Opaque';
}

function validateSecret(secret: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const data = (secret.data ?? {}) as Record<string, string>;
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const msg of isConfigMapKey(key)) errors.push(fieldInvalid(keyPath('data', key), key, msg));
    size += Buffer.from(value, 'base64').length;
  }
  if (size > MAX_SECRET_SIZE) errors.push(fieldTooLong('data', MAX_SECRET_SIZE));
  const has = (key: string) => Object.prototype.hasOwnProperty.call(data, key);
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      if (!secret.metadata?.annotations?.['kubernetes.io/service-account.name']) errors.push(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) {
        errors.push(fieldRequired(keyPath('data', key)));
        break;
      }
      try {
        JSON.parse(Buffer.from(data[key], 'base64').toString('utf8'));
      } catch (err) {
        errors.push(fieldInvalid(keyPath('data', key), '<secret contents redacted>', (err as Error).message));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errors.push(fieldRequired(keyPath('data', 'username')), fieldRequired(keyPath('data', 'password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errors.push(fieldRequired(keyPath('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errors.push(fieldRequired(keyPath('data', 'tls.crt')));
      if (!has('tls.key')) errors.push(fieldRequired(keyPath('data', 'tls.key')));
      break;
  }
  return errors;
}

function validateSecretUpdate(secret: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (secret.type !== old.type) errors.push(fieldInvalid('type', secret.type, 'field is immutable'));
  if (old.immutable === true) {
    if (secret.immutable !== true) errors.push(fieldForbidden('immutable', IMMUTABLE));
    if (!deepEqual(secret.data ?? {}, old.data ?? {})) errors.push(fieldForbidden('data', IMMUTABLE));
  }
  return [...errors, ...validateSecret(secret)];
}

export const secrets = defineResource({
  group: '',
  version: 'v1',
  resource: 'secrets',
  kind: 'Secret',
  namespaced: true,
  ...schemaBacked('io.k8s.api.core.v1.Secret'),
  selectableFields: (obj) => ({ ...defaultSelectableFields(true)(obj), type: obj.type ?? '' }),
  strategy: {
    prepareForCreate: convertSecret,
    prepareForUpdate: (secret, old) => {
      convertSecret(secret);
      // An update without a type keeps the old one (kube's ValidateSecretUpdate defaulting).
      if (!secret.type) secret.type = old.type;
    },
    validate: validateSecret,
    validateUpdate: validateSecretUpdate,
  },
  table: nameAgeTableConvertor([
    { column: column('Type', 'string', 'The type of the secret.'), cell: (s) => s.type ?? '' },
    { column: column('Data', 'integer', 'Number of keys in data.'), cell: (s) => Object.keys(s.data ?? {}).length },
  ]),
});
