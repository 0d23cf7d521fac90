// How Go's fmt prints decoded JSON values in kube's messages: %v / %q for scalars, %#v for maps and
// slices (map[string]interface {}{"a":1}), and float64 with %g (shortest, exponent from 1e21... as Go does).

/** strconv.FormatFloat(f, 'g', -1, 64), which %v uses for float64. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // Shortest digits, then strconv's 'g' rule for shortest precision: %e when exp < -4 || exp >= 6.
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  return String(f);
}

/** A number as Go holds it after kube's JSON decoding: integral values are int64, the rest float64. */
export function goNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : goFloat(n);
}

/** %q of a Go string (strconv.Quote): JSON.stringify is close; Go escapes non-printables as \x / \u. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029 || (code >= 0x80 && code < 0xa0) || code === 0xad || code === 0xfeff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** %#v of a value inside interface{} (Go sorts map keys). */
export function goSharpV(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? goNumber(value) : goFloat(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSharpV).join(', ')}}`;
  const entries = Object.keys(value as object).sort().map((k) => `${goQuote(k)}:${goSharpV((value as Record<string, unknown>)[k])}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** field.Error's rendering of a bad value: simple types with %v, strings %q, the rest %#v; nil is "null". */
export function goBadValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goSharpV(value);
}

/** fmt %v of a []interface{} (enum lists in messages): [a b 1]. */
export function goSliceV(values: unknown[]): string {
  return `[${values.map(goV).join(' ')}]`;
}

export function goV(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return goSliceV(value);
  const entries = Object.keys(value as object).sort().map((k) => `${k}:${goV((value as Record<string, unknown>)[k])}`);
  return `map[${entries.join(' ')}]`;
}
