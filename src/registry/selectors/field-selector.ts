// Field selectors as k8s.io/apimachinery/pkg/fields (kube 1.32) parses, matches and prints them:
// `field=value`, `==`, `!=`, comma-separated, `\,` `\=` `\\` escapes in values. Terms are kept
// sorted as text, as kube sorts them. A field the resource cannot be selected by is refused the way
// kube-apiserver's list/watch handler refuses it (the kind's ConvertFieldLabel error, as a 400).
import { newBadRequest, type GroupResource } from '../../endpoints/status.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { compareBytes } from '../validation/go-value.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** splitTerms: split on commas that are not escaped; the backslashes stay in the terms. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** splitTerm: the first position where "!=", "==" or "=" starts; kube ignores escapes here. */
function splitTerm(term: string): [string, (typeof TERM_OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
  }
  return undefined;
}

class SelectorParseError extends Error {}

/** fields.UnescapeValue */
export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new SelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new SelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export class FieldSelector {
  constructor(readonly requirements: readonly FieldRequirement[]) {}

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** A field the object does not have counts as the empty string (Fields.Get). */
  matches(fields: Readonly<Record<string, string>>): boolean {
    for (const r of this.requirements) {
      const value = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
      if (r.operator === '=' ? value !== r.value : value === r.value) return false;
    }
    return true;
  }

  /** RequiresExactMatch: the value the first `field=value` term on that field pins. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  /** Selector.String: "a=b,c!=d", `==` printed as `=`, values escaped. */
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** fields.ParseSelector; throws a 400 BadRequest with kube's text, as the REST layer answers it. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitTerms(text).sort(compareBytes)) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw newBadRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    let value: string;
    try {
      value = unescapeFieldValue(rhs);
    } catch (err) {
      if (err instanceof SelectorParseError) throw newBadRequest(err.message);
      throw err;
    }
    // A term with neither field nor value selects everything; kube drops it.
    if (field === '' && value === '') continue;
    requirements.push({ field, operator: op === '!=' ? '!=' : '=', value });
  }
  return new FieldSelector(requirements);
}

/**
 * Built-in resources whose kind registers its own field label conversion answering
 * `field label not supported: <field>` (pkg/apis/core/v1/conversion.go, pkg/apis/events/v1/conversion.go).
 */
const BUILT_INS_WITH_OWN_CONVERSION = new Set([
  'pods', 'nodes', 'replicationcontrollers', 'events', 'namespaces', 'secrets', 'services', 'events.events.k8s.io',
]);

/** Groups kube-apiserver serves itself (custom resource groups always contain a dot). */
function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * Whether kube answers an unsupported field with the kind's own conversion func
 * (`field label not supported: <field>`: the built-ins above, and every custom resource, whose
 * converter says the same) or with runtime.DefaultMetaV1FieldSelectorConversion
 * (`"<field>" is not a known field selector: only "metadata.name", "metadata.namespace"`: every
 * other built-in kind, e.g. configmaps, serviceaccounts, leases).
 */
export function hasOwnFieldLabelConversion(resource: GroupResource): boolean {
  if (!isBuiltInGroup(resource.group)) return true;
  return BUILT_INS_WITH_OWN_CONVERSION.has(resource.group ? `${resource.resource}.${resource.group}` : resource.resource);
}

/** The error kube's ConvertFieldLabel gives for a field the kind cannot be selected by. */
export function fieldLabelNotSupportedMessage(field: string, ownConversion: boolean): string {
  if (ownConversion) return `field label not supported: ${field}`;
  return `${goQuote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

/** "configmaps", "leases.coordination.k8s.io" → {group, resource}. */
function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  return dot < 0 ? { group: '', resource: text } : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

/**
 * The list/watch handler's Transform through ConvertFieldLabel: the first term (in sorted order)
 * whose field is not in `supported` is a 400 BadRequest. `resource` is the group-qualified resource
 * ("secrets", "widgets.example.com") or a GroupResource; it decides kube's wording.
 */
export function validateFieldSelector(selector: FieldSelector, supported: readonly string[], resource: string | GroupResource): void {
  const gr = typeof resource === 'string' ? parseGroupResource(resource) : resource;
  for (const r of selector.requirements) {
    if (!supported.includes(r.field)) throw newBadRequest(fieldLabelNotSupportedMessage(r.field, hasOwnFieldLabelConversion(gr)));
  }
}
