// JSON as kube-apiserver's Go decoder sees it: syntax errors with encoding/json's scanner messages
// ("invalid character 'x' looking for beginning of value", "unexpected end of JSON input"), and the
// duplicate fields sigs.k8s.io/json reports in strict mode, with its paths (`metadata.name`,
// `spec.containers[0].name`), each once, at most 100.

const MAX_NESTING_DEPTH = 10000;
const MAX_STRICT_ERRORS = 100;

/** encoding/json's quoteChar: the offending byte in single quotes, Go-escaped. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Go converts the byte to the rune of the same number (Latin-1): printable ones stay as they are.
  if (c >= 0x80 && (c < 0xa0 || c === 0xad)) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

class GoSyntaxError extends Error {}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/**
 * The syntax error Go's json.Unmarshal reports for `data`, or undefined when it is valid JSON. A port
 * of the encoding/json scanner's states, byte by byte, so that the messages are Go's.
 */
export function goJsonSyntaxError(data: Uint8Array): string | undefined {
  type Step = (c: number) => void;
  const stack: ('key' | 'value' | 'array')[] = [];
  let endTop = false;
  const fail = (c: number, context: string): never => {
    throw new GoSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
  };
  const push = (c: number, state: 'key' | 'array'): void => {
    stack.push(state);
    if (stack.length > MAX_NESTING_DEPTH) fail(c, 'exceeded max depth');
  };
  const pop = (): void => {
    stack.pop();
    if (stack.length === 0) {
      step = endTopState;
      endTop = true;
    } else step = endValue;
  };
  const endTopState: Step = (c) => {
    if (!isSpace(c)) fail(c, 'after top-level value');
  };
  const endValue: Step = (c) => {
    const n = stack.length;
    if (n === 0) {
      step = endTopState;
      endTop = true;
      endTopState(c);
      return;
    }
    if (isSpace(c)) {
      step = endValue;
      return;
    }
    switch (stack[n - 1]) {
      case 'key':
        if (c === 0x3a) {
          stack[n - 1] = 'value';
          step = beginValue;
          return;
        }
        return fail(c, 'after object key');
      case 'value':
        if (c === 0x2c) {
          stack[n - 1] = 'key';
          step = beginString;
          return;
        }
        if (c === 0x7d) return pop();
        return fail(c, 'after object key:value pair');
      case 'array':
        if (c === 0x2c) {
          step = beginValue;
          return;
        }
        if (c === 0x5d) return pop();
        return fail(c, 'after array element');
    }
  };
  const literal = (expected: string, name: string, index: number): Step => (c) => {
    if (c === expected.charCodeAt(index)) {
      step = index + 1 === expected.length ? endValue : literal(expected, name, index + 1);
      return;
    }
    fail(c, `in literal ${name} (expecting '${expected[index]}')`);
  };
  const inString: Step = (c) => {
    if (c === 0x22) step = endValue;
    else if (c === 0x5c) step = inStringEsc;
    else if (c < 0x20) fail(c, 'in string literal');
  };
  const inStringEsc: Step = (c) => {
    if ([0x62, 0x66, 0x6e, 0x72, 0x74, 0x5c, 0x2f, 0x22].includes(c)) step = inString;
    else if (c === 0x75) step = hexDigit(4);
    else fail(c, 'in string escape code');
  };
  const hexDigit = (left: number): Step => (c) => {
    if (!isHex(c)) fail(c, 'in \\u hexadecimal character escape');
    step = left === 1 ? inString : hexDigit(left - 1);
  };
  const neg: Step = (c) => {
    if (c === 0x30) step = zero;
    else if (c >= 0x31 && c <= 0x39) step = one;
    else fail(c, 'in numeric literal');
  };
  const one: Step = (c) => {
    if (isDigit(c)) step = one;
    else zero(c);
  };
  const zero: Step = (c) => {
    if (c === 0x2e) step = dot;
    else if (c === 0x65 || c === 0x45) step = exp;
    else endValue(c);
  };
  const dot: Step = (c) => {
    if (isDigit(c)) step = dot0;
    else fail(c, 'after decimal point in numeric literal');
  };
  const dot0: Step = (c) => {
    if (isDigit(c)) return;
    if (c === 0x65 || c === 0x45) step = exp;
    else endValue(c);
  };
  const exp: Step = (c) => {
    if (c === 0x2b || c === 0x2d) step = expSign;
    else expSign(c);
  };
  const expSign: Step = (c) => {
    if (isDigit(c)) step = exp0;
    else fail(c, 'in exponent of numeric literal');
  };
  const exp0: Step = (c) => {
    if (!isDigit(c)) endValue(c);
  };
  const beginValue: Step = (c) => {
    if (isSpace(c)) return;
    switch (c) {
      case 0x7b:
        step = beginStringOrEmpty;
        return push(c, 'key');
      case 0x5b:
        step = beginValueOrEmpty;
        return push(c, 'array');
      case 0x22:
        step = inString;
        return;
      case 0x2d:
        step = neg;
        return;
      case 0x30:
        step = zero;
        return;
      case 0x74:
        step = literal('rue', 'true', 0);
        return;
      case 0x66:
        step = literal('alse', 'false', 0);
        return;
      case 0x6e:
        step = literal('ull', 'null', 0);
        return;
    }
    if (c >= 0x31 && c <= 0x39) {
      step = one;
      return;
    }
    fail(c, 'looking for beginning of value');
  };
  const beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return;
    if (c === 0x5d) endValue(c);
    else beginValue(c);
  };
  const beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return;
    if (c === 0x7d) {
      stack[stack.length - 1] = 'value';
      endValue(c);
      return;
    }
    beginString(c);
  };
  const beginString: Step = (c) => {
    if (isSpace(c)) return;
    if (c === 0x22) step = inString;
    else fail(c, 'looking for beginning of object key string');
  };
  let step: Step = beginValue;
  try {
    for (const c of data) step(c);
    // scanner.eof: a space ends a pending number; anything else unfinished is an unexpected end.
    if (endTop) return undefined;
    step(0x20);
    if (endTop) return undefined;
    return 'unexpected end of JSON input';
  } catch (err) {
    if (err instanceof GoSyntaxError) return err.message;
    throw err;
  }
}

/**
 * The duplicate fields of a valid JSON text, as sigs.k8s.io/json's DisallowDuplicateFields reports
 * them: in document order, each path once, at most 100.
 */
export function findDuplicateFields(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  let i = 0;
  const record = (path: string): void => {
    if (found.length >= MAX_STRICT_ERRORS || seen.has(path)) return;
    seen.add(path);
    found.push(path);
  };
  const skipSpace = (): void => {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    let escaped = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      i++;
      if (c === 0x22) break;
    }
    const raw = text.slice(start, i);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };
  const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
  const value = (path: string): void => {
    skipSpace();
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      i++;
      const keys = new Set<string>();
      skipSpace();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        i++; // colon
        const child = join(path, key);
        if (keys.has(key)) record(child);
        keys.add(key);
        value(child);
        skipSpace();
        if (text.charCodeAt(i++) === 0x7d) return;
      }
    }
    if (c === 0x5b) {
      i++;
      skipSpace();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        value(`${path}[${index}]`);
        skipSpace();
        if (text.charCodeAt(i++) === 0x5d) return;
      }
    }
    if (c === 0x22) {
      readString();
      return;
    }
    // A number or a literal: up to the next delimiter.
    while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
  };
  value('');
  return found;
}
