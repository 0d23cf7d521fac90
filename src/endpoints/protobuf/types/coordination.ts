// coordination.k8s.io/v1 Lease (k8s.io/api/coordination/v1: generated.proto, types.go).
import { message, microTime, scalar, str, type MessageDescriptor } from '../schema.js';
import { metadataField } from './meta.js';

const leaseSpec: MessageDescriptor = {
  name: 'LeaseSpec',
  fields: [
    str(1, 'holderIdentity', 'pointer'),
    scalar(2, 'leaseDurationSeconds', 'int32', 'pointer'),
    microTime(3, 'acquireTime', 'pointer'),
    microTime(4, 'renewTime', 'pointer'),
    scalar(5, 'leaseTransitions', 'int32', 'pointer'),
    str(6, 'strategy', 'pointer'),
    str(7, 'preferredHolder', 'pointer'),
  ],
};

export const lease: MessageDescriptor = {
  name: 'Lease',
  fields: [metadataField(), message(2, 'spec', () => leaseSpec)],
};
