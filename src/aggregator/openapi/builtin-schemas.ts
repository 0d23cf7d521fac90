// The OpenAPI v3 component schemas of the built-in types, kept as JSON in the repository's openapi/
// folder (written for kube-chain; names, extensions and structure as kube publishes them).
import { readFileSync } from 'node:fs';

export type SchemaObject = Record<string, unknown>;

const FILES = ['meta.v1.json', 'core.v1.json', 'events.v1.json', 'coordination.v1.json', 'meta.v1.selectors.json', 'rbac.v1.json', 'apiregistration.v1.json', 'admissionregistration.v1.json', 'authentication.v1.json', 'authorization.v1.json', 'discovery.v1.json', 'flowcontrol.v1.json'];

let cached: Readonly<Record<string, SchemaObject>> | undefined;

/** components.schemas of every built-in type, by kube's schema name. Shared: do not mutate. */
export function builtinSchemas(): Readonly<Record<string, SchemaObject>> {
  if (!cached) {
    const all: Record<string, SchemaObject> = {};
    // src/aggregator/openapi (and dist/aggregator/openapi) → the package root's openapi/ folder.
    for (const file of FILES) Object.assign(all, JSON.parse(readFileSync(new URL(`../../../openapi/${file}`, import.meta.url), 'utf8')));
    cached = Object.freeze(all);
  }
  return cached;
}
