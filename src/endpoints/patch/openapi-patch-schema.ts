// A PatchSchema read from an OpenAPI v3 (or v2) schema of a Kubernetes type, as kube publishes them:
// a field's patch metadata is in x-kubernetes-patch-strategy ("merge", "replace", "retainKeys" or a
// comma-separated pair) and x-kubernetes-patch-merge-key on the property itself, while its type may sit
// behind $ref or allOf: [{$ref}].
//
// x-kubernetes-list-type / x-kubernetes-list-map-keys are deliberately ignored: kube-apiserver's
// strategic merge patch reads only the patch tags (the struct tags these two extensions come from), and
// kubectl's OpenAPI-driven SMP reads only the two patch extensions as well (strategicpatch/types.go).
// Lookups that fail answer with kube's messages for the same situation on Go structs
// (third_party/forked/golang/json/fields.go, strategicpatch/meta.go).

import { PatchSchemaError, type PatchMeta, type PatchSchema, type PatchSchemaLookup } from './patch-schema.js';

export interface OpenAPISchema {
  $ref?: string;
  allOf?: OpenAPISchema[];
  type?: string;
  format?: string;
  properties?: Record<string, OpenAPISchema>;
  additionalProperties?: OpenAPISchema | boolean;
  items?: OpenAPISchema;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  [extension: string]: unknown;
}

/** Returns the schema a "$ref" points to, or undefined when unknown. */
export type RefResolver = (ref: string) => OpenAPISchema | undefined;

/** Resolves "#/components/schemas/<name>" (v3) and "#/definitions/<name>" (v2) in one document. */
export function componentsRefResolver(document: {
  components?: { schemas?: Record<string, OpenAPISchema> };
  definitions?: Record<string, OpenAPISchema>;
}): RefResolver {
  return (ref) => {
    const v3 = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (v3) return document.components?.schemas?.[v3[1]];
    const v2 = /^#\/definitions\/(.+)$/.exec(ref);
    if (v2) return document.definitions?.[v2[1]];
    return undefined;
  };
}

export function patchSchemaFromOpenAPI(rootSchema: OpenAPISchema, resolveRef: RefResolver): PatchSchema {
  return new OpenAPIPatchSchema(rootSchema, resolveRef);
}

interface ResolvedType {
  schema: OpenAPISchema;
  /** The Go type name, from the last $ref followed (io.k8s.api.core.v1.PodSpec → PodSpec). */
  typeName: string;
}

const MAX_REF_DEPTH = 32;

class OpenAPIPatchSchema implements PatchSchema {
  private resolvedType?: ResolvedType;

  constructor(
    private readonly node: OpenAPISchema,
    private readonly resolveRef: RefResolver,
  ) {}

  lookupForStruct(key: string): PatchSchemaLookup {
    const { schema, typeName } = this.resolved();
    const kind = goKind(schema);
    if (kind !== 'struct') {
      throw new PatchSchemaError(`merging an object in json but data type is not struct, instead is: ${kind}`);
    }
    const property = schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, key) ? schema.properties[key] : undefined;
    if (!property) throw new PatchSchemaError(`unable to find api field in struct ${typeName} for the json field "${key}"`);
    return { schema: new OpenAPIPatchSchema(property, this.resolveRef), meta: patchMetaOf(property) };
  }

  lookupForSlice(key: string): PatchSchemaLookup {
    const field = this.lookupForStruct(key);
    const fieldType = (field.schema as OpenAPIPatchSchema).resolved().schema;
    if (goKind(fieldType) !== 'slice' || !fieldType.items) {
      throw new PatchSchemaError(`expected slice or array type, but got: ${this.name()}`);
    }
    const elements = new OpenAPIPatchSchema(fieldType.items, this.resolveRef);
    if (elements.name() === 'slice') throw new PatchSchemaError('unexpected slice of slice');
    return { schema: elements, meta: field.meta };
  }

  name(): string {
    return goKind(this.resolved().schema);
  }

  /** Follows $ref and single-branch allOf to the schema that describes the type. */
  private resolved(): ResolvedType {
    if (this.resolvedType) return this.resolvedType;
    let schema = this.node;
    let typeName = '';
    for (let depth = 0; depth < MAX_REF_DEPTH; depth++) {
      if (schema.$ref) {
        const target = this.resolveRef(schema.$ref);
        if (!target) throw new PatchSchemaError(`unable to resolve schema reference ${schema.$ref}`);
        typeName = schema.$ref.slice(schema.$ref.lastIndexOf('.') + 1).split('/').pop() ?? '';
        schema = target;
      } else if (schema.allOf && schema.allOf.length > 0 && !schema.type && !schema.properties) {
        schema = schema.allOf[0];
      } else {
        break;
      }
    }
    this.resolvedType = { schema, typeName };
    return this.resolvedType;
  }
}

/** The Go kind of the type a schema describes, as reflect's Kind().String() names it. */
function goKind(schema: OpenAPISchema): string {
  if (schema.properties) return 'struct';
  switch (schema.type) {
    case 'array':
      return 'slice';
    case 'object':
      return schema.additionalProperties && typeof schema.additionalProperties === 'object' ? 'map' : 'struct';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return schema.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    default:
      // int-or-string and schemas without a type are Go structs (intstr.IntOrString, RawExtension, ...).
      return 'struct';
  }
}

function patchMetaOf(property: OpenAPISchema): PatchMeta {
  const strategy = property['x-kubernetes-patch-strategy'];
  const mergeKey = property['x-kubernetes-patch-merge-key'];
  return {
    strategies: typeof strategy === 'string' && strategy !== '' ? strategy.split(',') : [],
    mergeKey: typeof mergeKey === 'string' ? mergeKey : '',
  };
}
