// The parts of kube's CRD validation beyond names and schemas (apiextensions validation.go): each
// version's printer columns, subresources, deprecation warning and selectable fields, and the
// conversion strategy with its webhook client config.
import type { FieldError } from '../endpoints/status.js';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooMany, keyPath } from '../registry/validation/field-errors.js';
import { isDNS1035Label } from '../registry/validation/names.js';
import { validateCABundle, validateReviewVersions, validateWebhookService, validateWebhookURL } from '../registry/validation/webhook-client-config.js';
import type { JSONSchemaProps } from './schema/types.js';

const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const CONVERSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];
export const MAX_SELECTABLE_FIELDS = 8;

type Obj = Record<string, any>;

function validateSimpleJSONPath(path: string, s: string): FieldError[] {
  if (s.length === 0) return [fieldInvalid(path, s, 'must not be empty')];
  if (s[0] !== '.') return [fieldInvalid(path, s, 'must be a simple json path starting with .')];
  return [];
}

export function validatePrinterColumn(path: string, col: Obj): FieldError[] {
  const errors: FieldError[] = [];
  if (!col.name) errors.push(fieldRequired(`${path}.name`));
  const typesText = `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`;
  if (!col.type) errors.push(fieldRequired(`${path}.type`, typesText));
  else if (!PRINTER_COLUMN_TYPES.includes(col.type)) errors.push(fieldInvalid(`${path}.type`, col.type, typesText));
  if (col.format && !PRINTER_COLUMN_FORMATS.includes(col.format)) errors.push(fieldInvalid(`${path}.format`, col.format, `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`));
  if (!col.jsonPath) errors.push(fieldRequired(`${path}.JSONPath`));
  else errors.push(...validateSimpleJSONPath(`${path}.JSONPath`, col.jsonPath));
  return errors;
}

export function validateSubresources(path: string, sub: Obj | undefined): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errors: FieldError[] = [];
  const under = (field: string, value: string | undefined, prefixes: string[], detail: string) => {
    if (!value) return;
    const pathErrors = validateSimpleJSONPath(`${path}.${field}`, value);
    if (pathErrors.length > 0) errors.push(...pathErrors);
    else if (!prefixes.some((p) => value.startsWith(p))) errors.push(fieldInvalid(`${path}.${field}`, value, detail));
  };
  if (!scale.specReplicasPath) errors.push(fieldRequired(`${path}.scale.specReplicasPath`));
  else under('scale.specReplicasPath', scale.specReplicasPath, ['.spec.'], 'should be a json path under .spec');
  if (!scale.statusReplicasPath) errors.push(fieldRequired(`${path}.scale.statusReplicasPath`));
  else under('scale.statusReplicasPath', scale.statusReplicasPath, ['.status.'], 'should be a json path under .status');
  under('scale.labelSelectorPath', scale.labelSelectorPath, ['.spec.', '.status.'], 'should be a json path under either .spec or .status');
  return errors;
}

export function validateDeprecationWarning(path: string, deprecated: boolean | undefined, warning: string | undefined): FieldError[] {
  if (!deprecated && warning !== undefined) return [fieldInvalid(path, warning, 'can only be set for deprecated versions')];
  if (warning === undefined) return [];
  const errors: FieldError[] = [];
  if (Buffer.byteLength(warning) > 256) errors.push(fieldInvalid(path, warning, 'must be <= 256 characters long'));
  if (warning.length === 0) errors.push(fieldInvalid(path, warning, 'must not be an empty string'));
  let index = 0;
  for (const ch of warning) {
    if (/\p{Cc}/u.test(ch)) {
      errors.push(fieldInvalid(path, warning, `must only contain printable UTF-8 characters; control character found at index ${index}`));
      break;
    }
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      errors.push(fieldInvalid(path, warning, `must only contain printable UTF-8 characters; non-printable character found at index ${index}`));
      break;
    }
    index += Buffer.byteLength(ch);
  }
  return errors;
}

/** kube's cel.ValidFieldPath without array notation: the schema a ".a.b" path leads to. */
export function schemaAtFieldPath(jsonPath: string, root: JSONSchemaProps): { path: string[]; schema: JSONSchemaProps } | { error: string } {
  let schema: JSONSchemaProps = root;
  const path: string[] = [];
  const tokens = jsonPath.split(/(\.|\[|\])/).filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === '[') return { error: 'array notation is not allowed' };
    if (tok !== '.') return { error: `expected [ or . but got: ${tok}` };
    const name = tokens[++i];
    if (name === undefined) return { error: 'unexpected end of JSON path' };
    if (schema.properties) {
      const next = schema.properties[name];
      if (!next) return { error: 'does not refer to a valid field' };
      schema = next;
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      schema = schema.additionalProperties;
    } else return { error: 'does not refer to a valid field' };
    path.push(name);
  }
  return { path, schema };
}

