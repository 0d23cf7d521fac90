// Storage failures as the Status a client sees, as kube's registry interprets storage errors
// (k8s.io/apiserver/pkg/storage/errors/storage.go, storage/errors.go, etcd3/errors.go).
import { StorageError, type StorageErrorCode } from './interface.js';
import {
  newAlreadyExists, newBadRequest, newConflict, newInternalError, newInvalid, newNotFound, newResourceExpired, newServiceUnavailable,
  OBJECT_MODIFIED_MESSAGE, StatusError, type GroupResource,
} from '../endpoints/status.js';

/** kube's storage.StorageError codes and texts, for the messages that quote a StorageError. */
const KUBE_CODES: Partial<Record<StorageErrorCode, [number, string]>> = {
  KeyNotFound: [1, 'key not found'],
  KeyExists: [2, 'key exists'],
  ResourceVersionConflicts: [3, 'resource version conflicts'],
  InvalidObj: [4, 'invalid object'],
  Unreachable: [5, 'server unreachable'],
};

/** kube's (*StorageError).Error(): what a Conflict from a failed precondition quotes. */
export function kubeStorageErrorString(err: StorageError): string {
  const [code, text] = KUBE_CODES[err.code] ?? [0, ''];
  return `StorageError: ${text}, Code: ${code}, Key: ${err.key}, ResourceVersion: 0, AdditionalErrorMsg: ${err.message}`;
}

export function storageErrorToStatus(err: StorageError, gr: GroupResource, name: string): StatusError {
  switch (err.code) {
    case 'KeyNotFound':
      return newNotFound(gr, name);
    case 'KeyExists':
      return newAlreadyExists(gr, name);
    case 'ResourceVersionConflicts':
      return newConflict(gr, name, OBJECT_MODIFIED_MESSAGE);
    case 'InvalidObj':
      // Failed preconditions: kube's registry answers NewConflict(qualifiedResource, name, storageErr).
      return newConflict(gr, name, kubeStorageErrorString(err));
    case 'InvalidContinue':
      return newBadRequest(`invalid continue token: ${err.message}`);
    case 'BadRequest':
      return newBadRequest(err.message);
    case 'InvalidResourceVersion':
      // InterpretWatchError: NewInvalid(GroupKind{group, Kind: resource}, name, the versioner's field error).
      return newInvalid(gr.resource, gr.group, name, [{ type: 'FieldValueInvalid', field: 'resourceVersion', detail: err.message }]);
    case 'Expired': {
      const expired = newResourceExpired(err.message);
      // A compacted continue token: kube offers one that goes on at the latest revision.
      if (err.continueToken) expired.status.metadata.continue = err.continueToken;
      return expired;
    }
    case 'TooLargeResourceVersion':
      // The watch cache's answer after waiting 3 s for the revision (storage.NewTooLargeResourceVersionError).
      return new StatusError(
        504,
        'Timeout',
        `Timeout: ${err.message}`,
        { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
        { 'Retry-After': '1' },
      );
    case 'Unreachable':
      return newServiceUnavailable(err.message);
    default:
      return newInternalError(err);
  }
}
