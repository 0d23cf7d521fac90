// The part of cel-go's type check that catches most rule mistakes at CRD validation: selecting a field an
// object schema does not declare ("undefined field 'x'"), with cel-go's error layout
// ("ERROR: <input>:1:5: undefined field 'foo'\n | self.foo == 1\n | ....^"). Objects with
// additionalProperties or preserve-unknown-fields are maps/dyn and accept any key, as in kube; the root
// and embedded resources also have apiVersion, kind and metadata (name, generateName).
import { celName } from './cel-escaping.js';
import { itemsSchema, type JSONSchemaProps } from './types.js';

interface AstNode {
  op: string;
  args: unknown;
  pos?: number;
}

const META: JSONSchemaProps = { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } };
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** The schema CEL sees for a node: the root and embedded resources gain apiVersion, kind, metadata. */
export function celTypeOf(s: JSONSchemaProps, isRoot: boolean): JSONSchemaProps {
  if (!isRoot && !s['x-kubernetes-embedded-resource']) return s;
  return { ...s, properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: META, ...(s.properties ?? {}) } };
}

/** Schemas of types declared in code (admission's request), whose field names CEL sees unescaped. */
const declared = new WeakSet<JSONSchemaProps>();

/** Marks a schema (and everything in it) as a declared type: its field names are not escaped. */
export function declaredType(schema: JSONSchemaProps): JSONSchemaProps {
  declared.add(schema);
  for (const child of Object.values(schema.properties ?? {})) declaredType(child);
  if (schema.items && !Array.isArray(schema.items)) declaredType(schema.items as JSONSchemaProps);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') declaredType(schema.additionalProperties);
  return schema;
}

function fieldsOf(s: JSONSchemaProps): Map<string, JSONSchemaProps> | undefined {
  if (s.type !== 'object' || s['x-kubernetes-preserve-unknown-fields'] || s.additionalProperties !== undefined || !s.properties) return undefined;
  const m = new Map<string, JSONSchemaProps>();
  for (const [k, v] of Object.entries(s.properties)) {
    const name = declared.has(s) ? k : celName(k);
    if (name !== undefined) m.set(name, celTypeOf(v, false));
  }
  return m;
}

export interface FieldCheckError {
  message: string;
  offset: number;
}

/** The first undefined field selection of a parsed rule, if any. */
export function checkFields(ast: unknown, self: JSONSchemaProps): FieldCheckError | undefined {
  return checkFieldsInScope(ast, new Map([['self', self], ['oldSelf', self]]));
}

/** The same check with other variables (admission policies: object, oldObject, params); unlisted ones are dyn. */
export function checkFieldsInScope(ast: unknown, scope: Map<string, JSONSchemaProps | undefined>): FieldCheckError | undefined {
  try {
    walk(ast as AstNode, scope);
  } catch (err) {
    if (err && typeof err === 'object' && 'offset' in err) return err as FieldCheckError;
    throw err;
  }
  return undefined;
}

function walk(node: AstNode, scope: Map<string, JSONSchemaProps | undefined>): JSONSchemaProps | undefined {
  if (!node || typeof node !== 'object' || !('op' in node)) return undefined;
  const args = node.args;
  switch (node.op) {
    case 'id': return scope.get(args as string);
    case '.': case '.?': {
      const [target, field] = args as [AstNode, string];
      const t = walk(target, scope);
      if (!t) return undefined;
      const fields = fieldsOf(t);
      if (fields) {
        const f = fields.get(field);
        if (!f) throw { message: `undefined field '${field}'`, offset: Math.max(0, (node.pos ?? 1) - 1) } satisfies FieldCheckError;
        return f;
      }
      return typeof t.additionalProperties === 'object' ? celTypeOf(t.additionalProperties, false) : undefined;
    }
    case 'rcall': {
      const [name, target, callArgs] = args as [string, AstNode, AstNode[]];
      const t = walk(target, scope);
      if (COMPREHENSIONS.has(name) && Array.isArray(callArgs) && callArgs[0]?.op === 'id') {
        const inner = new Map(scope);
        const items = t ? itemsSchema(t) : undefined;
        inner.set(callArgs[0].args as string, t?.type === 'array' && items ? celTypeOf(items, false) : t?.type === 'object' ? { type: 'string' } : undefined);
        for (const a of callArgs.slice(1)) walk(a, inner);
        return undefined;
      }
      for (const a of callArgs ?? []) walk(a, scope);
      return undefined;
    }
    case '[]': case '[?]': {
      const [target, index] = args as [AstNode, AstNode];
      const t = walk(target, scope);
      walk(index, scope);
      if (t?.type === 'array') {
        const items = itemsSchema(t);
        return items ? celTypeOf(items, false) : undefined;
      }
      if (t && typeof t.additionalProperties === 'object') return celTypeOf(t.additionalProperties, false);
      return undefined;
    }
    default: {
      const visit = (x: unknown) => {
        if (Array.isArray(x)) x.forEach(visit);
        else if (x && typeof x === 'object' && 'op' in x) walk(x as AstNode, scope);
      };
      visit(args);
      return undefined;
    }
  }
}

/** cel-go's issue layout for an error at a character offset of the source. */
export function celIssue(source: string, offset: number, message: string): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart;
  const text = source.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${column + 1}: ${message}\n | ${text}\n | ${'.'.repeat(column)}^`;
}
