// Which component schemas describe a resource's kind and list kind. Built-ins name theirs
// (ResourceDefinition.schemaRef, e.g. io.k8s.api.core.v1.ConfigMap) and the list is the same name with
// the list kind. A resource without a known schema gets a permissive one under kube's name for custom
// kinds (reversed group: com.example.stable.v1.CronTab), so every kind still has a documented schema.
import type { ResourceDefinition } from '../../registry/resource.js';
import type { SchemaObject } from './builtin-schemas.js';
import type { ResourceSchemas } from './routes.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export function defaultSchemaName(group: string, version: string, kind: string): string {
  const prefix = group ? group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${prefix}.${version}.${kind}`;
}

export function resourceSchemaNames(def: ResourceDefinition): ResourceSchemas {
  const kind = def.schemaRef ?? defaultSchemaName(def.group, def.version, def.kind);
  const list = kind.endsWith(`.${def.kind}`) ? `${kind.slice(0, -def.kind.length)}${def.listKind}` : `${kind}List`;
  return { kind, list };
}

function gvk(def: ResourceDefinition, kind: string) {
  return [{ group: def.group, kind, version: def.version }];
}

/** A schema accepting any object of the kind, for resources registered without one. */
export function permissiveKindSchema(def: ResourceDefinition): SchemaObject {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'The versioned schema of this object.' },
      kind: { type: 'string', description: 'The kind of this object.' },
      metadata: { allOf: [{ $ref: `#/components/schemas/${META}ObjectMeta` }], description: 'Standard object metadata.' },
    },
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': gvk(def, def.kind),
  };
}

export function listSchema(def: ResourceDefinition, itemSchema: string): SchemaObject {
  return {
    description: `A list of ${def.kind} objects.`,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'The versioned schema of this object.' },
      items: { type: 'array', description: `The ${def.kind} objects in the list.`, items: { $ref: `#/components/schemas/${itemSchema}` } },
      kind: { type: 'string', description: 'The kind of this object.' },
      metadata: { allOf: [{ $ref: `#/components/schemas/${META}ListMeta` }], description: 'Standard list metadata.' },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': gvk(def, def.listKind),
  };
}
