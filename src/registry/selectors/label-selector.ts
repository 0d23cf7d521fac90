// Label selectors as k8s.io/apimachinery/pkg/labels parses and matches them: `=`, `==`, `!=`, `in`,
// `notin`, exists (`key`), does-not-exist (`!key`), `gt`/`lt` (`>`, `<`), comma-separated. A bad
// selector is a 400 with kube's parser message.
import { newBadRequest } from '../../endpoints/status.js';
import { fieldInvalid } from '../validation/field-errors.js';
import { isValidLabelValue, EMPTY_ERROR, isDNS1123Subdomain, maxLenError, regexError } from '../validation/names.js';

type Op = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface Requirement {
  key: string;
  operator: Op;
  values: string[];
}

type Token = 'id' | 'in' | 'notin' | '!' | '!=' | '=' | '==' | '>' | '<' | '(' | ')' | ',' | 'end' | 'error';

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SYMBOLS = new Set(['!', '!=', '=', '==', '>', '<', '(', ')', ',']);
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

function lex(input: string): Array<[Token, string]> {
  const items: Array<[Token, string]> = [];
  let i = 0;
  for (;;) {
    while (i < input.length && WHITESPACE.has(input[i])) i++;
    if (i >= input.length) {
      items.push(['end', '']);
      return items;
    }
    if (SPECIAL.has(input[i])) {
      // The longest run of special characters that still forms a symbol.
      let buffer = '';
      let last: string | undefined;
      while (i < input.length && SPECIAL.has(input[i])) {
        buffer += input[i];
        if (SYMBOLS.has(buffer)) {
          last = buffer;
          i++;
        } else if (last !== undefined) break;
        else i++;
      }
      if (last === undefined) items.push(['error', `error expected: keyword found '${buffer}'`]);
      else items.push([last as Token, last]);
      continue;
    }
    let word = '';
    while (i < input.length && !SPECIAL.has(input[i]) && !WHITESPACE.has(input[i])) word += input[i++];
    items.push([word === 'in' || word === 'notin' ? word : 'id', word]);
  }
}

