// Decoding a request body the way Go's encoding/json does, so that a client sees kube's error texts:
// the syntax messages of Go's scanner ("invalid character 'x' looking for beginning of value",
// "unexpected end of JSON input") and the type messages of json.UnmarshalTypeError.
// JSON.parse does the real work; the scanner below only runs to name the error once parsing failed.

import type { JsonValue } from './json-value.js';
import { goJsonSyntaxError } from '../negotiation/go-json.js';

export type GoDecodeResult = { ok: true; value: JsonValue } | { ok: false; message: string };

export function bodyText(body: Buffer | string): string {
  return typeof body === 'string' ? body : body.toString('utf8');
}

/** Parses JSON; on failure returns the message Go's json.Unmarshal gives for the same input. */
export function decodeJsonLikeGo(body: Buffer | string): GoDecodeResult {
  const text = bodyText(body);
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (err) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return { ok: false, message: goJsonSyntaxError(bytes) ?? (err instanceof Error ? err.message : String(err)) };
  }
}

/** The word Go's UnmarshalTypeError uses for a JSON value ("object", "array", "string", "number", "bool"). */
export function goJsonValueKind(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** json.UnmarshalTypeError's text for a value decoded into a Go type that cannot hold it. */
export function goUnmarshalTypeError(value: JsonValue, goType: string): string {
  return `json: cannot unmarshal ${goJsonValueKind(value)} into Go value of type ${goType}`;
}

/** Go's quoteChar: how the scanner names an offending byte. */
export function goQuoteChar(byte: number): string {
  if (byte === 0x27) return `'\\''`;
  if (byte === 0x22) return `'"'`;
  return `'${goQuoteRune(byte)}'`;
}

const GO_SHORT_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** One rune as strconv.Quote writes it inside the quotes (without escaping the quote characters). */
export function goQuoteRune(code: number): string {
  if (GO_SHORT_ESCAPES[code]) return GO_SHORT_ESCAPES[code];
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  const char = String.fromCodePoint(code);
  if (code === 0x20 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(char)) return char;
  if (code > 0xffff) return `\\U${code.toString(16).padStart(8, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** strconv.Quote / fmt %q of a string. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else out += goQuoteRune(code);
  }
  return `${out}"`;
}

// Go's encoding/json scanner messages: one implementation (negotiation/go-json.ts), shared with request decoding.
export { goJsonSyntaxError };
