// The envelope kube's protobuf serializer wraps every object in
// (k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go): the magic `k8s\0`, then a
// runtime.Unknown (pkg/runtime/generated.proto) carrying apiVersion, kind and the object's bytes.
import type { MessageDescriptor } from './schema.js';
import { decodeMessage } from './message.js';
import { ProtoWireError } from './wire.js';

export const PROTOBUF_PREFIX = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

const TYPE_META: MessageDescriptor = {
  name: 'TypeMeta',
  fields: [
    { number: 1, json: 'apiVersion', go: 'APIVersion', type: { kind: 'scalar', scalar: 'string' }, presence: 'omitempty' },
    { number: 2, json: 'kind', type: { kind: 'scalar', scalar: 'string' }, presence: 'omitempty' },
  ],
};

const UNKNOWN: MessageDescriptor = {
  name: 'Unknown',
  fields: [
    { number: 1, json: 'typeMeta', go: 'TypeMeta', type: { kind: 'message', message: () => TYPE_META }, presence: 'omitempty' },
    { number: 2, json: 'raw', type: { kind: 'scalar', scalar: 'bytes' }, presence: 'omitempty' },
    { number: 3, json: 'contentEncoding', type: { kind: 'scalar', scalar: 'string' }, presence: 'omitempty' },
    { number: 4, json: 'contentType', type: { kind: 'scalar', scalar: 'string' }, presence: 'omitempty' },
  ],
};

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

/** Opens the envelope, with the serializer's errors for bodies that are not one. */
export function openEnvelope(body: Uint8Array): Envelope {
  if (body.length === 0) throw new ProtoWireError('empty data');
  if (body.length < PROTOBUF_PREFIX.length || PROTOBUF_PREFIX.some((b, i) => body[i] !== b)) {
    throw new ProtoWireError(`provided data does not appear to be a protobuf message, expected prefix [${PROTOBUF_PREFIX.join(' ')}]`);
  }
  if (body.length === PROTOBUF_PREFIX.length) throw new ProtoWireError('empty body');
  const unknown = decodeMessage(UNKNOWN, body.subarray(PROTOBUF_PREFIX.length));
  const typeMeta = (unknown.get(1) as Map<number, unknown> | undefined) ?? new Map<number, unknown>();
  return {
    apiVersion: (typeMeta.get(1) as string | undefined) ?? '',
    kind: (typeMeta.get(2) as string | undefined) ?? '',
    raw: (unknown.get(2) as Uint8Array | undefined) ?? new Uint8Array(0),
  };
}
