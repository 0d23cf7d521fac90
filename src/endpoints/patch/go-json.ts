// Decoding a request body the way Go's encoding/json does, so that a client sees kube's error texts:
// the syntax messages of Go's scanner ("invalid character 'x' looking for beginning of value",
// "unexpected end of JSON input") and the type messages of json.UnmarshalTypeError.
// JSON.parse does the real work; the scanner (negotiation/go-json.ts) only runs to name the error once parsing failed.

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

export { goQuote, goQuoteChar, goQuoteRune } from '../go-strconv.js';

// Go's encoding/json scanner messages: one implementation (negotiation/go-json.ts), shared with request decoding.
export { goJsonSyntaxError };
