// Which patch a request carries, from its Content-Type, and kube-apiserver's 415 when it is none it takes.
//
// kube answers an unsupported patch Content-Type in two ways:
// - built-in resources are routed by go-restful, whose route declares the patch types it consumes; a
//   mismatch never reaches the patch handler and is answered by go-restful's text, wrapped by the
//   apiserver's serviceErrorHandler into a Status: message "415: Unsupported Media Type", reason
//   UnsupportedMediaType, empty details (go-restful jsr311.go; apiserver pkg/server/handler.go). With no
//   body length go-restful goes on to its Accept check and says "415: Unsupported Media Type\n\nAvailable
//   representations: " (with nothing listed, as no route is left);
// - custom resources (and what gets past go-restful's looser parsing) reach handlers.PatchResource,
//   which answers negotiation's errUnsupportedMediaType: "the body of the request was in an unknown format
//   - accepted media types include: <types, comma-separated>", with no details. For custom resources the
//   types are json-patch, merge-patch and apply-patch+yaml: strategic merge patch is refused with 415.
//
// Server-side apply is not built yet: apply-patch+yaml is answered as kube does when apply is not
// served (it is then neither consumed by the route nor in the handler's list). `allowApply` is the seam.

import { StatusError } from '../status.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchTypeOptions {
  /** Built-in resources take strategic merge patch (and are routed by go-restful); custom resources do not. */
  allowStrategic: boolean;
  /** Server-side apply; off until it is built. */
  allowApply?: boolean;
  /** The request's Content-Length header, which changes go-restful's 415 text when absent or 0. */
  contentLength?: string | number;
}

/** The patch media types a resource accepts, in kube's order (the order of its 415 message). */
export function acceptedPatchContentTypes(options: Pick<PatchTypeOptions, 'allowStrategic' | 'allowApply'>): string[] {
  const types: PatchType[] = ['json', 'merge'];
  if (options.allowStrategic) types.push('strategic');
  if (options.allowApply) types.push('apply');
  return types.map((t) => PATCH_CONTENT_TYPES[t]);
}

export function patchTypeFromContentType(contentType: string | undefined, options: PatchTypeOptions): PatchType {
  const accepted = acceptedPatchContentTypes(options);
  // Built-ins: go-restful's route matching comes first.
  if (options.allowStrategic && !goRestfulConsumes(contentType ?? '', accepted)) {
    throw goRestfulUnsupportedMediaType(options.contentLength);
  }
  // Then PatchResource: the Content-Type up to its first ";", compared exactly.
  const raw = contentType ?? '';
  const semicolon = raw.indexOf(';');
  const mediaType = semicolon > 0 ? raw.slice(0, semicolon) : raw;
  const type = (Object.keys(PATCH_CONTENT_TYPES) as PatchType[]).find((t) => PATCH_CONTENT_TYPES[t] === mediaType);
  if (!type || !accepted.includes(mediaType)) throw newUnsupportedPatchMediaType(accepted);
  return type;
}

/** negotiation.NewUnsupportedMediaTypeError as handlers.PatchResource answers it. */
export function newUnsupportedPatchMediaType(accepted: string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** go-restful Route.matchesContentType for a PATCH route: any of the comma-separated types, parameters ignored. */
function goRestfulConsumes(contentType: string, consumes: string[]): boolean {
  // An empty Content-Type on a PATCH is taken as application/octet-stream.
  const header = contentType === '' ? 'application/octet-stream' : contentType;
  return header.split(',').some((part) => {
    const semicolon = part.indexOf(';');
    const mediaType = (semicolon === -1 ? part : part.slice(0, semicolon)).trim();
    return consumes.includes(mediaType);
  });
}

/** The apiserver's serviceErrorHandler: NewGenericServerResponse(415, ..., go-restful's message). */
function goRestfulUnsupportedMediaType(contentLength: string | number | undefined): StatusError {
  const length = contentLength === undefined ? 1 : Number(contentLength);
  const message = length > 0 ? '415: Unsupported Media Type' : '415: Unsupported Media Type\n\nAvailable representations: ';
  return new StatusError(415, 'UnsupportedMediaType', message, {});
}
