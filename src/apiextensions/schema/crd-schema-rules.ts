// The openAPIV3Schema checks of CRD validation that are not structural-schema rules (apiextensions-apiserver
// v0.32.9 pkg/apis/apiextensions/validation/validation.go ValidateCustomResourceDefinitionOpenAPISchema and
// specStandardValidatorV3.validate, with the options of a v1 create: requireAtomicSetType,
// requireMapListKeysMapSetValidation, requireValidPropertyType): unsupported keywords, uniqueItems,
// additionalProperties with properties, list/map types and map keys, defaults in top-level metadata, and the
// shape of x-kubernetes-validations entries (their CEL is checked by compileCel).
import type { FieldError } from '../../endpoints/status.js';
import { forbidden, goStringSlice, invalid, invalidRendered, notSupported, required } from './errors.js';
import { isObject, type JSONSchemaProps } from './types.js';
import { normalizeFieldPath } from './cel.js';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);

interface Ctx {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
}

const child = (p: string, k: string) => `${p}.${k}`;
const prop = (p: string, k: string) => `${p}.properties[${k}]`;

/** The CRD validation errors of a version's schema at `path` (spec.versions[i].schema.openAPIV3Schema). */
export function validateOpenAPISchema(path: string, schema: JSONSchemaProps): FieldError[] {
  return visit(schema, path, { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false }, true);
}

