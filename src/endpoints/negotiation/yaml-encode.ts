// YAML responses as kube-apiserver writes them: its YAML serializer turns the JSON into YAML with
// sigs.k8s.io/yaml (JSONToYAML → go-yaml v2 Marshal). This is a port of what go-yaml v2's encoder
// and libyaml emitter do for JSON-shaped values: map keys in go-yaml's "natural" order, 2-space
// indentation with sequences not indented under their key, strings quoted only when go-yaml must
// (YAML 1.1 look-alikes such as "yes", "1.0", timestamps in double quotes; indicators and edge spaces
// in single quotes; control characters escaped in double quotes), multi-line strings as literal
// blocks, and long plain or quoted strings folded at spaces after column 80.

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
const MAX_SIMPLE_KEY_LENGTH = 128;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---- go-yaml's resolve(): would the string read back as something else than a string? ----

const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT_BASE0 = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|inf(inity)?|nan)$/i;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** go-yaml's parseTimestamp with time.Parse's rules for its four layouts. */
function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, sec, , zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > daysInMonth(Number(y), Number(mo))) return false;
  if (sep === undefined) return true;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  // RFC 3339 layouts need a zone; the space-separated one has none.
  return sep === ' ' ? zone === undefined : zone !== undefined;
}

/** True when go-yaml would resolve the plain scalar to a non-string (so the encoder quotes it). */
export function resolvesToNonString(s: string): boolean {
  if (s === '') return true;
  const c = s[0];
  const hint = c === '+' || c === '-' ? 'S' : c >= '0' && c <= '9' ? 'D' : 'yYnNtTfFoO~'.includes(c) ? 'M' : c === '.' ? '.' : '';
  if (!hint) return false;
  if (RESOLVE_MAP.has(s)) return true;
  if (hint === 'M') return false;
  if (hint === '.') return GO_FLOAT.test(s);
  if (isTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (GO_INT_BASE0.test(plain)) return true;
  if (YAML_STYLE_FLOAT.test(plain)) return true;
  return false;
}

// ---- libyaml's scalar analysis ----

const isBreak = (ch: string): boolean => ch === '\r' || ch === '\n' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';
const isBlankz = (ch: string | undefined): boolean => ch === undefined || isBlank(ch) || isBreak(ch) || ch === '\0';

/** go-yaml v2's is_printable, which (unlike the YAML spec) leaves out U+0085 and everything beyond the BMP. */
function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyzeScalar(value: string): ScalarAnalysis {
  if (value.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const chars = [...value];
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  chars.forEach((ch, i) => {
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) blockIndicators = true;
    else if (ch === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(ch)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(ch);
  });
  const result: ScalarAnalysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) result.blockPlainAllowed = false;
  if (trailingSpace) result.blockAllowed = false;
  if (breakSpace) {
    result.blockPlainAllowed = false;
    result.singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    result.blockPlainAllowed = false;
    result.singleQuotedAllowed = false;
    result.blockAllowed = false;
  }
  if (lineBreaks) result.blockPlainAllowed = false;
  if (blockIndicators) result.blockPlainAllowed = false;
  return result;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

/** go-yaml's stringv choice, then libyaml's yaml_emitter_select_scalar_style in block context. */
function selectStringStyle(s: string, simpleKey: boolean): Style {
  const analysis = analyzeScalar(s);
  let style: Style = s.includes('\n') ? 'literal' : !resolvesToNonString(s) && !BASE60_FLOAT.test(s) ? 'plain' : 'double';
  if (simpleKey && analysis.multiline) style = 'double';
  if (style === 'plain') {
    if (!analysis.blockPlainAllowed) style = 'single';
    if (s.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!analysis.blockAllowed || simpleKey)) style = 'double';
  return style;
}

// ---- the emitter ----

class Emitter {
  private out = '';
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  private indents: number[] = [];

  text(): string {
    return this.out;
  }

  put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  write(ch: string): void {
    this.put(ch);
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of indicator) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent();
        else this.write(ch);
        spaces = true;
      } else {
        this.write(ch);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  writeSingleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') this.writeIndent();
        else this.write(ch);
        spaces = true;
      } else {
        if (ch === "'") this.put("'");
        this.write(ch);
        this.indention = false;
        spaces = false;
      }
    }
    this.writeIndicator("'", false, false, false);
  }

  writeDoubleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      const code = ch.codePointAt(0)!;
      if (!isPrintable(ch) || code === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put('\\');
        const named: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };
        if (named[code] !== undefined) this.put(named[code]);
        else if (code <= 0xff) for (const c of `x${code.toString(16).toUpperCase().padStart(2, '0')}`) this.put(c);
        else if (code <= 0xffff) for (const c of `u${code.toString(16).toUpperCase().padStart(4, '0')}`) this.put(c);
        else for (const c of `U${code.toString(16).toUpperCase().padStart(8, '0')}`) this.put(c);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.write(ch);
        spaces = true;
      } else {
        this.write(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
  }

  writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false);
    const chars = [...value];
    if (chars[0] === ' ' || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = chars[chars.length - 1];
    if (!isBreak(last)) this.writeIndicator('-', false, false, false);
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) this.writeIndicator('+', false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of chars) {
      if (isBreak(ch)) {
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }

  /** A scalar node (emit_scalar): its own indentation level for continuation lines. */
  scalar(value: Json, simpleKey: boolean): void {
    this.increaseIndent(true, false);
    if (value === null) this.writePlain('null', false);
    else if (typeof value === 'boolean') this.writePlain(String(value), false);
    else if (typeof value === 'number') this.writePlain(formatNumber(value), false);
    else {
      const s = value as string;
      switch (selectStringStyle(s, simpleKey)) {
        case 'plain':
          this.writePlain(s, !simpleKey);
          break;
        case 'single':
          this.writeSingleQuoted(s, !simpleKey);
          break;
        case 'double':
          this.writeDoubleQuoted(s, !simpleKey);
          break;
        case 'literal':
          this.writeLiteral(s);
          break;
      }
    }
    this.popIndent();
  }

  node(value: Json, context: { mapping: boolean }): void {
    if (Array.isArray(value)) {
      if (value.length === 0) {
        this.writeIndicator('[', true, true, false);
        this.writeIndicator(']', false, false, false);
        return;
      }
      this.increaseIndent(false, context.mapping && !this.indention);
      for (const item of value) {
        this.writeIndent();
        this.writeIndicator('-', true, false, true);
        this.node(item, { mapping: false });
      }
      this.popIndent();
      return;
    }
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value).sort(compareYamlKeys);
      if (keys.length === 0) {
        this.writeIndicator('{', true, true, false);
        this.writeIndicator('}', false, false, false);
        return;
      }
      this.increaseIndent(false, false);
      for (const key of keys) {
        this.writeIndent();
        if (isSimpleKey(key)) {
          this.scalar(key, true);
          this.writeIndicator(':', false, false, false);
        } else {
          this.writeIndicator('?', true, false, true);
          this.scalar(key, false);
          this.writeIndent();
          this.writeIndicator(':', true, false, true);
        }
        this.node(value[key], { mapping: true });
      }
      this.popIndent();
      return;
    }
    this.scalar(value, false);
  }
}

