// authentication.k8s.io/v1 types (k8s.io/api/authentication/v1: generated.proto for field numbers,
// types.go for JSON tags): TokenRequest, the body of serviceaccounts/token, which kubectl's typed
// client sends as protobuf; TokenReview and SelfSubjectReview.
import { map, message, repeatedOf, scalar, str, time, type MessageDescriptor } from '../schema.js';
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

const userInfo: MessageDescriptor = {
  name: 'UserInfo',
  fields: [str(1, 'username'), str(2, 'uid', 'omitempty', 'UID'), repeatedOf(str(3, 'groups')), map(4, 'extra', 'stringList')],
};

const tokenReviewSpec: MessageDescriptor = { name: 'TokenReviewSpec', fields: [str(1, 'token'), repeatedOf(str(2, 'audiences'))] };

const tokenReviewStatus: MessageDescriptor = {
  name: 'TokenReviewStatus',
  fields: [scalar(1, 'authenticated', 'bool'), message(2, 'user', () => userInfo), repeatedOf(str(4, 'audiences')), str(3, 'error')],
};

export const tokenReview: MessageDescriptor = {
  name: 'TokenReview',
  fields: [metadataField(), message(2, 'spec', () => tokenReviewSpec, 'always'), message(3, 'status', () => tokenReviewStatus)],
};

const selfSubjectReviewStatus: MessageDescriptor = { name: 'SelfSubjectReviewStatus', fields: [message(1, 'userInfo', () => userInfo)] };

export const selfSubjectReview: MessageDescriptor = {
  name: 'SelfSubjectReview',
  fields: [metadataField(), message(2, 'status', () => selfSubjectReviewStatus)],
};
