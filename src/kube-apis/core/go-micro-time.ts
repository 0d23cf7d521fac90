// metav1.MicroTime fields (Lease acquireTime/renewTime, Event eventTime and series.lastObservedTime)
// are read with Go's time.Parse and the layout "2006-01-02T15:04:05.000000Z07:00" while the body is
// decoded: anything else is a 400 carrying Go's *time.ParseError text. This walks that one layout
// the way time.Parse does, to give the same text.
import type { KubeObject } from '../../registry/resource.js';
import { newCannotBeHandledAs } from '../../endpoints/negotiation/decode.js';

export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type Element = { std: string; parse: (value: string) => { rest: string; bad?: boolean; range?: string; num?: number } };

const isDigit = (s: string, i: number) => i < s.length && s[i] >= '0' && s[i] <= '9';

/** time.getnum: one or two digits; `fixed` demands two. */
function getnum(s: string, fixed: boolean): { num?: number; rest: string; bad?: boolean } {
  if (!isDigit(s, 0)) return { rest: s, bad: true };
  if (!isDigit(s, 1)) return fixed ? { rest: s, bad: true } : { num: Number(s[0]), rest: s.slice(1) };
  return { num: Number(s.slice(0, 2)), rest: s.slice(2) };
}

function ranged(name: string, lo: number, hiExclusive: number) {
  return (fixed: boolean) =>
    (value: string) => {
      const r = getnum(value, fixed);
      if (r.bad) return r;
      return r.num! < lo || r.num! >= hiExclusive ? { ...r, range: name } : r;
    };
}

/** The std chunks of RFC3339_MICRO with the literal that precedes each. */
const LAYOUT: { prefix: string; element: Element }[] = [
  { prefix: '', element: { std: '2006', parse: (v) => (v.length < 4 || !isDigit(v, 0) ? { rest: v, bad: true } : /^\d{4}/.test(v) ? { num: Number(v.slice(0, 4)), rest: v.slice(4) } : { rest: v, bad: true }) } },
  { prefix: '-', element: { std: '01', parse: ranged('month', 1, 13)(true) } },
  { prefix: '-', element: { std: '02', parse: (v) => getnum(v, true) } },
  { prefix: 'T', element: { std: '15', parse: ranged('hour', 0, 24)(false) } },
  { prefix: ':', element: { std: '04', parse: ranged('minute', 0, 60)(true) } },
  { prefix: ':', element: { std: '05', parse: ranged('second', 0, 60)(true) } },
  {
    prefix: '',
    element: {
      std: '.000000',
      // Exactly a period or comma and six digits.
      parse: (v) => (v.length < 7 || (v[0] !== '.' && v[0] !== ',') || !/^\d{6}$/.test(v.slice(1, 7)) ? { rest: v, bad: true } : { rest: v.slice(7) }),
    },
  },
  {
    prefix: '',
    element: {
      std: 'Z07:00',
      parse: (v) => {
        if (v.startsWith('Z')) return { rest: v.slice(1) };
        if (v.length < 6 || v[3] !== ':') return { rest: v, bad: true };
        const hour = getnum(v.slice(1, 3), true);
        const minute = hour.bad ? hour : getnum(v.slice(4, 6), true);
        // Go checks the ranges (the minute's last) before the parse errors and the sign.
        let range: string | undefined;
        if ((hour.num ?? 0) > 24) range = 'time zone offset hour';
        if (!minute.bad && (minute.num ?? 0) > 60) range = 'time zone offset minute';
        if (range) return { rest: v.slice(6), range };
        if (hour.bad || minute.bad || (v[0] !== '+' && v[0] !== '-')) return { rest: v, bad: true };
        return { rest: v.slice(6) };
      },
    },
  },
];

/** time's quote(): ASCII printable as is (with \" and \\), other bytes as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte < 0x20 || byte >= 0x80) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else {
      const c = String.fromCharCode(byte);
      out += c === '"' || c === '\\' ? `\\${c}` : c;
    }
  }
  return `${out}"`;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The error time.Parse(RFC3339_MICRO, value) returns, or undefined when it parses. */
export function microTimeParseError(value: string): string | undefined {
  const cannotParse = (valueElem: string, layoutElem: string) => `parsing time ${timeQuote(value)} as ${timeQuote(RFC3339_MICRO)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`;
  let rest = value;
  const nums: number[] = [];
  for (const { prefix, element } of LAYOUT) {
    if (!rest.startsWith(prefix)) return cannotParse(rest, prefix);
    rest = rest.slice(prefix.length);
    const result = element.parse(rest);
    if (result.range) return `parsing time ${timeQuote(value)}: ${result.range} out of range`;
    if (result.bad) return cannotParse(rest, element.std);
    nums.push(result.num ?? 0);
    rest = result.rest;
  }
  if (rest !== '') return `parsing time ${timeQuote(value)}: extra text: ${timeQuote(rest)}`;
  const [year, month, day] = nums;
  if (day < 1 || day > daysIn(year, month)) return `parsing time ${timeQuote(value)}: day out of range`;
  return undefined;
}

/** Throws kube's decoding 400 for the first MicroTime field (dotted path) of `obj` Go cannot parse. */
export function decodeMicroTimes(obj: KubeObject, paths: string[], kind: string, version: string): void {
  for (const path of paths) {
    let value: unknown = obj;
    for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    // null (and absence) is the zero time; a non-string is the schema's business.
    if (typeof value !== 'string') continue;
    const error = microTimeParseError(value);
    if (error) throw newCannotBeHandledAs(kind, version, kind, error);
  }
}
