// The OpenAPI schema validator of custom resources: kube-openapi's validate.SchemaValidator (pinned by
// apiextensions-apiserver v0.32.9: kube-openapi 32ad38e42d3f, pkg/validation/validate) turned into
// field errors as apiextensions-apiserver's kubeOpenAPIResultToFieldErrors does. Compiled once per schema
// into closures; every error is reported, in kube's order within a node (type, allOf/anyOf/oneOf/not,
// string, format, number, array, enum, object). With an old value (update with ratcheting), a node whose
// value is unchanged reports nothing (kube turns its errors into warnings).
import type { FieldError } from '../../endpoints/status.js';
import { invalid, notSupported, required, tooLong, tooMany, typeInvalid } from './errors.js';
import { formatChecker } from './formats.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { goFloat } from '../../registry/validation/go-value.js';
import { compileGoRegexp, GoRegexpError } from './regex.js';
import { jsonEqual, NO_OLD, oldField, oldListItem, type Old } from './equality.js';
import { isObject, type JSONSchemaProps } from './types.js';

export type NodeValidator = (value: unknown, path: string, errs: FieldError[], old: Old) => void;

const IN = 'body';

/** Go's reflect kind names the validator uses for a decoded JSON value. */
function schemaType(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** Field path of an openapi error name (kube trims the leading "." of root-level names). */
const fieldOf = (name: string) => (name.startsWith('.') ? name.slice(1) : name);
const quotedTypeMsg = (name: string, type: string, actual: string) => `${name} in ${IN} must be of type ${type}: ${goQuote(actual)}`;

/** A composite error (anyOf/oneOf/allOf/not): not a Validation, so kube reports it at the root with "". */
const compositeError = (detail: string): FieldError => invalid('', '', detail);

/** json.Marshal of an enum value for the "supported values" list (strings are used as is). */
function enumText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : JSON.stringify(v);
  return JSON.stringify(sortKeys(v));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** basicCommonValidator: reflect conversion of the value to the enum value's type, then DeepEqual. */
function enumMatches(data: unknown, e: unknown): boolean {
  if (data === null || e === null) return false;
  if (typeof e === 'string') {
    if (typeof data === 'string') return data === e;
    // Go converts an integer to a string as a rune.
    if (typeof data === 'number' && Number.isInteger(data)) return (data >= 0 && data <= 0x10ffff && !(data >= 0xd800 && data <= 0xdfff) ? String.fromCodePoint(data) : '\ufffd') === e;
    return false;
  }
  if (typeof e === 'number') {
    if (typeof data !== 'number') return false;
    return Number.isInteger(e) ? Math.trunc(data) === e : data === e;
  }
  if (typeof e === 'boolean') return data === e;
  if (Array.isArray(e)) return Array.isArray(data) && jsonEqual(data, e);
  return isObject(data) && jsonEqual(data, e);
}

function typeList(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

interface Compiled {
  validate: NodeValidator;
}

/** Compiles the validator of a schema node. Shared sub-schemas are compiled once. */
export function compileSchemaValidator(schema: JSONSchemaProps, cache = new Map<JSONSchemaProps, Compiled>()): NodeValidator {
  const hit = cache.get(schema);
  if (hit) return (v, p, e, o) => hit.validate(v, p, e, o);
  const compiled: Compiled = { validate: () => undefined };
  cache.set(schema, compiled);
  const checks: NodeValidator[] = [];
  const nullChecks: NodeValidator[] = [];
  const sub = (s: JSONSchemaProps) => compileSchemaValidator(s, cache);

  // typeValidator
  const types = typeList(schema);
  const format = formatChecker(schema.format) ? schema.format! : '';
  const hasNumeric = types.includes('number') || types.includes('integer');
  if (types.length > 0 && !schema.nullable) {
    const joined = types.join(',');
    nullChecks.push((_v, name, errs) => errs.push(typeInvalid(fieldOf(name), 'null', quotedTypeMsg(name, joined, 'null'))));
  }
  if (types.length > 0 || format) {
    const joined = types.join(',');
    checks.push((v, name, errs) => {
      const t = schemaType(v);
      const isFloatInt = t === 'number' && Number.isInteger(v) && types.includes('integer');
      const isIntFloat = t === 'integer' && types.includes('number');
      const isString = typeof v === 'string';
      if (!isString && !Array.isArray(v) && format && !(types.includes(t) || isFloatInt || isIntFloat)) {
        const goFormat = t === 'integer' ? 'int64' : t === 'number' ? 'float64' : '';
        errs.push(typeInvalid(fieldOf(name), goFormat, quotedTypeMsg(name, format, goFormat)));
        return;
      }
      if (!hasNumeric && format && (isString || Array.isArray(v))) return;
      if (!(types.includes(t) || isFloatInt || isIntFloat)) errs.push(typeInvalid(fieldOf(name), t, quotedTypeMsg(name, joined, t)));
    });
  }

  // schemaPropsValidator: anyOf, oneOf, allOf, not
  const anyOf = (schema.anyOf ?? []).map(sub);
  const oneOf = (schema.oneOf ?? []).map(sub);
  const allOf = (schema.allOf ?? []).map(sub);
  const not = schema.not ? sub(schema.not) : undefined;
  if (anyOf.length || oneOf.length || allOf.length || not) {
    checks.push((v, name, errs, old) => {
      if (anyOf.length) {
        let best: FieldError[] | undefined;
        let ok = false;
        for (const alt of anyOf) {
          const r: FieldError[] = [];
          alt(v, name, r, old);
          if (r.length === 0) { ok = true; best = undefined; break; }
          if (!best || r.length < best.length) best = r;
        }
        if (!ok) errs.push(compositeError(`${goQuote(name)} must validate at least one schema (anyOf)`));
        if (best) errs.push(...best);
      }
      if (oneOf.length) {
        let best: FieldError[] | undefined;
        let valid = 0;
        for (const alt of oneOf) {
          const r: FieldError[] = [];
          alt(v, name, r, old);
          if (r.length === 0) { valid++; best = undefined; continue; }
          if (valid === 0 && (!best || r.length < best.length)) best = r;
        }
        if (valid !== 1) {
          errs.push(compositeError(`${goQuote(name)} must validate one and only one schema (oneOf). ${valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`}`));
          if (best) errs.push(...best);
        }
      }
      if (allOf.length) {
        let valid = 0;
        for (const alt of allOf) {
          const before = errs.length;
          alt(v, name, errs, old);
          if (errs.length === before) valid++;
        }
        if (valid !== allOf.length) errs.push(compositeError(`${goQuote(name)} must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`));
      }
      if (not) {
        const r: FieldError[] = [];
        not(v, name, r, old);
        if (r.length === 0) errs.push(compositeError(`${goQuote(name)} must not validate the schema (not)`));
      }
    });
  }

  // stringValidator: the first failing of maxLength, minLength, pattern
  const { maxLength, minLength, pattern } = schema;
  if (maxLength !== undefined || minLength !== undefined || pattern) {
    const re = pattern ? compileGoRegexp(pattern) : undefined;
    checks.push((v, name, errs) => {
      if (typeof v !== 'string') return;
      if (maxLength !== undefined || minLength !== undefined) {
        const runes = runeCount(v);
        if (maxLength !== undefined && runes > maxLength) return void errs.push(tooLong(fieldOf(name), maxLength));
        if (minLength !== undefined && runes < minLength) return void errs.push(invalid(fieldOf(name), v, `${name} in ${IN} should be at least ${minLength} chars long`));
      }
      if (re instanceof GoRegexpError) errs.push(invalid(fieldOf(name), v, `${name} in ${IN} should match '${pattern}, but pattern is invalid: ${re.message}'`));
      else if (re && !re.test(v)) errs.push(invalid(fieldOf(name), v, `${name} in ${IN} should match '${pattern}'`));
    });
  }

  // formatValidator
  const check = formatChecker(schema.format);
  if (check) {
    const fmt = schema.format!;
    checks.push((v, name, errs) => {
      if (typeof v === 'string' && !check(v)) errs.push(typeInvalid(fieldOf(name), v, quotedTypeMsg(name, fmt, v)));
    });
  }

  // numberValidator: multipleOf, minimum, maximum (integers compare against the bound truncated to int64)
  const { multipleOf, minimum, maximum } = schema;
  if (multipleOf !== undefined || minimum !== undefined || maximum !== undefined) {
    const exMin = !!schema.exclusiveMinimum;
    const exMax = !!schema.exclusiveMaximum;
    checks.push((v, name, errs) => {
      if (typeof v !== 'number') return;
      const isInt = Number.isInteger(v);
      const bound = (b: number) => (isInt ? Math.trunc(b) : b);
      const show = (b: number) => (isInt ? String(Math.trunc(b)) : goFloat(b));
      if (multipleOf !== undefined) {
        let ok: boolean;
        if (isInt && Math.trunc(multipleOf) !== 0) ok = v % Math.trunc(multipleOf) === 0;
        else {
          const mult = multipleOf < 1 ? (1 / multipleOf) * v : v / multipleOf;
          ok = mult % 1 === 0;
        }
        if (!ok) errs.push(invalid(fieldOf(name), v, `${name} in ${IN} should be a multiple of ${show(multipleOf)}`));
      }
      if (minimum !== undefined) {
        const m = bound(minimum);
        if (exMin ? v <= m : v < m) errs.push(invalid(fieldOf(name), v, `${name} in ${IN} should be greater than ${exMin ? '' : 'or equal to '}${show(minimum)}`));
      }
      if (maximum !== undefined) {
        const m = bound(maximum);
        if (exMax ? v >= m : v > m) errs.push(invalid(fieldOf(name), v, `${name} in ${IN} should be less than ${exMax ? '' : 'or equal to '}${show(maximum)}`));
      }
    });
  }

  // schemaSliceValidator: items, then minItems, maxItems, uniqueItems
  const items = schema.items && !Array.isArray(schema.items) ? sub(schema.items) : undefined;
  const { minItems, maxItems, uniqueItems } = schema;
  if (items || minItems !== undefined || maxItems !== undefined || uniqueItems) {
    checks.push((v, name, errs, old) => {
      if (!Array.isArray(v)) return;
      if (items) for (let i = 0; i < v.length; i++) items(v[i], `${name}[${i}]`, errs, old === NO_OLD ? NO_OLD : oldListItem(schema, old, v[i]));
      if (minItems !== undefined && v.length < minItems) errs.push(invalid(fieldOf(name), v.length, `${name} in ${IN} should have at least ${minItems} items`));
      if (maxItems !== undefined && v.length > maxItems) errs.push(tooMany(fieldOf(name), v.length, maxItems));
      if (uniqueItems && hasDuplicates(v)) errs.push(invalid(fieldOf(name), '', `${name} in ${IN} shouldn't contain duplicates`));
    });
  }

  // basicCommonValidator: enum (also for null, which never matches)
  if (schema.enum && schema.enum.length > 0) {
    const values = schema.enum;
    const texts = values.map(enumText);
    const enumCheck: NodeValidator = (v, name, errs) => {
      for (const e of values) if (enumMatches(v, e)) return;
      errs.push(notSupported(fieldOf(name), v, texts));
    };
    checks.push(enumCheck);
    nullChecks.push(enumCheck);
  }

  // objectValidator
  const props = schema.properties ? Object.entries(schema.properties).map(([k, s]) => [k, sub(s)] as const) : [];
  const additional = schema.additionalProperties;
  const additionalValidator = isObject(additional) ? sub(additional as JSONSchemaProps) : undefined;
  const { minProperties, maxProperties } = schema;
  const requiredFields = schema.required ?? [];
  if (props.length || additional !== undefined || requiredFields.length || minProperties !== undefined || maxProperties !== undefined) {
    const known = schema.properties ?? {};
    checks.push((v, name, errs, old) => {
      if (!isObject(v)) return;
      if (minProperties !== undefined || maxProperties !== undefined) {
        const n = Object.keys(v).length;
        if (minProperties !== undefined && n < minProperties) errs.push(invalid(fieldOf(name), n, `${name} in ${IN} should have at least ${minProperties} properties`));
        if (maxProperties !== undefined && n > maxProperties) errs.push(tooMany(fieldOf(name), n, maxProperties));
      }
      if (additional === false) {
        for (const k of Object.keys(v)) if (!Object.prototype.hasOwnProperty.call(known, k)) errs.push(invalid(fieldOf(name), k, `${name}.${k} in ${IN} is a forbidden property`));
      } else if (additionalValidator) {
        for (const k of Object.keys(v)) {
          if (!Object.prototype.hasOwnProperty.call(known, k)) additionalValidator(v[k], `${name}.${k}`, errs, oldField(old, k));
        }
      }
      for (const [k, validate] of props) {
        if (Object.prototype.hasOwnProperty.call(v, k)) validate(v[k], name ? `${name}.${k}` : k, errs, oldField(old, k));
      }
      for (const k of requiredFields) if (!Object.prototype.hasOwnProperty.call(v, k)) errs.push(required(fieldOf(`${name}.${k}`)));
    });
  }

  compiled.validate = (value, name, errs, old) => {
    // Ratcheting: an unchanged value keeps whatever errors it had (kube reports them as warnings).
    if (old !== NO_OLD && jsonEqual(value, old)) return;
    const list = value === null || value === undefined ? nullChecks : checks;
    for (const c of list) c(value, name, errs, old);
  };
  return compiled.validate;
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function hasDuplicates(list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) for (let j = 0; j < i; j++) if (jsonEqual(list[i], list[j])) return true;
  return false;
}
