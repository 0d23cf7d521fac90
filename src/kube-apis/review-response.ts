// The object a review answers with: what was asked, typed (as kube's Go struct writes it back) and
// with the computed status. kube 1.32 writes an unset creationTimestamp as null.
import type { KubeObject, ResourceDefinition } from '../registry/resource.js';
import { apiVersionOf } from '../registry/resource.js';
import { asTypedJSON } from '../endpoints/protobuf/typed-json.js';

/** ObjectMeta's JSON keys that come before creationTimestamp. */
const BEFORE_CREATION = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation'];

function withCreationTimestamp(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const meta = metadata ?? {};
  if ('creationTimestamp' in meta) return meta;
  const out: Record<string, unknown> = {};
  for (const key of BEFORE_CREATION) if (key in meta) out[key] = meta[key];
  out.creationTimestamp = null;
  for (const [key, value] of Object.entries(meta)) if (!(key in out)) out[key] = value;
  return out;
}

/** `fields` replace the request's (status, or a whole new spec); the rest is the request echoed. */
export function reviewResponse(def: ResourceDefinition, request: KubeObject, fields: Record<string, unknown>): KubeObject {
  const typed = asTypedJSON({ ...request, ...fields, kind: def.kind, apiVersion: apiVersionOf(def) });
  return { ...typed, metadata: withCreationTimestamp(typed.metadata as Record<string, unknown> | undefined) } as KubeObject;
}