/** libyaml's check_simple_key for a string key: single line and at most 128 bytes. */
function isSimpleKey(key: string): boolean {
  return !analyzeScalar(key).multiline && Buffer.byteLength(key, 'utf8') <= MAX_SIMPLE_KEY_LENGTH;
}

/** go-yaml writes ints in decimal and floats with strconv.FormatFloat(f, 'g', -1, 64): exponent form below 1e-4 and from 1e6 on. */
function formatNumber(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const [mantissa, exp] = n.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return String(n);
}

const isLetter = (ch: string): boolean => /^\p{L}$/u.test(ch);
const isDigitRune = (ch: string): boolean => /^\p{Nd}$/u.test(ch);

/** go-yaml v2's keyList.Less for two string keys (digit runs compare as numbers, letters after non-letters). */
export function compareYamlKeys(a: string, b: string): number {
  if (a === b) return 0;
  return yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0;
}

function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigitRune(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigitRune(ar[ai]); ai++) an = an * 10 + (ar[ai].codePointAt(0)! - 0x30);
    let bi = i;
    for (; bi < br.length && isDigitRune(br[bi]); bi++) bn = bn * 10 + (br[bi].codePointAt(0)! - 0x30);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** JSONToYAML of a JSON value, byte for byte as kube writes it (a document ending in a newline). */
export function encodeYAML(value: unknown): string {
  const emitter = new Emitter();
  // JSON.stringify/parse drops undefined and functions as Go's JSON step would never produce them.
  const json = JSON.parse(JSON.stringify(value ?? null)) as Json;
  emitter.node(json, { mapping: false });
  if (emitter.column > 0) emitter.putBreak();
  return emitter.text();
}
