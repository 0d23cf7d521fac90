// Storage failures as the Status a client sees, as kube's registry interprets storage errors.
import { StorageError } from './interface.js';
import {
  newAlreadyExists, newBadRequest, newConflict, newInternalError, newNotFound, newResourceExpired, newServiceUnavailable,
  OBJECT_MODIFIED_MESSAGE, StatusError, type GroupResource,
} from '../endpoints/status.js';

export function storageErrorToStatus(err: StorageError, gr: GroupResource, name: string): StatusError {
  switch (err.code) {
    case 'KeyNotFound':
      return newNotFound(gr, name);
    case 'KeyExists':
      return newAlreadyExists(gr, name);
    case 'ResourceVersionConflicts':
      return newConflict(gr, name, OBJECT_MODIFIED_MESSAGE);
    case 'InvalidObj':
      // Failed preconditions: kube answers them as a Conflict carrying the storage message.
      return newConflict(gr, name, err.message);
    case 'InvalidContinue':
      return newBadRequest(`invalid continue token: ${err.message}`);
    case 'Expired':
      return newResourceExpired(err.message);
    case 'TooLargeResourceVersion':
      return new StatusError(504, 'Timeout', `Timeout: ${err.message}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    case 'Unreachable':
      return newServiceUnavailable(err.message);
    default:
      return newInternalError(err);
  }
}
