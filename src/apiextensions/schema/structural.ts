// Structural schema rules (apiextensions-apiserver v0.32.9 pkg/apiserver/schema/validation.go and
// complete.go): the invariants of the skeleton (types everywhere except int-or-string and
// preserve-unknown-fields nodes, items for arrays, no additionalProperties at the root, metadata
// restricted to name/generateName at the root), the value validations under allOf/anyOf/oneOf/not (no
// type, default, title, description, nullable or x-kubernetes-* there) and their completeness (every
// property they name exists in the skeleton). Errors are sorted by their text, as ValidateStructural does;
// the NonStructuralSchema condition message is their aggregate.
import type { FieldError } from '../../endpoints/status.js';
import { errorText, forbidden, invalid, required } from './errors.js';
import { compileGoRegexp, GoRegexpError } from './regex.js';
import { isObject, type JSONSchemaProps } from './types.js';

type Level = 'root' | 'item' | 'field';
const child = (p: string, k: string) => (p ? `${p}.${k}` : k);
const key = (p: string, k: string) => `${p}[${k}]`;
const prop = (p: string, k: string) => key(child(p, 'properties'), k);

const itemsOf = (s: JSONSchemaProps) => (isObject(s.items) ? (s.items as JSONSchemaProps) : undefined);
const additionalOf = (s: JSONSchemaProps) => (isObject(s.additionalProperties) ? (s.additionalProperties as JSONSchemaProps) : undefined);

/** ValidateStructural: the errors of a version's openAPIV3Schema at `path` (sorted by text). */
export function validateStructural(path: string, s: JSONSchemaProps): FieldError[] {
  const errs = [...invariants(s, 'root', path), ...completeness(s, s, path, path)];
  return errs.sort((a, b) => (errorText(a) < errorText(b) ? -1 : errorText(a) > errorText(b) ? 1 : 0));
}

/** The NonStructuralSchema condition message for a CRD's violations (field.ErrorList.ToAggregate). */
export function nonStructuralMessage(errors: FieldError[]): string {
  const texts = [...new Set(errors.map(errorText))];
  return texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
}

