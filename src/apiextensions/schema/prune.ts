// Pruning of fields a structural schema does not specify (apiextensions-apiserver v0.32.9
// pkg/apiserver/schema/pruning/algorithm.go), the removal of nulls that are neither nullable nor
// defaulted (defaulting/prunenulls.go), and ObjectMeta's own unknown fields (root and embedded
// metadata keep only ObjectMeta's fields, as kube's decoding into ObjectMeta does). Paths are reported
// as kube's UnknownFieldPathOptions writes them: "spec.x", "spec.list[0].y".
import { fieldSchema, isObject, itemsSchema, type JSONSchemaProps } from './types.js';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** The JSON fields of metav1.ObjectMeta. */
export const OBJECT_META_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

interface PruneRun {
  paths: string[];
  mutate: boolean;
}

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

function prune(x: unknown, s: JSONSchemaProps | undefined, path: string, run: PruneRun, embedded: boolean): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) return skipPrune(x, s, path, run);
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    x.forEach((v, i) => prune(v, s ? items : undefined, `${path}[${i}]`, run, !!items?.['x-kubernetes-embedded-resource']));
    return;
  }
  if (!isObject(x)) return;
  if (!s) {
    for (const k of Object.keys(x)) {
      run.paths.push(join(path, k));
      if (run.mutate) delete x[k];
    }
    return;
  }
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) continue;
    const sub = fieldSchema(s, k);
    if (sub) prune(x[k], sub, join(path, k), run, !!sub['x-kubernetes-embedded-resource']);
    else if (s.additionalProperties === true) prune(x[k], undefined, join(path, k), run, false);
    else {
      if (!META_FIELDS.has(k) || path !== '') run.paths.push(join(path, k));
      if (run.mutate) delete x[k];
    }
  }
}

function skipPrune(x: unknown, s: JSONSchemaProps, path: string, run: PruneRun): void {
  const embedded = !!s['x-kubernetes-embedded-resource'];
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    if (items) x.forEach((v, i) => skipPrune(v, items, `${path}[${i}]`, run));
    return;
  }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) continue;
    const sub = fieldSchema(s, k);
    if (sub) prune(x[k], sub, join(path, k), run, !!sub['x-kubernetes-embedded-resource']);
  }
}

/** ObjectMeta keeps only its own fields: at the root and in every embedded resource. */
function pruneMetadata(x: unknown, s: JSONSchemaProps | undefined, path: string, rootRun: PruneRun, embeddedRun: PruneRun, isRoot: boolean): void {
  if (isObject(x)) {
    if ((isRoot || s?.['x-kubernetes-embedded-resource']) && isObject(x.metadata)) {
      const run = isRoot ? rootRun : embeddedRun;
      const meta = x.metadata;
      for (const k of Object.keys(meta)) {
        if (OBJECT_META_FIELDS.has(k)) continue;
        run.paths.push(join(join(path, 'metadata'), k));
        if (run.mutate) delete meta[k];
      }
    }
    if (!s) return;
    for (const k of Object.keys(x)) {
      if (k === 'metadata' && (isRoot || s['x-kubernetes-embedded-resource'])) continue;
      const sub = fieldSchema(s, k);
      if (sub) pruneMetadata(x[k], sub, join(path, k), rootRun, embeddedRun, false);
    }
  } else if (Array.isArray(x)) {
    const items = itemsSchema(s);
    if (items) x.forEach((v, i) => pruneMetadata(v, items, `${path}[${i}]`, rootRun, embeddedRun, false));
  }
}

/**
 * Prunes an object of a custom resource in place (the root is an embedded resource: apiVersion, kind
 * and metadata stay) and returns the paths removed in kube's order (unstructuredSchemaCoercer.apply):
 * the root metadata's, then the schema's (sorted), then embedded resources' metadata.
 */
export function pruneObject(obj: unknown, schema: JSONSchemaProps, mutate = true): string[] {
  const rootMeta: PruneRun = { paths: [], mutate };
  const embeddedMeta: PruneRun = { paths: [], mutate };
  pruneMetadata(obj, schema, '', rootMeta, embeddedMeta, true);
  const run: PruneRun = { paths: [], mutate };
  prune(obj, schema, '', run, true);
  run.paths.sort();
  if (mutate) pruneNonNullableNullsWithoutDefaults(obj, schema);
  return [...rootMeta.paths, ...run.paths, ...embeddedMeta.paths];
}

/** Removes null values of fields that are neither nullable nor defaulted. */
export function pruneNonNullableNullsWithoutDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    for (const v of x) pruneNonNullableNullsWithoutDefaults(v, items);
  } else if (isObject(x)) {
    for (const k of Object.keys(x)) {
      const sub = fieldSchema(s, k);
      if (x[k] === null && sub && !sub.nullable && sub.default === undefined) delete x[k];
      else pruneNonNullableNullsWithoutDefaults(x[k], sub);
    }
  }
}

/** pruning.Prune alone: no ObjectMeta field pruning, no null removal (used to check defaults). */
export function pruneStructural(obj: unknown, schema: JSONSchemaProps, isResourceRoot: boolean): string[] {
  const run: PruneRun = { paths: [], mutate: true };
  prune(obj, schema, '', run, isResourceRoot || !!schema['x-kubernetes-embedded-resource']);
  return run.paths.sort();
}
