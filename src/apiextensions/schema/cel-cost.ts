// A static cost estimate of a rule, in the spirit of cel-go's checker cost estimation as kube configures
// it for CRDs (apiextensions-apiserver v0.32.9 pkg/apis/apiextensions/validation: per-expression limit
// StaticEstimatedCostLimit 1e7, whole-schema limit 1e8): every node costs 1; a comprehension costs its
// range's maximum size times its body; string traversals cost a tenth of the string's maximum length.
// Maximum sizes come from maxItems / maxProperties / maxLength, or, when unbounded, from the 3 MiB request
// limit divided by the smallest encoding of an element (as kube's estimator does).
import type { JSONSchemaProps } from './types.js';

export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;
const MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;

interface AstNode {
  op: string;
  args: unknown;
}

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const STRING_TRAVERSALS = new Set(['matches', 're2matches', 'contains', 'startsWith', 'endsWith', 'find', 'findAll', 'split', 'replace', 'lowerAscii', 'upperAscii', 'indexOf', 'lastIndexOf', 'trim', 'reverse', 'substring', 'charAt', 'format', 'join', 'quantity', 'url', 'isURL', 'isQuantity']);

function minEncodedSize(s: JSONSchemaProps | undefined): number {
  switch (s?.type) {
    case 'string': return 2;
    case 'boolean': return 4;
    case 'integer': case 'number': return 1;
    default: return 2;
  }
}

/** The maximum number of elements (lists, maps) or characters (strings) a value of the schema can have. */
export function maxSize(s: JSONSchemaProps | undefined): number {
  if (!s) return MAX_REQUEST_SIZE_BYTES;
  if (s.type === 'array') {
    const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
    return s.maxItems ?? Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (minEncodedSize(items) + 1));
  }
  if (s.type === 'object') return s.maxProperties ?? Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (minEncodedSize(typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined) + 4));
  if (s.type === 'string') return s.maxLength ?? MAX_REQUEST_SIZE_BYTES - 2;
  return 1;
}

interface Estimate {
  cost: number;
  schema?: JSONSchemaProps;
}

/** Estimates the cost of a parsed rule evaluated with `self` (and `oldSelf`) typed by `schema`. */
export function estimateCost(ast: unknown, schema: JSONSchemaProps): number {
  return estimate(ast as AstNode, new Map([['self', schema], ['oldSelf', schema]])).cost;
}

function childSchema(s: JSONSchemaProps | undefined, key: string | undefined): JSONSchemaProps | undefined {
  if (!s) return undefined;
  if (s.type === 'array') return s.items && !Array.isArray(s.items) ? s.items : undefined;
  if (key !== undefined && s.properties?.[key]) return s.properties[key];
  return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
}

function estimate(node: AstNode, scope: Map<string, JSONSchemaProps | undefined>): Estimate {
  if (!node || typeof node !== 'object' || !('op' in node)) return { cost: 0 };
  const args = node.args;
  switch (node.op) {
    case 'value': return { cost: 0 };
    case 'id': return { cost: 1, schema: scope.get(args as string) };
    case '.': case '.?': {
      const [target, field] = args as [AstNode, string];
      const t = estimate(target, scope);
      return { cost: t.cost + 1, schema: childSchema(t.schema, field) };
    }
    case '[]': case '[?]': {
      const [target, index] = args as [AstNode, AstNode];
      const t = estimate(target, scope);
      const i = estimate(index, scope);
      const key = index?.op === 'value' && typeof index.args === 'string' ? index.args : undefined;
      return { cost: t.cost + i.cost + 1, schema: childSchema(t.schema, key) };
    }
    case 'rcall': {
      const [name, target, callArgs] = args as [string, AstNode, AstNode[]];
      const t = estimate(target, scope);
      if (COMPREHENSIONS.has(name) && Array.isArray(callArgs) && callArgs[0]?.op === 'id') {
        const size = maxSize(t.schema);
        const inner = new Map(scope);
        const itemSchema = t.schema?.type === 'object' ? { type: 'string' } : childSchema(t.schema, undefined);
        inner.set(callArgs[0].args as string, itemSchema);
        const body = callArgs.slice(1).reduce((sum, a) => sum + estimate(a, inner).cost, 0);
        return { cost: t.cost + size * (body + 1) + 1, schema: name === 'map' || name === 'filter' ? t.schema : undefined };
      }
      const argCost = (callArgs ?? []).reduce((sum, a) => sum + estimate(a, scope).cost, 0);
      const traversal = STRING_TRAVERSALS.has(name) || ['isSorted', 'sum', 'min', 'max', 'join'].includes(name) ? Math.ceil(maxSize(t.schema) * 0.1) : 0;
      return { cost: t.cost + argCost + 1 + traversal };
    }
    case 'call': {
      const [, callArgs] = args as [string, AstNode[]];
      const parts = (callArgs ?? []).map((a) => estimate(a, scope));
      return { cost: parts.reduce((s, p) => s + p.cost, 1), schema: parts.length === 1 ? undefined : undefined };
    }
    case '==': case '!=': {
      const [a, b] = args as AstNode[];
      const ea = estimate(a, scope);
      const eb = estimate(b, scope);
      // Equality of lists and maps walks them.
      const walk = ea.schema && (ea.schema.type === 'array' || ea.schema.type === 'object') ? Math.ceil(maxSize(ea.schema) * 0.1) : 0;
      return { cost: ea.cost + eb.cost + 1 + walk };
    }
    default: {
      let cost = 1;
      const visit = (x: unknown) => {
        if (Array.isArray(x)) x.forEach(visit);
        else if (x && typeof x === 'object' && 'op' in x) cost += estimate(x as AstNode, scope).cost;
      };
      visit(args);
      return { cost };
    }
  }
}

/** kube's getCostErrorMessage. */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const text = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${text} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
