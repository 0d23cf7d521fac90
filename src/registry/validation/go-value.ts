// How kube-apiserver 1.32 prints the bad value of a field error (field.Error.ErrorBody): nil as the
// string "null" (quoted), strings with %q, int64/float64/bool with %v, a fmt.Stringer with String(),
// anything else with %#v. JS values stand for what Go holds after decoding JSON into interface{}:
// integers as int64, other numbers as float64, arrays as []interface {}, objects as
// map[string]interface {}. Typed Go values (a []string, a metav1.Time, a struct) are passed as a
// GoLiteral built by the helpers below, so the caller says which Go type kube had in hand.
import { goQuote } from '../../endpoints/go-strconv.js';

/** A value already printed the way Go prints it in a field error (a Stringer's String() or a %#v). */
export class GoLiteral {
  constructor(readonly text: string) {}
}

/** field.omitValue: the error prints its type without any value. */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v and %#v use for a float64. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  // Shortest formatting switches to %e when the exponent is < -4 or >= 6 (eprec = 6).
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

function goNumber(n: number): string {
  return isGoInt(n) ? BigInt(n).toString() : goFloat(n);
}

/** fmt's %#v of a value held in an interface{} decoded from JSON. */
export function goSharpV(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof GoLiteral) return value.text;
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSharpV).join(', ')}}`;
  const object = value as Record<string, unknown>;
  // fmt sorts map keys.
  const keys = Object.keys(object).sort(compareBytes);
  return `map[string]interface {}{${keys.map((k) => `${goQuote(k)}:${goSharpV(object[k])}`).join(', ')}}`;
}

/** The bad-value part of field.Error.ErrorBody (kube 1.32). */
export function goBadValue(value: unknown): string {
  if (value === null || value === undefined) return goQuote('null');
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof GoLiteral) return value.text;
  return goSharpV(value);
}

/** %#v of a []string; a missing slice is a nil one. */
export function goStringSlice(values: readonly string[] | null | undefined): GoLiteral {
  if (values === null || values === undefined) return new GoLiteral('[]string(nil)');
  return new GoLiteral(`[]string{${values.map(goQuote).join(', ')}}`);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A metav1.Time as its String() prints it (time.Time's "2006-01-02 15:04:05.999999999 -0700 MST"),
 * in UTC as a server running in UTC prints it; an absent time is the zero time.
 */
export function goTime(iso: string | null | undefined): GoLiteral {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return new GoLiteral('0001-01-01 00:00:00 +0000 UTC');
  const d = new Date(ms);
  const fraction = /\.(\d+)/.exec(iso ?? '')?.[1]?.replace(/0+$/, '') ?? '';
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return new GoLiteral(`${date} ${time}${fraction ? `.${fraction}` : ''} +0000 UTC`);
}

/** A Go pointer field as %#v prints it inside a struct: nil, or an address that differs per run. */
export function goPointer(type: string, value: unknown): string {
  return value === null || value === undefined ? `(*${type})(nil)` : `(*${type})(0xc000000000)`;
}

/** Go compares strings bytewise; for the ASCII keys kube sorts this is JS's order too, but be exact. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
