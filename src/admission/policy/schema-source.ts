// The schemas the policy type checker checks against, as kube's controller finds them (discovery for
// the kinds, the served /openapi/v3 documents for the schemas): built-in kinds, custom resources and
// aggregated APIs alike. $refs are resolved; a recursive reference becomes an open schema.
import type { DiscoveryRegistry } from '../../aggregator/discovery/index.js';
import { groupVersionPath, type OpenAPIRegistry } from '../../aggregator/openapi/registry.js';
import { SCHEMA_REF_PREFIX } from '../../aggregator/openapi/document.js';
import type { JSONSchemaProps } from '../../apiextensions/schema/types.js';
import type { GroupVersionKind, SchemaSource } from './type-checking.js';

type Schemas = Record<string, Record<string, unknown>>;

function refName(schema: Record<string, unknown>): string | undefined {
  const ref = schema.$ref ?? (Array.isArray(schema.allOf) && schema.allOf.length === 1 ? (schema.allOf[0] as Record<string, unknown>).$ref : undefined);
  return typeof ref === 'string' && ref.startsWith(SCHEMA_REF_PREFIX) ? ref.slice(SCHEMA_REF_PREFIX.length) : undefined;
}

/** The schema with every $ref replaced by its target (an open schema where a reference recurses). */
function resolve(schema: unknown, schemas: Schemas, stack: string[]): JSONSchemaProps {
  if (!schema || typeof schema !== 'object') return {};
  let current = schema as Record<string, unknown>;
  const name = refName(current);
  if (name) {
    if (stack.includes(name) || !schemas[name]) return {};
    stack = [...stack, name];
    current = schemas[name];
  }
  const out: Record<string, unknown> = { ...current };
  delete out.$ref;
  delete out.allOf;
  if (current.properties && typeof current.properties === 'object') {
    const properties: Record<string, JSONSchemaProps> = {};
    for (const [key, value] of Object.entries(current.properties as Record<string, unknown>)) properties[key] = resolve(value, schemas, stack);
    out.properties = properties;
  }
  if (current.items && typeof current.items === 'object') out.items = resolve(current.items, schemas, stack);
  if (current.additionalProperties && typeof current.additionalProperties === 'object') out.additionalProperties = resolve(current.additionalProperties, schemas, stack);
  return out as JSONSchemaProps;
}

function hasKind(schema: Record<string, unknown>, gvk: GroupVersionKind): boolean {
  const gvks = schema['x-kubernetes-group-version-kind'];
  return Array.isArray(gvks) && gvks.some((g: GroupVersionKind) => (g.group ?? '') === gvk.group && g.version === gvk.version && g.kind === gvk.kind);
}

/** kube's WithTypeAndObjectMeta: a resource root always has kind, apiVersion, metadata.name and metadata.generateName. */
function withTypeAndObjectMeta(schema: JSONSchemaProps): JSONSchemaProps {
  const p = schema.properties ?? {};
  const meta = p.metadata?.properties;
  if (p.kind?.type === 'string' && p.apiVersion?.type === 'string' && p.metadata?.type === 'object' && meta?.name?.type === 'string' && meta.generateName?.type === 'string') return schema;
  const string: JSONSchemaProps = { type: 'string' };
  return { ...schema, properties: { ...p, kind: string, apiVersion: string, metadata: { type: 'object', properties: { name: string, generateName: string } } } };
}

export function servedSchemaSource(discovery: DiscoveryRegistry, openapi: OpenAPIRegistry): SchemaSource {
  return {
    kindsFor(group, version, resource) {
      const found = discovery.resourceList(group, version)?.find((r) => r.name === resource);
      return found ? [found.kind] : [];
    },
    schemaFor(gvk) {
      const schemas = openapi.document(groupVersionPath(gvk.group, gvk.version))?.components.schemas as Schemas | undefined;
      if (!schemas) return undefined;
      const name = Object.keys(schemas).find((key) => hasKind(schemas[key], gvk));
      return name ? withTypeAndObjectMeta(resolve(schemas[name], schemas, [name])) : undefined;
    },
  };
}
