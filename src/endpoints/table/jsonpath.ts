// kube's JSONPath templates (k8s.io/client-go/util/jsonpath) as CRD printer columns use them: the
// parser follows kube's grammar and its quirks (a bracketed key `['a.b']` is re-read as `.a.b`, so
// dots in keys need `\.`), and evaluation follows its rules for missing keys, slices and filters.
// `range`/`end` templates are parsed but not evaluated (columns never use them).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

interface ParamsEntry {
  value: number;
  known: boolean;
  derived: boolean;
}

export type PathNode =
  | { kind: 'list'; nodes: PathNode[] }
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'array'; params: [ParamsEntry, ParamsEntry, ParamsEntry] }
  | { kind: 'filter'; left: PathNode & { kind: 'list' }; right: PathNode & { kind: 'list' }; operator: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'recursive' }
  | { kind: 'union'; nodes: (PathNode & { kind: 'list' })[] }
  | { kind: 'identifier'; name: string };

type ListNode = PathNode & { kind: 'list' };

export class JsonPathError extends Error {}

const EOF = '';

function isTerminator(r: string): boolean {
  return r === EOF || ' \t\r\n.,[]$@{}'.includes(r);
}

function isAlphaNumeric(r: string): boolean {
  return r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
}

/** kube's jsonpath.Parser over a template such as `{.status.phase}`. */
class Parser {
  private input = '';
  private pos = 0;
  private start = 0;
  private width = 0;
  root: ListNode = { kind: 'list', nodes: [] };

  parse(text: string): ListNode {
    this.input = text;
    this.root = { kind: 'list', nodes: [] };
    this.pos = 0;
    this.start = 0;
    this.parseText(this.root);
    return this.root;
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += r.length;
    return r;
  }

  private peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ kind: 'text', text: this.consumeText() });
        this.pos += 1;
        this.consumeText();
        const list: ListNode = { kind: 'list', nodes: [] };
        cur.nodes.push(list);
        this.parseInsideAction(list);
        return;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ kind: 'text', text: this.consumeText() });
  }

  private parseInsideAction(cur: ListNode): void {
    // Iterative where kube recurses after each element of the action.
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        this.parseText(this.root);
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || r === '\r' || r === '\n') throw new JsonPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') {
        this.consumeText();
      } else if (r === '[') {
        this.parseArray(cur);
      } else if (r === '"' || r === "'") {
        this.parseQuote(cur, r);
      } else if (r === '.') {
        this.parseField(cur);
      } else if (r === '+' || r === '-' || /^\p{Nd}$/u.test(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        throw new JsonPathError(`unrecognized character in action: ${r}`);
      }
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ kind: 'bool', value: value === 'true' });
    else cur.nodes.push({ kind: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last && last.kind === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ kind: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    const first = this.peek();
    if (first === '+' || first === '-') this.next();
    for (;;) {
      const r = this.next();
      if (r !== '.' && !/^\p{Nd}$/u.test(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?\d+$/.test(value)) cur.nodes.push({ kind: 'int', value: Number(value) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ kind: 'float', value: Number(value) });
    else throw new JsonPathError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';

    const parts = text.split(',');
    if (parts.length > 1) {
      const union = parts.map((part) => parseAction(`[${part.replace(/^ +| +$/g, '')}]`));
      cur.nodes.push({ kind: 'union', nodes: union });
      return;
    }

    // A quoted key is re-parsed as a dotted field path, exactly as kube does.
    const dictKey = /^'([^']*)'$/.exec(text);
    if (dictKey) {
      cur.nodes.push(...parseAction(`.${dictKey[1]}`).nodes);
      return;
    }

    const slice = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!slice) throw new JsonPathError(`invalid array index ${text}`);
    const values = [slice[1] ?? '', slice[2] ?? '', slice[3] ?? ''];
    const params: [ParamsEntry, ParamsEntry, ParamsEntry] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let value = values[i];
      if (value !== '') {
        if (i > 0) value = value.slice(1);
        if (i > 0 && value === '') {
          params[i].known = false;
        } else {
          if (!/^[+-]?\d+$/.test(value)) throw new JsonPathError(`array index ${value} is not a number`);
          params[i].known = true;
          params[i].value = Number(value);
        }
      } else if (i === 1) {
        params[i].known = true;
        params[i].value = params[0].value + 1;
        params[i].derived = true;
      }
    }
    cur.nodes.push({ kind: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')') {
        if (begin === end) break;
      }
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const comparison = /^([^!<>=]+)([!<>=]+)(.+?)$/.exec(text);
    if (!comparison) {
      cur.nodes.push({ kind: 'filter', left: parseAction(text), right: { kind: 'list', nodes: [] }, operator: 'exists' });
    } else {
      cur.nodes.push({ kind: 'filter', left: parseAction(comparison[1]), right: parseAction(comparison[3]), operator: comparison[2] });
    }
  }

  private parseQuote(cur: ListNode, endQuote: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated quoted string');
      if (r === endQuote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    cur.nodes.push({ kind: 'text', text: unquote(value) });
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    while (this.advance());
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ kind: 'wildcard' });
    else cur.nodes.push({ kind: 'field', name: value.replaceAll('\\', '') });
  }

  private advance(): boolean {
    const r = this.next();
    if (r === '\\') this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

/** kube's parseAction: the nodes of `{text}`. */
function parseAction(text: string): ListNode {
  const root = new Parser().parse(`{${text}}`);
  return root.nodes[0] as ListNode;
}

/** Go's strconv.Unquote, extended to single quotes as kube's UnquoteExtend does. */
function unquote(quoted: string): string {
  const quote = quoted[0];
  const body = quoted.slice(1, -1);
  if (!body.includes('\\')) return body;
  const escapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e in escapes && (e !== "'" || quote === "'") && (e !== '"' || quote === '"')) out += escapes[e];
    else if (e === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else throw new JsonPathError(`unquote string ${quoted} error invalid syntax`);
  }
  return out;
}

