// Label selectors as k8s.io/apimachinery/pkg/labels (kube 1.32) parses, matches and prints them:
// `=`, `==`, `!=`, `in`, `notin`, exists (`key`), does-not-exist (`!key`), `>`/`<`, comma-separated.
// A selector the REST layer cannot parse is a 400 BadRequest whose message is labels.Parse's error,
// as kube-apiserver answers a bad `labelSelector` query parameter.
import { newBadRequest } from '../../endpoints/status.js';
import { scan, type ScannedItem, type Token } from './label-lexer.js';
import {
  BINARY_OPERATORS,
  SelectorError,
  labelKeyError,
  matchesRequirement,
  newRequirement,
  requirementString,
  type Operator,
  type Requirement,
} from './label-requirement.js';
import { fieldErrorText } from '../validation/field-errors.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { compareBytes } from '../validation/go-value.js';

export type { Operator, Requirement } from './label-requirement.js';
export { newRequirement, SelectorError } from './label-requirement.js';

export class LabelSelector {
  /**
   * @param requirements sorted by key, as kube keeps them
   * @param nothing labels.Nothing(): matches no object (a nil metav1.LabelSelector)
   */
  constructor(
    readonly requirements: readonly Requirement[],
    readonly nothing = false,
  ) {}

  /** Selector.Empty: selects everything. labels.Nothing() is not empty. */
  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  matches(labels: Readonly<Record<string, string>> | undefined | null): boolean {
    if (this.nothing) return false;
    for (const r of this.requirements) if (!matchesRequirement(r, labels ?? undefined)) return false;
    return true;
  }

  /** Selector.String: requirements joined with ',' ("a in (x,y),!b,c=d"); Nothing prints as "". */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }

  /** Selector.RequiresExactMatch: the value the first requirement on `label` pins, if it pins one. */
  requiresExactMatch(label: string): string | undefined {
    const r = this.requirements.find((req) => req.key === label);
    if (!r || (r.operator !== '=' && r.operator !== '==' && r.operator !== 'in') || r.values.length !== 1) return undefined;
    return r.values[0];
  }
}

const byKey = (a: Requirement, b: Requirement) => compareBytes(a.key, b.key);

type Context = 'keyAndOperator' | 'values';

/** labels.Parser: a recursive descent over the scanned tokens, with kube's error texts. */
class Parser {
  private position = 0;
  constructor(private readonly items: ScannedItem[]) {}

  /** In value context the keywords `in` and `notin` are plain identifiers. */
  private lookahead(context: Context): [Token, string] {
    const { token, literal } = this.items[this.position];
    return [context === 'values' && (token === 'in' || token === 'notin') ? 'identifier' : token, literal];
  }

