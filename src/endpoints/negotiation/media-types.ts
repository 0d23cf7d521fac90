// The media types the server reads and writes, and the Status errors of content negotiation with
// kube's messages (k8s.io/apiserver/pkg/endpoints/handlers/negotiation/errors.go).
import { StatusError } from '../status.js';

export const JSON_MEDIA_TYPE = 'application/json';
export const YAML_MEDIA_TYPE = 'application/yaml';
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export type SerializedMediaType = typeof JSON_MEDIA_TYPE | typeof YAML_MEDIA_TYPE;

/** One serializer the server offers, in kube's order of preference (the first is the default). */
export interface SerializerInfo {
  mediaType: SerializedMediaType;
  type: string;
  subType: string;
  /** Whether it can frame a watch stream (kube: a StreamSerializer); YAML cannot. */
  streaming: boolean;
}

// kube serves JSON, YAML and protobuf. kube-chain does not speak protobuf, so it offers only the two
// text formats; an Accept list that names protobuf first falls through to them as with kube, and the
// error messages list what is really accepted.
export const SERIALIZERS: readonly SerializerInfo[] = [
  { mediaType: JSON_MEDIA_TYPE, type: 'application', subType: 'json', streaming: true },
  { mediaType: YAML_MEDIA_TYPE, type: 'application', subType: 'yaml', streaming: false },
];

/** kube's MediaTypesForSerializer: the plain media types and the `;stream=watch` variants. */
export function supportedMediaTypes(): { mediaTypes: string[]; streamMediaTypes: string[] } {
  return {
    mediaTypes: SERIALIZERS.map((s) => s.mediaType),
    streamMediaTypes: SERIALIZERS.filter((s) => s.streaming).map((s) => `${s.mediaType};stream=watch`),
  };
}

/** 406 when no Accept clause can be served: `only the following media types are accepted: ...`. */
export function newNotAcceptableMediaTypes(accepted: string[]): StatusError {
  return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

/** 406 for a conversion (Table, PartialObjectMetadata) that cannot be produced for this request. */
export function newNotAcceptableMessage(message: string): StatusError {
  return new StatusError(406, 'NotAcceptable', message);
}

/** 415 for a request body in a format the server does not read. */
export function newUnsupportedMediaTypeFor(accepted: string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}
