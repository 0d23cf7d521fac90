// Decoding a request body the way Go's encoding/json does, so that a client sees kube's error texts:
// the syntax messages of Go's scanner ("invalid character 'x' looking for beginning of value",
// "unexpected end of JSON input") and the type messages of json.UnmarshalTypeError.
// JSON.parse does the real work; the scanner below only runs to name the error once parsing failed.

import type { JsonValue } from './json-value.js';

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

/**
 * Walks the bytes as Go's encoding/json scanner does and returns its first syntax error, or undefined
 * when the input is valid JSON.
 */
export function goJsonSyntaxError(bytes: Uint8Array): string | undefined {
  const scanner = new GoScanner(bytes);
  return scanner.run();
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class GoScanner {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  run(): string | undefined {
    try {
      this.value();
      this.afterValue();
      return undefined;
    } catch (err) {
      if (err instanceof ScanError) return err.message;
      throw err;
    }
  }

  private peek(): number | undefined {
    return this.bytes[this.pos];
  }

  private next(): number {
    const c = this.bytes[this.pos];
    if (c === undefined) throw new ScanError('unexpected end of JSON input');
    this.pos++;
    return c;
  }

  private fail(c: number, context: string): never {
    throw new ScanError(`invalid character ${goQuoteChar(c)} ${context}`);
  }

  private skipSpace(): void {
    while (this.peek() !== undefined && isSpace(this.peek() as number)) this.pos++;
  }

  /** stateBeginValue and what follows it, up to the end of one value (containers included). */
  private value(): void {
    this.skipSpace();
    const c = this.next();
    switch (c) {
      case 0x7b: // {
        this.object();
        return;
      case 0x5b: // [
        this.array();
        return;
      case 0x22: // "
        this.stringBody();
        return;
      case 0x2d: // -
        this.number(c);
        return;
      case 0x74: // t
        this.literal('true');
        return;
      case 0x66: // f
        this.literal('false');
        return;
      case 0x6e: // n
        this.literal('null');
        return;
      default:
        if (isDigit(c)) {
          this.number(c);
          return;
        }
        this.fail(c, 'looking for beginning of value');
    }
  }

  private object(): void {
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const quote = this.next();
      if (quote !== 0x22) this.fail(quote, 'looking for beginning of object key string');
      this.stringBody();
      this.skipSpace();
      const colon = this.next();
      if (colon !== 0x3a) this.fail(colon, 'after object key');
      this.value();
      this.skipSpace();
      const sep = this.next();
      if (sep === 0x7d) break;
      if (sep !== 0x2c) this.fail(sep, 'after object key:value pair');
    }
  }

  private array(): void {
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      const sep = this.next();
      if (sep === 0x5d) break;
      if (sep !== 0x2c) this.fail(sep, 'after array element');
    }
  }

  /** After the opening quote. */
  private stringBody(): void {
    for (;;) {
      const c = this.next();
      if (c === 0x22) return;
      if (c === 0x5c) {
        const esc = this.next();
        if ([0x62, 0x66, 0x6e, 0x72, 0x74, 0x5c, 0x2f, 0x22].includes(esc)) continue;
        if (esc !== 0x75) this.fail(esc, 'in string escape code');
        for (let i = 0; i < 4; i++) {
          const h = this.next();
          if (!isHex(h)) this.fail(h, 'in \\u hexadecimal character escape');
        }
        continue;
      }
      if (c < 0x20) this.fail(c, 'in string literal');
    }
  }

  private number(first: number): void {
    let c: number | undefined = first;
    if (c === 0x2d) {
      c = this.next();
      if (!isDigit(c)) this.fail(c, 'in numeric literal');
    }
    if (c !== 0x30) while (this.peek() !== undefined && isDigit(this.peek() as number)) this.pos++;
    if (this.peek() === 0x2e) {
      this.pos++;
      const d = this.next();
      if (!isDigit(d)) this.fail(d, 'after decimal point in numeric literal');
      while (this.peek() !== undefined && isDigit(this.peek() as number)) this.pos++;
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.pos++;
      let e = this.next();
      if (e === 0x2b || e === 0x2d) e = this.next();
      if (!isDigit(e)) this.fail(e, 'in exponent of numeric literal');
      while (this.peek() !== undefined && isDigit(this.peek() as number)) this.pos++;
    }
  }

  private literal(word: string): void {
    for (let i = 1; i < word.length; i++) {
      const c = this.next();
      if (c !== word.charCodeAt(i)) this.fail(c, `in literal ${word} (expecting ${goQuoteChar(word.charCodeAt(i))})`);
    }
  }

  private afterValue(): void {
    this.skipSpace();
    const c = this.peek();
    if (c !== undefined) this.fail(c, 'after top-level value');
  }
}

class ScanError extends Error {}
