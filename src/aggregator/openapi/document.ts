// An OpenAPI v3 document of one group-version, as kube-openapi's builder3 lays it out: routes grouped
// by path, parameters common to every operation of a path hoisted to the path (both lists sorted by
// name), kube's 401 common response, x-kubernetes-action / x-kubernetes-group-version-kind on
// operations, and only the component schemas the paths reference (transitively).
import type { SchemaObject } from './builtin-schemas.js';
import { sortParameters, type Parameter } from './parameters.js';
import type { Route } from './routes.js';

export interface OpenAPIV3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, SchemaObject>; securitySchemes: Record<string, unknown> };
  security: Array<Record<string, string[]>>;
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

export const SECURITY_SCHEMES = {
  BearerToken: { type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header' },
};

function schemaRef(name: string): { $ref: string } {
  return { $ref: SCHEMA_REF_PREFIX + name };
}

function paramKey(p: Parameter): string {
  return `${p.in}:${p.name}`;
}

function operationOf(route: Route, common: Set<string>): Record<string, unknown> {
  const op: Record<string, unknown> = { description: route.description, operationId: route.operationId };
  const params = sortParameters(route.parameters.filter((p) => !common.has(paramKey(p))));
  if (params.length) op.parameters = params;
  if (route.requestBody) {
    const content: Record<string, unknown> = {};
    for (const type of route.requestBody.contentTypes) content[type] = { schema: schemaRef(route.requestBody.schema) };
    op.requestBody = route.requestBody.required ? { content, required: true } : { content };
  }
  const responses: Record<string, unknown> = {};
  for (const r of route.responses) {
    const content: Record<string, unknown> = {};
    for (const type of r.contentTypes) content[type] = { schema: schemaRef(r.schema) };
    responses[String(r.code)] = { content, description: r.description };
  }
  responses['401'] = { description: 'Unauthorized' };
  op.responses = responses;
  op.tags = [route.tag];
  if (route.action) op['x-kubernetes-action'] = route.action;
  if (route.gvk) op['x-kubernetes-group-version-kind'] = route.gvk;
  return op;
}

export function buildPaths(routes: Route[]): OpenAPIV3Document['paths'] {
  const byPath = new Map<string, Route[]>();
  for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  const paths: OpenAPIV3Document['paths'] = {};
  for (const [path, group] of byPath) {
    const counts = new Map<string, { count: number; param: Parameter }>();
    for (const r of group) for (const p of r.parameters) counts.set(paramKey(p), { count: (counts.get(paramKey(p))?.count ?? 0) + 1, param: p });
    const common = new Set([...counts].filter(([, v]) => v.count === group.length).map(([k]) => k));
    const item: Record<string, unknown> = {};
    for (const r of group) item[r.method] = operationOf(r, common);
    const commonParams = sortParameters([...counts].filter(([k]) => common.has(k)).map(([, v]) => v.param));
    if (commonParams.length) item.parameters = commonParams;
    paths[path] = item;
  }
  return paths;
}

/** Every schema name a value references through "$ref", transitively, resolved in `pool`. */
export function referencedSchemas(root: unknown, pool: Readonly<Record<string, SchemaObject>>): Record<string, SchemaObject> {
  const found: Record<string, SchemaObject> = {};
  const queue: unknown[] = [root];
  while (queue.length) {
    const value = queue.pop();
    if (Array.isArray(value)) {
      queue.push(...value);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF_PREFIX)) {
          const name = child.slice(SCHEMA_REF_PREFIX.length);
          if (!(name in found) && pool[name]) {
            found[name] = pool[name];
            queue.push(pool[name]);
          }
        } else {
          queue.push(child);
        }
      }
    }
  }
  return found;
}

/** Objects with their keys sorted, as Go writes maps (and kube-openapi's types marshal). */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function buildDocument(routes: Route[], pool: Readonly<Record<string, SchemaObject>>, info: OpenAPIV3Document['info']): OpenAPIV3Document {
  const paths = buildPaths(routes);
  return {
    openapi: '3.0.0',
    info,
    paths,
    components: { schemas: referencedSchemas(paths, pool), securitySchemes: SECURITY_SCHEMES },
    security: [{ BearerToken: [] }],
  };
}
