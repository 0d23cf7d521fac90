// How Go prints the decoded JSON values that kube puts into strategic merge patch error messages
// (fmt's %v of map[string]interface{} / []interface{} and reflect type names). kube decodes patches
// with integers preserved as int64, other numbers as float64; so do we.

import { isJsonObject, type JsonValue } from './json-value.js';

function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** fmt %v of a float64: strconv %g with the shortest digits, which switches to %e for exponents < -4 or >= 6. */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/** fmt's %v of a value decoded from JSON into interface{}. */
export function goFormatValue(value: JsonValue): string {
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormatValue).join(' ')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((key) => `${key}:${goFormatValue(value[key])}`).join(' ')}]`;
  }
  if (typeof value === 'number') return isGoInt(value) ? String(value) : goFloat(value);
  return String(value);
}

/** reflect.TypeOf(value).String() for a decoded JSON value; a JSON null has no type. */
export function goTypeName(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonObject(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return isGoInt(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

/** Go's == between two interface{} values holding JSON scalars (maps and slices never compare equal here). */
export function goScalarEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a === 'object' && a !== null) return false;
  if (typeof b === 'object' && b !== null) return false;
  if (typeof a === 'number' && typeof b === 'number') return a === b && isGoInt(a) === isGoInt(b);
  return a === b;
}
