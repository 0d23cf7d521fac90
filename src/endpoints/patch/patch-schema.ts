// What strategic merge patch needs to know about a type: for each field, the schema of its value and
// its patch metadata (strategies such as "merge", "replace", "retainKeys", and the merge key of a list).
// It mirrors k8s.io/apimachinery/pkg/util/strategicpatch's LookupPatchMeta, which kube-apiserver
// answers from the Go struct tags `patchStrategy`/`patchMergeKey` of built-in types; the same facts are
// published in kube's OpenAPI as x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key (see
// openapi-patch-schema.ts).

export interface PatchMeta {
  /** e.g. ["merge"], ["merge", "retainKeys"], [] when the field has none. */
  readonly strategies: readonly string[];
  /** The merge key of a list of objects, e.g. "name"; "" when none. */
  readonly mergeKey: string;
}

export interface PatchSchemaLookup {
  /** For a struct lookup, the schema of the field's value; for a slice lookup, the schema of its elements. */
  readonly schema: PatchSchema;
  readonly meta: PatchMeta;
}

/** A lookup error: kube returns these as plain errors, i.e. a 500 with the text as message. */
export class PatchSchemaError extends Error {}

export interface PatchSchema {
  /** The value schema and patch metadata of the object-valued field `key`. Throws PatchSchemaError. */
  lookupForStruct(key: string): PatchSchemaLookup;
  /** The element schema and patch metadata of the list-valued field `key`. Throws PatchSchemaError. */
  lookupForSlice(key: string): PatchSchemaLookup;
  /** The Go kind of this type ("struct", "map", ...), which kube prints in some error messages. */
  name(): string;
}

const NO_META: PatchMeta = { strategies: [], mergeKey: '' };

/** A schema that knows nothing: every map merges and every list is replaced (as for a field without tags). */
export const permissivePatchSchema: PatchSchema = {
  lookupForStruct: () => ({ schema: permissivePatchSchema, meta: NO_META }),
  lookupForSlice: () => ({ schema: permissivePatchSchema, meta: NO_META }),
  name: () => 'struct',
};