function invariants(s: JSONSchemaProps | undefined, lvl: Level, path: string): FieldError[] {
  if (!s) return [];
  const errs: FieldError[] = [];
  const items = itemsOf(s);
  if (s.type === 'array' && !items) errs.push(required(child(path, 'items'), 'must be specified'));
  errs.push(...invariants(items, 'item', child(path, 'items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...invariants(v, 'field', prop(path, k)));
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(forbidden(child(path, 'additionalProperties'), 'must not be used at the root'));
    const additional = additionalOf(s);
    if (additional) errs.push(...invariants(additional, 'field', child(path, 'additionalProperties')));
  }
  const intOrString = !!s['x-kubernetes-int-or-string'];
  const preserve = !!s['x-kubernetes-preserve-unknown-fields'];
  const embedded = !!s['x-kubernetes-embedded-resource'];
  if (intOrString && preserve) errs.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(invalid(child(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  errs.push(...valueValidation(s, isIntOrStringAnyOf(s.anyOf), isIntOrStringAnyOf(s.allOf?.[0]?.anyOf), path, true));

  const checkMetadata = lvl === 'root' || embedded;
  const type = s.type ?? '';
  if (embedded && type !== 'object') {
    if (!type) errs.push(required(child(path, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(invalid(child(path, 'type'), type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!type && !intOrString && !preserve) {
    const where = lvl === 'root' ? 'at the root' : lvl === 'item' ? 'for specified array items' : 'for specified object fields';
    errs.push(required(child(path, 'type'), `must not be empty ${where}`));
  }
  if (embedded && s.additionalProperties !== undefined) errs.push(forbidden(child(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && type && type !== 'object') errs.push(invalid(child(path, 'type'), type, 'must be object at the root'));
  const props = s.properties ?? {};
  if (props.kind && checkMetadata && props.kind.type !== 'string') errs.push(invalid(child(prop(path, 'kind'), 'type'), props.kind.type ?? '', 'must be string'));
  if (props.apiVersion && checkMetadata && props.apiVersion.type !== 'string') errs.push(invalid(child(prop(path, 'apiVersion'), 'type'), props.apiVersion.type ?? '', 'must be string'));
  if (props.metadata) errs.push(...metadataInvariants(props.metadata, checkMetadata, lvl, prop(path, 'metadata')));
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(required(child(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

function metadataInvariants(s: JSONSchemaProps, checkMetadata: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && s.type !== 'object') errs.push(invalid(child(path, 'type'), s.type ?? '', 'must be object'));
  if (lvl === 'root') {
    // Only name and generateName may be specified; type and default are checked elsewhere.
    const propKeys = Object.keys(s.properties ?? {});
    const onlyNames = propKeys.every((k) => k === 'name' || k === 'generateName');
    const rest = Object.keys(s).filter((k) => k !== 'type' && k !== 'default' && !(k === 'properties' && onlyNames) && s[k] !== undefined && s[k] !== false);
    if (rest.length > 0) errs.push(forbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  return errs;
}

const isIntOrStringAnyOf = (anyOf: JSONSchemaProps[] | undefined) =>
  !!anyOf && anyOf.length === 2 && isOnlyType(anyOf[0], 'integer') && isOnlyType(anyOf[1], 'string');
const isOnlyType = (s: JSONSchemaProps, type: string) => s.type === type && Object.keys(s).filter((k) => s[k] !== undefined).length === 1;

/** validateValueValidation: allOf/anyOf/oneOf/not content and the pattern's syntax. */
function valueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, path: string, allowXValidations: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) (s.anyOf ?? []).forEach((v, i) => errs.push(...nested(v, false, key(child(path, 'anyOf'), String(i)), false)));
  (s.allOf ?? []).forEach((v, i) => errs.push(...nested(v, skipFirstAllOfAnyOf && i === 0, key(child(path, 'allOf'), String(i)), allowXValidations && false)));
  (s.oneOf ?? []).forEach((v, i) => errs.push(...nested(v, false, key(child(path, 'oneOf'), String(i)), false)));
  if (s.not) errs.push(...nested(s.not, false, child(path, 'not'), false));
  if (s.pattern) {
    const re = compileGoRegexp(s.pattern);
    if (re instanceof GoRegexpError) errs.push(invalid(child(path, 'pattern'), s.pattern, `must be a valid regular expression, but isn't: ${re.message}`));
  }
  return errs;
}

/** validateNestedValueValidation: what a schema under allOf/anyOf/oneOf/not must not carry. */
function nested(v: JSONSchemaProps, skipAnyOf: boolean, path: string, allowXValidations: boolean): FieldError[] {
  const errs = valueValidation(v, skipAnyOf, false, path, allowXValidations);
  if (isObject(v.items)) errs.push(...nested(v.items as JSONSchemaProps, false, child(path, 'items'), allowXValidations));
  for (const [k, f] of Object.entries(v.properties ?? {})) errs.push(...nested(f, false, prop(path, k), allowXValidations));
  if (v.type) errs.push(forbidden(child(path, 'type'), 'must be empty to be structural'));
  if (v.additionalProperties !== undefined) errs.push(forbidden(child(path, 'additionalProperties'), 'must be undefined to be structural'));
  if (v.default !== undefined) errs.push(forbidden(child(path, 'default'), 'must be undefined to be structural'));
  if (v.title) errs.push(forbidden(child(path, 'title'), 'must be empty to be structural'));
  if (v.description) errs.push(forbidden(child(path, 'description'), 'must be empty to be structural'));
  if (v.nullable) errs.push(forbidden(child(path, 'nullable'), 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields']) errs.push(forbidden(child(path, 'x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource']) errs.push(forbidden(child(path, 'x-kubernetes-embedded-resource'), 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string']) errs.push(forbidden(child(path, 'x-kubernetes-int-or-string'), 'must be false to be structural'));
  if (v['x-kubernetes-list-map-keys']?.length) errs.push(forbidden(child(path, 'x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined) errs.push(forbidden(child(path, 'x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (v['x-kubernetes-map-type'] !== undefined) errs.push(forbidden(child(path, 'x-kubernetes-map-type'), 'must be undefined to be structural'));
  if (v['x-kubernetes-validations']?.length && !allowXValidations) errs.push(forbidden(child(path, 'x-kubernetes-validations'), 'must be empty to be structural'));
  if (v.properties?.metadata) errs.push(forbidden(prop(path, 'metadata'), 'must not be specified in a nested context'));
  return errs;
}

/** validateStructuralCompleteness: value validations may only name what the skeleton specifies. */
function completeness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const visit = (n: JSONSchemaProps | undefined, p: string) => n && errs.push(...nestedCompleteness(n, s, sPath, p));
  visit(v.not, child(vPath, 'not'));
  (v.allOf ?? []).forEach((n, i) => visit(n, key(child(vPath, 'allOf'), String(i))));
  (v.anyOf ?? []).forEach((n, i) => visit(n, key(child(vPath, 'anyOf'), String(i))));
  (v.oneOf ?? []).forEach((n, i) => visit(n, key(child(vPath, 'oneOf'), String(i))));
  return errs;
}

function nestedCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs = completeness(v, s, sPath, vPath);
  if (isObject(v.items)) errs.push(...nestedCompleteness(v.items as JSONSchemaProps, itemsOf(s), child(sPath, 'items'), child(vPath, 'items')));
  for (const [k, f] of Object.entries(v.properties ?? {})) {
    const sf = s.properties?.[k];
    if (!sf) errs.push(required(prop(sPath, k), `because it is defined in ${prop(vPath, k)}`));
    else errs.push(...nestedCompleteness(f, sf, prop(sPath, k), prop(vPath, k)));
  }
  return errs;
}