/** A parsed template, e.g. `{.status.phase}`. */
export interface JsonPath {
  root: ListNode;
  allowMissingKeys: boolean;
}

export function parseJsonPath(template: string, allowMissingKeys = true): JsonPath {
  return { root: new Parser().parse(template), allowMissingKeys };
}

/** A float literal from the template; numbers in data are integers when they have no fraction. */
class GoFloat {
  constructor(readonly value: number) {}
}

type Value = JsonValue | GoFloat | undefined;

/** kube's FindResults: one result list per top-level node of the template. */
export function findResults(path: JsonPath, data: JsonValue): Value[][] {
  const full: Value[][] = [];
  for (const node of path.root.nodes) full.push(walk(path, [data], node));
  return full;
}

function isNil(v: Value): boolean {
  return v === null || v === undefined;
}

function isMap(v: Value): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);
}

function walk(path: JsonPath, input: Value[], node: PathNode): Value[] {
  switch (node.kind) {
    case 'list': {
      let cur = input;
      for (const child of node.nodes) cur = walk(path, cur, child);
      return cur;
    }
    case 'text':
      return [node.text];
    case 'field':
      return evalField(path, input, node.name);
    case 'array':
      return evalArray(input, node.params);
    case 'filter':
      return evalFilter(path, input, node);
    case 'int':
      return input.map(() => node.value);
    case 'float':
      return input.map(() => new GoFloat(node.value));
    case 'bool':
      return input.map(() => node.value);
    case 'wildcard':
      return input.flatMap((v) => children(v));
    case 'recursive':
      return evalRecursive(input);
    case 'union':
      return node.nodes.flatMap((list) => walk(path, input, list));
    case 'identifier':
      throw new JsonPathError(node.name === 'range' || node.name === 'end' ? `${node.name} is not supported in columns` : `unrecognized identifier ${node.name}`);
  }
}

function evalField(path: JsonPath, input: Value[], name: string): Value[] {
  const results: Value[] = [];
  if (input.length === 0) return results;
  for (const value of input) {
    if (isNil(value)) continue;
    if (isMap(value) && Object.prototype.hasOwnProperty.call(value, name)) results.push(value[name]);
  }
  if (results.length === 0 && !path.allowMissingKeys) throw new JsonPathError(`${name} is not found`);
  return results;
}

