// core/v1 Secrets: kube's ValidateSecret / ValidateSecretUpdate (pkg/apis/core/validation), what
// decoding a v1 Secret does (base64 data, stringData merged into data, type defaulted to Opaque) and
// the secret strategy (a type kept on update, a warning for a TLS pair that does not load).
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource, defaultSelectableFields } from '../define.js';
import { column, nameAgeTableConvertor } from '../printing.js';
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, keyPath } from '../../registry/validation/field-errors.js';
import { isConfigMapKey } from '../../registry/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../registry/validation/object-meta.js';
import { decodeJsonLikeGo, goUnmarshalTypeError } from '../../endpoints/patch/go-json.js';
import { schemaBacked } from '../schemas.js';
import { decodeByteMap, decodedLength, decodeStringMap } from './byte-fields.js';
import { IMMUTABLE_WHEN_SET, sameMapAsStored } from './configmaps.js';
import { tlsKeyPairWarnings } from './tls-key-pair.js';

/** core.MaxSecretSize */
export const MAX_SECRET_SIZE = 1024 * 1024;

export const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';
const REDACTED = '<secret contents redacted>';

type ByteMap = Record<string, string | null>;

/**
 * Decoding a v1 Secret into kube's internal one: data must be base64 (a 400 otherwise), each
 * stringData entry overwrites data (as bytes) and stringData is gone; defaulting sets type Opaque.
 */
export function decodeSecret(secret: KubeObject): void {
  decodeByteMap(secret, 'data', 'Secret');
  decodeStringMap(secret, 'stringData', 'Secret');
  const stringData = secret.stringData;
  if (stringData && typeof stringData === 'object' && Object.keys(stringData).length > 0) {
    const data: ByteMap = { ...((secret.data ?? {}) as ByteMap) };
    for (const [key, value] of Object.entries(stringData as Record<string, unknown>)) {
      data[key] = Buffer.from(value as string).toString('base64');
    }
    secret.data = data;
  }
  delete secret.stringData;
  if (!secret.type) secret.type = 'Opaque';
}

function has(data: ByteMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(data, key);
}

/** The docker config keys must hold a JSON object (json.Unmarshal into a map), as Go reads it. */
function validateDockerConfig(data: ByteMap, key: string): FieldError[] {
  if (!has(data, key)) return [fieldRequired(keyPath('data', key), '')];
  const decoded = decodeJsonLikeGo(Buffer.from(data[key] ?? '', 'base64'));
  if (!decoded.ok) return [fieldInvalid(keyPath('data', key), REDACTED, decoded.message)];
  const value = decoded.value;
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    return [fieldInvalid(keyPath('data', key), REDACTED, goUnmarshalTypeError(value, 'map[string]interface {}'))];
  }
  return [];
}

function validateSecretType(secret: KubeObject, data: ByteMap): FieldError[] {
  switch (secret.type) {
    case 'kubernetes.io/service-account-token': {
      // Only the name annotation: a controller may add the uid and token later.
      const name = secret.metadata?.annotations?.[SERVICE_ACCOUNT_NAME_KEY];
      return name ? [] : [fieldRequired(keyPath('metadata.annotations', SERVICE_ACCOUNT_NAME_KEY), '')];
    }
    case 'kubernetes.io/dockercfg':
      return validateDockerConfig(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return validateDockerConfig(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be there.
      return has(data, 'username') || has(data, 'password') ? [] : [fieldRequired(keyPath('data', 'username'), ''), fieldRequired(keyPath('data', 'password'), '')];
    case 'kubernetes.io/ssh-auth':
      return decodedLength(data['ssh-privatekey']) > 0 ? [] : [fieldRequired(keyPath('data', 'ssh-privatekey'), '')];
    case 'kubernetes.io/tls': {
      const errors: FieldError[] = [];
      if (!has(data, 'tls.crt')) errors.push(fieldRequired(keyPath('data', 'tls.crt'), ''));
      if (!has(data, 'tls.key')) errors.push(fieldRequired(keyPath('data', 'tls.key'), ''));
      return errors;
    }
    default:
      return [];
  }
}

export function validateSecret(secret: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const data = (secret.data && typeof secret.data === 'object' ? secret.data : {}) as ByteMap;
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const msg of isConfigMapKey(key)) errors.push(fieldInvalid(keyPath('data', key), key, msg));
    size += decodedLength(value);
  }
  if (size > MAX_SECRET_SIZE) errors.push(fieldTooLong('data', MAX_SECRET_SIZE));
  return [...errors, ...validateSecretType(secret, data)];
}

export function validateSecretUpdate(secret: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if ((secret.type ?? '') !== (old.type ?? '')) errors.push(fieldInvalid('type', secret.type ?? '', FIELD_IMMUTABLE_ERROR_MSG));
  if (old.immutable === true) {
    if (secret.immutable !== true) errors.push(fieldForbidden('immutable', IMMUTABLE_WHEN_SET));
    // stringData is already merged into data here, so data is all there is to compare.
    if (!sameMapAsStored(secret.data, old.data)) errors.push(fieldForbidden('data', IMMUTABLE_WHEN_SET));
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
  selectableFields: (secret) => ({ ...defaultSelectableFields(true)(secret), type: secret.type ?? '' }),
  strategy: {
    prepareForCreate: decodeSecret,
    prepareForUpdate(secret, old) {
      decodeSecret(secret);
      // kube's strategy keeps the old type when none is given; decoding has defaulted it to Opaque
      // already, so a PUT without a type changes it (and is refused) exactly as in kube.
      if (!secret.type) secret.type = old.type;
    },
    validate: validateSecret,
    validateUpdate: validateSecretUpdate,
    warningsOnCreate: tlsKeyPairWarnings,
    warningsOnUpdate: (secret) => tlsKeyPairWarnings(secret),
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  table: nameAgeTableConvertor([
    { column: column('Type', 'string', 'The type of the secret.'), cell: (s) => s.type ?? '' },
    { column: column('Data', 'string', 'The number of entries in data.'), cell: (s) => Object.keys(s.data ?? {}).length },
  ]),
});