function standard(s: JSONSchemaProps, p: string, ctx: Ctx): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type && !TYPES.includes(s.type) && s.type !== 'null') errs.push(notSupported(child(p, 'type'), s.type, TYPES));
  if (s.default !== undefined && !ctx.allowDefaults) errs.push(forbidden(child(p, 'default'), `must not be set${ctx.disallowDefaultsReason ? ` ${ctx.disallowDefaultsReason}` : ''}`));
  if (s.id) errs.push(forbidden(child(p, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(forbidden(child(p, 'additionalItems'), 'additionalItems is not supported'));
  if (isObject(s.patternProperties) && Object.keys(s.patternProperties).length) errs.push(forbidden(child(p, 'patternProperties'), 'patternProperties is not supported'));
  if (isObject(s.definitions) && Object.keys(s.definitions).length) errs.push(forbidden(child(p, 'definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(forbidden(child(p, 'dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(forbidden(child(p, '$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(forbidden(child(p, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length) errs.push(forbidden(child(p, 'items'), 'items must be a schema object and not an array'));
  if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource']) errs.push(forbidden(child(p, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  return errs;
}

function visit(s: JSONSchemaProps | undefined, p: string, ctx: Ctx, isRoot: boolean): FieldError[] {
  if (!s) return [];
  const errs = standard(s, p, ctx);
  if (s.uniqueItems) errs.push(forbidden(child(p, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined) {
    if (s.properties && Object.keys(s.properties).length && (s.additionalProperties === false || isObject(s.additionalProperties))) {
      errs.push(forbidden(child(p, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = ctx.insideResourceMeta ? { ...ctx, allowDefaults: false, disallowDefaultsReason: 'inside additionalProperties applying to object metadata' } : ctx;
    if (isObject(s.additionalProperties)) errs.push(...visit(s.additionalProperties as JSONSchemaProps, child(p, 'additionalProperties'), sub, false));
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    let sub = ctx;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(k)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${k}` };
    }
    errs.push(...visit(v, prop(p, k), sub, false));
  }
  errs.push(...visit(s.not, child(p, 'not'), ctx, false));
  (s.allOf ?? []).forEach((v, i) => errs.push(...visit(v, `${child(p, 'allOf')}[${i}]`, ctx, false)));
  (s.oneOf ?? []).forEach((v, i) => errs.push(...visit(v, `${child(p, 'oneOf')}[${i}]`, ctx, false)));
  (s.anyOf ?? []).forEach((v, i) => errs.push(...visit(v, `${child(p, 'anyOf')}[${i}]`, ctx, false)));
  const items = isObject(s.items) ? (s.items as JSONSchemaProps) : undefined;
  if (items) errs.push(...visit(items, child(p, 'items'), ctx, false));

  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalid(child(p, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    if (!s.type) errs.push(required(child(p, 'type'), 'must be object if x-kubernetes-map-type is specified'));
    else errs.push(invalid(child(p, 'type'), s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(child(p, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined && s.type !== 'array') {
    if (!s.type) errs.push(required(child(p, 'type'), 'must be array if x-kubernetes-list-type is specified'));
    else errs.push(invalid(child(p, 'type'), s.type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(invalid(`${child(p, 'items')}.x-kubernetes-list-type`, items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      // kube prints the item's list type here (nil for an object).
      errs.push(invalid(`${child(p, 'items')}.x-kubernetes-map-type`, items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && listType !== 'atomic' && listType !== 'set' && listType !== 'map') errs.push(notSupported(child(p, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  const mapKeys = s['x-kubernetes-list-map-keys'] ?? [];
  if (mapKeys.length > 0) {
    if (listType === undefined) errs.push(required(child(p, 'x-kubernetes-list-type'), 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errs.push(invalid(child(p, 'x-kubernetes-list-type'), listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (mapKeys.length === 0) errs.push(required(child(p, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(required(child(p, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') errs.push(invalid(`${child(p, 'items')}.type`, items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of mapKeys) {
        const keySchema = items.properties?.[k];
        if (keySchema) {
          if (keySchema.type === 'array' || keySchema.type === 'object') errs.push(invalid(`${prop(child(p, 'items'), k)}.type`, items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        } else errs.push(invalidRendered(child(p, 'x-kubernetes-list-map-keys'), goStringSlice(mapKeys), 'entries must all be names of item properties'));
        if (seen.has(k)) errs.push(invalidRendered(child(p, 'x-kubernetes-list-map-keys'), goStringSlice(mapKeys), 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) errs.push(forbidden(`${child(p, 'items')}.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      const requiredKeys = new Set(items.required ?? []);
      for (const k of mapKeys) {
        const keySchema = items.properties?.[k];
        if (!keySchema) continue;
        if (!requiredKeys.has(k) && keySchema.default === undefined) {
          errs.push(required(`${prop(child(p, 'items'), k)}.default`, 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        }
        if (keySchema.nullable) errs.push(forbidden(`${prop(child(p, 'items'), k)}.nullable`, 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const rp = `${child(p, 'x-kubernetes-validations')}[${i}]`;
    const message = rule.message ?? '';
    const trimmedRule = (rule.rule ?? '').trim();
    const trimmedMsg = message.trim();
    const hasNewlines = (x: string) => /[\n\r]/.test(x);
    if (trimmedRule.length === 0) errs.push(required(child(rp, 'rule'), 'rule is not specified'));
    else if (message.length > 0 && trimmedMsg.length === 0) errs.push(invalid(child(rp, 'message'), message, 'message must be non-empty if specified'));
    else if (hasNewlines(trimmedMsg)) errs.push(invalid(child(rp, 'message'), message, 'message must not contain line breaks'));
    else if (hasNewlines(trimmedRule) && trimmedMsg.length === 0) errs.push(required(child(rp, 'message'), 'message must be specified if rule contains line breaks'));
    const messageExpression = rule.messageExpression ?? '';
    if (messageExpression.length > 0 && messageExpression.trim().length === 0) errs.push(required(child(rp, 'messageExpression'), 'messageExpression must be non-empty if specified'));
    if (rule.reason !== undefined && !REASONS.includes(rule.reason)) errs.push(notSupported(child(rp, 'reason'), rule.reason, REASONS));
    const fieldPath = rule.fieldPath ?? '';
    if (fieldPath.length > 0 && fieldPath.trim().length === 0) errs.push(invalid(child(rp, 'fieldPath'), fieldPath, 'fieldPath must be non-empty if specified'));
    if (hasNewlines(fieldPath)) errs.push(invalid(child(rp, 'fieldPath'), fieldPath, 'fieldPath must not contain line breaks'));
    if (fieldPath.length > 0 && normalizeFieldPath(fieldPath, s) === undefined) errs.push(invalid(child(rp, 'fieldPath'), fieldPath, 'fieldPath must be a valid path'));
  });
  return errs;
}