function evalArray(input: Value[], params: [ParamsEntry, ParamsEntry, ParamsEntry]): Value[] {
  const result: Value[] = [];
  for (const value of input) {
    if (isNil(value)) continue;
    if (!Array.isArray(value)) throw new JsonPathError('value is not array or slice');
    const p = params.map((e) => ({ ...e }));
    const length = value.length;
    if (!p[0].known) p[0].value = 0;
    if (p[0].value < 0) p[0].value += length;
    if (!p[1].known) p[1].value = length;
    if (p[1].value < 0 || (p[1].value === 0 && p[1].derived)) p[1].value += length;
    // Asking for zero elements ends the evaluation with what was found so far, as kube does.
    if (p[1].value === p[0].value) return result;
    if (p[0].value >= length || p[0].value < 0) throw new JsonPathError(`array index out of bounds: index ${p[0].value}, length ${length}`);
    if (p[1].value > length || p[1].value < 0) throw new JsonPathError(`array index out of bounds: index ${p[1].value - 1}, length ${length}`);
    if (p[0].value > p[1].value) throw new JsonPathError(`starting index ${p[0].value} is greater than ending index ${p[1].value}`);
    const slice = value.slice(p[0].value, p[1].value);
    let step = 1;
    if (p[2].known) {
      if (p[2].value <= 0) throw new JsonPathError('step must be > 0');
      step = p[2].value;
    }
    for (let i = 0; i < slice.length; i += step) result.push(slice[i]);
  }
  return result;
}

function children(value: Value): Value[] {
  if (isNil(value)) return [];
  if (Array.isArray(value)) return value;
  // Go indexes a string by bytes: its children are uint8 numbers, which have no children themselves.
  if (typeof value === 'string') return [...Buffer.from(value, 'utf8')];
  if (isMap(value)) return Object.values(value);
  return [];
}

function evalRecursive(input: Value[]): Value[] {
  const result: Value[] = [];
  for (const value of input) {
    const kids = children(value);
    if (kids.length === 0) continue;
    result.push(value, ...evalRecursive(kids));
  }
  return result;
}

function evalFilter(path: JsonPath, input: Value[], node: PathNode & { kind: 'filter' }): Value[] {
  const results: Value[] = [];
  for (const value of input) {
    if (!Array.isArray(value)) throw new JsonPathError('value is not array or slice and cannot be filtered');
    for (const item of value) {
      let lefts: Value[];
      try {
        lefts = walk(path, [item], node.left);
      } catch (err) {
        if (node.operator === 'exists') continue;
        throw err;
      }
      if (node.operator === 'exists') {
        if (lefts.length > 0) results.push(item);
        continue;
      }
      if (lefts.length === 0) continue;
      if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
      const rights = walk(path, [item], node.right);
      if (rights.length === 0) continue;
      if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
      if (compare(node.operator, lefts[0], rights[0])) results.push(item);
    }
  }
  return results;
}

type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: Value): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  throw new JsonPathError('invalid type for comparison');
}

function primitive(v: Value): boolean | number | string {
  return v instanceof GoFloat ? v.value : (v as boolean | number | string);
}

/** text/template's eq, ne, lt, le, gt, ge as kube's forked copy defines them. */
function compare(operator: string, left: Value, right: Value): boolean {
  const k1 = basicKind(left);
  const k2 = basicKind(right);
  if (k1 !== k2) throw new JsonPathError('incompatible types for comparison');
  const a = primitive(left);
  const b = primitive(right);
  const equal = a === b;
  const lessThan = (): boolean => {
    if (k1 === 'bool') throw new JsonPathError('invalid type for comparison');
    return a < b;
  };
  switch (operator) {
    case '==':
      return equal;
    case '!=':
      return !equal;
    case '<':
      return lessThan();
    case '<=':
      return lessThan() || equal;
    case '>':
      return !(lessThan() || equal);
    case '>=':
      return !lessThan();
    default:
      throw new JsonPathError(`unrecognized filter operator ${operator}`);
  }
}

/** The text kube's PrintResults writes for one value: JSON for maps and lists, Go's fmt for the rest. */
export function printResult(value: Value): string {
  if (value === null || value === undefined) return '<no value>';
  if (value instanceof GoFloat) return goFormatFloat(value.value);
  if (Array.isArray(value) || typeof value === 'object') return goJsonMarshal(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFormatFloat(value);
  return String(value);
}

/** fmt's %v of a float64 (strconv 'g', shortest): exponent form when the exponent is < -4 or >= 6. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, exp] = f.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(f);
}

/** encoding/json.Marshal of a decoded JSON value: map keys sorted, HTML characters escaped. */
export function goJsonMarshal(value: unknown): string {
  return escapeHtml(JSON.stringify(sortKeysDeep(value)));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    // No prototype: a "__proto__" key is data, as in Go.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Go's JSON encoder escapes <, >, & and the JavaScript line separators. */
export function escapeHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
