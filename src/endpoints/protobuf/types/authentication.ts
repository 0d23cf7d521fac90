// authentication.k8s.io/v1 TokenRequest (k8s.io/api/authentication/v1: generated.proto, types.go):
// the body of serviceaccounts/token, which kubectl's typed client sends as protobuf.
import { message, repeatedOf, scalar, str, time, type MessageDescriptor } from '../schema.js';
import { metadataField } from './meta.js';

const boundObjectReference: MessageDescriptor = {
  name: 'BoundObjectReference',
  fields: [str(1, 'kind'), str(2, 'apiVersion', 'omitempty', 'APIVersion'), str(3, 'name'), str(4, 'uid', 'omitempty', 'UID')],
};

const tokenRequestSpec: MessageDescriptor = {
  name: 'TokenRequestSpec',
  fields: [repeatedOf(str(1, 'audiences', 'always')), scalar(4, 'expirationSeconds', 'int64', 'pointer'), message(3, 'boundObjectRef', () => boundObjectReference, 'pointer')],
};

const tokenRequestStatus: MessageDescriptor = {
  name: 'TokenRequestStatus',
  fields: [str(1, 'token', 'always'), time(2, 'expirationTimestamp', 'always')],
};

export const tokenRequest: MessageDescriptor = {
  name: 'TokenRequest',
  fields: [metadataField(), message(2, 'spec', () => tokenRequestSpec, 'always'), message(3, 'status', () => tokenRequestStatus, 'always')],
};
