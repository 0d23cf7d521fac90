// The description of a create-only review: it stores nothing, so it has no update or names to check,
// and discovery lists it with the single verb `create` and no storage version hash.
import type { ResourceDefinition } from '../registry/resource.js';
import { defineResource } from './define.js';

export function defineReview(group: string, kind: string, namespaced = false): ResourceDefinition {
  const lower = kind.toLowerCase();
  return defineResource({
    group,
    version: 'v1',
    resource: `${lower}s`,
    kind,
    namespaced,
    verbs: ['create'],
    virtual: true,
    schemaRef: `io.k8s.api.${group.split('.')[0]}.v1.${kind}`,
    strategy: { validate: () => [], validateUpdate: () => [] },
  });
}