const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** content.IsLabelKey */
function isLabelKey(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    name = parts[1];
    if (!parts[0]) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...isDNS1123Subdomain(parts[0]).map((m) => `prefix part ${m}`));
  } else {
    return [`a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (!name) errs.push(`name part ${EMPTY_ERROR}`);
  else if (Buffer.byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!new RegExp(`^${LABEL_KEY_FMT}$`).test(name)) errs.push(`name part ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

function fieldErrorText(field: string, value: unknown, detail: string): string {
  const error = fieldInvalid(field, value, detail);
  return `${error.field}: ${error.detail}`;
}

class Parser {
  private position = 0;
  constructor(private readonly items: Array<[Token, string]>) {}

  /** In value position, `in` and `notin` are plain identifiers. */
  private peek(values = true): [Token, string] {
    const [tok, lit] = this.items[this.position];
    return values && (tok === 'in' || tok === 'notin') ? ['id', lit] : [tok, lit];
  }

  private next(values = true): [Token, string] {
    const item = this.peek(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const [tok, lit] = this.peek();
      if (tok === 'end') return requirements;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.requirement());
      } catch (err) {
        throw new Error(`unable to parse requirement: ${(err as Error).message}`);
      }
      const [t, l] = this.next();
      if (t === 'end') return requirements;
      if (t !== ',') throw new Error(`found '${l}', expected: ',' or 'end of string'`);
      const [t2, l2] = this.peek();
      if (t2 !== 'id' && t2 !== '!') throw new Error(`found '${l2}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let [tok, key] = this.next();
    let notExists = false;
    if (tok === '!') {
      notExists = true;
      [tok, key] = this.next();
    }
    if (tok !== 'id') throw new Error(`found '${key}', expected: identifier`);
    const keyErrors = isLabelKey(key);
    if (keyErrors.length > 0) throw new Error(fieldErrorText('<nil>', key, keyErrors.join('; ')));
    const [after] = this.peek();
    if (after === 'end' || after === ',') return validated({ key, operator: notExists ? '!' : 'exists', values: [] });
    if (notExists) throw new Error(`found '${this.peek()[1]}', expected: ${BINARY_OPERATORS}`);
    const [opTok, opLit] = this.next(false);
    const operators: Partial<Record<Token, Op>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
    const operator = operators[opTok];
    if (!operator) throw new Error(`found '${opLit}', expected: ${BINARY_OPERATORS}`);
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : this.exactValue();
    return validated({ key, operator, values: [...new Set(values)].sort() });
  }

  private setValues(): string[] {
    const [open, openLit] = this.next();
    if (open !== '(') throw new Error(`found '${openLit}' expected: '('`);
    const [tok, lit] = this.peek();
    if (tok === ')') {
      this.next();
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values: string[] = [];
    for (;;) {
      const [t, l] = this.next();
      if (t === 'id') {
        values.push(l);
        const [t2, l2] = this.peek();
        if (t2 === ',') continue;
        if (t2 === ')') break;
        throw new Error(`found '${l2}', expected: ',' or ')'`);
      } else if (t === ',') {
        if (values.length === 0) values.push('');
        const [t2] = this.peek();
        if (t2 === ')') {
          values.push('');
          break;
        }
        if (t2 === ',') values.push('');
      } else {
        throw new Error(`found '${l}', expected: ',', or identifier`);
      }
    }
    const [close] = this.next();
    if (close !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return values;
  }

  private exactValue(): string[] {
    const [tok] = this.peek();
    if (tok === 'end' || tok === ',') return [''];
    const [t, l] = this.next();
    if (t === 'id') return [l];
    throw new Error(`found '${l}', expected: identifier`);
  }
}

/** NewRequirement's checks on the operator's values. */
function validated(r: Requirement): Requirement {
  const errors: string[] = [];
  const valuesPath = 'values';
  if ((r.operator === 'in' || r.operator === 'notin') && r.values.length === 0) errors.push(fieldErrorText(valuesPath, r.values, "for 'in', 'notin' operators, values set can't be empty"));
  if ((r.operator === 'gt' || r.operator === 'lt') && !/^[+-]?\d+$/.test(r.values[0] ?? '')) {
    errors.push(fieldErrorText(`${valuesPath}[0]`, r.values[0], "for 'Gt', 'Lt' operators, the value must be an integer"));
  }
  r.values.forEach((value, i) => {
    const msgs = isValidLabelValue(value);
    if (msgs.length > 0) errors.push(fieldErrorText(`${valuesPath}[${i}][${r.key}]`, value, msgs.join('; ')));
  });
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  return r;
}

function matchesRequirement(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(value!)) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? n > bound : n < bound;
    }
  }
}

export class LabelSelector {
  constructor(readonly requirements: Requirement[]) {}

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Record<string, string> | undefined): boolean {
    for (const r of this.requirements) if (!matchesRequirement(r, labels)) return false;
    return true;
  }

  toString(): string {
    return this.requirements
      .map((r) => {
        switch (r.operator) {
          case 'exists':
            return r.key;
          case '!':
            return `!${r.key}`;
          case 'in':
          case 'notin':
            return `${r.key} ${r.operator} (${r.values.join(',')})`;
          case 'gt':
            return `${r.key}>${r.values[0]}`;
          case 'lt':
            return `${r.key}<${r.values[0]}`;
          default:
            return `${r.key}${r.operator}${r.values[0]}`;
        }
      })
      .join(',');
  }
}

/** Parses a labelSelector query parameter; kube sorts the requirements by key. */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    const requirements = new Parser(lex(text)).parse();
    requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return new LabelSelector(requirements);
  } catch (err) {
    throw newBadRequest((err as Error).message);
  }
}

/** metav1.LabelSelectorAsSelector for {matchLabels, matchExpressions}. */
export function labelSelectorFromMeta(selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | null | undefined): LabelSelector {
  if (!selector) return new LabelSelector([]);
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.push({ key, operator: '=', values: [value] });
  for (const expr of selector.matchExpressions ?? []) {
    const op: Record<string, Op> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
    const operator = op[expr.operator];
    if (!operator) throw newBadRequest(`"${expr.operator}" is not a valid label selector operator`);
    requirements.push({ key: expr.key, operator, values: [...(expr.values ?? [])].sort() });
  }
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new LabelSelector(requirements);
}