  private consume(context: Context): [Token, string] {
    const item = this.lookahead(context);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const [token, literal] = this.lookahead('values');
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== '!') throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        throw new SelectorError(`unable to parse requirement: ${(err as Error).message}`);
      }
      const [t, l] = this.consume('values');
      if (t === 'end') return requirements;
      if (t !== ',') throw new SelectorError(`found '${l}', expected: ',' or 'end of string'`);
      const [t2, l2] = this.lookahead('values');
      if (t2 !== 'identifier' && t2 !== '!') throw new SelectorError(`found '${l2}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred) return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // sets.String.List(): sorted, without repeats.
    return newRequirement(key, operator, [...values].sort(compareBytes));
  }

  /** The key, and `exists` / `!` when nothing follows it. */
  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let [token, literal] = this.consume('values');
    let doesNotExist = false;
    if (token === '!') {
      doesNotExist = true;
      [token, literal] = this.consume('values');
    }
    if (token !== 'identifier') throw new SelectorError(`found '${literal}', expected: identifier`);
    // Parse passes no field path: the key's error prints as "<nil>: Invalid value: ...".
    const keyError = labelKeyError(literal, '<nil>');
    if (keyError) throw new SelectorError(fieldErrorText(keyError));
    // "!key" is complete whatever follows (what follows then fails as a separator).
    if (doesNotExist) return [literal, '!'];
    const [next] = this.lookahead('values');
    return [literal, next === 'end' || next === ',' ? 'exists' : undefined];
  }

  private parseOperator(): Operator {
    const [token, literal] = this.consume('keyAndOperator');
    const operators: Partial<Record<Token, Operator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const operator = operators[token];
    if (!operator) throw new SelectorError(`found '${literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    return operator;
  }

  private parseValues(): Set<string> {
    const [open, openLiteral] = this.consume('values');
    if (open !== '(') throw new SelectorError(`found '${openLiteral}' expected: '('`);
    const [token, literal] = this.lookahead('values');
    if (token === 'identifier' || token === ',') {
      const values = this.parseIdentifiersList();
      // kube names the token after '(' here, not the one it found.
      if (this.consume('values')[0] !== ')') throw new SelectorError(`found '${literal}', expected: ')'`);
      return values;
    }
    if (token === ')') {
      this.consume('values');
      return new Set(['']);
    }
    throw new SelectorError(`found '${literal}', expected: ',', ')' or identifier`);
  }

  /** A list of possibly empty identifiers; kube 1.32 consumes the second comma of ",,". */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const [token, literal] = this.consume('values');
      if (token === 'identifier') {
        values.add(literal);
        const [t2, l2] = this.lookahead('values');
        if (t2 === ',') continue;
        if (t2 === ')') return values;
        throw new SelectorError(`found '${l2}', expected: ',' or ')'`);
      }
      if (token !== ',') throw new SelectorError(`found '${literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const [t2] = this.lookahead('values');
      if (t2 === ')') {
        values.add('');
        return values;
      }
      if (t2 === ',') {
        this.consume('values');
        values.add('');
      }
    }
  }

  private parseExactValue(): Set<string> {
    const [next] = this.lookahead('values');
    if (next === 'end' || next === ',') return new Set(['']);
    const [token, literal] = this.consume('values');
    if (token === 'identifier') return new Set([literal]);
    throw new SelectorError(`found '${literal}', expected: identifier`);
  }
}

/** labels.Parse: the requirements sorted by key. Throws SelectorError with kube's text. */
export function parseLabelRequirements(text: string): Requirement[] {
  return new Parser(scan(text)).parse().sort(byKey);
}

/** Parses a `labelSelector` query parameter; a bad one is kube's 400 BadRequest. */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    return new LabelSelector(parseLabelRequirements(text));
  } catch (err) {
    if (err instanceof SelectorError) throw newBadRequest(err.message);
    throw err;
  }
}

/** metav1.LabelSelector as JSON carries it. */
export interface MetaLabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

const META_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null → matches nothing, {} → everything; each matchLabels entry
 * and expression goes through NewRequirement (no field path, so errors print "key: ..." /
 * "values: ..."). A bad selector is a 400 BadRequest whose message is kube's error text.
 */
export function labelSelectorFromMeta(selector: MetaLabelSelector | null | undefined): LabelSelector {
  try {
    return selectorFromMeta(selector);
  } catch (err) {
    if (err instanceof SelectorError) throw newBadRequest(err.message);
    throw err;
  }
}

function selectorFromMeta(selector: MetaLabelSelector | null | undefined): LabelSelector {
  if (selector === null || selector === undefined) return new LabelSelector([], true);
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return new LabelSelector([]);
  const requirements: Requirement[] = [];
  for (const [key, value] of matchLabels) requirements.push(newRequirement(key, '=', [value]));
  for (const expr of expressions) {
    const operator = Object.prototype.hasOwnProperty.call(META_OPERATORS, expr.operator) ? META_OPERATORS[expr.operator] : undefined;
    if (!operator) throw new SelectorError(`${goQuote(String(expr.operator))} is not a valid label selector operator`);
    // kube copies the values with append([]string(nil), ...): no values is a nil slice.
    requirements.push(newRequirement(expr.key ?? '', operator, expr.values && expr.values.length > 0 ? expr.values : null));
  }
  return new LabelSelector(requirements.sort(byKey));
}