export function validateSelectableFields(path: string, fields: Obj[], schema: JSONSchemaProps): FieldError[] {
  const errors: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${keyPath(path, i)}.jsonPath`;
    if (!f.jsonPath) {
      errors.push(fieldRequired(at));
      return;
    }
    const found = schemaAtFieldPath(f.jsonPath, schema);
    if ('error' in found) {
      errors.push(fieldInvalid(at, f.jsonPath, `is an invalid path: ${found.error}`));
      return;
    }
    if (found.path[0] === 'metadata') errors.push(fieldInvalid(at, f.jsonPath, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(found.schema.type ?? '')) {
      errors.push(fieldInvalid(at, f.jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    const key = found.path.join('.');
    if (unique.has(key)) errors.push(fieldDuplicate(at, f.jsonPath));
    else unique.add(key);
  });
  if (unique.size > MAX_SELECTABLE_FIELDS) errors.push(fieldTooMany(path, unique.size, MAX_SELECTABLE_FIELDS));
  return errors;
}

export function validateConversion(path: string, conversion: Obj | undefined, preserveUnknownFields: boolean): FieldError[] {
  if (!conversion) return [];
  const errors: FieldError[] = [];
  if (conversion.strategy !== 'None' && preserveUnknownFields) {
    errors.push(fieldInvalid(`${path}.strategy`, conversion.strategy, 'must be None if spec.preserveUnknownFields is true'));
  }
  if (!conversion.strategy) errors.push(fieldRequired(`${path}.strategy`));
  else if (conversion.strategy !== 'None' && conversion.strategy !== 'Webhook') errors.push(fieldNotSupported(`${path}.strategy`, conversion.strategy, ['None', 'Webhook']));
  // v1 nests the client config and review versions under conversion.webhook; kube's paths name the internal fields.
  const webhook: Obj | undefined = conversion.webhook;
  const cc: Obj | undefined = webhook?.clientConfig;
  if (conversion.strategy === 'Webhook') {
    const ccPath = `${path}.webhookClientConfig`;
    if (!cc) errors.push(fieldRequired(ccPath, 'required when strategy is set to Webhook'));
    else {
      if ((cc.url === undefined) === (cc.service === undefined)) errors.push(fieldRequired(ccPath, 'exactly one of url or service is required'));
      else if (cc.url !== undefined) errors.push(...validateWebhookURL(`${ccPath}.url`, cc.url, true));
      else errors.push(...validateWebhookService(`${ccPath}.service`, cc.service.namespace ?? '', cc.service.name ?? '', cc.service.path, cc.service.port ?? 443));
      if (cc.caBundle) errors.push(...validateCABundle(`${ccPath}.caBundle`, cc.caBundle));
    }
    errors.push(...validateReviewVersions(`${path}.conversionReviewVersions`, webhook?.conversionReviewVersions ?? [], CONVERSION_REVIEW_VERSIONS));
  } else {
    if (cc) errors.push(fieldForbidden(`${path}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'));
    if ((webhook?.conversionReviewVersions?.length ?? 0) > 0) errors.push(fieldForbidden(`${path}.conversionReviewVersions`, 'should not be set when strategy is not set to Webhook'));
  }
  return errors;
}

/** The per-version checks beyond the schema. */
export function validateVersionExtras(path: string, version: Obj): FieldError[] {
  const errors = validateDeprecationWarning(`${path}.deprecationWarning`, version.deprecated, version.deprecationWarning);
  errors.push(...validateSubresources(`${path}.subresources`, version.subresources));
  (version.additionalPrinterColumns ?? []).forEach((col: Obj, i: number) => errors.push(...validatePrinterColumn(keyPath(`${path}.additionalPrinterColumns`, i), col)));
  const selectable: Obj[] = version.selectableFields ?? [];
  if (selectable.length > 0) {
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) errors.push(fieldInvalid(`${path}.selectableFields`, '', 'may only be set when `version.schema.openAPIV3Schema` is not included'));
    else errors.push(...validateSelectableFields(`${path}.selectableFields`, selectable, schema));
  }
  return errors;
}

export function validateCategories(path: string, categories: string[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  (categories ?? []).forEach((c, i) => {
    const msgs = isDNS1035Label(c);
    if (msgs.length > 0) errors.push(fieldInvalid(keyPath(path, i), c, msgs.join(',')));
  });
  return errors;
}
