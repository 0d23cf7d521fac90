// A Swagger 2.0 document as OpenAPI 3.0 (what kube-openapi's v2→v3 conversion produces for an
// aggregated API server that has no /openapi/v3): definitions become components.schemas, body
// parameters request bodies, response schemas JSON content; $refs follow.
import type { OpenAPIV3Document } from './document.js';
import { SECURITY_SCHEMES } from './document.js';
import type { SchemaObject } from './builtin-schemas.js';

type Json = Record<string, unknown>;

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/definitions/', '#/components/schemas/') : rewriteRefs(v);
  }
  return out;
}

function convertParameter(p: Json): Json {
  const { type, format, items, default: def, enum: en, collectionFormat: _cf, ...rest } = p;
  const schema: Json = {};
  if (type !== undefined) schema.type = type;
  if (format !== undefined) schema.format = format;
  if (items !== undefined) schema.items = items;
  if (def !== undefined) schema.default = def;
  if (en !== undefined) schema.enum = en;
  return Object.keys(schema).length ? { ...rest, schema } : rest;
}

function convertOperation(op: Json, produces: string[], consumes: string[]): Json {
  const { parameters, responses, produces: opProduces, consumes: opConsumes, schemes: _s, ...rest } = op;
  const out: Json = { ...rest };
  const outTypes = (opProduces as string[] | undefined) ?? produces;
  const inTypes = (opConsumes as string[] | undefined) ?? consumes;
  const params = (parameters as Json[] | undefined) ?? [];
  const body = params.find((p) => p.in === 'body');
  const others = params.filter((p) => p.in !== 'body').map(convertParameter);
  if (others.length) out.parameters = others;
  if (body) {
    const content: Json = {};
    for (const t of inTypes.length ? inTypes : ['application/json']) content[t] = { schema: body.schema };
    out.requestBody = body.required ? { content, required: true } : { content };
  }
  if (responses) {
    const converted: Json = {};
    for (const [code, response] of Object.entries(responses as Record<string, Json>)) {
      const { schema, ...r } = response;
      if (schema === undefined) converted[code] = r;
      else {
        const content: Json = {};
        for (const t of outTypes.length ? outTypes : ['application/json']) content[t] = { schema };
        converted[code] = { ...r, content };
      }
    }
    out.responses = converted;
  }
  return out;
}

/** Converts a Swagger 2.0 document; `keepPath` picks the paths to keep (one group-version's). */
export function swaggerV2ToV3(swagger: Json, keepPath: (path: string) => boolean): OpenAPIV3Document {
  const produces = (swagger.produces as string[] | undefined) ?? [];
  const consumes = (swagger.consumes as string[] | undefined) ?? [];
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries((swagger.paths as Record<string, Json> | undefined) ?? {})) {
    if (!keepPath(path)) continue;
    const converted: Json = {};
    for (const [key, value] of Object.entries(item)) {
      if (key === 'parameters') converted.parameters = (value as Json[]).filter((p) => p.in !== 'body').map(convertParameter);
      else if (value && typeof value === 'object' && !Array.isArray(value)) converted[key] = convertOperation(value as Json, produces, consumes);
      else converted[key] = value;
    }
    paths[path] = rewriteRefs(converted) as Record<string, unknown>;
  }
  const schemas = rewriteRefs(swagger.definitions ?? {}) as Record<string, SchemaObject>;
  const info = (swagger.info as { title: string; version: string } | undefined) ?? { title: 'Kubernetes', version: '' };
  return { openapi: '3.0.0', info, paths, components: { schemas, securitySchemes: SECURITY_SCHEMES }, security: [{ BearerToken: [] }] };
}
