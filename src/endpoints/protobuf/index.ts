// Protobuf request bodies and responses for the built-in kinds kube-chain serves.
export { decodeProtobufBody, isProtobufContentType, type DecodedProtobufBody, type ProtobufExpectedKind } from './decode.js';
export { canEncodeProtobuf, encodeProtobuf } from './encode.js';
