// Embedded resources (x-kubernetes-embedded-resource): apiVersion and kind required, kind a DNS-1035
// label in any case, and their metadata validated as ObjectMeta (apiextensions-apiserver v0.32.9
// pkg/apiserver/schema/objectmeta/validation.go). The root object is checked by the CR strategy itself.
import type { FieldError } from '../../endpoints/status.js';
import { invalid, required } from './errors.js';
import { isObject, itemsSchema, type JSONSchemaProps } from './types.js';
import { isDNS1035Label, validatePathSegmentName } from '../../registry/validation/names.js';
import { validateObjectMeta, type ObjectMetaLike } from '../../registry/validation/object-meta.js';

const child = (path: string, k: string) => (path ? `${path}.${k}` : k);

export function validateEmbeddedResources(path: string, x: unknown, s: JSONSchemaProps | undefined, errs: FieldError[] = []): FieldError[] {
  if (!s) return errs;
  if (isObject(x)) {
    if (s['x-kubernetes-embedded-resource']) validateEmbeddedResource(path, x, errs);
    const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    for (const k of Object.keys(x)) {
      const prop = s.properties?.[k];
      if (prop) validateEmbeddedResources(child(path, k), x[k], prop, errs);
      else if (additional) validateEmbeddedResources(`${path}[${k}]`, x[k], additional, errs);
    }
  } else if (Array.isArray(x)) {
    const items = itemsSchema(s);
    x.forEach((v, i) => validateEmbeddedResources(`${path}[${i}]`, v, items, errs));
  }
  return errs;
}

/** schema.ParseGroupVersion's errors. */
function parseGroupVersionError(gv: string): string | undefined {
  const parts = gv.split('/');
  if (parts.length <= 2) return undefined;
  return `unexpected GroupVersion string: ${gv}`;
}

function validateEmbeddedResource(path: string, x: Record<string, unknown>, errs: FieldError[]): void {
  if (!('apiVersion' in x)) errs.push(required(child(path, 'apiVersion'), 'must not be empty'));
  if (!('kind' in x)) errs.push(required(child(path, 'kind'), 'must not be empty'));
  for (const [k, v] of Object.entries(x)) {
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errs.push(invalid(child(path, 'apiVersion'), v, 'must be a string'));
      else if (v.length === 0) errs.push(invalid(child(path, 'apiVersion'), v, 'must not be empty'));
      else {
        const err = parseGroupVersionError(v);
        if (err) errs.push(invalid(child(path, 'apiVersion'), v, err));
      }
    } else if (k === 'kind') {
      if (typeof v !== 'string') errs.push(invalid(child(path, 'kind'), v, 'must be a string'));
      else if (v.length === 0) errs.push(invalid(child(path, 'kind'), v, 'must not be empty'));
      else {
        const msgs = isDNS1035Label(v.toLowerCase());
        if (msgs.length) errs.push(invalid(child(path, 'kind'), v, `may have mixed case, but should otherwise match: ${msgs.join(',')}`));
      }
    } else if (k === 'metadata') {
      if (!isObject(v)) {
        errs.push(invalid(child(path, 'metadata'), v, 'expected object'));
        continue;
      }
      // kube sets a fake name so that a nameless embedded object passes the name check.
      const meta = { ...(v as ObjectMetaLike) };
      if (!meta.name) meta.name = 'fakename';
      const namespaced = typeof meta.namespace === 'string' && meta.namespace.length > 0;
      errs.push(...validateObjectMeta(meta, { namespaced, nameFn: validatePathSegmentName }, child(path, 'metadata')));
    }
  }
}
