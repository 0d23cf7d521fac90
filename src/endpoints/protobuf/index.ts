// Protobuf request bodies for the built-in kinds kube-chain serves.
export { decodeProtobufBody, isProtobufContentType, type DecodedProtobufBody, type ProtobufExpectedKind } from './decode.js';
