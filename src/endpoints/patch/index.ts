// Patch: JSON patch, merge patch and strategic merge patch as kube-apiserver applies them.
export { applyPatch, type ApplyPatchOptions, type ServerSideApply } from './apply-patch.js';
export {
  acceptedPatchContentTypes,
  newUnsupportedPatchMediaType,
  PATCH_CONTENT_TYPES,
  patchTypeFromContentType,
  type PatchType,
  type PatchTypeOptions,
} from './content-type.js';
export { SERVER_REJECTED_MESSAGE } from './errors.js';
export { applyJsonPatch, JSON_PATCH_MAX_COPY_BYTES, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export type { JsonObject, JsonValue } from './json-value.js';
export { applyMergePatch } from './merge-patch.js';
export { componentsRefResolver, patchSchemaFromOpenAPI, type OpenAPISchema, type RefResolver } from './openapi-patch-schema.js';
export { permissivePatchSchema, PatchSchemaError, type PatchMeta, type PatchSchema, type PatchSchemaLookup } from './patch-schema.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { patchStrictErrors } from './strict-decoding.js';
export { goFormatValue } from './go-format.js';
export { goJsonMarshal } from './errors.js';
