// Runtime cost of one rule evaluation, computed from the actual value before evaluating (cel-go tracks it
// while evaluating; cel-js cannot): every node costs 1, a comprehension costs the sum of its body over the
// actual elements, string traversals a tenth of the actual length. The walk stops as soon as the cost passes
// the limit, so a hostile rule or object costs us at most that many steps. Limits are kube's
// (k8s.io/apiserver v0.32.9 pkg/apis/cel/config.go): PerCallLimit 1e6, RuntimeCELCostBudget 1e7 per request.
import { isObject } from './types.js';

export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_CEL_COST_BUDGET = 10_000_000;

interface AstNode {
  op: string;
  args: unknown;
}
const UNKNOWN = Symbol('unknown');
type Scope = Map<string, unknown>;

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const LINEAR = new Set(['matches', 're2matches', 'contains', 'startsWith', 'endsWith', 'find', 'findAll', 'split', 'replace', 'lowerAscii', 'upperAscii', 'indexOf', 'lastIndexOf', 'trim', 'reverse', 'substring', 'charAt', 'format', 'join', 'isSorted', 'sum', 'min', 'max', 'quantity', 'url', 'isURL', 'isQuantity', 'size']);

class LimitExceeded extends Error {}

function sizeOf(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return 1;
}

/** The cost of evaluating `ast` with the given variables, or Infinity once it passes `limit`. */
export function runtimeCost(ast: unknown, vars: Record<string, unknown>, limit: number): number {
  const state = { cost: 0, limit };
  try {
    walk(ast as AstNode, new Map(Object.entries(vars)), state);
  } catch (err) {
    if (err instanceof LimitExceeded) return Infinity;
    throw err;
  }
  return state.cost;
}

function add(state: { cost: number; limit: number }, n: number): void {
  state.cost += n;
  if (state.cost > state.limit) throw new LimitExceeded();
}

function walk(node: AstNode, scope: Scope, state: { cost: number; limit: number }): unknown {
  if (!node || typeof node !== 'object' || !('op' in node)) return UNKNOWN;
  const args = node.args;
  switch (node.op) {
    case 'value': return args;
    case 'id': add(state, 1); return scope.has(args as string) ? scope.get(args as string) : UNKNOWN;
    case '.': case '.?': {
      const [target, field] = args as [AstNode, string];
      const t = walk(target, scope, state);
      add(state, 1);
      return isObject(t) ? t[field] : UNKNOWN;
    }
    case '[]': case '[?]': {
      const [target, index] = args as [AstNode, AstNode];
      const t = walk(target, scope, state);
      const i = walk(index, scope, state);
      add(state, 1);
      if (Array.isArray(t) && (typeof i === 'bigint' || typeof i === 'number')) return t[Number(i)];
      if (isObject(t) && typeof i === 'string') return t[i];
      return UNKNOWN;
    }
    case 'rcall': {
      const [name, target, callArgs] = args as [string, AstNode, AstNode[]];
      const t = walk(target, scope, state);
      if (COMPREHENSIONS.has(name) && Array.isArray(callArgs) && callArgs[0]?.op === 'id') {
        const elements: unknown[] = Array.isArray(t) ? t : isObject(t) ? Object.keys(t) : [UNKNOWN];
        const inner = new Map(scope);
        for (const el of elements) {
          inner.set(callArgs[0].args as string, el);
          add(state, 1);
          for (const body of callArgs.slice(1)) walk(body, inner, state);
        }
        return UNKNOWN;
      }
      for (const a of callArgs ?? []) walk(a, scope, state);
      add(state, 1 + (LINEAR.has(name) && t !== UNKNOWN ? Math.ceil(sizeOf(t) * 0.1) : 0));
      return UNKNOWN;
    }
    case '==': case '!=': {
      const [a, b] = args as AstNode[];
      const va = walk(a, scope, state);
      walk(b, scope, state);
      add(state, 1 + (Array.isArray(va) || isObject(va) ? Math.ceil(sizeOf(va) * 0.1) : 0));
      return UNKNOWN;
    }
    default: {
      const visit = (x: unknown) => {
        if (Array.isArray(x)) x.forEach(visit);
        else if (x && typeof x === 'object' && 'op' in x) walk(x as AstNode, scope, state);
      };
      visit(args);
      add(state, 1);
      return UNKNOWN;
    }
  }
}
