// /openapi/v2 for clients that still read Swagger 2.0: the v3 documents of every group-version merged
// and converted (kube serves the same paths and definitions in both; v2 writes $ref with siblings
// where v3 wraps it in allOf, keeps schemas in `definitions`, describes bodies as `in: body`
// parameters and lists media types in consumes/produces).
import type { SchemaObject } from './builtin-schemas.js';
import { SCHEMA_REF_PREFIX, type OpenAPIV3Document } from './document.js';

export interface SwaggerV2Document {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, SchemaObject>;
  securityDefinitions: Record<string, unknown>;
  security: Array<Record<string, string[]>>;
}

/** Schema keywords Swagger 2.0 does not have. */
const V3_ONLY = new Set(['nullable', 'oneOf', 'anyOf', 'not']);

export function schemaToV2(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(schemaToV2);
  if (!value || typeof value !== 'object') return value;
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // v3 gives a type that takes several JSON types as oneOf (Quantity, IntOrString); Swagger 2.0 has
  // no oneOf, and kube's v2 documents call such a type a string.
  if (Array.isArray(input.oneOf) && input.type === undefined && input.oneOf.some((o) => (o as { type?: unknown })?.type === 'string')) out.type = 'string';
  for (const [key, child] of Object.entries(input)) {
    if (V3_ONLY.has(key)) continue;
    if (key === '$ref' && typeof child === 'string') out.$ref = child.startsWith(SCHEMA_REF_PREFIX) ? `#/definitions/${child.slice(SCHEMA_REF_PREFIX.length)}` : child;
    else out[key] = schemaToV2(child);
  }
  // allOf: [{$ref}] with siblings is how v3 documents a described reference; v2 writes the $ref inline.
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && allOf[0] && typeof allOf[0] === 'object' && Object.keys(allOf[0]).length === 1 && '$ref' in allOf[0]) {
    delete out.allOf;
    return { $ref: (allOf[0] as { $ref: string }).$ref, ...out };
  }
  return out;
}

interface V3Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema: { type: string; uniqueItems?: boolean };
}

function parameterToV2(p: V3Parameter): Record<string, unknown> {
  const out: Record<string, unknown> = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.type = p.schema.type;
  if (p.schema.uniqueItems) out.uniqueItems = true;
  return out;
}

interface V3Content {
  [mediaType: string]: { schema: unknown };
}

function operationToV2(op: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const parameters: Record<string, unknown>[] = [];
  const body = op.requestBody as { content: V3Content; required?: boolean } | undefined;
  if (body) {
    const [first] = Object.values(body.content);
    parameters.push({ in: 'body', name: 'body', required: Boolean(body.required), schema: schemaToV2(first?.schema) });
    out.consumes = Object.keys(body.content);
  }
  for (const p of (op.parameters as V3Parameter[] | undefined) ?? []) parameters.push(parameterToV2(p));
  if (parameters.length) out.parameters = parameters;
  const produces: string[] = [];
  const responses: Record<string, unknown> = {};
  for (const [code, response] of Object.entries((op.responses as Record<string, { description: string; content?: V3Content }>) ?? {})) {
    const entry: Record<string, unknown> = { description: response.description };
    if (response.content) {
      for (const type of Object.keys(response.content)) if (!produces.includes(type)) produces.push(type);
      const [first] = Object.values(response.content);
      if (first) entry.schema = schemaToV2(first.schema);
    }
    responses[code] = entry;
  }
  for (const [key, value] of Object.entries(op)) {
    if (key === 'parameters' || key === 'requestBody' || key === 'responses') continue;
    out[key] = value;
  }
  out.produces = produces;
  out.responses = responses;
  out.schemes = ['https'];
  return out;
}

export function toSwaggerV2(docs: OpenAPIV3Document[], info: SwaggerV2Document['info']): SwaggerV2Document {
  const paths: SwaggerV2Document['paths'] = {};
  const definitions: Record<string, SchemaObject> = {};
  for (const doc of docs) {
    for (const [path, item] of Object.entries(doc.paths)) {
      const converted: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(item)) {
        converted[key] = key === 'parameters' ? (value as V3Parameter[]).map(parameterToV2) : operationToV2(value as Record<string, unknown>);
      }
      paths[path] = converted;
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) definitions[name] ??= schemaToV2(schema) as SchemaObject;
  }
  return {
    swagger: '2.0',
    info,
    paths,
    definitions,
    securityDefinitions: { BearerToken: { description: 'Bearer token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    security: [{ BearerToken: [] }],
  };
}
