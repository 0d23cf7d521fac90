// The built-in types' OpenAPI schemas (openapi/) put to work: strategic-merge-patch metadata and the
// unknown-field check of fieldValidation. Loaded on first use, so that starting costs nothing.
import { builtinSchemas, type SchemaObject } from '../aggregator/openapi/index.js';
import { componentsRefResolver, patchSchemaFromOpenAPI, type PatchSchema } from '../endpoints/patch/index.js';
import type { KubeObject } from '../registry/resource.js';

function resolve(schema: SchemaObject | undefined): SchemaObject | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const ref = (current.$ref ?? (Array.isArray(current.allOf) && current.allOf.length === 1 ? current.allOf[0].$ref : undefined)) as string | undefined;
    if (!ref) return current;
    current = builtinSchemas()[ref.replace('#/components/schemas/', '')];
  }
  return current;
}

/** A PatchSchema for a built-in kind, built when first asked. */
export function patchSchemaFor(schemaName: string): PatchSchema {
  let schema: PatchSchema | undefined;
  const real = (): PatchSchema => {
    schema ??= patchSchemaFromOpenAPI(builtinSchemas()[schemaName], componentsRefResolver({ components: { schemas: builtinSchemas() as Record<string, SchemaObject> } }));
    return schema;
  };
  return {
    lookupForStruct: (key) => real().lookupForStruct(key),
    lookupForSlice: (key) => real().lookupForSlice(key),
    name: () => real().name(),
  };
}

function unknownIn(value: unknown, schema: SchemaObject | undefined, path: string, out: string[]): void {
  const s = resolve(schema);
  if (!s || value === null || typeof value !== 'object') return;
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownIn(item, s.items as SchemaObject | undefined, `${path}[${i}]`, out));
    return;
  }
  const properties = s.properties as Record<string, SchemaObject> | undefined;
  const additional = s.additionalProperties as SchemaObject | boolean | undefined;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path ? `${path}.${key}` : key;
    if (properties && key in properties) unknownIn(child, properties[key], childPath, out);
    else if (additional && typeof additional === 'object') unknownIn(child, additional, childPath, out);
    else if (!additional && properties) out.push(childPath);
  }
}

/** Fields of an object its kind's schema does not have (kube's strict decoding reports them). */
export function unknownFieldsFor(schemaName: string): (obj: KubeObject) => string[] {
  return (obj) => {
    const out: string[] = [];
    unknownIn(obj, builtinSchemas()[schemaName], '', out);
    return out;
  };
}

/** What a built-in kind takes from its OpenAPI schema: the reference, patch metadata and unknown fields. */
export function schemaBacked(schemaName: string): { schemaRef: string; patchSchema: PatchSchema; unknownFields: (obj: KubeObject) => string[] } {
  return { schemaRef: schemaName, patchSchema: patchSchemaFor(schemaName), unknownFields: unknownFieldsFor(schemaName) };
}
