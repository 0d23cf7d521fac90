// Go's strconv quoting (strconv.Quote, fmt %q), which kube's messages use for names and values.

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
