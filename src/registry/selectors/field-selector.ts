// Field selectors as k8s.io/apimachinery/pkg/fields parses them: `field=value`, `==`, `!=`,
// comma-separated, with `\,` `\=` `\\` escapes in values. Fields a resource does not support are
// refused with kube's message.
import { newBadRequest } from '../../endpoints/status.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Splits on commas that are not escaped (the backslash stays with the term). */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      i++;
      continue;
    }
    if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** The first unescaped operator: "!=", "==" or "=". */
function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescape(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const next = value[i + 1];
      if (next === '\\' || next === ',' || next === '=') {
        out += next;
        i++;
        continue;
      }
      throw newBadRequest(`invalid field selector: invalid escape sequence: ${value.slice(i, i + 2)}`);
    }
    if (c === ',' || c === '=') throw newBadRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    out += c;
  }
  return out;
}

export class FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  matches(fields: Record<string, string>): boolean {
    for (const r of this.requirements) {
      const value = fields[r.field] ?? '';
      if (r.operator === '=' ? value !== r.value : value === r.value) return false;
    }
    return true;
  }

  /** The value a field must equal, if the selector pins it (kube's RequiresExactMatch). */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }
}

export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitTerms(text)) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw newBadRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    requirements.push({ field, operator: op === '!=' ? '!=' : '=', value: unescape(rhs) });
  }
  return new FieldSelector(requirements);
}

/** kube's answer to a field a resource cannot be selected by: `field label not supported: <field>`. */
export function validateFieldSelector(selector: FieldSelector, supported: string[], _resource: string): void {
  for (const r of selector.requirements) {
    if (!supported.includes(r.field)) throw newBadRequest(`field label not supported: ${r.field}`);
  }
}
