// An object of a built-in kind as kube's typed Go struct would write it in JSON: unknown fields gone,
// fields in declaration order, omitempty honoured. The protobuf description of the kind is the
// description of its Go struct, so a round trip through it gives exactly that shape.
import { protobufDescriptorFor } from './kinds.js';
import { encodeMessage } from './encode.js';
import { decodeMessage } from './message.js';
import { renderMessage } from './render.js';

/** The object as its typed struct writes it; apiVersion and kind first. Kinds without a description come back as they are. */
export function asTypedJSON(obj: Record<string, unknown>): Record<string, unknown> {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const descriptor = protobufDescriptorFor(apiVersion, kind);
  if (!descriptor) return obj;
  return { kind, apiVersion, ...renderMessage(descriptor, decodeMessage(descriptor, encodeMessage(descriptor, obj))) };
}
