// The one call the REST layer makes to patch an object: the patch type (from patchTypeFromContentType),
// the current object and the request body in, the patched object out, or a StatusError kube would answer.

import { newUnsupportedPatchMediaType, acceptedPatchContentTypes, type PatchType } from './content-type.js';
import { applyJsonPatch } from './json-patch.js';
import type { JsonObject } from './json-value.js';
import { applyMergePatch } from './merge-patch.js';
import type { PatchSchema } from './patch-schema.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** Server-side apply, once built, plugs in here. */
export type ServerSideApply = (current: JsonObject, body: Buffer | string) => JsonObject;

export interface ApplyPatchOptions {
  /** Patch metadata of the resource's type; strategic merge patch needs it. */
  schema?: PatchSchema;
  /** False for custom resources: kube refuses strategic merge patch for them. */
  allowStrategic: boolean;
  /** Not built yet: without it, apply-patch+yaml is refused as by patchTypeFromContentType. */
  serverSideApply?: ServerSideApply;
}

export function applyPatch(type: PatchType, original: object, body: Buffer | string, options: ApplyPatchOptions): JsonObject {
  const current = original as JsonObject;
  switch (type) {
    case 'json':
      return applyJsonPatch(current, body);
    case 'merge':
      return applyMergePatch(current, body);
    case 'strategic':
      if (!options.allowStrategic || !options.schema) throw newUnsupportedPatchMediaType(acceptedPatchContentTypes({ allowStrategic: false }));
      return applyStrategicMergePatch(current, body, options.schema);
    case 'apply':
      if (!options.serverSideApply) {
        throw newUnsupportedPatchMediaType(acceptedPatchContentTypes({ allowStrategic: options.allowStrategic && options.schema !== undefined }));
      }
      return options.serverSideApply(current, body);
  }
}
