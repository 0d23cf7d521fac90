// CRD validation of defaults (apiextensions-apiserver v0.32.9 pkg/apiserver/schema/defaulting/validation.go
// ValidateDefaults with requirePrunedDefaults, as for v1 CRDs): every default must have no unknown fields,
// keep valid embedded metadata, and pass its node's schema and x-kubernetes-validations. Errors are rooted
// at "<node path>.default"; the validator's own names are relative to the default, so a scalar default's
// message starts with " in body" exactly as kube's does.
import type { FieldError } from '../../endpoints/status.js';
import { compileCel, validateCel } from './cel.js';
import { validateEmbeddedResources } from './embedded.js';
import { jsonEqual, NO_OLD } from './equality.js';
import { invalid } from './errors.js';
import { pruneStructural } from './prune.js';
import { compileSchemaValidator } from './validator.js';
import { itemsSchema, type JSONSchemaProps } from './types.js';

const reroot = (prefix: string) => (e: FieldError): FieldError => ({ ...e, field: e.field ? `${prefix}.${e.field.replace(/^\./, '')}` : prefix });

/** ValidateDefaults for a version's schema at `path` (e.g. spec.versions[0].schema.openAPIV3Schema). */
export function validateDefaults(path: string, schema: JSONSchemaProps): FieldError[] {
  const errs: FieldError[] = [];
  visit(path, schema, true, false, errs);
  return errs;
}

function visit(path: string, s: JSONSchemaProps, isRoot: boolean, insideMeta: boolean, errs: FieldError[]): void {
  const embedded = isRoot || !!s['x-kubernetes-embedded-resource'];
  if (s['x-kubernetes-embedded-resource']) insideMeta = false;
  if (s.default !== undefined && !insideMeta) {
    const at = `${path}.default`;
    const value = s.default;
    const pruned = structuredClone(value);
    pruneStructural(pruned, s, embedded);
    if (!jsonEqual(pruned, value)) errs.push(invalid(at, value, 'must not have unknown fields'));
    const metaErrs = validateEmbeddedResources(at, value, s);
    if (metaErrs.length) errs.push(...metaErrs);
    else {
      const schemaErrs: FieldError[] = [];
      compileSchemaValidator(s)(value, '', schemaErrs, NO_OLD);
      if (schemaErrs.length) errs.push(...schemaErrs.map(reroot(at)));
      else {
        const cel = compileCel(s, path);
        if (cel.root) errs.push(...validateCel(cel.root, value, NO_OLD, { ratchet: false }).map(reroot(at)));
      }
    }
  }
  const items = itemsSchema(s);
  if (items) visit(`${path}.items`, items, false, insideMeta, errs);
  for (const [k, sub] of Object.entries(s.properties ?? {})) {
    const subInsideMeta = insideMeta || (embedded && (k === 'metadata' || k === 'apiVersion' || k === 'kind'));
    visit(`${path}.properties[${k}]`, sub, false, subInsideMeta, errs);
  }
}

