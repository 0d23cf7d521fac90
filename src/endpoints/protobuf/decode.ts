// Protobuf request bodies, decoded as kube-apiserver's protobuf serializer decodes them and handed
// on in the JSON shape a JSON client would have sent (Go's encoding/json of the typed object).
// Errors are kube's: the serializer's texts inside transformDecodeError's 400s
// (k8s.io/apiserver/pkg/endpoints/handlers/rest.go), and a 415 for kinds kube-chain cannot read.
import { newBadRequest } from '../status.js';
import { newUnsupportedMediaTypeFor, supportedMediaTypes, PROTOBUF_MEDIA_TYPE } from '../negotiation/media-types.js';
import { parseMediaType, summarizeData } from '../negotiation/decode.js';
import { openEnvelope } from './envelope.js';
import { protobufDescriptorFor } from './kinds.js';
import { decodeMessage } from './message.js';
import { renderMessage } from './render.js';
import { ProtoWireError } from './wire.js';

/** The endpoint's kind: kube decodes into it and takes missing group, version and kind from it. */
export interface ProtobufExpectedKind {
  group: string;
  version: string;
  kind: string;
}

export interface DecodedProtobufBody {
  /** The object as JSON, with apiVersion and kind first. */
  object: Record<string, unknown>;
  apiVersion: string;
  kind: string;
}

/** Whether a Content-Type names kube's protobuf (parameters and case do not matter). */
export function isProtobufContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && parseMediaType(contentType) === PROTOBUF_MEDIA_TYPE;
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** schema.FromAPIVersionAndKind: an apiVersion that does not parse leaves group and version empty. */
function fromAPIVersionAndKind(apiVersion: string, kind: string): GroupVersionKind {
  if (apiVersion === '') return { group: '', version: '', kind };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion, kind };
  if (parts.length === 2) return { group: parts[0], version: parts[1], kind };
  return { group: '', version: '', kind };
}

/** The serializer's copyKindDefaults. */
function copyKindDefaults(dst: GroupVersionKind, src: GroupVersionKind): void {
  if (dst.kind === '') dst.kind = src.kind;
  if (dst.version === '' && src.version !== '') {
    dst.group = src.group;
    dst.version = src.version;
  }
}

const apiVersionOf = (gvk: GroupVersionKind): string => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);

/** Go's %#v of runtime.TypeMeta, which kube's missing-kind and missing-version errors quote. */
const typeMetaGoSyntax = (apiVersion: string, kind: string): string =>
  `runtime.TypeMeta{APIVersion:${JSON.stringify(apiVersion)}, Kind:${JSON.stringify(kind)}}`;

/**
 * Decodes a `application/vnd.kubernetes.protobuf` body. With `expected` (the endpoint's kind) the
 * envelope's missing apiVersion/kind default to it and errors name it, as kube's create/update
 * handlers do; kube-chain's usual apiVersion/kind checks then apply to the result.
 *
 * Throws kube's 400s for bodies that are not protobuf or do not decode, and a 415 when kube-chain
 * has no protobuf description of the kind (or of the endpoint's kind).
 */
export function decodeProtobufBody(body: Uint8Array, expected?: ProtobufExpectedKind): DecodedProtobufBody {
  const mustBe = expected?.kind ?? 'DeleteOptions';
  if (expected && !protobufDescriptorFor(apiVersionOf(expected), expected.kind)) throw unsupported();

  let envelope;
  try {
    envelope = openEnvelope(body);
  } catch (err) {
    if (err instanceof ProtoWireError) {
      throw newBadRequest(`the object provided is unrecognized (must be of type ${mustBe}): ${err.message} (${summarizeData(body)})`);
    }
    throw err;
  }

  const actual = fromAPIVersionAndKind(envelope.apiVersion, envelope.kind);
  if (expected) {
    copyKindDefaults(actual, expected);
    // Decoding into the endpoint's type: at least its group, when nothing better was said.
    if (actual.version === '' && actual.group === '') actual.group = expected.group;
  }
  if (actual.kind === '') {
    const message = `Object 'Kind' is missing in '${typeMetaGoSyntax(envelope.apiVersion, envelope.kind)}'`;
    throw newBadRequest(`the object provided is unrecognized (must be of type ${mustBe}): ${message} (${summarizeData(body)})`);
  }
  const cannotBeHandled = (message: string): Error =>
    newBadRequest(`${actual.kind} in version ${JSON.stringify(actual.version)} cannot be handled as a ${mustBe}: ${message}`);
  if (actual.version === '') {
    throw cannotBeHandled(`Object 'apiVersion' is missing in '${typeMetaGoSyntax(envelope.apiVersion, envelope.kind)}'`);
  }

  const apiVersion = apiVersionOf(actual);
  const descriptor = protobufDescriptorFor(apiVersion, actual.kind);
  if (!descriptor) {
    if (!expected) throw unsupported();
    throw cannotBeHandled(`no kind ${JSON.stringify(actual.kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }

  try {
    const fields = renderMessage(descriptor, decodeMessage(descriptor, envelope.raw));
    return { object: { kind: actual.kind, apiVersion, ...fields }, apiVersion, kind: actual.kind };
  } catch (err) {
    if (err instanceof ProtoWireError) throw cannotBeHandled(err.message);
    throw err;
  }
}

/** The 415 kube answers for a body format an endpoint does not read. */
function unsupported(): Error {
  return newUnsupportedMediaTypeFor(supportedMediaTypes().mediaTypes);
}
